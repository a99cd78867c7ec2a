"""Obsidian callouts (``> [!type]± Title``) as markdown-it tokens, drawn with Obsidian's markup.

SilverBullet's admonitions (``> **note** text``, a type in lower case) become callouts too:
titled by their type, their text the body (``_admonition``).

Design
------
A callout is a blockquote whose first line is ``[!type]``, ``[!type]+`` or ``[!type]-``,
optionally followed by a title. ``callout_rule`` is a *core* rule that runs after ``block`` and
before ``inline``: it sees the blockquote tokens the block parser made, never the raw text, so
code blocks, HTML blocks and escaped ``\\[!x]`` are left alone. Two passes:

1. For every ``blockquote_open`` whose first child is a paragraph starting on the quote's own
   first line with a ``[!type]`` header, the header line is cut off that paragraph. The rest of
   the paragraph is parsed again with the block parser (so ``> [!note]`` followed by an indented
   code block or ``2. item`` gives what Obsidian shows: the body parsed on its own), with line
   maps and levels moved back to where the lines are. The header goes into ``meta["callout"]``.
2. One walk turns each marked blockquote into ``callout_open`` … ``callout_close`` and adds
   ``callout_title_open``, an ``inline`` token holding the title (so the ordinary inline parser
   draws emphasis, code and ``[[wiki-links]]`` in it, and search sees it), ``callout_title_close``
   and, when there is a body, ``callout_content_open`` … ``callout_content_close`` around it.
   Levels of the wrapped tokens go one deeper; nesting and callouts inside list items need
   nothing special because every blockquote in the stream is looked at.

A default title (the type in title case, ``[!tldr]`` → "Tldr") is backslash-escaped before
it becomes the inline token's content, so ``[!my_type]`` shows its underscores. Unknown types
draw like ``note`` (icon and colour) but keep their own ``data-callout``; type matching is
case-insensitive and ``data-callout`` is the lower-cased type as written (``faq``, not
``question``), as in Obsidian, so published CSS snippets apply.

The render rules write Obsidian's markup: ``<div class="callout" data-callout="…">`` (or a
``<details … data-callout-fold="+|-">`` with a ``<summary>`` title when foldable), a
``callout-title`` holding ``callout-icon`` (a small inline SVG of our own, one per type group)
and ``callout-title-inner``, then ``callout-content``. Everything from the note is escaped:
attributes through ``renderAttrs``, the title through the inline renderer. ``SANITISER_TAGS``
and ``SANITISER_ATTRIBUTES`` are what nh3 must allow on top of kgwiki's list for this markup
to survive sanitising; colours live in ``web/static/callouts.css`` (``--callout-color``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

__all__ = [
    "ALIASES",
    "SANITISER_ATTRIBUTES",
    "SANITISER_TAGS",
    "callout_kind",
    "callout_rule",
    "callouts_plugin",
    "default_title",
    "icon_svg",
]

# Every type Obsidian knows, alias → the type whose icon and colour it takes.
ALIASES: dict[str, str] = {
    "note": "note",
    "abstract": "abstract", "summary": "abstract", "tldr": "abstract",
    "info": "info",
    "todo": "todo",
    "tip": "tip", "hint": "tip", "important": "tip",
    "success": "success", "check": "success", "done": "success",
    "question": "question", "help": "question", "faq": "question",
    "warning": "warning", "caution": "warning", "attention": "warning",
    "failure": "failure", "fail": "failure", "missing": "failure",
    "danger": "danger", "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote", "cite": "quote",
}  # fmt: skip

# One stroked path per type group, drawn on a 16×16 grid (a dot is a zero-length round cap).
_ICONS: dict[str, str] = {
    "note": "M10.5 2.5l3 3L6 13H3v-3z M9 4l3 3",
    "abstract": "M5 2.5h6v2H5z M4.5 3.5H3v11h10v-11h-1.5 M5.5 8h5 M5.5 11h3",
    "info": "M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z M8 7.5v4 M8 5v.01",
    "todo": "M2.5 2.5h11v11h-11z M5 8l2 2 4-4",
    "tip": "M8 14.5c-2.6 0-4.5-1.9-4.5-4.3 0-2.8 2.6-3.9 3-7.7 1.8 1 2.4 2.8 2.3 4.3"
    " .8-.4 1.3-1.3 1.5-2.3 1.6 1.4 2.2 3.4 2.2 5.7 0 2.4-1.9 4.3-4.5 4.3z",
    "success": "M2.5 8.5l3.5 3.5 7.5-8",
    "question": "M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13z"
    " M6 6.2a2 2 0 1 1 2.6 1.9c-.4.2-.6.5-.6.9v.6 M8 11.5v.01",
    "warning": "M8 1.8l6.7 12H1.3z M8 6v3.5 M8 11.8v.01",
    "failure": "M3.5 3.5l9 9 M12.5 3.5l-9 9",
    "danger": "M9 1.5L3 9h5l-1 5.5L13 7H8z",
    "bug": "M5.5 6.5h5v3.5a2.5 2.5 0 0 1-5 0z M6 6.5a2 2 0 0 1 4 0 M8 6.5v6"
    " M2.5 9h3 M10.5 9h3 M3 5.5l2.5 1.5 M13 5.5l-2.5 1.5 M3 13l2.5-1.5 M13 13l-2.5-1.5",
    "example": "M6 4h7.5 M6 8h7.5 M6 12h7.5 M2.5 4v.01 M2.5 8v.01 M2.5 12v.01",
    "quote": "M3 12.5c2-.8 3-2.3 3-4.5V4H3v3.5h3 M10 12.5c2-.8 3-2.3 3-4.5V4h-3v3.5h3",
}

_SVG = (
    '<svg viewBox="0 0 16 16" width="16" height="16" fill="none" stroke="currentColor"'
    ' stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round">'
    '<path d="{}"></path></svg>'
)

_CALLOUT_ATTRS = {"data-callout", "data-callout-fold", "data-callout-metadata"}

# What nh3 must allow, beyond kgwiki's own lists (which allow ``class`` everywhere).
SANITISER_TAGS: frozenset[str] = frozenset({"details", "summary", "svg", "path"})
SANITISER_ATTRIBUTES: dict[str, set[str]] = {
    "div": {*_CALLOUT_ATTRS, "aria-hidden"},
    "details": {*_CALLOUT_ATTRS, "open"},
    "svg": {"viewBox", "width", "height", "fill", "stroke", "stroke-width", "stroke-linecap",
            "stroke-linejoin"},
    "path": {"d"},
}  # fmt: skip

# ``[!type]`` or ``[!type|metadata]``, an optional fold sign, then the title (maybe none).
_HEADER = re.compile(r"\[!([^\]\s|]+)(?:\|([^\]]*))?\]([+-]?)(.*)")
# SilverBullet's admonition (GitHub's old note syntax, lower-cased): ``> **note** text``. Only a
# type kgwiki knows, written in lower case, opens one: ``> **Note** …`` stays a quote.
_ADMONITION = re.compile(r"\*\*([a-z]+)\*\*(?:[ \t]+(.*))?")
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def callout_kind(callout: str) -> str:
    """The type whose icon and colour ``callout`` takes: ``"faq"`` → ``"question"``."""
    return ALIASES.get(callout.lower(), "note")


def icon_svg(callout: str) -> str:
    """The inline SVG icon of a callout type (or alias; an unknown type gets note's)."""
    return _SVG.format(_ICONS[callout_kind(callout)])


def default_title(callout: str) -> str:
    """Obsidian's title for a callout without one: ``"tldr"`` → ``"Tldr"``."""
    lowered = callout.lower()
    return lowered[:1].upper() + lowered[1:]


@dataclass(frozen=True, slots=True)
class _Header:
    """What a callout's first line says, and the lines of its first paragraph after it."""

    callout: str  # the type as written, lower-cased: data-callout
    kind: str  # the built-in type it draws as (note for an unknown type)
    fold: str  # "", "+" or "-"
    metadata: str  # after a bar: ``[!info|wide]``
    title: str  # "" for the default title
    body: str
    body_on_first_line: bool = False  # an admonition's text starts on its header's line


def _header(tokens: Sequence[Token], index: int) -> _Header | None:
    """The callout header of the blockquote opened at ``index``, or None for a plain quote."""
    if index + 3 >= len(tokens):
        return None
    quote, paragraph, inline = tokens[index], tokens[index + 1], tokens[index + 2]
    if paragraph.type != "paragraph_open" or inline.type != "inline":
        return None
    if quote.map and paragraph.map and quote.map[0] != paragraph.map[0]:
        return None  # ``[!x]`` on a later line (or after an empty ``>``): not a callout
    first, _, body = inline.content.partition("\n")
    match = _HEADER.fullmatch(first)
    if match is None:
        return _admonition(first, body)
    written, metadata, fold, title = match.groups()
    return _Header(
        written.lower(), callout_kind(written), fold, (metadata or "").strip(), title.strip(), body
    )


def _admonition(first: str, body: str) -> _Header | None:
    """``**warning** This is a`` / ``warning admonition``: a callout titled by its type whose
    text starts right after the keyword (SilverBullet's admonition reads as one paragraph);
    a first line that only names the type again (``**note** Note``) is the title."""
    match = _ADMONITION.fullmatch(first)
    if match is None or match.group(1) not in ALIASES:
        return None
    written, rest = match.group(1), (match.group(2) or "").strip()
    if rest and rest.casefold() != default_title(written).casefold():
        body = f"{rest}\n{body}" if body else rest
        return _Header(written, callout_kind(written), "", "", "", body, True)
    return _Header(written, callout_kind(written), "", "", "", body)


def _body_tokens(state: StateCore, header: _Header, paragraph: Token) -> list[Token]:
    """The lines after the header, parsed as blocks where the first paragraph stood."""
    body = header.body
    if not body.strip():
        return []
    tokens: list[Token] = []
    state.md.block.parse(body + "\n", state.md, state.env, tokens)
    skip = 0 if header.body_on_first_line else 1
    shift = paragraph.map[0] + skip if paragraph.map else None
    for token in tokens:
        token.level += paragraph.level
        if token.map is not None and shift is not None:
            token.map = [token.map[0] + shift, token.map[1] + shift]
    return tokens


def _title_tokens(opener: Token, header: _Header) -> list[Token]:
    """``callout_title_open``, the title's ``inline`` token and ``callout_title_close``."""
    tag = "summary" if header.fold else "div"
    line = [opener.map[0], opener.map[0] + 1] if opener.map else None
    title = header.title
    if not title:  # the default title is literal text, whatever characters the type has
        title = _MARKDOWN_PUNCTUATION.sub(r"\\\1", default_title(header.callout))
    meta = {"callout": header.callout, "kind": header.kind, "fold": header.fold}
    start = Token("callout_title_open", tag, 1, map=line, level=opener.level + 1, block=True)
    start.attrSet("class", "callout-title")
    start.meta = meta
    inline = Token("inline", "", 0, map=line, level=opener.level + 2, content=title,
                   children=[], block=True)  # fmt: skip
    inline.meta = {"callout_title": True, "default": not header.title}
    end = Token("callout_title_close", tag, -1, level=opener.level + 1, block=True)
    end.meta = dict(meta)
    return [start, inline, end]


def _open_callout(token: Token, header: _Header) -> None:
    """Turn a marked ``blockquote_open`` into ``callout_open`` (in place)."""
    token.type = "callout_open"
    token.tag = "details" if header.fold else "div"
    token.attrs = {"class": "callout", "data-callout": header.callout}
    if header.fold:
        token.attrSet("data-callout-fold", header.fold)
    if header.metadata:
        token.attrSet("data-callout-metadata", header.metadata)
    if header.fold == "+":
        token.attrSet("open", "")
    token.info = header.callout
    token.meta = {"callout": header.callout, "kind": header.kind, "fold": header.fold,
                  "metadata": header.metadata}  # fmt: skip


def callout_rule(state: StateCore) -> None:
    """Core rule (after ``block``, before ``inline``): blockquotes with a header → callouts."""
    if "[!" not in state.src and "**" not in state.src:
        return  # no callout or admonition header anywhere: nothing to walk
    tokens = state.tokens
    found = False
    for index in range(len(tokens) - 1, -1, -1):  # backwards: splicing keeps earlier indices
        if tokens[index].type != "blockquote_open":
            continue
        header = _header(tokens, index)
        if header is None:
            continue
        found = True
        tokens[index].meta["callout"] = header
        tokens[index + 1 : index + 4] = _body_tokens(state, header, tokens[index + 1])
    if not found:
        return
    out: list[Token] = []
    stack: list[tuple[Token, bool] | None] = []  # per open quote: (callout_open, has a body)
    shift = 0  # how many content wrappers the current token sits in
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            token.level += shift
            header = token.meta.pop("callout", None)
            if not isinstance(header, _Header):
                stack.append(None)
                out.append(token)
                continue
            _open_callout(token, header)
            has_body = tokens[index + 1].type != "blockquote_close"
            stack.append((token, has_body))
            out += [token, *_title_tokens(token, header)]
            if has_body:
                body = Token("callout_content_open", "div", 1, level=token.level + 1, block=True)
                body.attrSet("class", "callout-content")
                out.append(body)
                shift += 1
            continue
        if token.type == "blockquote_close" and (entry := stack.pop()) is not None:
            opener, has_body = entry
            if has_body:
                shift -= 1
                out.append(Token("callout_content_close", "div", -1, level=opener.level + 1,
                                 block=True))  # fmt: skip
            token.type, token.tag = "callout_close", opener.tag
        token.level += shift
        out.append(token)
    tokens[:] = out


# -- rendering ----------------------------------------------------------------------------------


def _render_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return f"<{token.tag}{self.renderAttrs(token)}>\n"


def _render_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f"</{tokens[idx].tag}>\n"


def _render_title_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    icon = icon_svg(str(token.meta.get("kind", "note")))
    return (f'<{token.tag}{self.renderAttrs(token)}><div class="callout-icon" aria-hidden="true">'
            f'{icon}</div><div class="callout-title-inner">')  # fmt: skip


def _render_title_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    fold = '<div class="callout-fold" aria-hidden="true"></div>' if token.tag == "summary" else ""
    return f"</div>{fold}</{token.tag}>\n"


def callouts_plugin(md: MarkdownIt) -> None:
    """Parse and draw Obsidian callouts: ``md.use(callouts_plugin)`` on kgwiki's parser."""
    md.core.ruler.after("block", "callout", callout_rule)
    md.add_render_rule("callout_open", _render_open)
    md.add_render_rule("callout_close", _render_close)
    md.add_render_rule("callout_title_open", _render_title_open)
    md.add_render_rule("callout_title_close", _render_title_close)
    md.add_render_rule("callout_content_open", _render_open)
    md.add_render_rule("callout_content_close", _render_close)
