"""The client index's posting lists, made for all terms at once from the kept term records,
are the lists ``encode`` makes term by term: on the bundled vault, and past the 65,536 terms
one radix pass holds. The records read back as they were written, or not at all. Document ids
depend on the set of notes alone and move only next to a note that comes or goes."""

from __future__ import annotations

import pickle
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from kgwiki.vault import Vault
from kgwiki.web.build.search_docs import encode, fnv1a, patch, search_doc
from kgwiki.web.build.search_postings import _stable_order, all_postings, doc_ids, id_places
from kgwiki.web.build.term_records import VOCABULARY, TermRecords

Counts = dict[str, int]


def _term_by_term(paths: list[str], counts: dict[str, Counts], shards: int
                  ) -> list[dict[str, list[int]]]:  # fmt: skip
    """The straightforward way: each term's postings gathered in a dict, encoded alone."""
    gathered: list[defaultdict[str, dict[int, int]]] = [defaultdict(dict) for _ in range(shards)]
    for path, doc_id in doc_ids(paths).items():
        for term, tf in counts.get(path, {}).items():
            gathered[fnv1a(term) % shards][term][doc_id] = tf
    return [{term: encode(entries) for term, entries in sorted(shard.items())}
            for shard in gathered]  # fmt: skip


def _postings(records: TermRecords, paths: list[str], counts: dict[str, Counts], shards: int
              ) -> list[dict[str, list[int]]]:  # fmt: skip
    """Through the records, as a build makes them."""
    columns = {}
    for path, c in counts.items():
        found = records.columns(records.encode(c))
        assert found is not None
        columns[path] = found
    return all_postings(doc_ids(paths), columns, records.terms, shards)


@pytest.mark.parametrize("shards", [1, 8, 64])
def test_the_bundled_vault_gives_the_same_lists(
    bundled_vault_dir: Path, tmp_path: Path, shards: int
) -> None:
    vault = Vault.load(bundled_vault_dir)
    counts = {str(p): search_doc(n, vault.config).counts for p, n in vault.notes.items()}
    paths = [*sorted(counts), "zz-no-terms.md"]  # a document without terms has no postings
    records = TermRecords(tmp_path / "terms")
    # a vocabulary that already holds terms of notes since removed, in another order
    records.encode({"zzz-gone": 1, "aaa-gone": 2})
    made = _postings(records, paths, counts, shards)
    assert made == _term_by_term(paths, counts, shards)
    assert all(list(shard) == sorted(shard) for shard in made)  # in term order, as the script
    assert sum(len(shard) for shard in made) == len({t for c in counts.values() for t in c})


def test_a_vocabulary_wider_than_sixteen_bits(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    words = [f"w{i:06d}" for i in range(70_000)]
    counts = {f"n{d:03d}.md": {words[int(i)]: int(rng.integers(1, 9))
                               for i in rng.choice(len(words), 900, replace=False)}
              for d in range(200)}  # fmt: skip
    paths = sorted(counts)
    made = _postings(TermRecords(tmp_path / "terms"), paths, counts, 16)
    assert made == _term_by_term(paths, counts, 16)


@pytest.mark.parametrize("distinct", [3, 1 << 16, (1 << 16) + 1, 1 << 20])
def test_the_order_is_numpys_stable_argsort(distinct: int) -> None:
    keys = np.random.default_rng(distinct).integers(0, distinct, 50_000)
    assert np.array_equal(_stable_order(keys, distinct), np.argsort(keys, kind="stable"))


def test_records_read_back_whole_across_builds(tmp_path: Path) -> None:
    folder = tmp_path / "terms"
    first = TermRecords(folder)
    kept = {"a.md": {"kafka": 4, "": 1, "카프": 2}, "b.md": {}, "c.md": {"kafka": 1, "zk": 9}}
    first.save({path: first.encode(c) for path, c in kept.items()})
    again = TermRecords(folder)  # the next build
    loaded = again.load(kept)
    assert {path: again.decode(r) for path, r in loaded.items()} == kept
    assert set(again.load_all()) == set(kept)
    # a later build numbers its new terms after the kept ones
    again.save({"d.md": again.encode({"new": 3, "kafka": 2})}, removed=["b.md"])
    third = TermRecords(folder)
    assert {p: third.decode(r) for p, r in third.load_all().items()} == {
        "a.md": kept["a.md"], "c.md": kept["c.md"], "d.md": {"new": 3, "kafka": 2}}


def test_damaged_records_read_as_missing(tmp_path: Path) -> None:
    folder = tmp_path / "terms"
    records = TermRecords(folder)
    good = records.encode({"x": 5, "y": 1})
    records.save({"a.md": good})
    assert records.decode((good[0], good[1][:4])) is None  # counts and terms differ in number
    assert records.decode((good[0][:3], good[1])) is None  # not whole numbers
    assert records.decode(((99).to_bytes(4, "little") * 2, good[1])) is None  # no such term
    assert records.columns((good[0], b"")) is None
    # records whose vocabulary is damaged cannot be read: none are kept
    (folder / VOCABULARY).write_bytes(pickle.dumps({"not": "a list"}))
    assert TermRecords(folder).load_all() == {}
    assert TermRecords(folder).terms == []


def test_no_terms_at_all(tmp_path: Path) -> None:
    records = TermRecords(tmp_path / "terms")
    assert all_postings(doc_ids(["a.md", "b.md"]), {}, records.terms, 4) == [{}, {}, {}, {}]
    empty = records.columns(records.encode({}))
    assert empty is not None
    assert all_postings(doc_ids(["a.md"]), {"a.md": empty}, records.terms, 2) == [{}, {}]


def _paths(count: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    folders = ["10_Wiki/AI", "10_Wiki/Topics", "20_Projects/atlas", "30_Inbox", "노트/개념"]
    return sorted({f"{folders[int(rng.integers(len(folders)))]}/note {int(i)}.md"
                   for i in rng.integers(0, 10 * count, count)})  # fmt: skip


@pytest.mark.parametrize("count", [1, 39, 1000, 10_000])
def test_document_ids_depend_on_the_set_of_notes_alone(count: int) -> None:
    paths = _paths(count, count)
    ids = doc_ids(paths)
    assert sorted(ids) == paths and len(set(ids.values())) == len(paths)
    assert doc_ids(reversed(paths)) == ids
    assert max(ids.values()) < id_places(len(paths)) + len(paths)
    assert id_places(len(paths)) >= 4 * len(paths)


def test_a_note_added_or_removed_moves_only_the_rest_of_its_run() -> None:
    """The notes that move are the ones after the new note up to the next free place, each
    by one: a fraction of a note per addition, whatever the new note's name."""
    paths = _paths(8000, 7)  # 7,600 notes in 32,768 places: near the fullest a table gets
    ids = doc_ids(paths)
    assert id_places(len(paths)) == id_places(len(paths) + 1)
    taken = set(ids.values())

    def moved_from(old: dict[str, int], new: dict[str, int], names: list[str]) -> set[int]:
        return {old[p] for p in names if new[p] != old[p]}

    moves = []
    for n in range(300):
        added = f"00_Inbox/added {n}.md" if n % 2 else f"zz/added {n}.md"
        now = doc_ids([*paths, added])
        moved = sorted(now[p] for p in paths if now[p] != ids[p])
        assert all(now[p] - ids[p] == 1 for p in paths if now[p] != ids[p])
        assert moved == list(range(now[added] + 1, now[added] + 1 + len(moved)))
        assert now[added] not in taken or now[added] in moved_from(ids, now, paths)
        assert doc_ids([p for p in now if p != added]) == ids  # removing it moves them back
        moves.append(len(moved))
    late, early = moves[0::2], moves[1::2]
    assert sum(m > 0 for m in early) >= 10 and sum(m > 0 for m in late) >= 10
    # as few for names sorting first as for those sorting last (ordered by path, 0.31 and 0.15)
    late_mean, early_mean = sum(late) / len(late), sum(early) / len(early)
    assert late_mean < 0.3 and early_mean < 0.3 and abs(early_mean - late_mean) < 0.1


def test_a_patched_list_is_the_list_of_the_changed_postings() -> None:
    rng = np.random.default_rng(11)
    for size in (0, 1, 2, 50, 3000):
        entries = {int(d): int(rng.integers(1, 40))
                   for d in rng.choice(60_000, size, replace=False)}  # fmt: skip
        present = list(entries)
        changes = {int(d): int(rng.integers(0, 9)) for d in rng.choice(60_000, 20)}
        changes.update({d: 0 for d in present[:3]})  # removed
        changes.update({d: 77 for d in present[3:5]})  # counted again
        expected = {d: c for d, c in {**entries, **changes}.items() if c}
        assert patch(encode(entries), changes) == encode(expected)
