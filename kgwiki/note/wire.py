"""A note as plain tuples, for handing notes between processes and to the parse cache.

Pickle rebuilds a dataclass object by object; 10,000 notes are some 400,000 of them (links,
their targets, headings, changelog rows). As tuples of strings and numbers pickle works in C
and the objects are rebuilt here in one pass: half the cost of sending a parsed note from a
worker process, which is a tenth of parsing it.

A note's records travel as columns (one tuple per field: every heading's level, then every
heading's text…), which pickle reads faster than a tuple per record, and they are rebuilt
by ``_builder`` functions that fill the slots without going through the frozen
dataclasses' ``__init__`` (a third of the cost of reading the parse cache back).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import fields
from typing import Any, TypeVar

from kgwiki.note.parse import Note
from kgwiki.note.records import Heading, Link
from kgwiki.note.schema import NoteMeta
from kgwiki.note.sections import ChangelogEntry
from kgwiki.wikilink import WikiTarget

Wire = tuple[Any, ...]

# Note's fields in order; to_wire/from_wire spell them out (tests check this list).
FIELDS = (
    "path", "meta", "title", "body", "body_line", "headings", "links", "tags", "block_ids",
    "changelog", "text", "content_hash", "size", "flattened", "diagnostics", "frontmatter_raw",
)  # fmt: skip

_T = TypeVar("_T")
_META_FIELDS = tuple(f.name for f in fields(NoteMeta))


def _builder(cls: type[_T], make: type[_T] | None = None) -> Callable[..., _T]:
    """``cls(*values)`` for a frozen slots dataclass, without its ``__init__`` (``make``: an
    object of that subclass of ``cls``, its slots set the same way).

    The generated ``__init__`` of a frozen dataclass sets each field through
    ``object.__setattr__``; this sets each slot through its descriptor, a third faster. Only
    for classes with no ``__post_init__``, whose every field is a slot set by the caller.
    """
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    if hasattr(cls, "__post_init__") or list(getattr(cls, "__slots__", ())) != names:
        raise TypeError(f"{cls.__name__}: not a slots dataclass without __post_init__")
    scope: dict[str, Any] = {"_new": object.__new__, "_cls": make or cls}
    scope.update({f"_set_{name}": cls.__dict__[name].__set__ for name in names})
    lines = [f"def build({', '.join(names)}):", "    self = _new(_cls)"]
    lines += [f"    _set_{name}(self, {name})" for name in names]
    exec("\n".join([*lines, "    return self"]), scope)  # names from fields(): no outside text
    build: Callable[..., _T] = scope["build"]
    build.__qualname__ = build.__name__ = f"build_{cls.__name__}"
    return build


_note = _builder(Note)
_BODY, _TEXT = Note.__dict__["body"], Note.__dict__["text"]  # the slots themselves
_BODY_AT, _TEXT_AT = FIELDS.index("body"), FIELDS.index("text")
_meta = _builder(NoteMeta)
_heading = _builder(Heading)
_link = _builder(Link)
_target = _builder(WikiTarget)
_change = _builder(ChangelogEntry)


def _columns(rows: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], ...]:
    """Records' fields as columns; no records, no columns (``()``)."""
    return tuple(zip(*rows, strict=True))


def to_wire(note: Note) -> Wire:
    meta = note.meta
    return (
        note.path, tuple([getattr(meta, name) for name in _META_FIELDS]), note.title, note.body,
        note.body_line,
        _columns([(h.level, h.text, h.slug, h.line) for h in note.headings]),
        _columns([(t.file, t.headings, t.block, t.label, link.kind, link.line, link.relation,
                   link.context) for link in note.links for t in (link.target,)]),
        note.tags, note.block_ids,
        _columns([(c.date, c.date_text, c.text, c.line) for c in note.changelog]),
        note.text, note.content_hash, note.size, note.flattened, note.diagnostics,
        note.frontmatter_raw,
    )  # fmt: skip


def from_wire(data: Wire, pending: PendingTexts | None = None) -> Note:
    """The note of ``to_wire``; with ``pending``, of a wire from ``split_texts`` whose body
    and text ``pending`` holds (a ``CachedNote``)."""
    (path, meta, title, body, body_line, headings, links, tags, block_ids, changelog, text,
     content_hash, size, flattened, diagnostics, frontmatter_raw) = data  # fmt: skip
    if links:  # columns: the target's four fields, then kind, line, relation, context
        files, sections, blocks, labels, *rest = links
        links = tuple(map(_link, map(_target, files, sections, blocks, labels), *rest))
    build = _note
    if pending is not None:
        build, body, text = _cached_note, pending, pending
    return build(
        path, _meta(*meta), title, body, body_line,
        tuple(map(_heading, *headings)) if headings else (),
        links, tags, block_ids,
        tuple(map(_change, *changelog)) if changelog else (),
        text, content_hash, size, flattened, diagnostics, frontmatter_raw,
    )  # fmt: skip


# -- notes read back from the parse cache ----------------------------------------------------


class PendingTexts:
    """The bodies and texts of one parse-cache bucket, as the pickled bytes they were read as.

    A note's body and text are three quarters of the cache's bytes, and most commands read
    neither for most notes (a build after a link edit reads them for a few dozen of 10,000):
    decoding them was a third of reading the cache back. They are decoded together, for the
    whole bucket, the first time one of its notes is asked for its body or text.
    """

    __slots__ = ("_blob", "_texts")

    def __init__(self, blob: bytes) -> None:
        self._blob: bytes | None = blob
        self._texts: dict[str, tuple[str, str]] = {}

    @property
    def decoded(self) -> bool:
        return self._blob is None

    def of(self, path: str) -> tuple[str, str]:
        if self._blob is not None:
            self._texts = pickle.loads(self._blob)
            self._blob = None
        return self._texts[path]


class CachedNote(Note):
    """A ``Note`` from the parse cache, whose ``body`` and ``text`` are decoded when first
    read (``PendingTexts``). Equal to the ``Note`` parsed from the same bytes; it pickles as
    one, so what crosses to another process is a plain ``Note``."""

    __slots__ = ()

    @property
    def body(self) -> str:
        value = _BODY.__get__(self, Note)
        return value if type(value) is str else self._decode(value)[0]

    @body.setter
    def body(self, value: str) -> None:  # the dataclass __init__ of dataclasses.replace
        _BODY.__set__(self, value)

    @property
    def text(self) -> str:
        value = _TEXT.__get__(self, Note)
        return value if type(value) is str else self._decode(value)[1]

    @text.setter
    def text(self, value: str) -> None:
        _TEXT.__set__(self, value)

    def _decode(self, pending: PendingTexts) -> tuple[str, str]:
        """Body and text from the bucket's bytes (both at once: the first read of either)."""
        body, text = pending.of(self.path)
        _BODY.__set__(self, body)
        _TEXT.__set__(self, text)
        return body, text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Note):
            return NotImplemented
        return _fields_of(self) == _fields_of(other)

    __hash__ = Note.__hash__


def _fields_of(note: Note) -> tuple[Any, ...]:
    """A note's fields in order, as the dataclass's own ``__eq__`` compares them."""
    return tuple([getattr(note, name) for name in FIELDS])


_cached_note = _builder(Note, CachedNote)


def split_texts(wire: Wire) -> tuple[Wire, tuple[str, str]]:
    """A note's wire without its body and text, and those two (for ``PendingTexts``)."""
    rest = list(wire)
    texts = (rest[_BODY_AT], rest[_TEXT_AT])
    rest[_BODY_AT] = rest[_TEXT_AT] = ""
    return tuple(rest), texts
