"""DOOR"""

from __future__ import annotations

from kgwiki.note.flattened import (
    is_flattened,
    recover_frontmatter,
    split_flattened,
    unflatten_body,
)
from kgwiki.note.frontmatter import load_frontmatter, split_frontmatter
from kgwiki.note.parse import Note, content_hash, parse_note, parse_note_tokens
from kgwiki.note.records import Heading, Link, LinkKind
from kgwiki.note.schema import normalise_tag
from kgwiki.note.sections import ChangelogEntry, SectionKind, section_kind
from kgwiki.note.textio import looks_binary
from kgwiki.note.wire import FIELDS, CachedNote, PendingTexts, Wire, from_wire, split_texts, to_wire

__all__ = [
    "FIELDS",
    "CachedNote",
    "ChangelogEntry",
    "Heading",
    "Link",
    "LinkKind",
    "Note",
    "PendingTexts",
    "SectionKind",
    "Wire",
    "content_hash",
    "from_wire",
    "is_flattened",
    "load_frontmatter",
    "looks_binary",
    "normalise_tag",
    "parse_note",
    "parse_note_tokens",
    "recover_frontmatter",
    "section_kind",
    "split_flattened",
    "split_frontmatter",
    "split_texts",
    "to_wire",
    "unflatten_body",
]
