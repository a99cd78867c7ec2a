"""The client search index as numbers: each note's document id and the posting lists.

A document's id is its place in a hash table of the note paths (``doc_ids``), a function of
the set of paths alone. The posting lists of a whole index are made at once in numpy from the
notes' kept term counts (``all_postings``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kgwiki.web.build.search_docs import fnv1a
from kgwiki.web.build.term_records import Columns

# The table has at least this many places per note (a power of two): runs stay short, so an
# added note moves another one time in five to ten (0.10–0.22 notes per addition from 2,000
# to 16,000 notes, whatever its name), at the cost of ids four to eight times the note count.
SPREAD = 4
MIN_PLACES = 64


def doc_ids(paths: Iterable[str]) -> dict[str, int]:
    """Each note's document id: its place in a hash table of linear probing over ``places``
    (a power of two, at least ``SPREAD`` times the notes), with the notes of a run kept in
    order of home place, then of the rest of their hash (then path).

    Placing the paths in that order, each at its home or just after the one before, gives
    the same table whatever order the notes came in. Adding a note moves only the notes after
    it up to the next free place; removing one moves them back. Notes of the same home are
    ordered by hash, not by path: by path, a note whose name sorts early (``00_Inbox/…``)
    would push the note at its home along more often than one named late.
    """
    found = list(paths)
    shift = 64 - (id_places(len(found)).bit_length() - 1)  # a home is the hash's top bits
    ids: dict[str, int] = {}
    last = -1
    for hashed, path in sorted((_hash(path), path) for path in found):
        last = max(hashed >> shift, last + 1)
        ids[path] = last
    return ids


def id_places(notes: int) -> int:
    return max(MIN_PLACES, 1 << (SPREAD * notes - 1).bit_length())


def _hash(path: str) -> int:
    """A 64-bit hash of the path: its top bits are the path's home place, so sorted by it the
    notes come in order of home, then of the rest of the hash."""
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8"), digest_size=8).digest(), "big")


def all_postings(ids: Mapping[str, int], columns: Mapping[str, Columns], terms: Sequence[str],
                 shards: int) -> list[dict[str, list[int]]]:  # fmt: skip
    """Each shard's posting lists, ``{term: encode(postings)}`` in term order, for the
    documents of ``ids`` (path → id), each given as ``TermRecords.columns`` (term numbers in
    ``terms``, counts).

    The same lists ``encode`` gives one term at a time, made for all terms at once: the
    10,000-note vault has 5.7 million postings, and a Python step per posting took 3 s where
    sorting them by term in numpy takes a fraction of one.
    """
    import numpy as np

    present = [(ids[path], found) for path in sorted(ids, key=ids.__getitem__)
               if (found := columns.get(path)) is not None and len(found[0])]  # fmt: skip
    out: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    if not present:
        return out
    alphabetical = sorted(range(len(terms)), key=terms.__getitem__)
    place = np.empty(len(terms), dtype=np.int64)  # each term's place in term order
    place[alphabetical] = np.arange(len(terms))
    keys = place[np.concatenate([numbers for _, (numbers, _) in present])]
    tfs = np.concatenate([counts for _, (_, counts) in present]).astype(np.int64)
    owners = np.repeat(np.array([doc for doc, _ in present], dtype=np.int64),
                       [len(numbers) for _, (numbers, _) in present])  # fmt: skip
    order = _stable_order(keys, len(terms))  # by term, each term's documents ascending
    keys, owners = keys[order], owners[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    gaps = np.diff(owners, prepend=0)
    gaps[starts] = owners[starts]  # a list's first id is its own gap from 0
    flat = np.empty(2 * len(owners), dtype=np.int64)
    flat[0::2], flat[1::2] = gaps, tfs[order]
    values = flat.tolist()
    bounds = [*(2 * starts).tolist(), len(values)]
    for i, key in enumerate(keys[starts].tolist()):
        term = terms[alphabetical[key]]
        out[fnv1a(term) % shards][term] = values[bounds[i] : bounds[i + 1]]
    return out


def _stable_order(keys: Any, distinct: int) -> Any:
    """``argsort(keys, stable)`` for keys in ``range(distinct)``: numpy sorts 16-bit keys by
    radix (0.08 s for 5.7M, against 0.5 s for wider ones), so wider keys go in two passes."""
    import numpy as np

    if distinct <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = np.argsort((keys[low] >> 16).astype(np.uint16 if distinct <= 1 << 32 else np.int64),
                      kind="stable")  # fmt: skip
    return low[high]
