"""Per-document values read from the index's sortable columns, cached per segment.

Updates need every note's path and content hash; ranking needs every note's trust level and
confidence. Reading them costs a few microseconds per document, which on a 10k-note vault
would double the cost of a one-note update. A whoosh segment never changes once written
(deletions live in the table of contents, not in the segment), so each segment's values are
read once and reused by every later searcher — and, given the index folder, kept beside the
segments in ``columns.pickle`` (by segment id, with the format version), so the next process
that opens the index reads one small file instead of every document's columns (a tenth of a
second of ``kgwiki search`` at 10k notes). A kept segment is still opened: its first and last
documents' paths are read, so a damaged column file is found when the index opens.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgwiki.search.merge import SegmentInfo
from kgwiki.search.results import TrustWeighting
from kgwiki.types import NotePath
from kgwiki.util import atomic_write_bytes

SIDECAR = "columns.pickle"
SIDECAR_VERSION = 1
# One segment's raw column values: paths, content hashes, trust levels, confidences.
Raw = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


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

    def __init__(self, weighting: TrustWeighting | None = None,
                 folder: Path | None = None) -> None:  # fmt: skip
        self.weighting = weighting or TrustWeighting(weight=0.0)
        self._segments: dict[str, _Segment] = {}
        self._folder = folder
        self._kept: dict[str, Raw] = _read_sidecar(folder) if folder is not None else {}
        self._read_new = False

    def _segment(self, reader: Any) -> _Segment:
        key = reader.segment().segment_id()
        cached = self._segments.get(key)
        if cached is None:
            count = reader.doc_count_all()
            raw = self._kept.get(key)
            if raw is None or len(raw[0]) != count or not _opens(reader, raw[0]):
                raw = _read_columns(reader, count)
                self._kept[key] = raw
                self._read_new = True
            paths, hashes, levels, confidence = raw
            multiplier = self.weighting.multiplier
            cached = _Segment(
                paths, hashes,
                tuple(multiplier(levels[d] or None, float(confidence[d]) if confidence[d] else None)
                      for d in range(count)) if self.weighting.active else (1.0,) * count,
            )  # fmt: skip
            self._segments[key] = cached
        return cached

    def _keep(self) -> None:
        """Write the sidecar when segments were read from the index (only the current ones)."""
        if self._folder is None or not self._read_new:
            return
        current = {key: self._kept[key] for key in self._segments if key in self._kept}
        data = pickle.dumps((SIDECAR_VERSION, current), protocol=pickle.HIGHEST_PROTOCOL)
        try:
            atomic_write_bytes(self._folder / SIDECAR, data)
        except OSError:
            return  # a read-only index is read the long way next time
        self._read_new = False

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
        self._keep()
        return live, segments

    def trust_factors(self, reader: Any) -> list[float]:
        """Every document's trust multiplier by document number (deleted ones included)."""
        factors: list[float] = [1.0] * reader.doc_count_all()
        for leaf, offset in self._leaves(reader):
            values = self._segment(leaf).factors
            factors[offset : offset + len(values)] = values
        self._keep()
        return factors


def _read_columns(reader: Any, count: int) -> Raw:
    paths, hashes = reader.column_reader("path"), reader.column_reader("hash")
    levels, confidence = reader.column_reader("trust"), reader.column_reader("confidence")
    every = range(count)
    return (tuple(paths[d] for d in every), tuple(hashes[d] for d in every),
            tuple(levels[d] for d in every), tuple(confidence[d] for d in every))


def _opens(reader: Any, paths: tuple[str, ...]) -> bool:
    """The segment's path column opens and agrees with the kept values at both ends."""
    if not paths:
        return True
    try:
        column = reader.column_reader("path")
        return bool(column[0] == paths[0] and column[len(paths) - 1] == paths[-1])
    except Exception:  # unreadable: read it the long way (and fail there if it is damaged)
        return False


def _read_sidecar(folder: Path) -> dict[str, Raw]:
    """The kept column values by segment id; empty when missing, damaged or of another format."""
    try:
        version, kept = pickle.loads((folder / SIDECAR).read_bytes())
    except Exception:
        return {}
    return kept if version == SIDECAR_VERSION and isinstance(kept, dict) else {}
