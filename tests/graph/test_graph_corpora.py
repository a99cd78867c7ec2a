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


def test_graphml_round_trip(loaded: tuple[Vault, KnowledgeGraph], tmp_path: Path) -> None:
    _, graph = loaded
    graph.export(tmp_path / "corpus.graphml", "graphml")
    back = nx.read_graphml(tmp_path / "corpus.graphml")
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        graph.graph.number_of_nodes(), graph.graph.number_of_edges(),
    )  # fmt: skip
