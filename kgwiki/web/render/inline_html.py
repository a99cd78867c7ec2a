"""Short texts shown outside a note's body, drawn as HTML from a closed set of tags.

``change_html``: a changelog row's note as a reader sees it, its inline Markdown drawn. A row
such as ``relay 단락에 block id `^relay` 부여`` is written in Markdown, but lists of changes
(the front page, Recent changes, a note's history) show it outside the note's body. It is
drawn from markdown-it's inline tokens into code, emphasis, strong, strike and highlight,
with every piece of text escaped, so nothing in a row can reach the page as HTML. Links are
shown as their words (a row is a summary: a link drawn there would need resolving from the
note it belongs to), ``<br>`` and other inline HTML are left out, and math shows its source.

``message_html``: one of kgwiki's own messages (a lint finding), whose commands and names
are written in backticks: those become code, the rest is text (a title quoted in a message
may hold ``*`` or ``_`` that are not emphasis).
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

from kgwiki.markdown import Token, parse_inline

# A row with none of these characters has no Markdown to draw: escaped as it is.
_MARKDOWN = re.compile(r"[`*_=~\[!#<&$\\]")
_TAGS = {
    "em_open": "<em>", "em_close": "</em>",
    "strong_open": "<strong>", "strong_close": "</strong>",
    "s_open": "<s>", "s_close": "</s>",
    "mark_open": "<mark>", "mark_close": "</mark>",
    "softbreak": " ", "hardbreak": " ",
}  # fmt: skip
_LEFT_OUT = frozenset({"link_open", "link_close", "html_inline"})
_CODE = re.compile(r"`([^`]+)`")


def change_html(text: str) -> Markup:
    """``text`` (one changelog row's note) as safe HTML with its inline Markdown drawn."""
    if not _MARKDOWN.search(text):
        return Markup(escape(text, quote=False))
    return Markup("".join(_draw(token) for token in parse_inline(text)).strip())


def message_html(text: str) -> Markup:
    """``text`` (a message kgwiki wrote) escaped, with its `backticked` parts as code."""
    parts = _CODE.split(text)  # text, code, text, code, … text
    drawn = (f"<code>{escape(part, quote=False)}</code>" if i % 2 else escape(part, quote=False)
             for i, part in enumerate(parts))  # fmt: skip
    return Markup("".join(drawn))


def _draw(token: Token) -> str:
    kind = token.type
    if kind in _TAGS:
        return _TAGS[kind]
    if kind in _LEFT_OUT:
        return ""
    if kind == "code_inline":
        return f"<code>{escape(token.content, quote=False)}</code>"
    if kind in ("wikilink", "embed"):
        return escape(token.meta["target"].display(), quote=False)
    if kind == "tag":
        return escape(f"#{token.meta['tag']}", quote=False)
    if kind == "image":
        return escape("".join(child.content for child in token.children or ()), quote=False)
    return escape(token.content, quote=False)
