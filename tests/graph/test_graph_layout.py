"""The graph view's layout: every note placed, deterministic, structure-revealing, cached."""

from __future__ import annotations

import itertools
import math
import shutil
from pathlib import Path

import numpy as np
import pytest
from paths import ROOTS

from kgwiki.graph import KnowledgeGraph
from kgwiki.graph import layout as graph_layout
from kgwiki.vault import Vault

DATA = ROOTS / "graph"


@pytest.fixture()
def vault(tmp_path: Path) -> Vault:
    root = tmp_path / "vault"
    shutil.copytree(DATA, root)
    return Vault.load(root, use_cache=False)


def _radius(point: tuple[float, float], centre: tuple[float, float]) -> float:
    return math.dist(point, centre)


def test_every_note_gets_a_finite_place_within_the_extent(vault: Vault) -> None:
    positions = KnowledgeGraph.build(vault).layout()
    assert set(positions) == set(vault.notes)
    coords = np.array(list(positions.values()))
    assert np.isfinite(coords).all()
    assert np.abs(coords).max() == pytest.approx(graph_layout.EXTENT, abs=0.1)
    assert len({tuple(c) for c in coords}) == len(coords)  # no two notes on one spot


def test_same_graph_same_picture(vault: Vault) -> None:
    first = KnowledgeGraph.build(vault)
    second = KnowledgeGraph.build(vault)
    first.cache_dir = second.cache_dir = None  # computed twice, not read back
    assert first.layout() == second.layout()


def test_notes_without_links_are_set_round_the_rim(vault: Vault) -> None:
    positions = KnowledgeGraph.build(vault).layout()
    linked = [p for n, p in positions.items() if n != "loner.md"]
    centre = (float(np.mean([p[0] for p in linked])), float(np.mean([p[1] for p in linked])))
    assert _radius(positions["loner.md"], centre) > max(_radius(p, centre) for p in linked)


def test_clusters_come_out_apart() -> None:
    # two 8-cliques joined by one edge, and a node with no edge at all
    left, right = range(8), range(8, 16)
    pairs = sorted([*itertools.combinations(left, 2), *itertools.combinations(right, 2), (0, 8)])
    coords = graph_layout.force_layout(17, pairs)
    inside = [math.dist(coords[a], coords[b]) for a, b in pairs if (a, b) != (0, 8)]
    across = [math.dist(coords[a], coords[b]) for a in left for b in right]
    assert max(inside) < min(across)
    centre = coords[:16].mean(axis=0)
    assert math.dist(coords[16], centre) > max(math.dist(c, centre) for c in coords[:16])


def test_layout_is_cached_on_disk_and_reused(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    positions = KnowledgeGraph.build(vault).layout()
    cache = vault.root / ".kgwiki" / graph_layout.CACHE_FILE
    assert cache.is_file()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the layout should have come from the cache")

    monkeypatch.setattr(graph_layout, "force_layout", refuse)
    assert KnowledgeGraph.build(vault).layout() == positions


def test_a_damaged_cache_is_ignored_and_rewritten(vault: Vault) -> None:
    positions = KnowledgeGraph.build(vault).layout()
    cache = vault.root / ".kgwiki" / graph_layout.CACHE_FILE
    cache.write_bytes(b"not a pickle")
    assert KnowledgeGraph.build(vault).layout() == positions
    assert cache.read_bytes() != b"not a pickle"


def test_layout_is_recomputed_when_the_edges_change(
    vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    compute = graph_layout.force_layout

    def counting(n: int, pairs: graph_layout.Pairs) -> graph_layout.FloatArray:
        calls.append(n)
        return compute(n, pairs)

    monkeypatch.setattr(graph_layout, "force_layout", counting)
    graph = KnowledgeGraph.build(vault)
    graph.layout()
    graph.layout()
    assert calls == [11]  # the second call is answered from memory
    (vault.root / "loner.md").write_text("# Loner\n\nNow with [[Home]].\n", encoding="utf-8")
    vault.refresh_file("loner.md")
    graph.update_note(vault, "loner.md")
    moved = graph.layout()
    assert calls == [11, 11]
    assert moved.keys() == set(vault.notes)
    # a text-only edit leaves the edges, so the stored layout still fits
    (vault.root / "epsilon.md").write_text("# Epsilon\n\nStill no links.\n", encoding="utf-8")
    vault.refresh_file("epsilon.md")
    graph.update_note(vault, "epsilon.md")
    assert graph.layout() == moved
    assert calls == [11, 11]


def test_empty_and_tiny_graphs() -> None:
    assert graph_layout.force_layout(0, []).shape == (0, 2)
    single = graph_layout.force_layout(1, [])
    assert single.shape == (1, 2) and np.isfinite(single).all()
    pair = graph_layout.force_layout(2, [(0, 1)])
    assert math.dist(pair[0], pair[1]) > 0


def test_pairs_are_each_linked_pair_of_notes_once(bundled_vault_dir: Path) -> None:
    """The edge set a layout is keyed and computed by: every two notes joined by a link in
    either direction (or a note linking to itself), once, as sorted rows (i, j) with i ≤ j."""
    graph = KnowledgeGraph.build(Vault.load(bundled_vault_dir, use_cache=False))
    order, pairs = graph_layout.note_pairs(graph.index, graph.notes())
    assert order == sorted(graph.notes())
    number = {note: i for i, note in enumerate(order)}
    expected = sorted({tuple(sorted((number[s], number[t])))
                       for s, t in graph.graph.edges() if s in number and t in number})
    assert [tuple(row) for row in pairs.tolist()] == expected
    assert len(expected) > 50  # the bundled vault is well linked
    job = graph.layout_job()
    assert job[2] == graph_layout.layout_key(order, expected)  # same key from either form
