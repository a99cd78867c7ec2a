"""First-character guards for markdown-it's block rules: the same answers, far fewer calls.

markdown-it tries every block rule on every line that starts a block, and every
paragraph-terminating rule on every line a paragraph continues over. Most of those rules can
only match when the line's first non-space character is one particular marker (``>`` for a
quote, ``#`` for a heading…), yet each call walks several checks and a debug-log call before
finding out. A guard looks at that one character and returns ``False`` itself when the rule
could not match, so the rule runs only where it might. On list-heavy notes this removes about
a fifth of the block parser's time. The guards change no output: every rule they cover checks
the same character before doing anything else (``tests/test_markdown_guards.py`` compares
tokens with and without them over real notes).
"""

from __future__ import annotations

from collections.abc import Callable
from string import digits

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

BlockRule = Callable[[StateBlock, int, int, bool], bool]
InlinePostRule = Callable[[StateInline], None]

# the inline post-processing rules that only act on delimiter runs (``*``, ``_``, ``~``)
DELIMITER_RULES = (
    "balance_pairs", "strikethrough", "mark", "emphasis", "fragments_join",
)  # fmt: skip

# rule name -> the characters its line must start with (after indentation) to match at all
FIRST_CHARACTERS: dict[str, frozenset[str]] = {
    "fence": frozenset("`~"),
    "blockquote": frozenset(">"),
    "list": frozenset("*-+" + digits),
    "reference": frozenset("["),
    "footnote_def": frozenset("["),
    "html_block": frozenset("<"),
    "heading": frozenset("#"),
    "obsidian_comment": frozenset("%"),  # %% block comments (markdown.comments)
    "math_block": frozenset("$"),  # $$ display math (dollarmath)
}


def guarded(rule: BlockRule, first: frozenset[str]) -> BlockRule:
    """``rule``, skipped on lines whose first non-space character is not in ``first``."""

    def guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        pos = state.bMarks[start_line] + state.tShift[start_line]
        if pos >= state.eMarks[start_line] or state.src[pos] not in first:
            return False
        return rule(state, start_line, end_line, silent)

    return _named(guard, rule)


def underline_guarded(rule: BlockRule) -> BlockRule:
    """``lheading``, skipped unless an ``===``/``---`` line follows before the next blank line.

    markdown-it tries a setext heading at every paragraph, walking the paragraph's lines and
    every terminating rule on each, before ``paragraph`` walks them all again. A setext
    heading needs an underline (only ``=`` or only ``-``, then spaces) among those lines, and
    the walk stops at the first blank line, so without such a line the rule cannot match.
    """

    def guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        src, begins, shifts, ends = state.src, state.bMarks, state.tShift, state.eMarks
        line = start_line + 1
        while line < end_line:
            pos, end = begins[line] + shifts[line], ends[line]
            if pos >= end:
                return False  # a blank line ends the paragraph before any underline
            marker = src[pos]
            if (marker == "=" or marker == "-") and not src[pos:end].rstrip(" \t").strip(marker):
                return rule(state, start_line, end_line, silent)
            line += 1
        return False

    return _named(guard, rule)


def rule_line_guarded(rule: BlockRule) -> BlockRule:
    """``hr``, skipped unless the line is only one marker (``*``, ``-``, ``_``) and spaces.

    List items (``- text``, ``**bold**``) start with the same markers and are far more common.
    """

    def guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        pos, end = state.bMarks[start_line] + state.tShift[start_line], state.eMarks[start_line]
        if pos >= end:
            return False
        marker = state.src[pos]
        if marker not in "*-_" or state.src[pos:end].strip(marker + " \t"):
            return False
        return rule(state, start_line, end_line, silent)

    return _named(guard, rule)


def pipe_guarded(rule: BlockRule) -> BlockRule:
    """``table``, skipped unless the line (the header row) has a ``|`` in it."""

    def guard(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        if state.src.find("|", state.bMarks[start_line], state.eMarks[start_line]) < 0:
            return False
        return rule(state, start_line, end_line, silent)

    return _named(guard, rule)


def _named(guard: BlockRule, rule: BlockRule) -> BlockRule:
    guard.__name__ = f"guarded_{getattr(rule, '__name__', 'rule')}"
    guard.__wrapped__ = rule  # type: ignore[attr-defined]
    return guard


# rule name -> a guard with its own test, for rules where the first character is not enough
SPECIAL_GUARDS: dict[str, Callable[[BlockRule], BlockRule]] = {
    "lheading": underline_guarded,
    "hr": rule_line_guarded,
    "table": pipe_guarded,
}


def has_delimiters(state: StateInline) -> bool:
    """Whether an inline run left any emphasis or strikethrough delimiters to pair up."""
    if state.delimiters:
        return True
    return any(meta and meta.get("delimiters") for meta in state.tokens_meta)


def guard_delimiter_rules(md: MarkdownIt) -> MarkdownIt:
    """Run the delimiter post-processing rules as one, and only when there are delimiters.

    Each inline run (a paragraph, a list item, a table cell) goes through pairing, the
    strikethrough and emphasis passes and the joining of text fragments; without a ``*``,
    ``_`` or ``~`` run there is nothing for any of them to do, and no adjacent text tokens
    to join (only delimiter runs leave those).
    """
    ruler = md.inline.ruler2
    names = [rule.name for rule in ruler.__rules__ if rule.enabled]
    if names[: len(DELIMITER_RULES)] != list(DELIMITER_RULES):
        return md  # an unfamiliar chain: leave it as it is
    chain: list[InlinePostRule] = [
        rule.fn for rule in ruler.__rules__ if rule.name in DELIMITER_RULES and rule.enabled
    ]

    def delimiters(state: StateInline) -> None:
        if has_delimiters(state):
            for rule in chain:
                rule(state)

    ruler.disable(list(DELIMITER_RULES))
    ruler.before(DELIMITER_RULES[0], "delimiters", delimiters)
    return md


def guard_normalize(md: MarkdownIt) -> MarkdownIt:
    """Skip the line-ending and NUL rewrite for text that has neither ``\\r`` nor ``\\0``.

    markdown-it's ``normalize`` substitutes every line ending, ``\\n`` included, with a regex:
    a new copy of the whole note that is equal to it when there is nothing to change.
    """
    rule = next((r.fn for r in md.core.ruler.__rules__ if r.name == "normalize"), None)
    if rule is None or hasattr(rule, "__wrapped__"):
        return md

    def normalize(state: StateCore) -> None:
        if "\r" in state.src or "\0" in state.src:
            rule(state)

    normalize.__wrapped__ = rule  # type: ignore[attr-defined]
    md.core.ruler.at("normalize", normalize)
    return md


def plain_inline(md: MarkdownIt) -> MarkdownIt:
    """Inline content with no character any inline rule starts at becomes one text token.

    The inline parser would set up its state, let the ``text`` rule take the whole string in
    one step and post-process nothing; the outcome is a single ``text`` child (none for empty
    content). Installed only when ``text`` is the first inline rule and the only
    post-processing is the guarded delimiter pass, so nothing else could have acted.
    """
    inline_rules = [r.name for r in md.inline.ruler.__rules__ if r.enabled]
    post_rules = [r.name for r in md.inline.ruler2.__rules__ if r.enabled]
    core = {r.name: r.fn for r in md.core.ruler.__rules__}
    rule = core.get("inline")
    if inline_rules[:1] != ["text"] or post_rules != ["delimiters"] or rule is None:
        return md
    if hasattr(rule, "__wrapped__"):
        return md

    def inline(state: StateCore) -> None:
        stops = state.md.inline.terminator_re
        parse = state.md.inline.parse
        for token in state.tokens:
            if token.type != "inline":
                continue
            if token.children is None:
                token.children = []
            content = token.content
            if stops.search(content) is None:
                if content:
                    text = Token("text", "", 0)
                    text.content = content
                    token.children.append(text)
                continue
            parse(content, state.md, state.env, token.children)

    inline.__wrapped__ = rule  # type: ignore[attr-defined]
    md.core.ruler.at("inline", inline)
    return md


def guard_block_rules(md: MarkdownIt) -> MarkdownIt:
    """Wrap each known block rule of ``md`` in its guard, keeping its place and alt chains."""
    for rule in md.block.ruler.__rules__:
        if hasattr(rule.fn, "__wrapped__"):
            continue
        first = FIRST_CHARACTERS.get(rule.name)
        special = SPECIAL_GUARDS.get(rule.name)
        if first is not None:
            md.block.ruler.at(rule.name, guarded(rule.fn, first), {"alt": list(rule.alt)})
        elif special is not None:
            md.block.ruler.at(rule.name, special(rule.fn), {"alt": list(rule.alt)})
    return md
