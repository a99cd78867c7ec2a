"""The one markdown-it parser kgwiki reads notes with, and how its tokens are drawn."""

from __future__ import annotations

from kgwiki.markdown.callouts import SANITISER_ATTRIBUTES as CALLOUT_ATTRIBUTES
from kgwiki.markdown.callouts import SANITISER_TAGS as CALLOUT_TAGS
from kgwiki.markdown.parser import (
    Token,
    inline_as_text,
    parse,
    parse_inline,
    plain_text,
    render,
    render_inline,
)
from kgwiki.markdown.rules import is_image

__all__ = [
    "CALLOUT_ATTRIBUTES",
    "CALLOUT_TAGS",
    "Token",
    "inline_as_text",
    "is_image",
    "parse",
    "parse_inline",
    "plain_text",
    "render",
    "render_inline",
]
