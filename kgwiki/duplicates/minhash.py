"""MinHash sketches of notes (datasketch), computed in batches, on both cores, and cached.

A sketch is ``num_perm`` 32-bit minima over a note's shingle hashes. Computing them is the
expensive part of a duplicate scan, so: shingles are hashed in numpy
(:mod:`kgwiki.duplicates.shingles`), fed to ``MinHash.update_batch`` as integers with an
identity hash (no per-shingle SHA-1), chunks run in a process pool when there are many, and
sketches are cached by file content hash in ``<vault>/.kgwiki/minhash.npz`` (numpy's format,
no pickle; ignored whenever unreadable or made with other parameters).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import os
import sys
import threading
import types
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from kgwiki import __version__
from kgwiki.duplicates.content_cache import ContentCache
from kgwiki.duplicates.shingles import TOKENIZER_VERSION, Hashes, shingle_sets
from kgwiki.util import atomic_write_bytes

if TYPE_CHECKING:  # datasketch loads only to sketch (``sketch_classes``)
    from datasketch import LeanMinHash, MinHash, MinHashLSH

Sketch = npt.NDArray[np.uint32]

# Fewer shingles than this and a note is a stub: two stubs ("TODO") are alike, not duplicates.
MIN_SHINGLES = 8
_CHUNK = 200
_PARALLEL_MIN = 800
_CACHE_FILE = "minhash.npz"
_SCHEME = "affine32"
# The index must propose a pair at the threshold with at least this probability.
LSH_RECALL = 0.995
# A band bucket holding more notes than this is boilerplate they share (a template's fixed
# lines win those minima), not one note copied this often: its members are proposed in a
# chain (each with the next), enough to join a real group of copies into one cluster, instead
# of every pair (the square of thousands of template notes).
BUCKET_CAP = 64
_ESTIMATE_CHUNK = 100_000
_MERGE_EVERY = 4_000_000  # pair codes collected before duplicates are merged away


@dataclass(frozen=True, slots=True)
class SketchParams:
    """What a sketch depends on; a cache made with other parameters is not used."""

    shingle_size: int = 3
    num_perm: int = 128
    seed: int = 1

    def key(self) -> str:
        return (f"kgwiki {__version__} tokens {TOKENIZER_VERSION} k {self.shingle_size} "
                f"datasketch {_datasketch_version()} {_SCHEME} perm {self.num_perm} "
                f"seed {self.seed}")  # fmt: skip


@lru_cache(maxsize=1)
def _datasketch_version() -> str:
    return version("datasketch")


_IMPORTING = threading.Lock()  # the stand-in package below is visible to every thread


def sketch_classes() -> tuple[type[MinHash], type[LeanMinHash]]:
    """datasketch's ``MinHash`` and ``LeanMinHash``, without running its package ``__init__``.

    ``datasketch/__init__`` imports every structure the library has, and its LSH modules
    import ``scipy.integrate`` to tune band parameters kgwiki chooses itself
    (``band_params``): 0.35–0.45 s of a one-note build, most of the time sketching the note
    took. Under an empty stand-in for the package (a module with the package's ``__path__``,
    in ``sys.modules`` for the length of the import) only the two modules a sketch needs
    load. The stand-in is then removed, so a later ``import datasketch`` (``lsh_class``, a
    test) runs the real ``__init__``, which finds and reuses the modules loaded here.
    """
    with _IMPORTING:
        module = sys.modules.get("datasketch.lean_minhash")
        if module is None and "datasketch" not in sys.modules:
            spec = importlib.util.find_spec("datasketch")
            if spec is None or not spec.submodule_search_locations:
                raise ModuleNotFoundError("datasketch is not installed", name="datasketch")
            stand_in = types.ModuleType("datasketch")
            stand_in.__path__ = list(spec.submodule_search_locations)
            sys.modules["datasketch"] = stand_in
            try:
                module = importlib.import_module("datasketch.lean_minhash")
            finally:
                if sys.modules.get("datasketch") is stand_in:
                    del sys.modules["datasketch"]
        elif module is None:
            module = importlib.import_module("datasketch.lean_minhash")
    minhash: type[MinHash] = module.MinHash
    lean_minhash: type[LeanMinHash] = module.LeanMinHash
    return minhash, lean_minhash


def lsh_class() -> type[MinHashLSH]:
    """datasketch's ``MinHashLSH`` (the whole package: the live server's one-note queries)."""
    with _IMPORTING:
        module = importlib.import_module("datasketch")
    lsh: type[MinHashLSH] = module.MinHashLSH
    return lsh


@lru_cache(maxsize=4)
def _template(num_perm: int, seed: int) -> MinHash:
    # Permutations are drawn once per process and copied for every note. The shingles are
    # hashed already, so the "hash function" is ``int``: a C call, not SHA-1 per shingle.
    minhash, _ = sketch_classes()
    return minhash(num_perm=num_perm, seed=seed, hashfunc=int, scheme=_SCHEME)


def fold32(hashes: Hashes) -> npt.NDArray[np.uint32]:
    """64-bit shingle hashes as the 32-bit values the affine32 MinHash scheme takes."""
    return ((hashes >> np.uint64(32)) ^ hashes).astype(np.uint32)


def sketch_of(shingles: Hashes, params: SketchParams) -> Sketch | None:
    """A note's MinHash values, or None for a stub (fewer than MIN_SHINGLES shingles)."""
    if shingles.size < MIN_SHINGLES:
        return None
    minhash = _template(params.num_perm, params.seed).copy()
    minhash.update_batch(fold32(shingles).tolist())
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def lean(sketch: Sketch, params: SketchParams) -> LeanMinHash:
    _, lean_minhash = sketch_classes()
    return lean_minhash(seed=params.seed, hashvalues=sketch, scheme=_SCHEME)


def _sketch_chunk(job: tuple[Sequence[str], SketchParams]) -> list[Sketch | None]:
    texts, params = job
    return [sketch_of(s, params) for s in shingle_sets(texts, params.shingle_size)]


def sketch_texts(
    texts: Sequence[str], params: SketchParams, jobs: int | None = None
) -> Iterator[Sketch | None]:
    """Sketches of many texts in order; a process pool once there are enough to pay for it."""
    chunks = [(texts[i : i + _CHUNK], params) for i in range(0, len(texts), _CHUNK)]
    workers = jobs or os.cpu_count() or 1
    if workers == 1 or len(texts) < _PARALLEL_MIN:
        for chunk in chunks:
            yield from _sketch_chunk(chunk)
        return
    # Made here before the fork, the template (datasketch and scipy imported, permutations
    # drawn: a third of a second) is inherited by every worker instead of made in each.
    _template(params.num_perm, params.seed)
    with ProcessPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
        for result in pool.map(_sketch_chunk, chunks):
            yield from result


def band_params(threshold: float, num_perm: int, recall: float = LSH_RECALL) -> tuple[int, int]:
    """LSH (bands, rows): the most rows per band that still find pairs at ``threshold``.

    datasketch's own choice balances misses against false candidates and finds only ~87% of
    pairs exactly at the threshold; false candidates are cheap here (they are verified), so
    recall decides.
    """
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands < 2:
            break
        if 1.0 - (1.0 - threshold**rows) ** bands >= recall:
            best = (bands, rows)
    return best


Indexes = npt.NDArray[np.intp]


def banded_pairs(matrix: npt.NDArray[np.uint32], bands: int, rows: int, least: float,
                 cap: int = BUCKET_CAP) -> tuple[Indexes, Indexes]:  # fmt: skip
    """Row pairs (first < second) sharing a bucket in some band, MinHash estimate >= least.

    The buckets are those of datasketch's MinHashLSH with the same bands (a band's values
    equal, bucket shared), grouped in numpy; buckets over ``cap`` give a chain, not every
    pair. Pairs are merged band by band, so memory follows the distinct pairs.
    """
    size = np.intp(matrix.shape[0])
    codes = np.zeros(0, dtype=np.intp)
    pending: list[Indexes] = []
    waiting = 0
    for band in range(bands):
        columns = np.ascontiguousarray(matrix[:, band * rows : (band + 1) * rows])
        keys = columns.view(np.dtype((np.void, columns.dtype.itemsize * rows))).ravel()
        _, bucket, sizes = np.unique(keys, return_inverse=True, return_counts=True)
        members = np.flatnonzero(sizes[bucket] > 1)
        if not members.size:
            continue
        order = members[np.argsort(bucket[members], kind="stable")]
        starts = np.flatnonzero(np.diff(bucket[order], prepend=-1))
        found: list[Indexes] = []
        for group in np.split(order, starts[1:]):
            if group.size > cap:
                found.append(group[:-1] * size + group[1:])
            else:
                i, j = np.triu_indices(group.size, 1)
                found.append(group[i] * size + group[j])
        pending += found
        waiting += sum(part.size for part in found)
        if waiting > _MERGE_EVERY:  # dedupe now and then, so memory follows distinct pairs
            codes, pending, waiting = np.unique(np.concatenate([codes, *pending])), [], 0
    codes = np.unique(np.concatenate([codes, *pending]))
    first, second = codes // size, codes % size
    keep = np.zeros(codes.size, dtype=bool)
    for start in range(0, codes.size, _ESTIMATE_CHUNK):
        part = slice(start, start + _ESTIMATE_CHUNK)
        agree = (matrix[first[part]] == matrix[second[part]]).mean(axis=1)
        keep[part] = agree >= least
    return first[keep], second[keep]


class SketchCache(ContentCache[Sketch]):
    """Sketches by file content hash, read from and written to ``<vault>/.kgwiki/``."""

    def __init__(self, path: Path, params: SketchParams) -> None:
        super().__init__()
        self.path = path
        self.params = params

    @classmethod
    def open(cls, root: Path, cache_dir: str, params: SketchParams) -> SketchCache:
        cache = cls(root / cache_dir / _CACHE_FILE, params)
        try:
            with np.load(cache.path, allow_pickle=False) as data:
                if str(data["params"]) != params.key():
                    return cache
                keys, values = data["keys"], data["values"]
                if values.ndim != 2 or values.shape != (keys.size, params.num_perm):
                    return cache
                rows = values.astype(np.uint32)
                cache.entries = {str(k): v for k, v in zip(keys, rows, strict=True)}
        except Exception:
            cache.entries = {}
        return cache

    def save(self) -> None:
        if not self.dirty:
            return
        keys = np.array(sorted(self.entries), dtype=str)
        values = (np.stack([self.entries[k] for k in keys]) if keys.size
                  else np.zeros((0, self.params.num_perm), dtype=np.uint32))  # fmt: skip
        buffer = io.BytesIO()
        np.savez(buffer, params=np.array(self.params.key()), keys=keys, values=values)
        try:
            atomic_write_bytes(self.path, buffer.getvalue())
        except OSError:
            return  # a read-only vault simply has no cache
        self.dirty = False
