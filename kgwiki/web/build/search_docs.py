"""The static site's search index: term shards, loaded as ``<script>`` files (works from file://).

Terms come from ``kgwiki.search.analysis.terms`` — the same ones the server's index holds — and
``static/terms.js`` computes a query's terms the same way. The figures are the server's too
(``kgwiki.search.client_doc``): each term's frequency counted with its section's weight (title
and aliases 5, headings, tags and category 2, body 1), the field length as whoosh keeps it and
the trust multiplier, so ``static/search.js`` ranks exactly as ``SearchIndex.search`` does.
Layout under ``data/search/``:

- ``meta.js``: shard count, document count, mean field length, a version for cache busting;
- ``docs.js``: ``{"ids": [id, …], "rows": [[title, location, trust level, stored length,
  trust multiplier], …]}``, the notes in path order (the order of equal scores) with each
  one's document id, its place in a hash table of the note paths (``search_postings.doc_ids``:
  stable when other notes come and go);
- ``t/<n>.js``: the postings of every term whose FNV-1a hash is ``n`` modulo the shard count,
  ``{"term": [id, v, Δid, v, …]}`` with ``v = 4 × weighted frequency + 2 if the term is in a
  heading + 1 if it is in the note's title, aliases, id or file stem`` (the bonuses);
- ``x/<n>.js``: the opening text of documents ``16n … 16n+15`` (ids are spread over about
  four times as many places as there are notes), for snippets.

A query of three terms loads ``meta``, ``docs``, at most three shards and one text file per
shown hit. ``build_search_writer`` keeps the files current.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, chain
from operator import sub
from pathlib import Path
from typing import Any

from kgwiki.config import Config
from kgwiki.note import Note
from kgwiki.search import TrustWeighting, client_doc
from kgwiki.types import NotePath

TEXT_CHARS = 1500
TEXT_BUCKET = 16
TARGET_SHARD_BYTES = 12_000
MAX_SHARDS = 4096
_CALL = "kgwikiSearchData"


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One note as the client index sees it."""

    path: NotePath
    content: str
    counts: dict[str, int]  # term → 4 × weighted frequency (+2 in a heading, +1 in a name)
    length: int  # field length (its sum over the notes gives the mean)
    stored: int  # field length as whoosh keeps it, which each note's score reads
    factor: float  # trust multiplier
    text: str


def search_doc(note: Note, config: Config | None = None) -> SearchDoc:
    """The figures the server's index ranks ``note`` by (``config``: its trust weighting)."""
    doc = client_doc(note, TrustWeighting.from_config(config) if config is not None else None)
    counts = dict(zip(doc.weights, map((4).__mul__, doc.weights.values()), strict=True))
    # the bonuses: heads and names are few, and their terms are all in the text
    for bonus, terms in ((2, doc.heads), (1, doc.names)):
        for term in terms:
            if term in counts:
                counts[term] += bonus
    return SearchDoc(note.path, note.content_hash, counts, doc.length, doc.stored_length,
                     doc.factor, note.text[:TEXT_CHARS])  # fmt: skip


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over UTF-8, as ``terms.js`` computes it."""
    h = 0x811C9DC5
    for byte in term.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def script(kind: str, key: int, data: Any) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'{_CALL}("{kind}",{key},{body});\n'.encode()


def read_script(file: Path) -> Any:
    """The data of a file written by :func:`script` (None when missing or damaged)."""
    try:
        text = file.read_text(encoding="utf-8")
        start = text.index(",", text.index(",") + 1) + 1
        return json.loads(text[start : text.rindex(")")])
    except (OSError, ValueError):
        return None


def shard_count(postings: int) -> int:
    """Shards for an index of ``postings`` entries: a power of two, ~12 kB each."""
    wanted = max(1, postings * 6 // TARGET_SHARD_BYTES)
    count = 1
    while count < wanted and count < MAX_SHARDS:
        count *= 2
    return count


def encode(entries: dict[int, int]) -> list[int]:
    """A posting list as ``[id, tf, Δid, tf, …]`` (ids ascending)."""
    out: list[int] = []
    previous = 0
    for doc in sorted(entries):
        out += (doc - previous, entries[doc])
        previous = doc
    return out


def patch(flat: list[int], changes: dict[int, int]) -> list[int]:
    """A posting list (``encode``) with ``changes`` made: each ``{id: count}`` set, or
    removed when the count is 0.

    The edit of a common term's list moves one or two of thousands of postings; the ids are
    summed up and the gaps taken again by ``accumulate`` and ``map`` instead of a dict built
    and sorted posting by posting: on the 10k vault's shards, 725 lists of 1,314 postings on
    average patched in 0.10 s instead of 0.34 s.
    """
    ids = list(accumulate(flat[0::2]))
    counts = flat[1::2]
    for doc, count in sorted(changes.items()):
        at = bisect_left(ids, doc)
        if at < len(ids) and ids[at] == doc:
            if count:
                counts[at] = count
            else:
                del ids[at], counts[at]
        elif count:
            ids.insert(at, doc)
            counts.insert(at, count)
    out = [0] * (2 * len(ids))
    out[0::2] = map(sub, ids, chain((0,), ids))
    out[1::2] = counts
    return out
