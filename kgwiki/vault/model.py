"""``Vault``: every note of a folder, parsed (in parallel, cached) and linked together."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from kgwiki.config import Config, config_for_vault
from kgwiki.diagnostics import Diagnostic
from kgwiki.note import Note, Wire, to_wire
from kgwiki.types import NoteKey, NotePath
from kgwiki.util import collector_paused
from kgwiki.vault.anchors import HeadingAnchors
from kgwiki.vault.kept import KeptChanges, LinkTables
from kgwiki.vault.link_problems import link_problems
from kgwiki.vault.names import linking_keys, lookup_keys, renamed_keys
from kgwiki.vault.names import note_names as note_names  # the door's
from kgwiki.vault.parse_cache import (
    FOLDER,
    Stat,
    bucket_of,
    cache_version,
    read_buckets,
    write_buckets,
)
from kgwiki.vault.reading import Derive, parse_many, read_and_parse
from kgwiki.vault.resolver import LinkIndex, Resolution, ResolvedLink, normalise_path
from kgwiki.vault.scan import disk_path, is_note_file, scan_vault


class VaultPathError(ValueError):
    """A path that is not inside the vault, or is not a note."""


class Vault(LinkTables):
    """The notes of one folder, their link tables and diagnostics.

    Build one with :meth:`load`; keep it current with :meth:`refresh_file` and
    :meth:`remove_note`, which touch only the note concerned (and the links whose
    target names it gained or lost).
    """

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root.resolve()
        self.config = config
        self.notes: dict[NotePath, Note] = {}
        self.attachments: set[NotePath] = set()
        self.scan_diagnostics: list[Diagnostic] = []
        self.index = LinkIndex()
        self._resolved: dict[NotePath, tuple[ResolvedLink, ...]] = {}
        self._wanting: defaultdict[NoteKey, set[NotePath]] = defaultdict(set)
        self._wants_of: dict[NotePath, set[NoteKey]] = {}
        self._stats: dict[NotePath, tuple[int, int]] = {}
        self._dirty: set[int] = set()  # parse-cache buckets that no longer match the notes
        self.version = 0  # bumped by every note added, changed or removed (for memos)
        # what ``derive`` made of each note parsed by this load (see ``load``); dropped when
        # the note changes
        self.derived: dict[NotePath, object] = {}
        self._derive: Derive | None = None
        # the vault's files as loaded, as one hash (``load(keep_links=True)``): the key of the
        # link tables kept between runs, and of what other layers keep (the graph)
        self.state_key: str | None = None
        self.keyed_version = -1  # ``version`` when ``state_key`` was taken
        self.kept_changes: KeptChanges | None = None  # set when loaded from kept tables
        self._base_key = ""
        # the key of the tables on disk when they serve the next load as they are (they are
        # these, or of files that differ in at most ``KEEP_STALE`` notes), else None
        self.links_snapshot: str | None = None

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        root: Path | str,
        config: Config | None = None,
        *,
        show_progress: bool = False,
        jobs: int | None = None,
        use_cache: bool = True,
        derive: Derive | None = None,
        keep_links: bool = False,
    ) -> Vault:
        """Scan and parse a folder; unchanged files come from the parse cache.

        ``derive(note, tokens)``, a module-level function, runs where each note is parsed (in
        the worker processes) on the note and its body's tokens; what it returns, unless
        None, lands in ``vault.derived``. Notes from the parse cache are not derived.
        ``keep_links`` takes the link tables from the last such load when the vault differs
        from it in a few notes at most (``link_cache``), puts those notes in again, sets
        ``state_key`` and ``kept_changes``, and lets :meth:`save_links` keep the tables for
        the next. Notes are in path order, however many were parsed.
        """
        root = Path(root)
        if not root.is_dir():
            raise VaultPathError(f"{root}: not a folder")
        vault = cls(root, config or config_for_vault(root))
        vault._derive = derive
        with collector_paused():
            vault._load(use_cache, show_progress, jobs, keep_links and use_cache)
        return vault

    def _load(self, use_cache: bool, show_progress: bool, jobs: int | None,
              keep_links: bool = False) -> None:  # fmt: skip
        vault = self
        scan = scan_vault(vault.root, vault.config.ignore)
        vault.scan_diagnostics = scan.diagnostics
        vault.attachments = set(scan.attachments)
        for attachment in scan.attachments:
            vault.index.add_attachment(attachment)
        cached = vault._read_cache() if use_cache else {}
        stale: list[NotePath] = []
        stats: dict[NotePath, tuple[int, int] | None] = {}
        fresh: list[Note] = []
        for path in scan.notes:
            stat = stats[path] = vault._stat(path)
            hit = cached.pop(path, None)
            if hit is not None and stat is not None and hit[0] == stat:
                fresh.append(hit[1])
            else:
                stale.append(path)
                vault._dirty.add(bucket_of(path))
        vault._dirty.update(bucket_of(path) for path in cached)  # notes deleted since
        kept = vault._read_kept(stats, scan.attachments) if keep_links else None
        put = vault._put if kept is None else vault._place
        for note in fresh:
            put(note, stats[note.path])
        # the stat taken before reading: if the file changes meanwhile, the next load sees it
        labels = dict(vault.config.relation_labels)
        found = parse_many(vault.root, stale, labels, vault._derive, show=show_progress, jobs=jobs)
        for note, derived in found:
            put(note, stats[note.path])
            if derived is not None:
                vault.derived[note.path] = derived
        if stale:  # parsed notes came last: the order must not depend on the parse cache
            notes = vault.notes
            vault.notes = {path: notes[path] for path in scan.notes if path in notes}
        if kept is not None:
            vault._catch_up(kept)
        vault.keyed_version = vault.version
        if use_cache and vault._dirty:
            vault._write_cache()

    def _place(self, note: Note, stat: tuple[int, int] | None) -> None:
        """A note whose link tables are read from the link cache (see ``_put``)."""
        self.notes[note.path] = note
        if stat is not None:
            self._stats[note.path] = stat
        self.version += 1

    def _stat(self, path: NotePath) -> tuple[int, int] | None:
        try:
            info = os.stat(f"{self.root}{os.sep}{path}")  # a str: 10,000 Paths cost 0.1 s
        except OSError:
            try:
                info = disk_path(self.root, path).stat()  # a name in another Unicode form
            except OSError:
                return None
        return (info.st_mtime_ns, info.st_size)

    def _cache_folder(self) -> Path:
        return self.root / self.config.cache_dir / FOLDER

    def _read_cache(self) -> dict[NotePath, tuple[Stat, Note]]:
        """Every cached note; a bucket that is missing, unreadable or stale is marked dirty."""
        entries, dirty = read_buckets(self._cache_folder(), cache_version(self.config))
        self._dirty |= dirty
        return entries

    def _write_cache(self) -> None:
        """Rewrite the dirty buckets only: after one edit, one sixty-fourth of the cache."""
        if not self._dirty:
            return
        buckets: dict[int, dict[NotePath, tuple[Stat, Wire]]] = {i: {} for i in self._dirty}
        for path, stat in self._stats.items():
            bucket = buckets.get(bucket_of(path))
            if bucket is not None and path in self.notes:
                bucket[path] = (stat, to_wire(self.notes[path]))
        self._dirty -= write_buckets(self._cache_folder(), cache_version(self.config), buckets)

    # -- incremental updates -------------------------------------------------------------

    def _put(self, note: Note, stat: tuple[int, int] | None) -> None:
        old = self.notes.get(note.path)
        self.notes[note.path] = note
        if stat is not None:
            self._stats[note.path] = stat
        self._link(note)
        if self._resolved:  # a bulk load has resolved nothing yet: nothing to forget
            self._invalidate(renamed_keys(old, note))
        self.version += 1  # after the change: a memo made meanwhile carries the old number

    def refresh_file(self, path: NotePath | str) -> Note | None:
        """Re-read one file after it was added or changed; None if it is gone."""
        rel = self.relative(path)
        if not disk_path(self.root, rel).is_file():
            if rel in self.attachments:
                self._attachment(rel, added=False)
            else:
                self.remove_note(rel)
            return None
        if not is_note_file(rel):
            if rel not in self.attachments:
                self._attachment(rel, added=True)
            return None
        stat = self._stat(rel)  # before reading: a later change then shows as a new stat
        note = read_and_parse(self.root, rel, dict(self.config.relation_labels))
        self._put(note, stat)
        self._dirty.add(bucket_of(rel))
        self.derived.pop(rel, None)
        return note

    def remove_note(self, path: NotePath | str) -> None:
        rel = self.relative(path)
        old = self.notes.pop(rel, None)
        self._stats.pop(rel, None)
        self.derived.pop(rel, None)
        self._dirty.add(bucket_of(rel))
        self.index.remove(rel)
        self._forget_links(rel)
        self._resolved.pop(rel, None)
        self._invalidate(renamed_keys(old, None))
        self.version += 1

    def _attachment(self, rel: NotePath, added: bool) -> None:
        """An attachment came or went: links named like it may resolve differently."""
        if added:
            self.attachments.add(rel)
            self.index.add_attachment(rel)
        else:
            self.attachments.discard(rel)
            self.index.remove_attachment(rel)
        self._invalidate(lookup_keys([rel]))
        self.version += 1

    def save_cache(self) -> None:
        """Write the parse cache of the notes changed since loading (``refresh_file``…)."""
        self._write_cache()

    def _invalidate(self, keys: set[NoteKey]) -> None:
        """Forget the resolutions of links looked up by ``keys`` (``renamed_keys``)."""
        if not self._resolved:
            return  # nothing resolved yet (a bulk load): nothing to forget
        for key in keys:
            for source in self._wanting.get(key, ()):
                self._resolved.pop(source, None)

    def sources_linking_to_names(self, note: Note) -> set[NotePath]:
        """Notes with a link that may resolve to ``note`` by one of its names (for
        incremental work): ``[[name]]``, ``[[folder/name]]``, ``[[title.md]]`` …"""
        return self.sources_wanting(linking_keys(note))

    @staticmethod
    def renamed_keys(old: Note | None, new: Note | None) -> set[NoteKey]:
        """The keys (as ``sources_wanting`` takes them) of the links that may resolve
        differently now that note ``old`` is ``new`` (either None: added, removed)."""
        return renamed_keys(old, new)

    # -- queries -------------------------------------------------------------------------

    def relative(self, path: NotePath | str) -> NotePath:
        """A vault-relative path for ``path``; raise if it would leave the vault."""
        candidate = Path(path)
        full = Path(
            os.path.normpath(candidate if candidate.is_absolute() else self.root / candidate)
        )
        if not full.is_relative_to(self.root) or not full.resolve().is_relative_to(self.root):
            raise VaultPathError(f"{path}: outside the vault {self.root}")
        return normalise_path(full.relative_to(self.root).as_posix())

    def resolve(self, target: str, source: NotePath | None = None) -> Resolution:
        return self.index.resolve(target, source)

    def links_of(self, path: NotePath) -> tuple[ResolvedLink, ...]:
        """A note's links with their resolutions (computed once, kept until names change)."""
        cached = self._resolved.get(path)
        if cached is not None:
            return cached
        resolved = self._resolved[path] = self.index.resolve_links(path, self.notes[path].links)
        return resolved

    def all_links(self) -> Iterator[ResolvedLink]:
        for path in self.notes:
            yield from self.links_of(path)

    def diagnostics(self) -> list[Diagnostic]:
        """Parse and scan problems, plus every link problem (unresolved, ambiguous, anchors)."""
        found = list(self.scan_diagnostics)
        anchors = HeadingAnchors()  # each note's headings slugified once, not once per link
        for path, note in self.notes.items():
            found.extend(note.diagnostics)
            found.extend(link_problems(path, self.links_of(path), self.notes, anchors))
        return sorted(found, key=lambda d: (d.path, d.line, d.code))

    def __len__(self) -> int:
        return len(self.notes)

    def __iter__(self) -> Iterator[Note]:
        return iter(self.notes.values())

    def note(self, path: NotePath | str) -> Note:
        return self.notes[normalise_path(str(path))]
