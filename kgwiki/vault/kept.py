"""The link tables of a vault, and keeping them between runs (``Vault`` is made of this).

``_link`` / ``_forget_links`` put one note's names and written targets in the tables and
take them out: a bulk load, a file change in the server and a load from kept tables all go
through them. A load from kept tables (``link_cache``) takes the tables as the last run left
them and puts in again only the notes that differ from the files they were made of;
``KeptChanges`` tells the layers above (the graph) which notes those are and which links
may resolve differently since.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from kgwiki.config import Config
from kgwiki.note import Note
from kgwiki.types import NoteKey, NotePath
from kgwiki.vault.link_cache import FILE as LINKS_FILE
from kgwiki.vault.link_cache import Kept, base_key, read_state, snapshot_key, write_state
from kgwiki.vault.names import lookup_keys, target_key
from kgwiki.vault.parse_cache import Stat
from kgwiki.vault.resolver import LinkIndex, ResolvedLink

# Notes that may differ from the link tables on disk before the next ``save_links`` writes
# them again: writing costs more than putting a few notes in again on every load.
KEEP_STALE = 50


@dataclass(frozen=True, slots=True)
class KeptChanges:
    """How a vault loaded from kept link tables differs from the files they were made of.

    ``snapshot`` is the key those files had (``Vault.state_key`` then); ``paths`` the notes
    edited, added or removed since; ``keys`` the ``target_key`` of every link that may
    resolve differently now (through a name one of those notes had or has).
    """

    snapshot: str
    paths: frozenset[NotePath]
    keys: frozenset[NoteKey]


class LinkTables:
    """The link tables part of ``Vault`` (which sets these attributes)."""

    root: Path
    config: Config
    notes: dict[NotePath, Note]
    index: LinkIndex
    _resolved: dict[NotePath, tuple[ResolvedLink, ...]]
    _wanting: defaultdict[NoteKey, set[NotePath]]
    _wants_of: dict[NotePath, set[NoteKey]]
    _stats: dict[NotePath, Stat]
    version: int
    keyed_version: int
    state_key: str | None
    kept_changes: KeptChanges | None
    links_snapshot: str | None
    _base_key: str

    def _link(self, note: Note) -> None:
        """Put a note's names and written targets in the link tables."""
        self.index.add(note)
        self._forget_links(note.path)
        wants = {target_key(link.target.file) for link in note.links if link.target.file}
        self._wants_of[note.path] = wants
        for key in wants:
            self._wanting[key].add(note.path)

    def _forget_links(self, path: NotePath) -> None:
        self._resolved.pop(path, None)
        for key in self._wants_of.pop(path, ()):
            writers = self._wanting[key]
            writers.discard(path)
            if not writers:
                del self._wanting[key]

    def sources_wanting(self, keys: Iterable[NoteKey]) -> set[NotePath]:
        """Notes with a link looked up by one of ``keys`` (``KeptChanges.keys``)."""
        found: set[NotePath] = set()
        for key in keys:
            found |= self._wanting.get(key, set())
        return found

    @staticmethod
    def lookup_key(name: str) -> NoteKey:
        """The key a link written ``name`` is looked up by (as in ``sources_wanting``)."""
        return target_key(name)

    # -- kept between runs ---------------------------------------------------------------

    def _links_file(self) -> Path:
        return self.root / self.config.cache_dir / LINKS_FILE

    def _read_kept(self, stats: dict[NotePath, Stat | None], attachments: list[NotePath]
                   ) -> Kept | None:  # fmt: skip
        """The kept link tables, if usable; sets ``state_key`` (None if a stat failed)."""
        known = {path: stat for path, stat in stats.items() if stat is not None}
        if len(known) != len(stats):
            return None
        self._base_key = base_key(self.config, attachments)
        self.state_key = snapshot_key(self._base_key, known)
        return read_state(self._links_file(), self._base_key, known)

    def _catch_up(self, kept: Kept) -> None:
        """Take the kept tables and put in again the notes that differ from them."""
        self.index, wanting, self._wants_of = kept.tables
        self._wanting = defaultdict(set, wanting)
        keys: list[NoteKey] = []
        for path in sorted(kept.changed):
            had = list(_keys_of(self.index, path))
            note = self.notes.get(path)
            if note is None:
                self.index.remove(path)
                self._forget_links(path)
            else:
                self._link(note)
            has = _keys_of(self.index, path)
            if had != has:  # the note answers to other names: links may resolve elsewhere
                keys += [key for _, key in (*had, *has)]
        self.kept_changes = KeptChanges(kept.snapshot, kept.changed, frozenset(lookup_keys(keys)))
        if len(kept.changed) <= KEEP_STALE:
            self.links_snapshot = kept.snapshot

    def save_links(self, rewrite: bool = False) -> bool:
        """Keep the link tables for the next ``load(keep_links=True)`` if the vault is as it
        was loaded (they are keyed by the files as they were); True when they are kept.

        Tables read back from a vault that differs in a few notes only are left as they are
        (the next load puts those notes in again) unless ``rewrite``; ``links_snapshot``
        then says which files the tables on disk are of.
        """
        if self.links_snapshot is not None and not rewrite:
            return True
        if self.state_key is None or self.version != self.keyed_version:
            return False
        state = (self.index, dict(self._wanting), self._wants_of)
        stats = {path: self._stats[path] for path in self.notes}
        if write_state(self._links_file(), self._base_key, self.state_key, stats, state):
            self.links_snapshot = self.state_key
        return self.links_snapshot == self.state_key


def _keys_of(index: LinkIndex, path: NotePath) -> list[tuple[str, NoteKey]]:
    """The names ``path`` holds in the resolver's tables (kind, key)."""
    return index._keys.get(path, [])
