"""A note as plain tuples, for handing notes between processes and to the parse cache.

Pickle rebuilds a dataclass object by object; 10,000 notes are some 400,000 of them (links,
their targets, headings, changelog rows). As tuples of strings and numbers pickle works in C
and the objects are rebuilt here in one pass: half the cost of sending a parsed note from a
worker process, which is a tenth of parsing it.
"""

from __future__ import annotations

from typing import Any

from kgwiki.note.parse import Note
from kgwiki.note.records import Heading, Link, LinkKind
from kgwiki.note.sections import ChangelogEntry
from kgwiki.wikilink import WikiTarget

Wire = tuple[Any, ...]

# Note's fields in order; to_wire/from_wire spell them out (tests check this list).
FIELDS = (
    "path", "meta", "title", "body", "body_line", "headings", "links", "tags", "block_ids",
    "changelog", "text", "content_hash", "size", "flattened", "diagnostics", "frontmatter_raw",
)  # fmt: skip

_KINDS = {kind.value: kind for kind in LinkKind}


def to_wire(note: Note) -> Wire:
    return (
        note.path, note.meta, note.title, note.body, note.body_line,
        tuple([(h.level, h.text, h.slug, h.line) for h in note.headings]),
        tuple([((t.file, t.headings, t.block, t.label), link.kind.value, link.line,
                link.relation, link.context)
               for link in note.links for t in (link.target,)]),
        note.tags, note.block_ids,
        tuple([(c.date, c.date_text, c.text, c.line) for c in note.changelog]),
        note.text, note.content_hash, note.size, note.flattened, note.diagnostics,
        note.frontmatter_raw,
    )  # fmt: skip


def from_wire(data: Wire) -> Note:
    (path, meta, title, body, body_line, headings, links, tags, block_ids, changelog, text,
     content_hash, size, flattened, diagnostics, frontmatter_raw) = data  # fmt: skip
    return Note(
        path, meta, title, body, body_line,
        tuple([Heading(*h) for h in headings]),
        tuple([Link(WikiTarget(*target), _KINDS[kind], line, relation, context)
               for target, kind, line, relation, context in links]),
        tags, block_ids,
        tuple([ChangelogEntry(*c) for c in changelog]),
        text, content_hash, size, flattened, diagnostics, frontmatter_raw,
    )  # fmt: skip
