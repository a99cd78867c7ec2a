"""The index folder on disk: create, open (or refuse), lock, and list what it holds.

whoosh already makes each commit atomic (segment files first, then the table of contents is
renamed into place), so a reader sees the old index or the new one. What this module adds:
a version stamp (an index written with other rules is rebuilt, never misread), a check that
the index actually opens and reads, and the clean-up a killed writer leaves behind.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.util.filelock import try_for
from whoosh.writing import SegmentWriter

from kgwiki.atomic import atomic_write_text
from kgwiki.search_schema import FORMAT_VERSION, build_schema, codec
from kgwiki.types import NotePath

STAMP = "kgwiki-index.json"
INDEX_NAME = "MAIN"
WRITER_TIMEOUT = 30.0


class IndexLockedError(RuntimeError):
    """Another process holds the index's write lock for longer than we will wait."""


class IndexUnavailableError(RuntimeError):
    """The index folder cannot be created or written (a read-only vault, say)."""


@dataclass(frozen=True, slots=True)
class Indexed:
    """One live document of the index: where it is and which version of the note it holds."""

    docnum: int
    content_hash: str


def _stamp() -> dict[str, Any]:
    return {"format": FORMAT_VERSION, "index": INDEX_NAME}


def create(folder: Path) -> Any:
    """A new, empty index in ``folder`` (whatever was there is discarded)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / STAMP).unlink(missing_ok=True)
        _remove_temp(folder)
        ix = whoosh_index.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
        atomic_write_text(folder / STAMP, json.dumps(_stamp()))
    except OSError as err:
        raise IndexUnavailableError(f"cannot create the search index in {folder}: {err}") from err
    return ix


def open_existing(folder: Path) -> Any | None:
    """The index in ``folder``, or None when it is missing, from another version or unreadable.

    Reading every live document's path and hash proves the segments open, which is what a
    search needs; a failure anywhere means "rebuild", never "trust it anyway".
    """
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        if stamp != _stamp():
            return None
        ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME, schema=build_schema())
        with ix.reader() as reader:
            live_documents(reader)
    except Exception:
        return None
    return ix


def live_documents(reader: Any) -> dict[NotePath, Indexed]:
    """Every live document by path, read from the sortable columns (no stored bodies)."""
    out: dict[NotePath, Indexed] = {}
    for segment, offset in reader.leaf_readers():
        if not segment.doc_count_all():
            continue  # an empty index's reader has no columns at all
        paths = segment.column_reader("path")
        hashes = segment.column_reader("hash")
        for docnum in segment.all_doc_ids():
            out[NotePath(paths[docnum])] = Indexed(offset + docnum, hashes[docnum])
    return out


def acquire_writer(ix: Any, procs: int, timeout: float = WRITER_TIMEOUT, **kwargs: Any) -> Any:
    """A writer holding the index lock; wait up to ``timeout`` seconds for another writer."""
    lock = ix.lock("WRITELOCK")
    if not try_for(lock.acquire, timeout=timeout, delay=0.1):
        path = Path(ix.storage.folder) / f"{INDEX_NAME}_WRITELOCK"
        raise IndexLockedError(
            f"another process is writing the search index ({path} is locked); "
            f"waited {timeout:g} s — try again when it has finished"
        )
    try:
        # We hold the lock, so temp folders can only be a killed writer's leftovers.
        _remove_temp(Path(ix.storage.folder))
        writer: Any
        kwargs.setdefault("codec", codec())
        if procs > 1:
            from kgwiki.search_parallel import ParallelWriter

            writer = ParallelWriter(ix, procs=procs, _lk=False, subargs=dict(kwargs), **kwargs)
        else:
            writer = SegmentWriter(ix, _lk=False, **kwargs)
    except BaseException:
        lock.release()
        raise
    writer.writelock = lock  # released by whoosh when the writer commits or cancels
    return writer


def _remove_temp(folder: Path) -> None:
    for leftover in folder.glob("*.tmp"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)


def discard(folder: Path) -> None:
    """Remove the stamp so the next open rebuilds (used when a search finds the index corrupt)."""
    with contextlib.suppress(OSError):
        (folder / STAMP).unlink()


def storage_of(folder: Path) -> FileStorage:
    return FileStorage(str(folder))


def iter_files(folder: Path) -> Iterator[Path]:
    """The index's own files (for tests and diagnostics)."""
    return (p for p in sorted(folder.iterdir()) if p.is_file() and p.name != STAMP)
