"""The names a note answers to, and the name a written link looks up: what decides which
notes must be re-linked when a note's names change."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import PurePosixPath

from kgwiki.note import Note
from kgwiki.types import NoteKey
from kgwiki.vault.resolver import note_key


def note_names(note: Note) -> set[NoteKey]:
    """Every name other notes can use for this one (as the resolver matches them)."""
    names = {note_key(note.stem), note_key(note.title)}
    names |= {note_key(alias) for alias in note.aliases}
    if note.id:
        names.add(note_key(note.id))
    return names


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
