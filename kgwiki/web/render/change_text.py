"""A changelog row's note as a reader sees it: its inline Markdown drawn, never its marks.

A row such as ``relay 단락에 block id `^relay` 부여`` is written in Markdown, but lists of
changes (the front page, Recent changes, a note's history) show it outside the note's body.
It is drawn here from markdown-it's inline tokens into a closed set of tags — code,
emphasis, strong, strike, highlight — with every piece of text escaped, so nothing in a row
can reach the page as HTML. Links are shown as their words (a row is a summary: a link drawn
there would need resolving from the note it belongs to), ``<br>`` and other inline HTML are
left out, and math shows its source.
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


def change_html(text: str) -> Markup:
    """``text`` (one changelog row's note) as safe HTML with its inline Markdown drawn."""
    if not _MARKDOWN.search(text):
        return Markup(escape(text, quote=False))
    return Markup("".join(_draw(token) for token in parse_inline(text)).strip())


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
