"""Each note's term counts, kept between builds for the client search index.

A note's record is two arrays of 32-bit integers: the numbers of its terms in a vocabulary
kept beside the records (``vocabulary.pickle``), and their counts. A build that writes the
whole index (the id table outgrew its size, the shard count changed, a record was lost) reads
every record and sorts all postings by term: as arrays the 10,000 records of the benchmark
vault are read and joined in a tenth of a second, where dicts of strings took a second to read
and their 5.7 million strings as long again to be numbered once more. An edit, an addition or
a removal reads the records of the notes it changes or moves only.

The vocabulary only grows (a removed note's terms keep their numbers) and is written before
the records that use it, so a record never names a number it lacks; a build that counts every
note afresh starts a new one. A build interrupted meanwhile leaves its marker, and the next
one clears the build's cache. A record naming a number the vocabulary lacks, or whose arrays
differ in length, is damaged and reads as missing, as an unreadable bucket does.
"""

from __future__ import annotations

import pickle
import shutil
from array import array
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kgwiki.util import atomic_write_bytes
from kgwiki.web.build.buckets import Buckets

VOCABULARY = "vocabulary.pickle"
Counts = dict[str, int]
Record = tuple[bytes, bytes]  # term numbers, counts: array("I") bytes each
Columns = tuple[Any, Any]  # the same as numpy arrays


class TermRecords:
    """The records of one output folder's notes, in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.buckets = Buckets(folder)
        self._terms: list[str] | None = None
        self._numbers: dict[str, int] = {}
        self._written = 0  # how many terms the vocabulary file holds

    @property
    def terms(self) -> list[str]:
        """The vocabulary: a term's number is its place here."""
        if self._terms is None:
            terms = _read_vocabulary(self.folder / VOCABULARY)
            if terms is None:  # records without their vocabulary cannot be read: none kept
                self.restart()
                terms = []
            self._terms, self._numbers = terms, {term: i for i, term in enumerate(terms)}
            self._written = len(terms)
        return self._terms

    def restart(self) -> None:
        """Forget every record and the vocabulary (every note is about to be counted)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._terms, self._numbers, self._written = [], {}, 0

    def encode(self, counts: Counts) -> Record:
        """``counts`` as a record, numbering the terms the vocabulary lacks."""
        terms, numbers = self.terms, self._numbers
        for term in sorted(counts.keys() - numbers.keys()):
            numbers[term] = len(terms)
            terms.append(term)
        return (array("I", map(numbers.__getitem__, counts)).tobytes(),
                array("I", counts.values()).tobytes())  # fmt: skip

    def decode(self, record: Record) -> Counts | None:
        """The counts of a record (None when it is damaged)."""
        columns = self._arrays(record)
        if columns is None:
            return None
        terms = self.terms
        return {terms[number]: count for number, count in zip(*columns, strict=True)}

    def columns(self, record: Record) -> Columns | None:
        """A record's term numbers and counts as numpy arrays (None when it is damaged)."""
        import numpy as np

        try:  # np.uintc: C's unsigned int, which array("I") holds
            numbers, counts = np.frombuffer(record[0], np.uintc), np.frombuffer(record[1], np.uintc)
        except (TypeError, ValueError, IndexError):
            return None
        if len(numbers) != len(counts) or (len(numbers) and int(numbers.max()) >= len(self.terms)):
            return None
        return numbers, counts

    def _arrays(self, record: Record) -> tuple[array[int], array[int]] | None:
        try:
            numbers, counts = array("I", record[0]), array("I", record[1])
        except (TypeError, ValueError, IndexError):
            return None
        if len(numbers) != len(counts) or (numbers and max(numbers) >= len(self.terms)):
            return None
        return numbers, counts

    def load(self, paths: Iterable[str]) -> dict[str, Record]:
        """The records of ``paths`` that are kept (the vocabulary read first: without it, none
        are)."""
        _ = self.terms
        return self.buckets.load(paths)

    def load_all(self) -> dict[str, Record]:
        _ = self.terms
        return self.buckets.load_all()

    def save(self, records: Mapping[str, Record], removed: Iterable[str] = ()) -> None:
        """Store ``records`` and forget ``removed``; the vocabulary first, when it grew."""
        terms = self.terms
        if len(terms) > self._written or not (self.folder / VOCABULARY).is_file():
            atomic_write_bytes(self.folder / VOCABULARY,
                               pickle.dumps(terms, protocol=pickle.HIGHEST_PROTOCOL))  # fmt: skip
            self._written = len(terms)
        self.buckets.save(records, removed)


def _read_vocabulary(file: Path) -> list[str] | None:
    """The vocabulary in ``file`` ([] when there is none yet; None when it is damaged)."""
    if not file.parent.is_dir() or not any(file.parent.iterdir()):
        return []
    try:
        with file.open("rb") as handle:
            terms = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
        return None
    return terms if isinstance(terms, list) and all(isinstance(t, str) for t in terms) else None
