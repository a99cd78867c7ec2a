"""Answers sized for a model's context: every list and text has a limit, and what a limit
cut is said in the answer (``omitted``), so a model knows to ask for more rather than guess.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from typing import Any, TypeVar

T = TypeVar("T")

MAX_LIMIT = 200  # the most items any list answer holds
MAX_BODY_CHARS = 50_000  # the most body text one read_note answer holds
DEFAULT_BODY_CHARS = 8_000  # about 2,000 tokens of Korean or English prose
CONTEXT_CHARS = 200  # a backlink's line of text, cut to this

_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


class BadArgument(ValueError):
    """An argument a tool cannot use; the message says what it accepts."""


def bounded(value: int, name: str, low: int = 1, high: int = MAX_LIMIT) -> int:
    """``value`` when it lies in ``low..high``, else BadArgument naming the range."""
    if not low <= value <= high:
        raise BadArgument(f"{name} must be between {low} and {high}, not {value}")
    return value


def clip_items(items: Sequence[T], limit: int, what: str, omitted: list[str]) -> list[T]:
    """The first ``limit`` items; when more were there, a line in ``omitted`` says how many."""
    if len(items) > limit:
        omitted.append(f"{what}: showing {limit} of {len(items)}; ask with a larger limit "
                       f"(at most {MAX_LIMIT}) for more")  # fmt: skip
    return list(items[:limit])


def clip_text(text: str, offset: int, limit: int, omitted: list[str]) -> str:
    """``limit`` characters of ``text`` from ``offset``; the rest is reported in ``omitted``."""
    part = text[offset : offset + limit]
    rest = len(text) - offset - len(part)
    if offset:
        omitted.append(f"body: the first {offset} characters are left out (body_offset)")
    if rest > 0:
        omitted.append(f"body: {rest} more characters; read on with "
                       f"body_offset={offset + len(part)}")  # fmt: skip
    return part


def short(text: str, limit: int = CONTEXT_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_snippet(snippet_html: str) -> str:
    """A search snippet as text: matches in ``**bold**``, no other markup, entities decoded."""
    marked = _MARK.sub(lambda m: f"**{m[1]}**", snippet_html)
    return " ".join(html.unescape(_TAG.sub("", marked)).split())


def with_omitted(answer: dict[str, Any], omitted: list[str]) -> dict[str, Any]:
    """The answer, with ``omitted`` added when something was left out."""
    if omitted:
        answer["omitted"] = omitted
    return answer
