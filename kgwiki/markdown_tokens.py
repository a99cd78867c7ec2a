"""markdown-it's tokens built without the dataclass machinery: the same objects, made faster.

A note's parse creates about 460 ``Token`` objects. ``Token`` is a slotted dataclass with two
default factories and a ``__post_init__`` that normalises ``attrs``; constructing one through
all that costs about 340 ns, filling its slots directly about 190 ns. ``install`` points the
block and inline parser states' ``Token`` at ``new_token``, which does the latter and returns
a real ``Token`` equal field for field to ``Token(type, tag, nesting)``. It does so only when
``Token`` has exactly the fields (and defaults) ``new_token`` fills, so a markdown-it release
that changes the class keeps its own constructor. ``tests/test_markdown_guards.py`` checks
that the token streams are equal either way.
"""

from __future__ import annotations

import dataclasses
from types import ModuleType
from typing import Any, Literal

from markdown_it.rules_block import state_block
from markdown_it.rules_inline import state_inline
from markdown_it.token import Token

# Token's fields in order, and what each one starts as (``dict`` for a fresh dict each time)
FIELDS: tuple[tuple[str, Any], ...] = (
    ("type", dataclasses.MISSING),
    ("tag", dataclasses.MISSING),
    ("nesting", dataclasses.MISSING),
    ("attrs", dict),
    ("map", None),
    ("level", 0),
    ("children", None),
    ("content", ""),
    ("markup", ""),
    ("info", ""),
    ("meta", dict),
    ("block", False),
    ("hidden", False),
)
STATE_MODULES: tuple[ModuleType, ...] = (state_block, state_inline)

_new = Token.__new__


def new_token(ttype: str, tag: str, nesting: Literal[-1, 0, 1]) -> Token:
    """``Token(ttype, tag, nesting)``, its slots filled directly."""
    token = _new(Token)
    token.type = ttype
    token.tag = tag
    token.nesting = nesting
    token.attrs = {}
    token.map = None
    token.level = 0
    token.children = None
    token.content = ""
    token.markup = ""
    token.info = ""
    token.meta = {}
    token.block = False
    token.hidden = False
    return token


def token_fields() -> tuple[tuple[str, Any], ...]:
    """``Token``'s fields as (name, default or default factory), in order."""
    return tuple(
        (f.name, f.default_factory if f.default_factory is not dataclasses.MISSING else f.default)
        for f in dataclasses.fields(Token)
    )


def install() -> bool:
    """Let the parser states build tokens with ``new_token``; False if ``Token`` changed."""
    if token_fields() != FIELDS:
        return False
    for module in STATE_MODULES:
        if module.__dict__.get("Token") is Token:
            module.__dict__["Token"] = new_token
    return all(module.__dict__.get("Token") is new_token for module in STATE_MODULES)
