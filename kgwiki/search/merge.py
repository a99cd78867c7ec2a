"""Keeping the number of segments small: crowded small segments are folded by re-indexing.

Every update commits a new segment, usually of one note. Left alone they pile up and every
query pays for each; whoosh's own merge policy copies their postings one term at a time, which
costs five times more than analysing the notes again, and it struck every fifth update with a
half-second merge on the 10k vault. So kgwiki merges nothing with whoosh. Segments are sorted
into tiers by size (1–7, 8–63, 64–511 documents); when a tier holds ``FOLD_FACTOR`` segments,
the next update drops them and re-indexes their notes from the vault into its own new segment.
A note is re-indexed about once per tier it climbs (log₈ of the updates), and at most
``FOLD_FACTOR - 1`` segments wait in each tier. Segments of ``BIG`` documents or more (a cold
build makes two) are left to ``kgwiki index --rebuild``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kgwiki.types import NotePath

FOLD_FACTOR = 8
BIG = FOLD_FACTOR**3


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """One segment of the index: its id, its size (deleted documents too), its live notes."""

    id: str
    size: int
    paths: tuple[NotePath, ...]


def tier(size: int) -> int:
    """0 for 1–7 documents, 1 for 8–63, 2 for 64–511 (with the default factor of 8)."""
    level, bound = 0, FOLD_FACTOR
    while size >= bound:
        level, bound = level + 1, bound * FOLD_FACTOR
    return level


def to_fold(segments: Sequence[SegmentInfo]) -> list[SegmentInfo]:
    """The segments of the lowest tier that has filled up (pure)."""
    tiers: defaultdict[int, list[SegmentInfo]] = defaultdict(list)
    for segment in segments:
        if segment.size < BIG:
            tiers[tier(segment.size)].append(segment)
    crowded = [level for level, members in tiers.items() if len(members) >= FOLD_FACTOR]
    return tiers[min(crowded)] if crowded else []


def dropping(folded: Sequence[SegmentInfo]) -> Callable[[Any, list[Any]], list[Any]]:
    """A whoosh merge policy: keep every segment except the folded ones, merge nothing."""
    gone = {segment.id for segment in folded}

    def policy(_writer: Any, segments: list[Any]) -> list[Any]:
        return [s for s in segments if s.segment_id() not in gone]

    return policy
