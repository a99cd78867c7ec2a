"""Small segments are folded by re-indexing, so many one-note updates keep few segments."""

from __future__ import annotations

import shutil
from pathlib import Path

from paths import ROOTS

from kgwiki.search import SearchIndex
from kgwiki.search.merge import BIG, FOLD_FACTOR, SegmentInfo, tier, to_fold
from kgwiki.types import NotePath
from kgwiki.vault import Vault

MINI = ROOTS / "search-mini"


def _segment(name: str, size: int) -> SegmentInfo:
    return SegmentInfo(name, size, tuple(NotePath(f"{name}-{i}.md") for i in range(size)))


def test_tiers_grow_by_the_fold_factor() -> None:
    assert [tier(n) for n in (1, FOLD_FACTOR - 1, FOLD_FACTOR, FOLD_FACTOR**2, BIG - 1)] == [
        0, 0, 1, 2, 2]  # fmt: skip


def test_the_lowest_crowded_tier_is_folded_and_big_segments_never() -> None:
    small = [_segment(f"s{i}", 1) for i in range(FOLD_FACTOR)]
    middle = [_segment(f"m{i}", FOLD_FACTOR) for i in range(FOLD_FACTOR)]
    big = [_segment(f"b{i}", BIG) for i in range(FOLD_FACTOR)]
    assert to_fold([*big, *middle, *small]) == small
    assert to_fold([*big, *middle, *small[:-1]]) == middle
    assert to_fold([*big, *small[:-1]]) == []


def test_many_one_note_updates_keep_few_segments(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(MINI, root)
    vault = Vault.load(root, use_cache=False)
    with SearchIndex.open(vault, tmp_path / "index") as index:
        index.update(vault)
        notes = sorted(vault.notes)
        most = 0
        for round_ in range(3 * FOLD_FACTOR):
            path = notes[round_ % len(notes)]
            note = root / path
            note.write_text(note.read_text("utf-8") + f"\nedit{round_}marker\n", "utf-8")
            vault = Vault.load(root, use_cache=False)
            done = index.update(vault)
            assert done.changed == (path,) and not done.added and not done.removed
            assert len(index) == len(vault.notes)
            assert [h.path for h in index.search(f"edit{round_}marker").hits] == [path]
            most = max(most, index.segment_count)
        assert most <= 2 * FOLD_FACTOR  # one segment per update without folding
        for path in notes:  # every note is still there, once
            assert [h.path for h in index.search(f'path:"{Path(path).stem}"').hits] == [path]
