"""Word shingles of a note's prose, hashed to 64-bit integers, for near-duplicate detection.

Tokens: runs of letters and digits (Latin, Greek, Cyrillic, …) are words; Hangul, kana and
Han runs become overlapping character bigrams (a one-character run stays a unigram), so
``아키텍처는`` and ``아키텍처를`` share most of their tokens as they share their meaning.
A shingle is ``k`` consecutive tokens of one line; a line shorter than ``k`` tokens is one
shingle. Shingles never cross lines, so moving sections or list items keeps them all.

Everything runs in numpy over many notes at once (code points → classes → token hashes →
shingle hashes): Python-level loops over 10,000 notes' tokens cost seconds, this costs
a fraction (measured in docs/duplicates.md). Hashes are seeded constants, never Python's
``hash()``, so worker processes and the on-disk cache agree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Hashes = npt.NDArray[np.uint64]

# Bump when tokens or hashes change; the Unicode version decides what isalnum() says.
TOKENIZER_VERSION = f"2/unicode-{unicodedata.unidata_version}"
_WORD, _CJK = 1, 2
_CJK_RANGES = ((0x3040, 0x30FF), (0x3131, 0x318E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
               (0xAC00, 0xD7A3), (0xF900, 0xFAFF))  # fmt: skip
_U64 = np.uint64
_MUL_LEFT, _MUL_RIGHT = _U64(0x165667B19E3779F9), _U64(0xD6E8FEB86659FD93)
_SALT_UNI, _SALT_LINE = _U64(0x27D4EB2F165667C5), _U64(0x85EBCA77C2B2AE63)
_SHINGLE_MUL = _U64(0x100000001B3)  # odd, so the polynomial keeps token order
_MASK = (1 << 64) - 1
_OFFSETS = 64  # distinct per-offset multipliers; longer words reuse them cyclically


def _offset_multipliers() -> npt.NDArray[np.uint64]:
    """Odd 64-bit constants from splitmix64 in plain integers (a numpy RNG stream may change
    between numpy versions, and cached sketches must not)."""
    state, out = 0x6B67, []
    for _ in range(_OFFSETS):
        state = (state + 0x9E3779B97F4A7C15) & _MASK
        z = ((state ^ (state >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        out.append((z ^ (z >> 31)) | 1)
    return np.array(out, dtype=np.uint64)


_OFFSET_MUL = _offset_multipliers()


def _classes() -> npt.NDArray[np.uint8]:
    """Class of every code point: 0 separator, 1 word character, 2 bigram script.

    Built from ``str.isalnum`` over the BMP; characters beyond it (emoji, rare Han) separate.
    """
    table = np.zeros(0x110000, dtype=np.uint8)
    for code in range(0x10000):
        if not 0xD800 <= code <= 0xDFFF and chr(code).isalnum():
            table[code] = _WORD
    for low, high in _CJK_RANGES:
        table[low : high + 1] = _CJK
    return table


_CLASS = _classes()


def _mix(values: Hashes) -> Hashes:
    """splitmix64's finaliser: every input bit reaches every output bit (wrapping uint64)."""
    values = values ^ (values >> _U64(30))
    values = values * _U64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> _U64(27))
    values = values * _U64(0x94D049BB133111EB)
    return values ^ (values >> _U64(31))


def shingle_sets(texts: Sequence[str], k: int) -> list[Hashes]:
    """The sorted, unique shingle hashes of each text (one array per text)."""
    if k < 1:
        raise ValueError("shingle size must be at least 1")
    if not texts:
        return []
    folded = [text.casefold() for text in texts]
    starts = np.cumsum([0] + [len(text) + 1 for text in folded[:-1]])
    data = "\n".join(folded).encode("utf-32-le", errors="replace")
    points = np.frombuffer(data, dtype="<u4")
    positions, tokens = _tokens(points)
    lines = np.searchsorted(np.flatnonzero(points == 10), positions)
    owners, hashes = _shingles(positions, tokens, lines, k)
    note_of = np.searchsorted(starts, owners, side="right") - 1
    order = np.argsort(note_of, kind="stable")
    bounds = np.searchsorted(note_of[order], np.arange(len(texts) + 1))
    ordered = hashes[order]
    return [_sorted_unique(ordered[bounds[i] : bounds[i + 1]]) for i in range(len(texts))]


def _sorted_unique(values: Hashes) -> Hashes:
    # np.unique hashes before it sorts; a plain sort and a neighbour test is 4x faster here.
    values = np.sort(values)
    if values.size < 2:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _tokens(points: npt.NDArray[np.uint32]) -> tuple[npt.NDArray[np.intp], Hashes]:
    """Token start positions and hashes, in text order."""
    classes = _CLASS[points]
    found_pos: list[npt.NDArray[np.intp]] = []
    found_hash: list[Hashes] = []
    word = np.flatnonzero(classes == _WORD)
    if word.size:
        # A word's hash is a sum of its characters, each times a constant for its offset
        # in the word (so anagrams differ), mixed once per word.
        new = np.ones(word.size, dtype=bool)
        np.not_equal(np.diff(word), 1, out=new[1:])
        first = np.flatnonzero(new)
        index = np.arange(word.size)
        offset = index - np.maximum.accumulate(np.where(new, index, 0))
        chars = points[word].astype(np.uint64) * _OFFSET_MUL[offset & (_OFFSETS - 1)]
        found_pos.append(word[first])
        found_hash.append(_mix(np.add.reduceat(chars, first)))
    cjk = classes == _CJK
    if cjk.any():
        after = np.zeros(points.size, dtype=bool)
        after[:-1] = cjk[1:]
        before = np.zeros(points.size, dtype=bool)
        before[1:] = cjk[:-1]
        pairs = np.flatnonzero(cjk & after)
        left = points[pairs].astype(np.uint64)
        right = points[pairs + 1].astype(np.uint64)
        found_pos.append(pairs)
        found_hash.append(_mix(left * _MUL_LEFT + right * _MUL_RIGHT))
        alone = np.flatnonzero(cjk & ~after & ~before)
        found_pos.append(alone)
        found_hash.append(_mix(points[alone].astype(np.uint64) * _MUL_LEFT + _SALT_UNI))
    if not found_pos:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.uint64)
    positions = np.concatenate(found_pos)
    order = np.argsort(positions, kind="stable")
    return positions[order], np.concatenate(found_hash)[order]


def _shingles(
    positions: npt.NDArray[np.intp], tokens: Hashes, lines: npt.NDArray[np.intp], k: int
) -> tuple[npt.NDArray[np.intp], Hashes]:
    """Shingle owners (a text position, to find the note) and hashes."""
    n = tokens.size
    if n == 0:
        return positions, tokens
    owners: list[npt.NDArray[np.intp]] = []
    hashes: list[Hashes] = []
    if n >= k:
        window = np.zeros(n - k + 1, dtype=np.uint64)
        for j in range(k):
            window = window * _SHINGLE_MUL + tokens[j : n - k + 1 + j]
        inside = lines[: n - k + 1] == lines[k - 1 :]
        owners.append(positions[: n - k + 1][inside])
        hashes.append(window[inside])
    # Lines with fewer than k tokens become one shingle each (a heading-less short item).
    _, first, counts = np.unique(lines, return_index=True, return_counts=True)
    short = counts < k
    if short.any():
        for size in np.unique(counts[short]):
            starts = first[short & (counts == size)]
            value = np.zeros(starts.size, dtype=np.uint64)
            for j in range(int(size)):
                value = value * _SHINGLE_MUL + tokens[starts + j]
            owners.append(positions[starts])
            # Salted by length (Python ints: numpy warns when a scalar product wraps).
            hashes.append(value + np.uint64((int(_SALT_LINE) * int(size)) & _MASK))
    return np.concatenate(owners), _mix(np.concatenate(hashes))


def jaccard(a: Hashes, b: Hashes) -> float:
    """Exact Jaccard similarity of two sorted unique shingle sets (0 when both are empty)."""
    if a.size == 0 or b.size == 0:
        return 0.0
    if a.size > b.size:
        a, b = b, a
    # Each of the smaller set's shingles looked up in the larger (both sorted): a fifth of
    # intersect1d's time on the sets of notes, which matters at a hundred thousand pairs.
    found = np.searchsorted(b, a)
    found[found == b.size] = 0
    common = int(np.count_nonzero(b[found] == a))
    return float(common) / float(a.size + b.size - common)


# A shingle in more notes than this is boilerplate (a template's fixed lines, a standard
# footer), like a stop word in search: notes that share only it are not duplicates. The
# cutoff grows with the vault (a share of the notes) but never below a floor, so a small
# vault with a few real copies of one note keeps all its shingles.
COMMON_SHARE = 0.01
COMMON_FLOOR = 50


def common_cutoff(notes: int) -> int:
    """The most notes a shingle may occur in and still count (see ``COMMON_SHARE``)."""
    return max(COMMON_FLOOR, int(COMMON_SHARE * notes))


def common_shingles(sets: Sequence[Hashes], cutoff: int) -> Hashes:
    """The shingles that occur in more than ``cutoff`` of the (unique, sorted) sets."""
    if len(sets) <= cutoff:
        return np.zeros(0, dtype=np.uint64)
    values, counts = np.unique(np.concatenate(sets), return_counts=True)
    return values[counts > cutoff]


def without(shingles: Hashes, common: Hashes) -> Hashes:
    """A sorted unique shingle set less the common shingles."""
    if common.size == 0 or shingles.size == 0:
        return shingles
    return shingles[~np.isin(shingles, common, assume_unique=True)]
