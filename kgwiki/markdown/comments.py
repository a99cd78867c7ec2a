"""Obsidian comments, ``%%…%%``: hidden from the rendered page and from every token.

Two parser rules, and neither pushes a token: what a comment holds never reaches a token, so
plain-text extraction, search, previews and link collection never see it. One more core rule
covers the ``inline`` token itself, whose ``content`` is the raw source of its run: after
inline parsing it cuts out the spans the inline rule skipped.

* Inline, ``text %%hidden%% text``: at ``%%`` the rule moves past the next ``%%`` in the same
  inline run (a paragraph, a heading, a list item's line, one table cell). The text on both
  sides joins into one ``text`` token. Code spans are safe because the ``backticks`` rule
  consumes a code span before this rule can see a ``%%`` inside it.
* Block: a block that *starts* with ``%%`` and is not closed on the same line hides every
  following line, blank lines included, up to the line holding the next ``%%``; whatever
  follows that ``%%`` on its line is parsed as the start of the next block. A line that is
  only ``%%hidden%%`` is dropped whole (no empty paragraph). Fenced and indented code never
  reach the rule (their lines are consumed by ``fence``/``code``, and an indented ``%%`` is
  refused).

Unclosed ``%%``
  Obsidian's help vault documents only the closed forms. Here an unclosed comment *fails
  closed*: a block ``%%`` with no closer hides the rest of its container (the rest of the
  note at top level, the rest of the item in a list item, the rest of a quote in a quote),
  and an unclosed inline ``%%`` hides the rest of its inline run. Nothing a writer meant to
  hide is shown because a closer was forgotten.

Paragraph interruption
  A multi-line block comment may interrupt a paragraph, a list, a quote and a table (like a
  fence), so that a comment with blank lines inside is hidden whole. A one-line
  ``%%…%%`` at the start of a continuation line does not interrupt: it stays an inline
  comment of the paragraph, which keeps its lines together as Obsidian shows them.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

MARKER = "%%"
# env key: inline source -> the (start, end) spans the inline rule skipped in it
_SPANS = "obsidian_comment_spans"


def comment_inline(state: StateInline, silent: bool) -> bool:
    """``%%…%%`` inside inline content: skip it without pushing a token."""
    src, pos, end = state.src, state.pos, state.posMax
    if src[pos] != "%" or pos + 1 >= end or src[pos + 1] != "%":
        return False
    close = src.find(MARKER, pos + 2, end)
    # unclosed: hide the rest of this inline run (see the module's docstring)
    stop = end if close < 0 else close + 2
    if not silent:
        spans: dict[str, set[tuple[int, int]]] | None = state.env.get(_SPANS)
        if spans is None:
            spans = state.env[_SPANS] = {}
        spans.setdefault(src, set()).add((pos, stop))
        if stop == end and state.pending:
            # a comment that ends the run takes the spaces before it along, as the end of a
            # paragraph does: ``text ^id %%c%%`` still ends in its block id
            state.pending = state.pending.rstrip(" \t")
    state.pos = stop
    return True


def strip_comment_content(state: StateCore) -> None:
    """Cut the skipped comments out of each ``inline`` token's raw ``content``."""
    spans: dict[str, set[tuple[int, int]]] | None = state.env.pop(_SPANS, None)
    if not spans:
        return
    for token in state.tokens:
        if token.type != "inline":
            continue
        cuts = spans.get(token.content)
        if not cuts:
            continue
        kept: list[str] = []
        at = 0
        for start, stop in sorted(cuts):
            if start >= at:
                kept.append(token.content[at:start])
                at = stop
        kept.append(token.content[at:])
        token.content = "".join(kept)


def comment_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A block opening with ``%%``: hide it up to the closing ``%%`` (or the container's end)."""
    src = state.src
    pos = state.bMarks[start_line] + state.tShift[start_line]
    line_end = state.eMarks[start_line]
    if pos + 1 >= line_end or src[pos] != "%" or src[pos + 1] != "%":
        return False
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # indented code
    close = src.find(MARKER, pos + 2, line_end)
    if close >= 0:
        if silent or src[close + 2 : line_end].strip():
            # ``%%a%% text`` is a paragraph with an inline comment, and a one-line comment
            # does not break the paragraph it continues
            return False
        state.line = start_line + 1
        return True
    if silent:
        return True  # a multi-line comment ends the paragraph, list, quote or table before it

    line = start_line + 1
    while line < end_line:
        begin = state.bMarks[line] + state.tShift[line]
        stop = state.eMarks[line]
        if begin < stop and state.sCount[line] < state.blkIndent:
            break  # a less indented line: the container (a list item) ends, and the comment
        close = src.find(MARKER, begin, stop)
        if close >= 0:
            _resume_after(state, line, close + 2)
            return True
        line += 1
    state.line = line  # unclosed: everything to the end of the container is hidden
    return True


def _resume_after(state: StateBlock, line: int, pos: int) -> None:
    """Continue block parsing at ``pos``, just after a closing ``%%`` on ``line``."""
    src, stop = state.src, state.eMarks[line]
    rest = pos
    while rest < stop and src[rest] in " \t":
        rest += 1
    if rest >= stop:
        state.line = line + 1  # ``%%`` ends its line: the usual case
        return
    # ``%% more text``: parse the rest of the line as if it began there, at the block's indent
    state.bMarks[line] = rest
    state.tShift[line] = 0
    state.sCount[line] = state.blkIndent
    state.bsCount[line] = 0
    state.line = line


def comments_plugin(md: MarkdownIt) -> None:
    """Install the inline and block comment rules (and make ``%`` a text stop)."""
    md.inline.ruler.before("escape", "obsidian_comment", comment_inline)
    md.block.ruler.before(
        "fence",
        "obsidian_comment",
        comment_block,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )
    md.core.ruler.after("inline", "obsidian_comment_content", strip_comment_content)
