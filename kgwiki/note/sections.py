"""The two sections kgwiki reads for meaning: Graph (typed relations) and Changelog."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from kgwiki.note.schema import parse_date
from kgwiki.types import pickled_by_fields


class SectionKind(StrEnum):
    GRAPH = "graph"
    CHANGELOG = "changelog"


_GRAPH_NAMES = frozenset({"graph", "relations", "relation", "관계", "links", "연결"})
_CHANGELOG_NAMES = frozenset(
    {"changelog", "change log", "변경 이력", "변경이력", "history", "이력"}
)
_STRICT_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class ChangelogEntry:
    """One row of a note's changelog table."""

    date: dt.date | None
    date_text: str
    text: str
    line: int

    @property
    def valid(self) -> bool:
        return self.date is not None


def _bare(heading: str) -> str:
    """A heading without emoji, symbols and punctuation: ``🕓 Changelog`` → ``changelog``."""
    kept = [ch for ch in heading if ch.isspace() or unicodedata.category(ch)[0] in ("L", "N")]
    return " ".join("".join(kept).split()).casefold()


@functools.lru_cache(maxsize=8192)  # heading texts repeat across a vault's notes
def section_kind(heading: str) -> SectionKind | None:
    """Which meaningful section a heading opens, if any."""
    bare = _bare(heading)
    if bare in _GRAPH_NAMES:
        return SectionKind.GRAPH
    if bare in _CHANGELOG_NAMES:
        return SectionKind.CHANGELOG
    return None


def relation_kind(label_text: str, labels: Mapping[str, str]) -> str | None:
    """Map a Graph list item's label (``부모:``, ``- Adjacent:``) to a relation kind."""
    label = label_text.strip().rstrip(":：").strip().strip("*_").strip().casefold()
    if not label:
        return None
    return labels.get(label)


def changelog_entry(date_cell: str, text_cell: str, line: int) -> ChangelogEntry:
    date_text = date_cell.strip()
    date = parse_date(date_text) if _STRICT_DATE.match(date_text) else None
    return ChangelogEntry(date, date_text, text_cell.strip(), line)
