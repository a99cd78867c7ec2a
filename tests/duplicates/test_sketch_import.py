"""Sketching a note loads datasketch's MinHash alone, and gives the library's own values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from kgwiki.duplicates import content_text
from kgwiki.duplicates.minhash import SketchParams, fold32
from kgwiki.duplicates.shingles import shingle_sets
from kgwiki.vault import Vault

# In a fresh interpreter: sketch every bundled note through kgwiki, then report what loaded,
# then import datasketch whole and check its classes are the ones the sketches were made by.
_PROBE = """
import json, sys
from pathlib import Path
from kgwiki.duplicates import content_text
from kgwiki.duplicates.minhash import SketchParams, lean, sketch_texts
from kgwiki.vault import Vault
vault = Vault.load(Path(sys.argv[1]))
paths = sorted(vault.notes)
sketches = list(sketch_texts([content_text(vault.notes[p]) for p in paths], SketchParams(), 1))
loaded = sorted(m for m in ("scipy", "scipy.integrate", "datasketch", "datasketch.lsh")
                if m in sys.modules)
first = next(s for s in sketches if s is not None)
import datasketch
from datasketch import LeanMinHash, MinHashLSH
report = {
    "loaded_while_sketching": loaded,
    "sketches": {p: None if s is None else s.tolist() for p, s in zip(paths, sketches)},
    "lean_is_library_class": type(lean(first, SketchParams())) is datasketch.LeanMinHash,
    "lsh_loads_after": MinHashLSH.__module__,
}
print(json.dumps(report))
"""


def _probe(vault_dir: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _PROBE, str(vault_dir)], capture_output=True,
                          text=True, check=True, timeout=120)  # fmt: skip
    report: dict[str, object] = json.loads(done.stdout)
    return report


def test_sketching_loads_neither_scipy_nor_the_lsh_modules(bundled_vault_dir: Path) -> None:
    report = _probe(bundled_vault_dir)
    assert report["loaded_while_sketching"] == []
    # the whole package imports afterwards, around the modules the sketches used
    assert report["lean_is_library_class"] is True
    assert report["lsh_loads_after"] == "datasketch.lsh"


def test_sketches_equal_the_library_minhash_of_the_same_shingles(bundled_vault_dir: Path) -> None:
    from datasketch import MinHash  # the package as a user imports it

    report = _probe(bundled_vault_dir)
    sketches = report["sketches"]
    assert isinstance(sketches, dict)
    vault = Vault.load(bundled_vault_dir)
    params = SketchParams()
    paths = sorted(vault.notes)
    shingles = shingle_sets([content_text(vault.notes[p]) for p in paths], params.shingle_size)
    compared = 0
    for path, hashes in zip(paths, shingles, strict=True):
        if sketches[path] is None:
            continue
        minhash = MinHash(num_perm=params.num_perm, seed=params.seed, hashfunc=int,
                          scheme="affine32")  # fmt: skip
        minhash.update_batch(fold32(hashes).tolist())
        assert sketches[path] == np.asarray(minhash.hashvalues, dtype=np.uint32).tolist(), path
        compared += 1
    assert compared >= 10
