"""The graph of real vaults (../shared/corpora/) agrees with their link tables."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from kgwiki.graph import KnowledgeGraph, is_wanted
from kgwiki.note import LinkKind
from kgwiki.vault import Vault

CORPORA = ("foam-docs", "kepano-obsidian", "silverbullet-docs")


@pytest.fixture(scope="module", params=CORPORA)
def loaded(request: pytest.FixtureRequest, shared_dir: Path) -> tuple[Vault, KnowledgeGraph]:
    vault = Vault.load(shared_dir / "corpora" / request.param, use_cache=False)
    graph = KnowledgeGraph.build(vault)
    graph.cache_dir = None
    return vault, graph


def test_every_link_between_two_notes_is_an_edge_at_its_line(
    loaded: tuple[Vault, KnowledgeGraph],
) -> None:
    vault, graph = loaded
    written = Counter(
        (item.source, item.target, item.link.line)
        for item in vault.all_links()
        if item.target in vault.notes and item.target != item.source
    )
    drawn = Counter(
        (source, target, data["line"])
        for source, target, data in graph.graph.edges(data=True)
        if not is_wanted(target) and data["kind"] != "duplicate-of"
    )
    assert drawn == written
    assert set(graph.notes()) == set(vault.notes)


def test_wanted_nodes_are_the_unresolved_note_links(loaded: tuple[Vault, KnowledgeGraph]) -> None:
    vault, graph = loaded
    unresolved_from = {item.source for item in vault.all_links() if item.target is None}
    for wanted in graph.wanted():
        assert wanted.count == len(wanted.sources) >= 1
        assert set(wanted.sources) <= unresolved_from | {
            p for p, n in vault.notes.items() if n.meta.duplicate_of or n.meta.canonical_id
        }


def test_orphans_write_and_receive_no_links(loaded: tuple[Vault, KnowledgeGraph]) -> None:
    vault, graph = loaded
    between = [i for i in vault.all_links() if i.target in vault.notes and i.target != i.source]
    linked = {i.source for i in between} | {i.target for i in between}
    for orphan in graph.orphans():
        assert orphan not in linked
        for item in vault.links_of(orphan):
            # what an orphan may still write: links to itself, to attachments, missing images
            assert item.target == orphan or item.resolution.is_attachment or (
                item.target is None and item.link.kind in (LinkKind.EMBED, LinkKind.MARKDOWN)
            )


def test_navigation_works_everywhere(loaded: tuple[Vault, KnowledgeGraph]) -> None:
    _, graph = loaded
    for path in graph.notes():
        graph.parents_chain(path)
        graph.relations(path)
        assert graph.neighbours(path, depth=1).nodes[0] == path
    top = graph.hubs(1)[0]
    assert top.inbound == len({b.source for b in graph.backlinks(top.path)})
    hub = top.path
    for path in graph.notes()[:30]:
        hops = graph.shortest_path(path, hub)
        if hops is not None:
            assert hops == [] or (hops[0].source == path and hops[-1].target == hub)


def test_hub_scores_are_networkx_pagerank_of_the_note_graph(
    loaded: tuple[Vault, KnowledgeGraph],
) -> None:
    """Hubs are ranked by PageRank over note-to-note edges, a link written twice weighing two."""
    _, graph = loaded
    paths = set(graph.notes())
    weights = Counter((s, t) for s, t in graph.graph.edges() if s in paths and t in paths)
    notes = nx.DiGraph()
    notes.add_nodes_from(paths)
    notes.add_weighted_edges_from((s, t, w) for (s, t), w in weights.items())
    expected = nx.pagerank(notes, alpha=0.85, weight="weight", tol=1e-12, max_iter=500)
    hubs = graph.hubs(limit=len(expected))
    assert {h.path: h.score for h in hubs} == pytest.approx(expected, abs=1e-7)
    assert [h.score for h in hubs] == sorted((h.score for h in hubs), reverse=True)


def test_graphml_round_trip(loaded: tuple[Vault, KnowledgeGraph], tmp_path: Path) -> None:
    _, graph = loaded
    graph.export(tmp_path / "corpus.graphml", "graphml")
    back = nx.read_graphml(tmp_path / "corpus.graphml")
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        graph.graph.number_of_nodes(), graph.graph.number_of_edges(),
    )  # fmt: skip
