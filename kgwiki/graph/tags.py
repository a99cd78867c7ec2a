"""The graph's second view: tag → notes, kept current note by note."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from kgwiki.types import NotePath


class TagIndex:
    """Which notes carry which tag; tags compare case-insensitively, shown as first written."""

    def __init__(self) -> None:
        self._members: defaultdict[str, set[NotePath]] = defaultdict(set)
        self._shown: dict[str, str] = {}

    def add(self, path: NotePath, tags: Iterable[str]) -> None:
        for tag in tags:
            key = tag.casefold()
            self._members[key].add(path)
            self._shown.setdefault(key, tag)

    def remove(self, path: NotePath, tags: Iterable[str]) -> None:
        for tag in tags:
            key = tag.casefold()
            members = self._members.get(key)
            if members is None:
                continue
            members.discard(path)
            if not members:
                del self._members[key]
                self._shown.pop(key, None)

    def all(self) -> dict[str, list[NotePath]]:
        """Every tag with its notes, both sorted."""
        return {self._shown[k]: sorted(v) for k, v in sorted(self._members.items())}

    def tagged(self, tag: str, nested: bool = True) -> list[NotePath]:
        """Notes with ``tag`` (``#`` optional); with ``nested``, also ``tag/child`` tags."""
        key = tag.lstrip("#").casefold()
        found = set(self._members.get(key, ()))
        if nested:
            for other, members in self._members.items():
                if other.startswith(key + "/"):
                    found |= members
        return sorted(found)
