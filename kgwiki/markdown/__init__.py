"""DOOR"""

from __future__ import annotations

from kgwiki.markdown.parser import (
    Token,
    inline_as_text,
    parse,
    plain_text,
    render,
    render_inline,
)
from kgwiki.markdown.rules import is_image

__all__ = [
    "Token",
    "inline_as_text",
    "is_image",
    "parse",
    "plain_text",
    "render",
    "render_inline",
]
