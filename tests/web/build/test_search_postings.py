"""The client index's posting lists, made for all terms at once, are the lists ``encode``
makes term by term: on the bundled vault, and past the 65,536 terms one radix pass holds."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from kgwiki.vault import Vault
from kgwiki.web.build.search_docs import encode, fnv1a, search_doc
from kgwiki.web.build.search_writer import _stable_order, all_postings, pack, unpack


def _term_by_term(paths: list[str], counts: dict[str, dict[str, int]], shards: int
                  ) -> list[dict[str, list[int]]]:  # fmt: skip
    """The straightforward way: each term's postings gathered in a dict, encoded alone."""
    gathered: list[defaultdict[str, dict[int, int]]] = [defaultdict(dict) for _ in range(shards)]
    for doc_id, path in enumerate(paths):
        for term, tf in counts.get(path, {}).items():
            gathered[fnv1a(term) % shards][term][doc_id] = tf
    return [{term: encode(entries) for term, entries in sorted(shard.items())}
            for shard in gathered]  # fmt: skip


@pytest.mark.parametrize("shards", [1, 8, 64])
def test_the_bundled_vault_gives_the_same_lists(bundled_vault_dir: Path, shards: int) -> None:
    vault = Vault.load(bundled_vault_dir)
    counts = {str(p): search_doc(n, vault.config).counts for p, n in vault.notes.items()}
    paths = [*sorted(counts), "zz-no-terms.md"]  # a document without terms has no postings
    made = all_postings(paths, counts, shards)
    assert made == _term_by_term(paths, counts, shards)
    # the same from the counts as a build keeps them (packed), and from a mix of both
    packed = {path: pack(c) for path, c in counts.items()}
    assert all(unpack(packed[path]) == c for path, c in counts.items())
    assert all_postings(paths, packed, shards) == made
    mixed = {path: packed[path] if i % 2 else c for i, (path, c) in enumerate(counts.items())}
    assert all_postings(paths, mixed, shards) == made
    assert list(made[0]) == sorted(made[0])  # each shard in term order, as the script is
    assert sum(len(shard) for shard in made) == len({t for c in counts.values() for t in c})


def test_a_vocabulary_wider_than_sixteen_bits() -> None:
    rng = np.random.default_rng(5)
    words = [f"w{i:06d}" for i in range(70_000)]
    counts = {f"n{d:03d}.md": {words[int(i)]: int(rng.integers(1, 9))
                               for i in rng.choice(len(words), 900, replace=False)}
              for d in range(200)}  # fmt: skip
    paths = sorted(counts)
    assert all_postings(paths, counts, 16) == _term_by_term(paths, counts, 16)


@pytest.mark.parametrize("distinct", [3, 1 << 16, (1 << 16) + 1, 1 << 20])
def test_the_order_is_numpys_stable_argsort(distinct: int) -> None:
    keys = np.random.default_rng(distinct).integers(0, distinct, 50_000)
    assert np.array_equal(_stable_order(keys, distinct), np.argsort(keys, kind="stable"))


def test_a_packed_record_is_read_back_whole_or_not_at_all() -> None:
    """An empty term is a term (no analysis makes one, but packing must not lose it), and a
    record whose terms and counts differ in number is damaged: read as no record, as an
    unreadable bucket is, never as counts shifted onto other documents."""
    odd = {"": 3, "x": 2}
    assert unpack(pack(odd)) == odd
    assert unpack(pack({"": 3})) == {"": 3}
    damaged = (pack({"x": 5, "y": 1})[0], pack({"x": 5})[1])
    assert unpack(damaged) == {}
    made = all_postings(["a.md", "b.md", "c.md"],
                        {"a.md": pack({"": 3}), "b.md": damaged, "c.md": pack({"x": 5})}, 1)
    assert made == [{"": [0, 3], "x": [2, 5]}]


def test_no_terms_at_all() -> None:
    assert all_postings(["a.md", "b.md"], {"a.md": {}}, 4) == [{}, {}, {}, {}]
    assert all_postings(["a.md"], {"a.md": pack({})}, 2) == [{}, {}]
    assert unpack(pack({})) == {}
