"""The Details panel of a note page: its frontmatter properties, as Obsidian lists them.

Every key as written and in its order, but those the page shows elsewhere (the title, aliases,
tags, the trust badge, the duplicate banner). A value is text; a web address (http, https) is
a link out; a wiki-link (``"[[Published]]"``, as Obsidian writes links in properties) is a link
to its note when it names one, its words otherwise. A list is its items; a mapping its
``key: value`` pairs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kgwiki.types import NotePath
from kgwiki.web.render.urls import UrlScheme
from kgwiki.wikilink import parse_inner

if TYPE_CHECKING:
    from kgwiki.note import Note
    from kgwiki.site import Site

SHOWN_ELSEWHERE = frozenset({
    "title", "aliases", "alias", "tags", "tag", "cssclasses", "cssclass",
    "source_trust_level", "confidence_score", "verification_status", "last_reinforced",
    "canonical_id", "duplicate_of",
})  # fmt: skip
_WIKILINK = re.compile(r"\[\[([^\]]+)\]\]")

Part = dict[str, str]


def properties(site: Site, urls: UrlScheme, item: Note) -> list[dict[str, Any]]:
    """``[{"key", "parts": [{"text", "url", "out"}]}]`` for the note's shown properties."""
    rows = []
    for key, value in item.meta.raw.items():
        if str(key).casefold() in SHOWN_ELSEWHERE:
            continue
        parts = [part for text in _texts(value) for part in _parts(site, urls, item.path, text)]
        if parts:
            rows.append({"key": str(key), "parts": parts})
    return rows


def _texts(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, Mapping):
        return [f"{k}: {', '.join(_texts(v))}" for k, v in value.items()]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dt.date | dt.datetime):
        return [value.isoformat()]
    return [str(value)]


def _parts(site: Site, urls: UrlScheme, source: NotePath, text: str) -> list[Part]:
    stripped = text.strip()
    if stripped.startswith(("http://", "https://")) and not any(c.isspace() for c in stripped):
        return [_part(stripped, stripped, out=True)]
    match = _WIKILINK.fullmatch(stripped)
    if match is None:
        return [_part(text)]
    target = parse_inner(match.group(1))
    words = target.label or target.display()
    if target.file is None:
        return [_part(words)]
    path = site.vault.resolve(target.file, source).path
    if path is None or path not in site.vault.notes:
        return [_part(words)]
    return [_part(words, urls.note(path))]


def _part(text: str, url: str = "", *, out: bool = False) -> Part:
    """What the panel shows of one value: its words, where it links ("": nowhere), and
    whether that is off the site."""
    return {"text": text, "url": url, "out": "1" if out else ""}
