"""Several workers, one writer: who indexes, and how the others keep up.

Every worker process loads its own Site (from the parse cache and the on-disk index that
``kgwiki serve`` brought up to date before starting them) and watches the vault itself, so
each re-reads changed notes into its own memory. Only the worker holding the lock file
``<vault>/.kgwiki/serve-writer.lock`` writes the search index; the others refresh their
searcher on a timer to see what the writer wrote, and try to take the lock on the same
timer, so a writer that dies is replaced.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kgwiki.config import config_for_vault
from kgwiki.types import NotePath
from kgwiki.web.serve.watch import apply_changes

if TYPE_CHECKING:
    from kgwiki.site import Site

log = logging.getLogger("kgwiki.serve")
LOCK_NAME = "serve-writer.lock"


class WriterLock:
    """A non-blocking exclusive lock on a file (released when the process ends)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def try_acquire(self) -> bool:
        if self._handle is not None:
            return True
        try:
            import fcntl
        except ImportError:  # no flock (Windows): a single worker is always the writer
            self._handle = open(self.path.with_suffix(".none"), "a")  # noqa: SIM115
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._handle = handle
        return True

    def release(self) -> None:
        if self._handle is not None:
            with contextlib.suppress(OSError):
                self._handle.close()
            self._handle = None


def writer_lock(vault_root: Path) -> WriterLock:
    config = config_for_vault(vault_root)
    return WriterLock(vault_root / config.cache_dir / LOCK_NAME)


def load_site(vault_root: Path, writer: bool) -> Site:
    """The writer loads and updates the index; a reader only opens it."""
    from kgwiki.site import Site
    from kgwiki.util import collector_paused

    # A loaded site is a million or more long-lived objects (notes, graph, index): left to the
    # cycle collector, each full pass over them stalls every request for about a second.
    # Loaded with the collector paused, then frozen: exempt from those passes, still freed by
    # reference count. No collection before freezing: that one full pass cost a second of the
    # start-up (10k notes) to free some 130 objects (whoosh's closures), frozen with the rest.
    with collector_paused():
        if writer:
            site = Site.load(vault_root, reuse=True, defer_duplicates=True)
        else:
            site = Site.load(vault_root, reuse=True, with_search=False,
                             defer_duplicates=True)  # fmt: skip
            from kgwiki.search import SearchIndex

            site.search = SearchIndex.open(site.vault)
    gc.freeze()
    return site


def refresh_files(
    site: Site, files: Iterable[Path | str], writer: bool
) -> tuple[int, set[NotePath]]:
    """Apply changed files; a reader re-reads the notes but leaves the index to the writer."""
    if writer or site.search is None:
        return apply_changes(site, files)
    with site.lock:
        search, site.search = site.search, None
        try:
            return apply_changes(site, files)
        finally:
            site.search = search


class ReaderSync:
    """A reader's timer: refresh the searcher, and become the writer when the lock frees."""

    def __init__(self, site: Site, lock: WriterLock, seconds: float,
                 on_promote: Callable[[], None] | None = None) -> None:  # fmt: skip
        self.site = site
        self.on_promote = on_promote
        self.lock = lock
        self.seconds = seconds
        self.promoted = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kgwiki-reader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def tick(self) -> None:
        """One round: take over writing if the lock is free, else refresh the searcher."""
        search = self.site.search
        if self.lock.try_acquire():
            log.info("this worker is now the writer")
            if search is not None:
                with self.site.lock:
                    search.update(self.site.vault)
            self.promoted.set()
            if self.on_promote is not None:
                self.on_promote()
            return
        if search is not None:
            with self.site.lock:
                search.refresh()

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            try:
                self.tick()
            except Exception:
                log.exception("reader refresh failed")
            if self.promoted.is_set():
                return
