"""Keep a live Site current: watch the vault's files and re-read the ones that change.

The watcher runs watchfiles in a daemon thread; each debounced batch of changed files goes
through :func:`apply_changes` (which tests call directly), and the pages it reports changed are
handed to a callback that tells open browsers to reload.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from kgwiki.types import NotePath
from kgwiki.vault import VaultPathError, disk_path

if TYPE_CHECKING:
    from kgwiki.site import Site

log = logging.getLogger("kgwiki.watch")

_TICK_MS = 250
OnChange = Callable[[int, set[NotePath]], None]
Apply = Callable[["Site", Iterable[Path | str]], tuple[int, set[NotePath]]]


def is_watched(rel: PurePosixPath, ignore: Iterable[str]) -> bool:
    """A vault file the site shows: no hidden segment (``.kgwiki``, ``.git``, temp files)."""
    ignored = set(ignore)
    return bool(rel.parts) and not any(p.startswith(".") or p in ignored for p in rel.parts)


Stat = bytes | None
# What each site last read of each file, so one save seen twice (the server wrote it, then
# the watcher saw it) is taken in once and announced once.
_SEEN: weakref.WeakKeyDictionary[Site, dict[NotePath, Stat]] = weakref.WeakKeyDictionary()


def _stat(full: Path) -> Stat:
    """A digest of the file's bytes (mtimes are too coarse to tell two quick saves apart)."""
    try:
        return hashlib.blake2b(full.read_bytes(), digest_size=16).digest()
    except OSError:
        return None


def apply_changes(site: Site, files: Iterable[Path | str]) -> tuple[int, set[NotePath]]:
    """Re-read each changed file into ``site``; return its new version and the changed pages."""
    root = site.vault.root
    ignore = site.vault.config.ignore
    changed: set[NotePath] = set()
    touched = False
    with site.lock:
        seen = _SEEN.setdefault(site, {})
        for item in sorted({str(f) for f in files}):
            full = Path(item) if Path(item).is_absolute() else root / item
            try:
                rel = PurePosixPath(full.relative_to(root).as_posix())
            except ValueError:
                continue
            if not is_watched(rel, ignore) or (full.is_dir() and full.exists()):
                continue
            path, stat = NotePath(rel.as_posix()), _stat(full)
            if path in seen and seen[path] == stat:
                continue
            try:
                changed |= site.refresh_file(path)
            except VaultPathError:
                continue
            except Exception:  # one bad file must not stop the watcher
                log.exception("could not refresh %s", rel)
                continue
            seen[path] = stat
            touched = True
        version = site.version
    if touched:
        log.info("refreshed %d page(s), site version %d", len(changed), version)
    return version, changed


def changed_since(site: Site, since: float) -> list[NotePath]:
    """Files added, removed or changed (in content) since ``since`` (a time.time()).

    The catch-up after loading: edits made while the vault was being read, before the
    watcher started. Only files touched since then are read, and a note whose bytes are the
    ones the vault parsed is left alone (a vault copied just before start-up is not re-read).
    """
    from kgwiki.vault import scan_vault

    vault = site.vault
    scan = scan_vault(vault.root, vault.config.ignore)
    on_disk = set(scan.notes) | set(scan.attachments)
    known = set(vault.notes) | vault.attachments
    found = on_disk ^ known
    # An attachment's page is its URL: only its coming and going matters here.
    for path in on_disk & set(vault.notes):
        full = disk_path(vault.root, path)
        try:
            if full.stat().st_mtime < since:
                continue
        except OSError:
            found.add(path)
            continue
        digest = _stat(full)
        if digest is None or digest.hex() != vault.notes[path].content_hash:
            found.add(path)
    return sorted(found)


class VaultWatcher:
    """Watch a vault folder in a daemon thread and feed each batch to ``apply``."""

    def __init__(self, site: Site, on_change: OnChange, debounce_ms: int = 300,
                 apply: Apply | None = None) -> None:  # fmt: skip
        self.site = site
        self.on_change = on_change
        self.apply: Apply = apply or apply_changes
        self.debounce_ms = debounce_ms
        self._stop = threading.Event()
        self._watching = threading.Event()
        self._thread: threading.Thread | None = None
        self.batches = 0
        self._announced = site.version

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="kgwiki-watch", daemon=True)
        self._thread.start()

    def wait_until_watching(self, timeout: float = 10.0) -> bool:
        """Block until file events are being delivered (changes after this are never missed).

        False when the watcher is stopped first (a server shut down while it started) or the
        timeout passes; the waiting thread must not keep a stopping process alive.
        """
        deadline = time.monotonic() + timeout
        while not self._watching.wait(0.05):
            if self._stop.is_set() or time.monotonic() >= deadline:
                return False
        return True

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def handle(self, files: Iterable[Path | str]) -> set[NotePath]:
        """Apply one batch of changed files and announce it (what the thread does per batch)."""
        version, changed = self.apply(self.site, files)
        self.batches += 1
        if changed or version != self._announced:
            self._announced = version
            self.on_change(version, changed)
        return changed

    def _run(self) -> None:
        from watchfiles import watch

        root = self.site.vault.root
        ignore = self.site.vault.config.ignore

        def keep(_change: object, path: str) -> bool:
            try:
                rel = PurePosixPath(Path(path).relative_to(root).as_posix())
            except ValueError:
                return False
            return is_watched(rel, ignore)

        try:
            # yield_on_timeout: an empty batch first tells us the OS watch is in place.
            for batch in watch(root, watch_filter=keep, debounce=self.debounce_ms, step=50,
                               stop_event=self._stop, raise_interrupt=False,
                               rust_timeout=_TICK_MS, yield_on_timeout=True):  # fmt: skip
                self._watching.set()
                if batch:
                    self.handle(path for _change, path in batch)
        except Exception:  # report and stop watching; pages stay servable
            log.exception("the file watcher stopped")
