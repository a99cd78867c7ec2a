"""Exact shingle sets by file content hash, kept in ``<vault>/.kgwiki/shingles.npz``.

Verifying candidate pairs, and finding the shingles common to many notes (a template's
boilerplate), needs every sketched note's exact shingle set; recomputing them from the text
was a third of ``kgwiki lint`` on a 10k-note vault. One numpy file holds them all — the keys,
the offsets of each set and the concatenated hashes — no pickle, ignored whenever unreadable or
made by other code or parameters (the key names the shingle size, kgwiki's duplicates, note
and markdown code, and the toolchain).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from kgwiki.duplicates.content_cache import ContentCache
from kgwiki.duplicates.shingles import Hashes
from kgwiki.util import atomic_write_bytes, source_hash
from kgwiki.versions import toolchain

_FILE = "shingles.npz"


def cache_key(shingle_size: int) -> str:
    package = Path(__file__).parent.parent
    code = "+".join(source_hash(package / name) for name in ("duplicates", "note", "markdown"))
    return f"k={shingle_size}|{code}|{toolchain()}"


class ShingleCache(ContentCache[Hashes]):
    """Shingle sets by content hash; ``save`` writes only when something was added or dropped."""

    def __init__(self, path: Path, key: str) -> None:
        super().__init__()
        self.path = path
        self.key = key

    @classmethod
    def open(cls, root: Path, cache_dir: str, shingle_size: int) -> ShingleCache:
        cache = cls(root / cache_dir / _FILE, cache_key(shingle_size))
        try:
            with np.load(cache.path, allow_pickle=False) as data:
                if str(data["key"]) != cache.key:
                    return cache
                keys, offsets, values = data["keys"], data["offsets"], data["values"]
                if offsets.shape != (keys.size + 1,) or int(offsets[-1]) != values.size:
                    return cache
                hashes = values.astype(np.uint64, copy=False)
                cache.entries = {str(k): hashes[int(offsets[i]):int(offsets[i + 1])]
                                 for i, k in enumerate(keys)}  # fmt: skip
        except Exception:  # missing, truncated, another format: computed again
            cache.entries = {}
        return cache

    def save(self) -> None:
        if not self.dirty:
            return
        keys = sorted(self.entries)
        sizes = np.array([self.entries[k].size for k in keys], dtype=np.int64)
        offsets = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        values = (np.concatenate([self.entries[k] for k in keys]) if keys
                  else np.zeros(0, dtype=np.uint64))  # fmt: skip
        buffer = io.BytesIO()
        np.savez(buffer, key=np.array(self.key), keys=np.array(keys, dtype=str),
                 offsets=offsets, values=values)  # fmt: skip
        try:
            atomic_write_bytes(self.path, buffer.getvalue())
        except OSError:
            return  # a read-only vault simply has no cache
        self.dirty = False
