"""The names a note answers to, and the name a written link looks up: what decides which
notes must be re-linked when a note's names change."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import PurePosixPath

from kgwiki.note import Note
from kgwiki.types import NoteKey
from kgwiki.vault.resolver import filed_names, note_key


def note_names(note: Note) -> set[NoteKey]:
    """Every name other notes can use for this one (as the resolver files it: its path,
    file name, title, aliases and id)."""
    return {key for _, key in filed_names(note).keys}


def linking_keys(note: Note) -> set[NoteKey]:
    """The ``target_key`` of every link that may resolve to ``note``."""
    return lookup_keys(note_names(note))


def renamed_keys(old: Note | None, new: Note | None) -> set[NoteKey]:
    """The ``target_key`` of every link that may resolve differently now that ``old``
    (None: none) is ``new`` (None: gone): none when the resolver files both alike (a note's
    names matter by kind and spelling too: a title that becomes an alias, or is respelled in
    another case, changes how a link written with it resolves)."""
    before = filed_names(old) if old is not None else None
    after = filed_names(new) if new is not None else None
    if before == after:
        return set()
    return lookup_keys(key for filed in (before, after) if filed for _, key in filed.keys)


@functools.lru_cache(maxsize=65536)
def target_key(file: str) -> NoteKey:
    """The name a written link target resolves by: its last path part, without ``.md``."""
    name = file.strip().rstrip("/").rpartition("/")[2]
    if name == ".":  # "a/." names "a", as a path would
        name = PurePosixPath(file.strip()).name
    return note_key(name[:-3] if name.lower().endswith(".md") else name)


def lookup_keys(keys: Iterable[str]) -> set[NoteKey]:
    """The ``target_key`` of every link that may resolve through one of the resolver's keys
    (a path, file name, title, alias or id): ``folder/a`` is looked up as ``a``, and a title
    ``notes.md`` both as ``notes`` (``[[notes.md]]``) and as itself (``[[notes.md.md]]``)."""
    found: set[NoteKey] = set()
    for key in keys:
        found.add(target_key(key))
        found.add(note_key(key.strip().rstrip("/").rpartition("/")[2]))
    return found
