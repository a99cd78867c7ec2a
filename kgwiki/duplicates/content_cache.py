"""Arrays kept by file content hash between runs: the base of the sketch and shingle caches.

Each cache is one numpy file in the vault's cache folder; subclasses say how it is read and
written. Entries of contents no longer in the vault are dropped before a save, so the file
does not grow, and a save writes only when something changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

Entry = TypeVar("Entry")


class ContentCache(Generic[Entry]):
    """Entries by content hash, with a ``dirty`` flag for ``save``."""

    def __init__(self) -> None:
        self.entries: dict[str, Entry] = {}
        self.dirty = False

    def get(self, key: str) -> Entry | None:
        return self.entries.get(key)

    def put(self, key: str, entry: Entry) -> None:
        self.entries[key] = entry
        self.dirty = True

    def keep_only(self, keys: Mapping[str, object]) -> None:
        """Forget the entries of contents no longer in the vault."""
        stale = [key for key in self.entries if key not in keys]
        for key in stale:
            del self.entries[key]
        self.dirty = self.dirty or bool(stale)
