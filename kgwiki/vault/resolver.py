"""Link resolution: which note (or attachment) a link names, the way Obsidian decides it.

Order: a path (``folder/Note``), then file name, then title, then alias, then id; every
comparison is case-insensitive and Unicode-normalised (NFC and NFD spellings are the same
name). Several candidates: the one in the linking note's folder, else the shortest path.
A title, alias or id that is empty, blank or an unrendered template placeholder (``{{title}}``,
``<% tp.file.title %>``) is not a name (``is_name``): a vault with hundreds of template-made
notes would otherwise give them all one name.
"""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import NamedTuple, Protocol

from kgwiki.note import Link
from kgwiki.types import NoteKey, NotePath

_MD = ".md"
_PLACEHOLDER = re.compile(r"\{\{.*?\}\}|<%.*?%>", re.S)


class NamedNote(Protocol):
    """What the resolver needs to know of a note."""

    @property
    def path(self) -> NotePath: ...
    @property
    def title(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def id(self) -> str | None: ...


@functools.lru_cache(maxsize=65536)  # the same link targets recur across a vault
def note_key(name: str) -> NoteKey:
    """The comparison form of a name: NFC, case-folded, inner whitespace collapsed."""
    return NoteKey(" ".join(unicodedata.normalize("NFC", name).casefold().split()))


def normalise_path(path: str) -> NotePath:
    """A vault-relative path in its one canonical spelling (POSIX, NFC)."""
    return NotePath(unicodedata.normalize("NFC", PurePosixPath(path).as_posix()))


def is_name(text: str) -> bool:
    """Whether a title, alias or id can name a note: not blank, no ``{{…}}`` / ``<% … %>``."""
    return bool(text.strip()) and _PLACEHOLDER.search(text) is None


@dataclass(frozen=True, slots=True)
class FiledNames:
    """Where the resolver files a note: ``(kind, key)`` in its tables' order (path, name,
    title, aliases, id), and the spellings a link matches it by in exact case."""

    keys: tuple[tuple[str, NoteKey], ...]
    spellings: frozenset[str]


def filed_names(note: NamedNote) -> FiledNames:
    """The names ``LinkIndex.add`` files ``note`` under (two notes with equal ones resolve
    every link alike)."""
    stem_path = note.path[: -len(_MD)] if note.path.lower().endswith(_MD) else note.path
    name = stem_path.rpartition("/")[2]  # paths are normalised: no "." or "//" parts
    keys = [("path", note_key(stem_path)), ("name", note_key(name))]
    if is_name(note.title):
        keys.append(("title", note_key(note.title)))
    keys += [("alias", note_key(alias)) for alias in note.aliases if is_name(alias)]
    if note.id and is_name(note.id):
        keys.append(("id", note_key(note.id)))
    spellings = {stem_path, name, note.title, *note.aliases}
    return FiledNames(tuple(keys), frozenset(_nfc(s) for s in spellings))


@dataclass(frozen=True, slots=True)
class Resolution:
    """Where a link points. ``path`` is None when nothing matched (a *wanted* note)."""

    path: NotePath | None
    via: str = ""
    candidates: tuple[NotePath, ...] = ()
    exact_case: bool = True
    is_attachment: bool = False

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


_UNRESOLVED = Resolution(None)


class LinkIndex:
    """Name tables over the notes and attachments of one vault, updated note by note."""

    def __init__(self) -> None:
        self._tables: dict[str, defaultdict[NoteKey, set[NotePath]]] = {
            kind: defaultdict(set) for kind in ("path", "name", "title", "alias", "id")
        }
        self._attachments: defaultdict[NoteKey, set[NotePath]] = defaultdict(set)
        self._attachment_paths: defaultdict[NoteKey, set[NotePath]] = defaultdict(set)
        self._keys: dict[NotePath, list[tuple[str, NoteKey]]] = {}
        self._spellings: dict[NotePath, frozenset[str]] = {}
        # Memos of answers; any change to the tables clears them. Most names match one note
        # or none, the same from every folder: those are kept by name alone, the rest by
        # (name, linking folder), None for no linking note.
        self._anywhere: dict[str, Resolution] = {}
        self._memo: dict[tuple[str, str | None], Resolution] = {}

    def __getstate__(self) -> dict[str, object]:
        """The tables without the memos (kept between runs by ``link_cache``)."""
        return {**self.__dict__, "_anywhere": {}, "_memo": {}}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._forget()

    def _forget(self) -> None:
        self._anywhere = {}
        self._memo = {}

    def add(self, note: NamedNote) -> None:
        self.remove(note.path)
        filed = filed_names(note)
        keys = list(filed.keys)
        for kind, key in keys:
            self._tables[kind][key].add(note.path)
        self._keys[note.path] = keys
        self._spellings[note.path] = filed.spellings

    def remove(self, path: NotePath) -> None:
        self._spellings.pop(path, None)
        self._forget()
        for kind, key in self._keys.pop(path, []):
            bucket = self._tables[kind].get(key)
            if bucket is not None:
                bucket.discard(path)
                if not bucket:
                    del self._tables[kind][key]

    def add_attachment(self, path: NotePath) -> None:
        self._forget()
        self._attachments[note_key(PurePosixPath(path).name)].add(path)
        self._attachment_paths[note_key(path)].add(path)

    def remove_attachment(self, path: NotePath) -> None:
        self._forget()
        for table, key in ((self._attachments, note_key(PurePosixPath(path).name)),
                           (self._attachment_paths, note_key(path))):  # fmt: skip
            bucket = table.get(key)
            if bucket is not None:
                bucket.discard(path)
                if not bucket:
                    del table[key]

    def lookup(self, kind: str, name: str) -> set[NotePath]:
        return set(self._tables[kind].get(note_key(name), ()))

    def holds(self, kind: str, name: str, path: NotePath) -> bool:
        """Whether ``path`` answers to ``name`` as its ``kind`` (``title``, ``alias`` …)."""
        return path in self._tables[kind].get(note_key(name), ())

    def resolve(self, target: str, source: NotePath | None = None) -> Resolution:
        """Resolve a link's file part as written (``Note``, ``folder/Note.md``, ``img.png``)."""
        found = self._anywhere.get(target)
        if found is None:
            folder = None if source is None else posixpath.dirname(source)
            found = self._resolve_from(target, source, folder)
        return found

    def resolve_links(self, source: NotePath, links: Iterable[Link]) -> tuple[ResolvedLink, ...]:
        """The links of the note at ``source``, each with where it points."""
        anywhere = self._anywhere
        folder = posixpath.dirname(source)
        here: Resolution | None = None  # [[#Heading]]: the note itself
        out = []
        for link in links:
            file = link.target.file
            if file is None:
                found = here = here or Resolution(source, "self")
            else:
                found = anywhere.get(file) or self._resolve_from(file, source, folder)
            out.append(_new_resolved(ResolvedLink, (source, link, found)))
        return tuple(out)

    def _resolve_from(self, target: str, source: NotePath | None, folder: str | None
                      ) -> Resolution:  # fmt: skip
        """``resolve`` past the memo by name alone (``folder``: the linking note's)."""
        found = self._memo.get((target, folder))
        if found is None:
            found, anywhere = self._resolve(target, source)
            if anywhere:
                self._anywhere[target] = found
            else:
                self._memo[(target, folder)] = found
        return found

    def _resolve(self, target: str, source: NotePath | None) -> tuple[Resolution, bool]:
        """The answer, and whether it is the same from every folder (and from none)."""
        name = unicodedata.normalize("NFC", target.strip())
        if not name:
            return _UNRESOLVED, True
        if name.startswith("./") or name.startswith("../"):
            return self._resolve_relative(name, source), False
        bare = name.lstrip("/")
        stem = bare[: -len(_MD)] if bare.lower().endswith(_MD) else bare
        found: set[NotePath] | None = None
        if "/" in stem:
            found = self._by_path_suffix(stem)
            if found:
                return self._pick(found, "path", source, stem), len(found) == 1
        else:
            for kind in ("name", "title", "alias", "id"):
                found = self._tables[kind].get(note_key(stem))
                if found:
                    return self._pick(found, kind, source, stem), len(found) == 1
            if bare != stem:  # "Note.md" may be a title that ends in .md, rarely
                found = self._tables["title"].get(note_key(bare))
                if found:
                    return self._pick(found, "title", source, bare), len(found) == 1
        return self._resolve_attachment(bare, source)

    def _resolve_relative(self, name: str, source: NotePath | None) -> Resolution:
        base = posixpath.dirname(source) if source else ""
        joined = posixpath.normpath(posixpath.join(base, name))
        if joined.startswith("../") or joined == "..":
            return _UNRESOLVED  # outside the vault: never followed
        return self.resolve(joined, source)

    def _by_path_suffix(self, stem: str) -> set[NotePath]:
        key = note_key(stem)
        exact = self._tables["path"].get(key)
        if exact:
            return set(exact)
        suffix = "/" + key
        return {p for k, paths in self._tables["path"].items() if k.endswith(suffix) for p in paths}

    def _resolve_attachment(self, name: str, source: NotePath | None) -> tuple[Resolution, bool]:
        key = note_key(name)
        found: set[NotePath] | None = self._attachment_paths.get(key) or self._attachments.get(
            note_key(PurePosixPath(name).name)
        )
        if not found:
            return _UNRESOLVED, True
        chosen = self._pick(found, "attachment", source, name)
        answer = Resolution(chosen.path, "attachment", chosen.candidates, chosen.exact_case, True)
        return answer, len(found) == 1

    def _pick(
        self, found: set[NotePath], via: str, source: NotePath | None, written: str
    ) -> Resolution:
        if len(found) == 1:
            (chosen,) = found
            spellings = self._spellings.get(chosen)
            exact = spellings is None or _nfc(written) in spellings or via == "id"
            return Resolution(chosen, via, (), exact)
        ordered = sorted(found, key=lambda p: (p.count("/"), len(p), p))
        chosen = ordered[0]
        clear = len(ordered) == 1
        if not clear and source is not None:
            folder = posixpath.dirname(source)
            same = [p for p in ordered if posixpath.dirname(p) == folder]
            if same:
                chosen, clear = same[0], len(same) == 1
        if not clear and note_key(_strip_md(chosen)) == note_key(_strip_md(written)):
            clear = True  # the name is the full path of one candidate (SilverBullet, root notes)
        spellings = self._spellings.get(chosen)
        exact = spellings is None or _nfc(written) in spellings or via == "id"
        return Resolution(chosen, via, () if clear else tuple(ordered), exact)


def _strip_md(path: str) -> str:
    return path[: -len(_MD)] if path.lower().endswith(_MD) else path


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


class ResolvedLink(NamedTuple):
    """A link of a note together with where it points.

    A named tuple, made for every link of a vault: a frozen dataclass took three times as
    long to make. It compares and hashes as the dataclass it was: equal only to another
    ``ResolvedLink`` with equal fields, hashed as the tuple of its fields.
    """

    source: NotePath
    link: Link
    resolution: Resolution

    @property
    def target(self) -> NotePath | None:
        return self.resolution.path

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return tuple.__eq__(self, other)
        return False if isinstance(other, tuple) else NotImplemented  # no tuple's reply

    def __ne__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return tuple.__ne__(self, other)
        return True if isinstance(other, tuple) else NotImplemented


_new_resolved = tuple.__new__  # ResolvedLink's fields in order, without a Python call
