"""The whoosh schema of the search index, and the one function that turns a Note into a document.

``text`` holds title, aliases, headings, topics and body as weighted sections of one field;
``names`` repeats title and aliases and ``heads`` the headings, for the known-item bonuses;
all three use the Korean-aware analyzer. Filters (tag, category, folder, trust, status) are
exact, lower-cased keyword terms.
``text`` (whose last section is the body, for snippets) and ``meta`` are stored, so a result
line never reads a Markdown file. :func:`client_doc` gives the static site's index the very
figures BM25F ranks by, so both rank alike.
"""

from __future__ import annotations

import datetime as dt
import struct
import unicodedata
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from whoosh import fields, formats
from whoosh.codec.whoosh3 import W3Codec
from whoosh.util.numeric import byte_to_length, length_to_byte

from kgwiki.search.analysis import korean_analyzer, spans, terms, word_analyzer
from kgwiki.search.results import TrustWeighting

if TYPE_CHECKING:
    from kgwiki.note import Note

# Bump when the schema, the analyzer or the document layout changes: an index written with
# another version is rebuilt from the notes rather than read with the wrong rules.
FORMAT_VERSION = 7

# The sections of the combined ``text`` field and the weight of a term occurrence in each:
# BM25F proper, which adds up weighted term frequencies before saturating them.
SECTIONS = ("title", "aliases", "headings", "topics", "body")
SECTION_WEIGHTS = (5.0, 5.0, 2.0, 2.0, 1.0)
# client_doc counts with whole weights (tests/search/test_client_doc.py holds it to floats)
_WHOLE_WEIGHTS = tuple(int(w) for w in SECTION_WEIGHTS)
# Positions jump this far between sections, so a phrase never runs from one into the next.
_SECTION_GAP = 100
_COUNT = struct.Struct("<I")
_POSITION = struct.Struct("=I")  # one item of the native ``array("I")`` the positions are
_ONE_POSITION = _COUNT.size + _POSITION.size


class WeightedSections(formats.Positions):  # type: ignore[misc]  # whoosh is untyped
    """Positions postings for one field made of weighted sections (title, …, body).

    One field instead of five means one posting list per query term instead of five, which
    halves query time on a large vault and lets BM25 see the weighted sum it is meant to.
    Terms come straight from :func:`analysis.spans`, skipping whoosh's per-token objects (a
    third of cold indexing time). Module-level so that the schema pickles.
    """

    def __init__(self, weights: tuple[float, ...] = SECTION_WEIGHTS, **options: Any) -> None:
        super().__init__(**options)
        self.weights = weights

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        sections = (value,) if isinstance(value, str) else value
        poses: defaultdict[str, list[int]] = defaultdict(list)
        weights: defaultdict[str, float] = defaultdict(float)
        base = 0
        for text, weight in zip(sections, self.weights[-len(sections) :], strict=True):
            last = -1
            for term, pos, _start, _end in spans(text):
                poses[term].append(base + pos)
                weights[term] += weight
                last = pos
            base += last + 1 + _SECTION_GAP
        boost = self.field_boost
        encode = self.encode
        for word, poslist in poses.items():
            yield word, len(poslist), weights[word] * boost, encode(poslist)

    # Positions as a count and an array of unsigned ints: half the cost of whoosh's pickled
    # deltas on the millions of postings of a cold build (each bigram posting has one or two).

    def encode(self, poslist: list[int]) -> bytes:
        return _COUNT.pack(len(poslist)) + array("I", poslist).tobytes()

    def decode_positions(self, valuestring: bytes) -> list[int]:
        if len(valuestring) == _ONE_POSITION:  # most postings: a bigram once in a note
            return [_POSITION.unpack_from(valuestring, _COUNT.size)[0]]
        positions = array("I")
        positions.frombytes(valuestring[_COUNT.size :])
        return positions.tolist()

    def decode_frequency(self, valuestring: bytes) -> int:
        return int(_COUNT.unpack_from(valuestring)[0])

    def decode_position_boosts(self, valuestring: bytes) -> list[tuple[int, float]]:
        return [(pos, 1.0) for pos in self.decode_positions(valuestring)]

    def combine(self, vs: list[bytes]) -> bytes:
        return self.encode(sorted({pos for v in vs for pos in self.decode_positions(v)}))


class IndexCodec(W3Codec):  # type: ignore[misc]  # whoosh is untyped
    """whoosh's codec without per-block length statistics.

    Those statistics only serve block-quality skipping, which kgwiki's ranking turns off
    (search_rank.py); gathering them costs a column read per posting, a fifth of cold indexing.
    Segments remember their codec, so this class is part of the index format.
    """

    length_stats = False


def codec() -> IndexCodec:
    return IndexCodec(compression=0)


def _text_field(weights: tuple[float, ...], stored: bool = False) -> fields.TEXT:
    field = fields.TEXT(analyzer=korean_analyzer(), stored=stored)
    field.format = WeightedSections(weights)
    return field


def build_schema() -> fields.Schema:
    return fields.Schema(
        path=fields.ID(stored=True, unique=True, sortable=True),
        hash=fields.ID(stored=True, sortable=True),
        text=_text_field(SECTION_WEIGHTS, stored=True),  # the sections; the body for snippets
        names=_text_field((1.0,)),
        heads=_text_field((1.0,)),
        tag=fields.KEYWORD(),
        category=fields.KEYWORD(),
        folder=fields.KEYWORD(),
        pathlc=fields.ID(),
        trust=fields.ID(sortable=True),
        confidence=fields.ID(sortable=True),  # as text: whoosh's float columns need a default
        status=fields.ID(),
        date=fields.DATETIME(),
        reinforced=fields.DATETIME(),
        spell=fields.TEXT(analyzer=word_analyzer(), phrase=False),
        meta=fields.STORED(),
    )


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def hierarchy(value: str) -> list[str]:
    """``A/B/C`` → ``a/b/c, a, a/b, b, c``: every prefix and segment, lower-cased."""
    folded = nfc(value).strip().strip("/").casefold()
    parts = [part for part in folded.split("/") if part]
    out = [folded] if folded else []
    out += ["/".join(parts[: i + 1]) for i in range(len(parts) - 1)]
    out += parts
    return list(dict.fromkeys(out))


def path_terms(path: str) -> list[str]:
    """Folder prefixes and segments, the file name and its stem (for ``path:``)."""
    pure = PurePosixPath(nfc(path).casefold())
    folders = hierarchy(str(pure.parent)) if str(pure.parent) != "." else []
    return list(dict.fromkeys([*folders, pure.name, pure.stem]))


def _datetime(value: dt.date | None) -> dt.datetime | None:
    return None if value is None else dt.datetime(value.year, value.month, value.day)


def _sections(note: Note) -> tuple[list[str], list[str], tuple[str, ...]]:
    """A note's names (aliases, id, stem), its headings, and the ``text`` sections."""
    meta = note.meta
    names = [*note.aliases, *([note.id] if note.id else [])]
    if note.stem.casefold() != note.title.casefold():
        names.append(note.stem.replace("-", " ").replace("_", " "))
    headings = [h.text for h in note.headings if not (h.level == 1 and h.text == note.title)]
    if meta.description:
        headings.insert(0, meta.description)
    topics = [tag.replace("/", " ") for tag in note.tags]
    if meta.category:
        topics.append(meta.category.replace("/", " ").replace("_", " "))
    texts = (note.title, "\n".join(names), "\n".join(headings), "\n".join(topics), note.text)
    return names, headings, tuple(nfc(x) for x in texts)


def _heads(note: Note) -> str:
    """The ``heads`` field: every heading but the title."""
    return nfc("\n".join(h.text for h in note.headings if h.text != note.title))


def note_document(note: Note) -> dict[str, Any]:
    """The fields of ``note`` for ``writer.add_document`` (pure: the Note is all it reads)."""
    meta = note.meta
    names, headings, texts = _sections(note)
    level = (meta.source_trust_level or "").strip().upper()
    document: dict[str, Any] = {
        "path": note.path,
        "hash": note.content_hash,
        "text": texts,
        "names": nfc("\n".join([note.title, *names])),
        "heads": _heads(note),
        "tag": [term for tag in note.tags for term in hierarchy(tag)],
        "category": hierarchy(meta.category) if meta.category else [],
        "folder": path_terms(note.path),
        "pathlc": nfc(note.path).casefold(),
        "trust": level,
        "confidence": "" if meta.confidence_score is None else repr(float(meta.confidence_score)),
        "status": (meta.status or "").strip().casefold(),
        "spell": nfc("\n".join([note.title, *names, *headings, *note.tags])),
        "meta": {
            "title": note.title,
            "aliases": list(note.aliases),
            "tags": list(note.tags),
            "category": meta.category,
            "trust": level or None,
            "confidence": meta.confidence_score,
            "status": meta.status,
            "verification": meta.verification_status,
            "description": meta.description,
        },
    }
    for name, value in (("date", meta.date), ("reinforced", meta.last_reinforced)):
        stamp = _datetime(value)
        if stamp is not None:
            document[name] = stamp
    # whoosh refuses empty lists and empty ID strings; an absent field is simply not indexed
    return {k: v for k, v in document.items() if v not in ("", [])}


@dataclass(frozen=True, slots=True)
class ClientDoc:
    """What BM25F and the bonuses read of one note, for an index outside whoosh (the static
    site's): with these, ``search.js`` computes the scores :func:`run.run_query` does."""

    weights: dict[str, int]  # term → occurrences, each counted with its section's weight
    names: frozenset[str]  # the terms of the ``names`` field (title, aliases, id, stem)
    heads: frozenset[str]  # the terms of the ``heads`` field (the headings)
    length: int  # terms in ``text``: whoosh's field length, which the average is made of
    stored_length: int  # that length as whoosh keeps it (one logarithmic byte), used per note
    factor: float  # the trust multiplier


def stored_length(length: int) -> int:
    """A field length as whoosh's segments keep it: rounded to one of 256 logarithmic steps."""
    return int(byte_to_length(length_to_byte(length)))


def client_doc(note: Note, weighting: TrustWeighting | None = None) -> ClientDoc:
    """``note`` as its whoosh document counts it: the same sections, weights and lengths."""
    _names, _headings, texts = _sections(note)
    found = [terms(text) for text in texts]
    # Occurrences counted with their section's weight, in the order terms first occur (the
    # order the client index lists them in): a weight of w counts a section w times over.
    weights = Counter(dict.fromkeys(chain.from_iterable(found), 0))
    for section, weight in zip(found, _WHOLE_WEIGHTS, strict=True):
        weights.update(section * weight if weight != 1 else section)
    length = sum(map(len, found))
    meta = note.meta
    level = (meta.source_trust_level or "").strip().upper() or None
    confidence = None if meta.confidence_score is None else float(meta.confidence_score)
    factor = (weighting or TrustWeighting()).multiplier(level, confidence)
    # ``names`` is title and aliases joined by a line break, which no term spans: its terms
    # are those of the first two sections.
    return ClientDoc(dict(weights), frozenset(chain(*found[:2])),
                     frozenset(terms(_heads(note))), length, stored_length(length),
                     factor)  # fmt: skip
