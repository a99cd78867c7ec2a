"""Per-document values read from the index's sortable columns, cached per segment.

Updates need every note's path and content hash; ranking needs every note's trust level and
confidence. Reading them costs a few microseconds per document, which on a 10k-note vault
would double the cost of a one-note update. A whoosh segment never changes once written
(deletions live in the table of contents, not in the segment), so each segment's values are
read once and reused by every later searcher.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgwiki.search.merge import SegmentInfo
from kgwiki.search.results import TrustWeighting
from kgwiki.types import NotePath


@dataclass(frozen=True, slots=True)
class Indexed:
    """One live document of the index: where it is and which version of the note it holds."""

    docnum: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class _Segment:
    paths: tuple[str, ...]
    hashes: tuple[str, ...]
    factors: tuple[float, ...]


class ColumnCache:
    """Column values of the segments seen so far, keyed by segment id."""

    def __init__(self, weighting: TrustWeighting | None = None) -> None:
        self.weighting = weighting or TrustWeighting(weight=0.0)
        self._segments: dict[str, _Segment] = {}

    def _segment(self, reader: Any) -> _Segment:
        key = reader.segment().segment_id()
        cached = self._segments.get(key)
        if cached is None:
            count = reader.doc_count_all()
            paths, hashes = reader.column_reader("path"), reader.column_reader("hash")
            levels, confidence = reader.column_reader("trust"), reader.column_reader("confidence")
            multiplier = self.weighting.multiplier
            cached = _Segment(
                tuple(paths[d] for d in range(count)),
                tuple(hashes[d] for d in range(count)),
                tuple(multiplier(levels[d] or None, float(confidence[d]) if confidence[d] else None)
                      for d in range(count)) if self.weighting.active else (1.0,) * count,
            )  # fmt: skip
            self._segments[key] = cached
        return cached

    def _leaves(self, reader: Any) -> list[tuple[Any, int]]:
        """Segment readers with their document offsets; an empty index has none."""
        leaves = [(leaf, offset) for leaf, offset in reader.leaf_readers() if leaf.doc_count_all()]
        current = {leaf.segment().segment_id() for leaf, _offset in leaves}
        for gone in set(self._segments) - current:
            del self._segments[gone]  # merged away; its files are deleted
        return leaves

    def live_documents(self, reader: Any) -> dict[NotePath, Indexed]:
        """Every live (not deleted) document by path."""
        return self.snapshot(reader)[0]

    def snapshot(self, reader: Any) -> tuple[dict[NotePath, Indexed], list[SegmentInfo]]:
        """Every live document by path, and every segment with the notes it holds."""
        live: dict[NotePath, Indexed] = {}
        segments: list[SegmentInfo] = []
        for leaf, offset in self._leaves(reader):
            values = self._segment(leaf)
            deleted = leaf.is_deleted if leaf.has_deletions() else None
            paths: list[NotePath] = []
            for docnum, (path, digest) in enumerate(zip(values.paths, values.hashes, strict=True)):
                if deleted is None or not deleted(docnum):
                    live[NotePath(path)] = Indexed(offset + docnum, digest)
                    paths.append(NotePath(path))
            segment_id = leaf.segment().segment_id()
            segments.append(SegmentInfo(segment_id, len(values.paths), tuple(paths)))
        return live, segments

    def trust_factors(self, reader: Any) -> list[float]:
        """Every document's trust multiplier by document number (deleted ones included)."""
        factors: list[float] = [1.0] * reader.doc_count_all()
        for leaf, offset in self._leaves(reader):
            values = self._segment(leaf).factors
            factors[offset : offset + len(values)] = values
        return factors
