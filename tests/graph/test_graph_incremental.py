"""update_note / remove_note keep the graph equal to one built from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from paths import ROOTS

from kgwiki.graph import KnowledgeGraph
from kgwiki.vault import Vault

DATA = ROOTS / "graph"


@pytest.fixture()
def vault(tmp_path: Path) -> Vault:
    root = tmp_path / "vault"
    shutil.copytree(DATA, root)
    return Vault.load(root, use_cache=False)


def snapshot(graph: KnowledgeGraph) -> tuple[Any, ...]:
    """Everything a query can see: nodes with attributes, and every edge with its line.

    Also checks that the edge index the queries walk holds what the networkx graph holds.
    """
    nodes = sorted(
        (n, sorted((k, str(v).casefold() if k == "title" else v) for k, v in d.items()))
        for n, d in graph.graph.nodes(data=True)
    )
    edges = sorted(
        (u, v, d["kind"], d["line"], d["context"]) for u, v, d in graph.graph.edges(data=True)
    )
    index = graph.index
    indexed = sorted(
        (e.source, e.target, e.kind, e.line, e.context)
        for node in index.out
        for e in index.edges_of(node)
    )
    assert indexed == edges
    assert set(index.out) == set(index.into) == set(graph.graph.nodes)
    for target, sources in index.into.items():
        for source, group in sources.items():
            assert index.out[source][target] is group
    return nodes, edges, graph.tags()


def write(vault: Vault, name: str, text: str) -> None:
    (vault.root / name).write_text(text, encoding="utf-8")
    vault.refresh_file(name)


def test_creating_a_wanted_note_turns_its_wanted_node_into_links(vault: Vault) -> None:
    graph = KnowledgeGraph.build(vault)
    write(vault, "ghost.md", "# Ghost\n\nFinally written.\n")
    graph.update_note(vault, "ghost.md")
    assert "wanted:ghost" not in graph
    assert [w.name for w in graph.wanted()] == ["Phantom"]
    assert sorted({b.source for b in graph.backlinks("ghost.md")}) == [
        "alpha.md", "home.md", "wisher.md",
    ]  # fmt: skip
    assert snapshot(graph) == snapshot(KnowledgeGraph.build(vault))


def test_editing_a_note_changes_its_edges_and_the_cached_ranks(vault: Vault) -> None:
    graph = KnowledgeGraph.build(vault)
    before = {h.path: h.inbound for h in graph.hubs(50)}["home.md"]
    version = graph.version
    write(vault, "wisher.md", "# Wisher\n\nNow I link [[Home]] and #wishes.\n")
    graph.update_note(vault, "wisher.md")
    assert graph.version != version
    assert [(w.name, w.count) for w in graph.wanted()] == [("Ghost", 2), ("Phantom", 1)]
    assert "wisher.md" not in graph.dead_ends()
    assert {h.path: h.inbound for h in graph.hubs(50)}["home.md"] == before + 1
    assert graph.tagged("wishes") == ["wisher.md"]
    assert snapshot(graph) == snapshot(KnowledgeGraph.build(vault))


def test_a_new_title_rewires_links_written_with_the_old_one(vault: Vault) -> None:
    graph = KnowledgeGraph.build(vault)
    write(vault, "cycle-b.md", "# Cycle Bee\n\n## Graph\n- Parent: [[Cycle A]]\n")
    graph.update_note(vault, "cycle-b.md")
    # cycle-a wrote [[Cycle B]], a name cycle-b.md no longer answers to
    assert [e.target for e in graph.outlinks("cycle-a.md")] == ["wanted:cycle b"]
    assert graph.parents_chain("cycle-b.md") == ["cycle-a.md"]
    assert graph.parents_chain("cycle-a.md") == []
    assert snapshot(graph) == snapshot(KnowledgeGraph.build(vault))


def test_an_alias_can_satisfy_a_wanted_note(vault: Vault) -> None:
    graph = KnowledgeGraph.build(vault)
    write(vault, "epsilon.md", "---\naliases: [Phantom]\n---\n# Epsilon\n\nNo links here.\n")
    graph.update_note(vault, "epsilon.md")
    assert sorted(b.source for b in graph.backlinks("epsilon.md")) == [
        "beta.md", "home.md", "wisher.md",
    ]  # fmt: skip
    assert snapshot(graph) == snapshot(KnowledgeGraph.build(vault))


def test_deleting_a_note_makes_links_to_it_wanted(vault: Vault) -> None:
    graph = KnowledgeGraph.build(vault)
    (vault.root / "beta.md").unlink()
    vault.refresh_file("beta.md")
    graph.update_note(vault, "beta.md")  # gone from the vault: removed from the graph
    assert "beta.md" not in graph
    wanted = {w.name: w.sources for w in graph.wanted()}
    assert wanted["Beta"] == ("alpha.md", "delta.md", "home.md")
    assert wanted["Phantom"] == ("wisher.md",)  # beta no longer wants it
    assert graph.tagged("letters") == ["alpha.md"]
    assert snapshot(graph) == snapshot(KnowledgeGraph.build(vault))


def test_remove_note_without_the_vault_keeps_the_written_names(vault: Vault) -> None:
    graph = KnowledgeGraph.build(vault)
    graph.remove_note("alpha.md")
    snapshot(graph)  # graph and index agree
    assert "alpha.md" not in graph
    assert sorted((b.source, b.kind, b.line) for b in graph.backlinks("wanted:alpha")) == [
        ("gamma.md", "parent", 6), ("home.md", "embed", 11), ("home.md", "link", 7),
    ]  # fmt: skip
    assert graph.parents_chain("gamma.md") == []
    graph.remove_note("alpha.md")  # twice is harmless


def test_updating_an_unchanged_note_changes_nothing(vault: Vault) -> None:
    graph = KnowledgeGraph.build(vault)
    before = snapshot(graph)
    for path in sorted(vault.notes):
        vault.refresh_file(path)
        graph.update_note(vault, path)
    assert snapshot(graph) == before
