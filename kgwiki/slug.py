"""Heading anchors: Unicode slugs that keep Hangul, Han and Kana, as GitHub and Obsidian do."""

from __future__ import annotations

import functools
import re
import unicodedata

from kgwiki.types import Slug

# A keycap emoji (1️⃣) is a plain digit followed by U+FE0F U+20E3; without this the digit
# would survive into the slug while the rest of the emoji is dropped.
_KEYCAP = re.compile("[0-9#*]\ufe0f?\u20e3")


def _keeps(ch: str) -> bool:
    """Whether a (lower-cased, non-space) character belongs in a slug."""
    if ch.isalnum() or ch == "-" or ch == "_":
        return True
    # Combining marks carry meaning in Indic and Thai scripts; variation selectors only
    # pick an emoji's presentation, so they go with the emoji.
    return unicodedata.category(ch) in ("Mn", "Mc") and not "\ufe00" <= ch <= "\ufe0f"


@functools.lru_cache(maxsize=8192)  # heading texts repeat across a vault's notes
def slugify(text: str) -> Slug:
    """Turn heading text into an anchor: lower-case, spaces as ``-``, no punctuation or emoji.

    ``"📌1️⃣ 시스템 아키텍처의 개념."`` → ``"시스템-아키텍처의-개념"``;
    ``"Heading 1"`` → ``"heading-1"``. May return ``""`` for text made only of punctuation or emoji.
    """
    text = _KEYCAP.sub("", unicodedata.normalize("NFC", text)).lower()
    out: list[str] = []
    space = False
    for ch in text:
        if ch.isspace():
            space = True
        elif _keeps(ch):
            if space and out:
                out.append("-")
            space = False
            out.append(ch)
    return Slug("".join(out).strip("-"))


def unique_slug(base: str, seen: dict[str, int]) -> Slug:
    """Return ``base``, or ``base-1``, ``base-2``… if already used in this document; record it.

    ``seen`` maps every slug handed out so far to how many suffixed copies it has had, so a
    literal heading ``a-1`` and a second ``a`` never share an anchor.
    """
    if base not in seen:
        seen[base] = 0
        return Slug(base)
    n = seen[base]
    while True:
        n += 1
        candidate = f"{base}-{n}"
        if candidate not in seen:
            seen[base] = n
            seen[candidate] = 0
            return Slug(candidate)
