"""Posting lists read whole, block by block, skipping the blocks no wanted document can be in.

whoosh reads a posting list one posting at a time through Python method calls (``next``,
``id``, ``weight``, ``skip_to``). A segment's list is stored in blocks of up to 128 postings;
each block starts with a small header (its posting count and last document number) followed
by one pickle of its ids, weights and positions. Here a block's pickle is loaded only when a
document the caller still wants can be in it (between the previous block's last document and
this one's), and its postings are taken as whole lists.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

# segment id and field → each document's field length (segments never change once written)
_LENGTHS: dict[str, list[int]] = {}
_KEPT_SEGMENTS = 64


@dataclass(frozen=True, slots=True)
class Postings:
    """One term's postings in one segment, deleted documents left out.

    Read with ``wanted``, only the blocks that may hold one of those documents are read, so
    ``ids`` holds every wanted document that has the term, and possibly others.
    """

    ids: list[int]
    weights: list[float]
    values: list[bytes]


def read_postings(
    reader: Any, field: str, btext: bytes, wanted: Sequence[int] | None = None
) -> Postings | None:
    """The postings of ``btext`` in one segment reader; None when the term is not there.

    ``wanted``: sorted document numbers; blocks that cannot hold any of them are skipped.
    """
    if (field, btext) not in reader:
        return None
    matcher = reader.postings(field, btext)
    deleted: frozenset[int] = frozenset()
    if isinstance(matcher, FilterMatcher):  # the segment has deletions
        deleted, matcher = reader.deleted_docs_set, matcher.child
    if isinstance(matcher, W3LeafMatcher):
        found = _blocks(matcher, wanted)
    else:  # a term of one document: its posting is inline in the term table
        found = Postings([], [], [])
        while matcher.is_active():
            found.ids.append(matcher.id())
            found.weights.append(matcher.weight())
            found.values.append(matcher.value())
            matcher.next()
    if not deleted:
        return found
    keep = [i for i, docnum in enumerate(found.ids) if docnum not in deleted]
    return Postings([found.ids[i] for i in keep], [found.weights[i] for i in keep],
                    [found.values[i] for i in keep])  # fmt: skip


def _blocks(matcher: Any, wanted: Sequence[int] | None) -> Postings:
    """Whoosh 2.7.5's block layout: a header read by ``_goto`` (``_maxid``, the block's last
    document), then the pickled ``(delta-coded ids, weights, values)``."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[bytes] = []
    last = -1
    while matcher.is_active():
        top = matcher._maxid
        if wanted is None or _any_between(wanted, last, top):
            matcher._read_data()
            block_ids, block_weights, block_values = matcher._data
            count = len(block_ids)
            ids.extend(accumulate(block_ids))
            if block_weights is None:
                weights.extend([1.0] * count)
            elif isinstance(block_weights, float):
                weights.extend([block_weights] * count)
            else:
                weights.extend(block_weights)
            values.extend(block_values if block_values is not None else [b""] * count)
        last = top
        matcher._next_block()
    return Postings(ids, weights, values)


def _any_between(wanted: Sequence[int], low: int, high: int) -> bool:
    """True when a number of ``wanted`` (sorted) lies in ``(low, high]``."""
    at = bisect_right(wanted, low)
    return at < len(wanted) and wanted[at] <= high


def field_lengths(reader: Any, field: str) -> list[int]:
    """Each document's length of ``field`` in one segment, as BM25 reads it (cached)."""
    key = f"{reader.segment().segment_id()}:{field}"
    found = _LENGTHS.get(key)
    if found is None:
        if len(_LENGTHS) >= _KEPT_SEGMENTS:
            _LENGTHS.clear()
        length = reader.doc_field_length
        found = [length(docnum, field, 1) for docnum in range(reader.doc_count_all())]
        _LENGTHS[key] = found
    return found
