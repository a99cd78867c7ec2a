"""The index folder on disk: create, open (or refuse), lock, and list what it holds.

whoosh already makes each commit atomic (segment files first, then the table of contents is
renamed into place), so a reader sees the old index or the new one. What this module adds:
a version stamp (an index written with other rules is rebuilt, never misread), a check that
the index actually opens and reads, and the clean-up a killed writer leaves behind.
"""

from __future__ import annotations

import gc
import json
import shutil
import warnings
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.util.filelock import try_for
from whoosh.writing import SegmentWriter

from kgwiki.search.columns import ColumnCache
from kgwiki.search.schema import FORMAT_VERSION, build_schema, codec
from kgwiki.util import atomic_write_text

STAMP = "kgwiki-index.json"
INDEX_NAME = "MAIN"
WRITER_TIMEOUT = 30.0


class IndexLockedError(RuntimeError):
    """Another process holds the index's write lock for longer than we will wait."""


class IndexUnavailableError(RuntimeError):
    """The index folder cannot be created or written (a read-only vault, say)."""


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


def open_existing(folder: Path, columns: ColumnCache | None = None) -> Any | None:
    """The index in ``folder``, or None when it is missing, from another version or unreadable.

    Reading every live document's path and hash proves the segments open, which is what a
    search needs; a failure anywhere means "rebuild", never "trust it anyway". What is read
    goes into ``columns`` (so the caller need not read it again).
    """
    # whoosh leaves a file open when it fails to parse it; that file is closed when collected,
    # and the ResourceWarning says nothing the caller could act on.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
            if stamp != _stamp():
                return None
            ix = whoosh_index.open_dir(str(folder), indexname=INDEX_NAME, schema=build_schema())
            with ix.reader() as reader:
                (columns or ColumnCache()).live_documents(reader)
        except Exception:  # any failure to open means the index is rebuilt
            ix = None
        if ix is None:
            gc.collect()  # while the warning is still ignored
    return ix


def healthy(folder: Path, sample: int = 64) -> bool:
    """A deeper check than :func:`open_existing`: some posting lists and stored documents read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            ix = open_existing(folder)
            if ix is None:
                return False
            with ix.reader() as reader:
                for count, term in enumerate(reader.lexicon("text")):
                    if count >= sample:
                        break
                    list(reader.postings("text", term).all_ids())
                for docnum in {0, reader.doc_count_all() - 1} if reader.doc_count_all() else ():
                    reader.stored_fields(docnum)
        except Exception:  # anything unreadable is unhealthy
            gc.collect()
            return False
    return True


def acquire_writer(ix: Any, procs: int, timeout: float = WRITER_TIMEOUT, **kwargs: Any) -> Any:
    """A writer holding the index lock; wait up to ``timeout`` seconds for another writer."""
    lock = ix.lock("WRITELOCK")
    try:
        acquired = try_for(lock.acquire, timeout=timeout, delay=0.1)
    except OSError as err:  # a read-only index folder: the lock file cannot be created
        raise IndexUnavailableError(f"cannot write the search index: {err}") from err
    if not acquired:
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
        # Separate files, not whoosh's compound file: opening a compound segment copies its
        # term table into memory, 25 ms per large segment on every searcher refresh.
        kwargs.setdefault("compound", False)
        if procs > 1:
            from kgwiki.search.parallel import ParallelWriter

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
