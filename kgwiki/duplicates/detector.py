"""The near-duplicate detector: MinHash sketches in a datasketch ``MinHashLSH``, kept current.

Every candidate pair the index proposes is checked by the exact Jaccard similarity of the two
shingle sets (docs/duplicates.md) less the shingles common to many notes (a template's
boilerplate, ``shingles.common_cutoff``), so the threshold means exactly what it says and
notes that share only a template are not duplicates. Adding, changing or removing one note
costs one sketch and one index update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import numpy as np

from kgwiki import clock
from kgwiki.duplicates.keep import DuplicatePair, backlink_sources, choose_keep
from kgwiki.duplicates.minhash import (
    MIN_SHINGLES,
    Sketch,
    SketchCache,
    SketchParams,
    band_params,
    banded_pairs,
    lean,
    lsh_class,
    sketch_of,
    sketch_texts,
)
from kgwiki.duplicates.shingle_cache import ShingleCache
from kgwiki.duplicates.shingles import (
    Hashes,
    common_cutoff,
    common_shingles,
    jaccard,
    shingle_sets,
    without,
)
from kgwiki.duplicates.text import content_text
from kgwiki.note import Note
from kgwiki.trust import assess_all
from kgwiki.types import NotePath
from kgwiki.util import progress
from kgwiki.vault import Vault

if TYPE_CHECKING:
    from datasketch import MinHashLSH

__all__ = ["ESTIMATE_SLACK", "MIN_THRESHOLD", "NUM_PERM", "DuplicateDetector", "band_params",
           "exact_shingles"]  # fmt: skip

# Below this Jaccard similarity notes are related, not duplicates; the LSH bands would need
# two rows each, and a 10k-note vault then has millions of candidate pairs.
MIN_THRESHOLD = 0.5
# Candidates whose MinHash estimate is this far below the threshold are not verified: with
# 128 permutations that is over three standard deviations of the estimate.
ESTIMATE_SLACK = 0.15
NUM_PERM = 128  # permutations per sketch
_SHINGLE_BATCH = 500  # notes shingled together when every note's set is needed
_SAVE_AFTER = 32  # shingle sets computed before the cache file is written again


class DuplicateDetector:
    """Near-duplicate detection over one vault, kept current note by note."""

    def __init__(
        self,
        vault: Vault,
        *,
        threshold: float | None = None,
        shingle_size: int | None = None,
        num_perm: int = NUM_PERM,
        jobs: int | None = None,
        use_cache: bool = True,
        show_progress: bool = False,
    ) -> None:
        self.vault = vault
        self.threshold = _checked(vault.config.duplicate_threshold if threshold is None
                                  else threshold)  # fmt: skip
        self.params = SketchParams(shingle_size or vault.config.shingle_size, num_perm)
        self._sketches: dict[NotePath, Sketch] = {}
        self._versions: dict[NotePath, str] = {}
        self._changes = 0  # bumped by every sketch stored or removed (for the memo of find)
        self._found: tuple[tuple[object, ...], list[DuplicatePair]] | None = None
        # Shingle sets of sketched notes (made on the first query, then note by note) and the
        # common shingles among them, for the number of changes they were counted at.
        self._shingles: dict[NotePath, Hashes] = {}
        self._common: tuple[int, Hashes] | None = None
        # The bands of the index; datasketch's MinHashLSH itself is built only for queries
        # about one note (``candidates``): finding every pair reads the bands in numpy, and
        # inserting 10,000 sketches into MinHashLSH alone took two seconds.
        self._lsh_threshold = self.threshold
        self._lsh: MinHashLSH | None = None
        self._use_cache = use_cache
        self._index_all(jobs, use_cache, show_progress)

    @classmethod
    def from_vault(cls, vault: Vault, **options: Any) -> DuplicateDetector:
        """The same as ``DuplicateDetector(vault, **options)``."""
        return cls(vault, **options)

    def _index(self) -> MinHashLSH:
        """datasketch's LSH index over every sketch, built on the first single-note query."""
        if self._lsh is None:
            params = band_params(self._lsh_threshold, self.params.num_perm)
            lsh = lsh_class()(num_perm=self.params.num_perm, params=params)
            with lsh.insertion_session() as session:
                for path, sketch in list(self._sketches.items()):
                    session.insert(path, lean(sketch, self.params), check_duplication=False)
            self._lsh = lsh  # complete before anyone else can see it
        return self._lsh

    def _index_all(self, jobs: int | None, use_cache: bool, show: bool) -> None:
        notes = list(self.vault.notes.values())
        cache = (SketchCache.open(self.vault.root, self.vault.config.cache_dir, self.params)
                 if use_cache else None)  # fmt: skip
        todo = [n for n in notes if cache is None or cache.get(n.content_hash) is None]
        texts = [content_text(note) for note in todo]
        computed = progress(sketch_texts(texts, self.params, jobs), len(texts), "sketching", show)
        for note, sketch in zip(todo, computed, strict=True):
            if sketch is not None and cache is not None:
                cache.put(note.content_hash, sketch)
            self._store(note, sketch)
        if cache is not None:
            for note in notes:
                hit = cache.get(note.content_hash)
                if hit is not None and note.path not in self._versions:
                    self._store(note, hit)
            cache.keep_only({note.content_hash: None for note in notes})
            cache.save()

    def _store(self, note: Note, sketch: Sketch | None) -> None:
        self._changes += 1
        self._shingles.pop(note.path, None)
        self._versions[note.path] = note.content_hash
        if sketch is not None:
            self._sketches[note.path] = sketch

    # -- incremental ---------------------------------------------------------------------

    def add(self, note: Note) -> None:
        """Index one new or changed note (one sketch, one index update)."""
        if self._versions.get(note.path) == note.content_hash:
            return
        self.remove(note.path)
        shingles = shingle_sets([content_text(note)], self.params.shingle_size)[0]
        sketch = sketch_of(shingles, self.params)
        self._store(note, sketch)
        if note.path in self._sketches and self._lsh is not None:
            self._lsh.insert(note.path, lean(self._sketches[note.path], self.params),
                             check_duplication=False)  # fmt: skip

    def remove(self, path: NotePath) -> None:
        self._changes += 1
        self._shingles.pop(path, None)
        self._versions.pop(path, None)
        if self._sketches.pop(path, None) is not None and self._lsh is not None:
            self._lsh.remove(path)

    def update(self, item: Note | NotePath) -> None:
        """Follow the vault after ``vault.refresh_file`` or ``vault.remove_note``.

        Given a path, the note is read from the vault (gone from it: removed here too).
        """
        if isinstance(item, Note):
            self.add(item)
            return
        note = self.vault.notes.get(item)
        if note is None:
            self.remove(item)
        else:
            self.add(note)

    def __len__(self) -> int:
        return len(self._versions)

    def unsketched(self) -> list[NotePath]:
        """Notes too short to sketch (they can be no one's near duplicate)."""
        return sorted(p for p in self._versions if p not in self._sketches)

    def __contains__(self, path: object) -> bool:
        return path in self._versions

    # -- queries -------------------------------------------------------------------------

    def _ready(self, threshold: float) -> None:
        """Bands for ``threshold``: they only ever widen (a lower threshold needs more)."""
        _checked(threshold)
        if threshold < self._lsh_threshold:
            self._lsh_threshold = threshold
            self._lsh = None

    def candidates(self, path: NotePath, threshold: float | None = None) -> list[NotePath]:
        """Notes the index proposes for ``path`` (unverified), best estimate first."""
        limit = self.threshold if threshold is None else threshold
        self._ready(limit)
        sketch = self._sketches.get(path)
        if sketch is None:
            return []
        found = [(_estimate(sketch, self._sketches[other]), other)
                 for other in self._index().query(lean(sketch, self.params))
                 if other != path]  # fmt: skip
        return [other for estimate, other in sorted(found, reverse=True)
                if estimate >= limit - ESTIMATE_SLACK]  # fmt: skip

    def similar(
        self, path: NotePath, threshold: float | None = None
    ) -> list[tuple[NotePath, float]]:
        """Notes whose exact similarity to ``path`` reaches the threshold, most similar first."""
        limit = self.threshold if threshold is None else threshold
        proposed = {(min(path, o), max(path, o)) for o in self.candidates(path, limit)}
        found = [(b if a == path else a, sim) for a, b, sim in self._verify(proposed, limit)]
        return sorted(found, key=lambda item: -item[1])

    def find(self, threshold: float | None = None, *, today: dt.date | None = None
             ) -> list[DuplicatePair]:  # fmt: skip
        """Every near-duplicate pair at or above the threshold, most similar first.

        The answer is kept until a note changes (the lint report and the duplicates page both
        ask for it).
        """
        limit = self.threshold if threshold is None else threshold
        key = (limit, today or clock.today(), self._changes, self.vault.version)
        if self._found is not None and self._found[0] == key:
            return list(self._found[1])
        pairs = self._find(limit, today)
        self._found = (key, pairs)
        return list(pairs)

    def _find(self, limit: float, today: dt.date | None) -> list[DuplicatePair]:
        self._ready(limit)
        proposed = self._proposed(limit - ESTIMATE_SLACK)
        verified = self._verify(proposed, limit)
        if not verified:
            return []
        trusts = assess_all(self.vault, today=today)
        backlinks = backlink_sources(self.vault)
        evidence = (f"Jaccard {{:.2f}} over shingles of {self.params.shingle_size} words "
                    "(less those common to many notes)")  # fmt: skip
        pairs = []
        for a, b, similarity in verified:
            keep, reason = choose_keep(self.vault, a, b, trusts=trusts, today=today,
                                       backlinks=backlinks)  # fmt: skip
            pairs.append(DuplicatePair(a, b, similarity, keep, reason, "content",
                                       evidence.format(similarity)))  # fmt: skip
        return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))

    def _proposed(self, least: float) -> list[tuple[NotePath, NotePath]]:
        """Pairs sharing a bucket in some band whose MinHash estimate reaches ``least``
        (``minhash.banded_pairs``: numpy over the bands, a chain through crowded buckets)."""
        paths = sorted(self._sketches)
        if len(paths) < 2:
            return []
        matrix = np.stack([self._sketches[p] for p in paths])
        bands, rows = band_params(self._lsh_threshold, self.params.num_perm)
        first, second = banded_pairs(matrix, bands, rows, least)
        return [(paths[a], paths[b]) for a, b in zip(first.tolist(), second.tolist(),
                                                       strict=True)]  # fmt: skip

    def distinctive(self, paths: Iterable[NotePath]) -> dict[NotePath, Hashes]:
        """The shingle sets of some sketched notes less the shingles common to many notes."""
        sets = self._all_shingles()
        common = self.common_shingles()
        return {path: without(sets[path], common) for path in paths}

    def common_shingles(self) -> Hashes:
        """The shingles common to many notes (a template's boilerplate), which the similarity
        leaves out; counted over the current notes (a local build keeps them for its probe)."""
        if self._common is None or self._common[0] != self._changes:
            sets = self._all_shingles()
            cutoff = common_cutoff(len(self._versions))
            self._common = (self._changes, common_shingles(list(sets.values()), cutoff))
        return self._common[1]

    def _all_shingles(self) -> dict[NotePath, Hashes]:
        missing = [p for p in self._sketches if p not in self._shingles]
        if not missing:
            return self._shingles
        config = self.vault.config
        cache = (ShingleCache.open(self.vault.root, config.cache_dir, self.params.shingle_size)
                 if self._use_cache else None)  # fmt: skip
        todo = []
        for path in missing:
            hit = cache.get(self._versions[path]) if cache is not None else None
            if hit is None:
                todo.append(path)
            else:
                self._shingles[path] = hit
        computed = exact_shingles(self.vault, todo, self.params.shingle_size)
        self._shingles.update(computed)
        if cache is not None and len(todo) >= _SAVE_AFTER:  # not for a note or two (serve)
            for path, shingles in computed.items():
                cache.put(self._versions[path], shingles)
            cache.keep_only(dict.fromkeys(self._versions.values()))
            cache.save()
        return self._shingles

    def _verify(self, pairs: Iterable[tuple[NotePath, NotePath]], threshold: float
                ) -> list[tuple[NotePath, NotePath, float]]:  # fmt: skip
        wanted = sorted(pairs)
        sets = self.distinctive({p for pair in wanted for p in pair})
        out = []
        for a, b in wanted:
            one, other = sets[a], sets[b]
            if one.size < MIN_SHINGLES or other.size < MIN_SHINGLES:
                continue  # little left but boilerplate: a template filled in, not a copy
            similarity = jaccard(one, other)
            if similarity >= threshold:
                out.append((a, b, similarity))
        return out


def _estimate(a: Sketch, b: Sketch) -> float:
    """The MinHash estimate of Jaccard similarity: the share of equal minima."""
    return float(np.count_nonzero(a == b)) / a.size


def _checked(threshold: float) -> float:
    if not MIN_THRESHOLD <= threshold <= 1.0:
        raise ValueError(f"duplicate threshold {threshold} is outside {MIN_THRESHOLD}..1")
    return threshold


def exact_shingles(vault: Vault, paths: Iterable[NotePath], k: int) -> dict[NotePath, Hashes]:
    """The shingle sets of some notes (recomputed: only candidate pairs ever need them)."""
    ordered = sorted(paths)
    found: dict[NotePath, Hashes] = {}
    for start in range(0, len(ordered), _SHINGLE_BATCH):  # numpy's scratch is ~25x the text
        part = ordered[start : start + _SHINGLE_BATCH]
        sets = shingle_sets([content_text(vault.notes[p]) for p in part], k)
        found.update(zip(part, sets, strict=True))
    return found
