"""Writing the index: what changed since the last run, and one atomic commit that applies it.

The index records each note's content hash, so an update compares hashes, deletes the
documents of changed and removed notes and adds the new versions, all in one commit: a reader
(or a process killed half-way) sees the whole update or none of it. A full rebuild adds every
note and commits with whoosh's ``CLEAR`` policy, which drops the old segments in that same
atomic commit instead of emptying the index first.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whoosh.writing import CLEAR

from kgwiki.search.columns import Indexed
from kgwiki.search.merge import SegmentInfo, dropping, to_fold
from kgwiki.search.schema import note_document
from kgwiki.search.store import WRITER_TIMEOUT, acquire_writer
from kgwiki.types import NotePath
from kgwiki.util import progress

if TYPE_CHECKING:
    from kgwiki.note import Note

# Below this many notes, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 500
# Per sub-writer pool size before postings spill to disk; two workers stay well under 1 GB.
LIMIT_MB = 1024


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    """What an update did (or, from :func:`plan`, will do), by note path."""

    added: tuple[NotePath, ...] = ()
    changed: tuple[NotePath, ...] = ()
    removed: tuple[NotePath, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)

    def to_json(self) -> dict[str, list[str]]:
        return {"added": list(self.added), "changed": list(self.changed),
                "removed": list(self.removed)}  # fmt: skip


Live = Mapping[NotePath, Indexed]
Notes = Mapping[NotePath, "Note"]


def plan(indexed: Live, notes: Notes) -> IndexUpdate:
    """Compare the index's content hashes with the notes' (pure)."""
    added = sorted(p for p in notes if p not in indexed)
    changed = sorted(
        p for p, n in notes.items() if p in indexed and indexed[p].content_hash != n.content_hash
    )
    removed = sorted(p for p in indexed if p not in notes)
    return IndexUpdate(tuple(added), tuple(changed), tuple(removed))


def rebuild_plan(indexed: Live, notes: Notes) -> IndexUpdate:
    """A rebuild re-adds everything; report it as added, changed and removed all the same."""
    return IndexUpdate(
        tuple(sorted(p for p in notes if p not in indexed)),
        tuple(sorted(p for p in notes if p in indexed)),
        tuple(sorted(p for p in indexed if p not in notes)),
    )


View = tuple[Mapping[NotePath, Indexed], Sequence[SegmentInfo]]


def apply(
    ix: Any,
    update: IndexUpdate,
    notes: Mapping[NotePath, Note],
    view: Callable[[Any], View],
    *,
    rebuild: bool = False,
    show_progress: bool = False,
    timeout: float = WRITER_TIMEOUT,
) -> None:
    """Write ``update`` in one commit (and fold crowded small segments: search_merge.py).

    ``view(writer)`` gives the live documents and segments as the writer sees them: document
    numbers are only valid for the index generation the writer locked, which another process
    may have moved on since the caller planned.
    """
    if rebuild:
        _write(ix, sorted(notes), notes, show_progress, timeout, lambda _w: CLEAR)
        return
    to_add = [*update.added, *update.changed]

    def prepare(writer: Any) -> Any:
        live, segments = view(writer)
        # Every path we touch, not just the changed ones: if another process indexed an
        # "added" note since we planned, its document must not be left as a duplicate.
        for path in [*update.added, *update.changed, *update.removed]:
            if path in live:
                writer.delete_document(live[path].docnum)
        folded = to_fold(segments)
        touched = set(to_add)
        to_add.extend(sorted({p for s in folded for p in s.paths if p in notes} - touched))
        return dropping(folded)

    _write(ix, to_add, notes, show_progress, timeout, prepare)


def _write(
    ix: Any,
    paths: list[NotePath],
    notes: Mapping[NotePath, Note],
    show_progress: bool,
    timeout: float,
    prepare: Callable[[Any], Any],
) -> None:
    """Lock, let ``prepare`` delete (and grow ``paths``), add, commit with its merge policy."""
    parallel = len(paths) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1
    options: dict[str, Any] = {"limitmb": LIMIT_MB}
    if parallel:
        options["multisegment"] = True
    writer = acquire_writer(ix, procs=2 if parallel else 1, timeout=timeout, **options)
    try:
        policy = prepare(writer)
        _add_all(writer, [notes[p] for p in paths], show_progress)
        writer.commit(mergetype=policy)
    except BaseException:
        writer.cancel()
        raise


def _add_all(writer: Any, notes: Sequence[Note], show_progress: bool) -> None:
    for note in progress(notes, len(notes), "indexing", show_progress):
        writer.add_document(**note_document(note))
