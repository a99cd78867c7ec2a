"""Which edges one note contributes to the graph: its links, embeds, relations and duplicates."""

from __future__ import annotations

import posixpath
from collections.abc import Container, Iterator
from pathlib import PurePosixPath

from kgwiki.graph.records import DUPLICATE_OF, EMBED, LINK, Edge, NodeId, wanted_id
from kgwiki.note import LinkKind, Note
from kgwiki.types import NoteKey
from kgwiki.vault import NOTE_SUFFIXES, Vault, note_key

# Frontmatter keys that declare "this note duplicates that one" (checked in this order).
DUPLICATE_KEYS = ("duplicate_of", "canonical_id")


def note_edges(vault: Vault, note: Note, known: Container[str]) -> Iterator[Edge]:
    """The edges ``note`` writes; targets outside ``known`` notes become wanted nodes.

    Links inside the note (``[[#Heading]]``, or to itself) are not edges: they do not join
    two notes. Embeds of attachments are not edges either: attachments are not nodes.
    """
    source = note.path
    for item in vault.links_of(source):
        link, res = item.link, item.resolution
        if res.path == source or res.is_attachment:
            continue
        kind = link.relation or (EMBED if link.kind is LinkKind.EMBED else LINK)
        name = link.target.file or ""
        if res.path is not None and res.path in known:
            target: NodeId = res.path
        else:
            missing = wanted_name(name, source, embed=link.kind is LinkKind.EMBED)
            if missing is None:
                continue
            name, target = missing, wanted_id(note_key(missing))
        yield Edge(source, target, kind, link.line, link.context, name)
    yield from _duplicate_edges(vault, note, known)


def wanted_name(written: str, source: str, embed: bool = False) -> str | None:
    """The name a missing note is wanted under, or None when it is not a missing note.

    A missing embedded ``diagram.svg`` is a missing attachment, not a note anyone could
    write; a relative Markdown link is named by where it points, and one that leaves the
    vault names nothing.
    """
    name = written.strip()
    if not name:
        return None
    suffix = PurePosixPath(name).suffix.lower()
    if embed and suffix and suffix not in NOTE_SUFFIXES:
        return None
    if name.startswith(("./", "../")):
        name = posixpath.normpath(posixpath.join(posixpath.dirname(source), name))
        if name == ".." or name.startswith("../"):
            return None
    for note_suffix in NOTE_SUFFIXES:
        if name.lower().endswith(note_suffix):
            return name[: -len(note_suffix)]
    return name


def declared_names(note: Note) -> set[NoteKey]:
    """The names a note's duplicate_of / canonical_id fields point at."""
    return {note_key(ref) for ref in _references(note)}


def _references(note: Note) -> list[str]:
    return [ref for key in DUPLICATE_KEYS if (ref := getattr(note.meta, key))]


def _duplicate_edges(vault: Vault, note: Note, known: Container[str]) -> Iterator[Edge]:
    """``duplicate_of: X`` / ``canonical_id: x-id`` as one duplicate-of edge per target."""
    seen: set[NodeId] = set()
    for key in DUPLICATE_KEYS:
        ref: str | None = getattr(note.meta, key)
        if not ref:
            continue
        res = vault.resolve(ref, note.path)
        if res.path == note.path or res.is_attachment:
            continue  # canonical_id naming the note itself means "I am the canonical one"
        target = res.path if res.path is not None and res.path in known else None
        node = target or wanted_id(note_key(ref))
        if node in seen:
            continue
        seen.add(node)
        line, context = _frontmatter_line(note, key, ref)
        yield Edge(note.path, node, DUPLICATE_OF, line, context, ref)


def _frontmatter_line(note: Note, key: str, ref: str) -> tuple[int, str]:
    """The line of ``key:`` in the file (frontmatter starts after the opening ``---``)."""
    if note.flattened or not note.frontmatter_raw:
        return 1, f"{key}: {ref}"
    for index, text in enumerate(note.frontmatter_raw.split("\n")):
        if text.startswith(f"{key}:"):
            return index + 2, text.strip()
    return 1, f"{key}: {ref}"
