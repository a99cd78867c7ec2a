"""Breadcrumbs kept per graph version give the chains a fresh walk gives, in any order asked.

A chain reuses a parent's kept chain only when none of it is already on the walk; these
vaults have parents named several times over, children adopting their parents, and cycles
of every length, so a reuse that skipped that check would show here.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from paths import ROOTS

from kgwiki.graph import KnowledgeGraph
from kgwiki.graph import queries as graph_queries
from kgwiki.vault import Vault


def _tangled_vault(root: Path, seed: int, count: int = 120) -> Path:
    """Notes naming 0–3 parents and 0–2 children at random: chains, forks and cycles."""
    rng = random.Random(seed)
    names = [f"Note {i}" for i in range(count)]
    for i, name in enumerate(names):
        lines = [f"# {name}", "", "## Graph"]
        for _ in range(rng.choice((0, 1, 1, 1, 2, 3))):
            # mostly an older note (deep chains), sometimes any note (cycles)
            target = rng.randrange(i) if i and rng.random() < 0.8 else rng.randrange(count)
            lines.append(f"- {rng.choice(('Parent', '부모'))}: [[{names[target]}]]")
        for _ in range(rng.choice((0, 0, 1, 2))):
            lines.append(f"- Child: [[{names[rng.randrange(count)]}]]")
        (root / f"{name}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def _assert_same_chains(graph: KnowledgeGraph, order: list[str]) -> None:
    for path in order:
        fresh = graph_queries.parents_chain(graph.index, path)
        assert graph.parents_chain(path) == fresh, path


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_kept_chains_equal_fresh_walks_in_any_order(tmp_path: Path, seed: int) -> None:
    graph = KnowledgeGraph.build(Vault.load(_tangled_vault(tmp_path, seed), use_cache=False))
    paths = graph.notes()
    assert any(len(graph_queries.parents_chain(graph.index, p)) >= 5 for p in paths)
    for order in (sorted(paths), sorted(paths, reverse=True),
                  random.Random(seed).sample(paths, len(paths))):  # fmt: skip
        _assert_same_chains(graph, order)
        graph._cache.pop("parent chains", None)  # the next order starts with nothing kept


def test_kept_chains_follow_an_edit(tmp_path: Path) -> None:
    vault = Vault.load(_tangled_vault(tmp_path, 5), use_cache=False)
    graph = KnowledgeGraph.build(vault)
    _assert_same_chains(graph, graph.notes())
    edited = tmp_path / "Note 40.md"
    edited.write_text("# Note 40\n\n## Graph\n- Parent: [[Note 90]]\n", encoding="utf-8")
    vault.refresh_file("Note 40.md")
    graph.update_note(vault, "Note 40.md")
    _assert_same_chains(graph, sorted(graph.notes(), reverse=True))


def test_bundled_and_graph_vaults(bundled_vault_dir: Path) -> None:
    for root in (bundled_vault_dir, ROOTS / "graph"):
        graph = KnowledgeGraph.build(Vault.load(root, use_cache=False))
        _assert_same_chains(graph, sorted(graph.notes(), reverse=True))
