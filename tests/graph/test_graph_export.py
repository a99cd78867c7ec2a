"""GraphML, GEXF and node-link JSON files load back; the graph view's JSON is what it draws."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from paths import ROOTS

from kgwiki.graph import KnowledgeGraph
from kgwiki.vault import Vault

DATA = ROOTS / "graph"


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    built = KnowledgeGraph.build(Vault.load(DATA, use_cache=False))
    built.cache_dir = None  # lay out in memory; the test data folder stays clean
    return built


def _load(file: Path, fmt: str) -> nx.MultiDiGraph:
    if fmt == "graphml":
        return nx.read_graphml(file)
    if fmt == "gexf":
        return nx.read_gexf(file)
    return nx.node_link_graph(json.loads(file.read_text(encoding="utf-8")), edges="links")


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_loads_back_with_every_node_and_edge(
    graph: KnowledgeGraph, tmp_path: Path, fmt: str
) -> None:
    file = tmp_path / f"vault.{fmt}"
    graph.export(file, fmt)
    assert "record" not in file.read_text(encoding="utf-8")  # the in-memory Edge stays inside
    loaded = _load(file, fmt)
    assert loaded.is_directed() and loaded.is_multigraph()
    assert loaded.number_of_nodes() == graph.graph.number_of_nodes()
    assert loaded.number_of_edges() == graph.graph.number_of_edges()
    assert set(loaded.nodes) == set(graph.graph.nodes)
    kinds = sorted(d["kind"] for _, _, d in loaded.edges(data=True))
    assert kinds == sorted(d["kind"] for _, _, d in graph.graph.edges(data=True))
    alpha = loaded.nodes["alpha.md"]
    assert (alpha["title"], alpha["trust"], alpha["confidence"]) == ("Alpha", "A", 0.9)


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_xml_formats_hold_tags_as_text_and_drop_missing_values(
    graph: KnowledgeGraph, tmp_path: Path, fmt: str
) -> None:
    file = tmp_path / f"vault.{fmt}"
    graph.export(file, fmt)
    loaded = _load(file, fmt)
    assert loaded.nodes["alpha.md"]["tags"] == "letters,letters/greek"
    assert loaded.nodes["alpha.md"]["label"] == "Alpha"  # what Gephi shows
    assert "trust" not in loaded.nodes["gamma.md"]  # no trust level written: no attribute
    assert loaded.nodes["wanted:ghost"]["wanted"] in (True, "true")


def test_unknown_format_is_refused(graph: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="graphml"):
        graph.export(tmp_path / "x.dot", "dot")


def test_node_link_for_the_graph_view(graph: KnowledgeGraph) -> None:
    data = graph.to_node_link()
    nodes = {n["id"]: n for n in data["nodes"]}
    assert set(nodes) == set(graph.graph.nodes)
    assert set(nodes["alpha.md"]) == {"id", "title", "tags", "trust", "x", "y", "wanted", "degree"}
    assert nodes["alpha.md"]["tags"] == ["letters", "letters/greek"]
    assert nodes["wanted:ghost"]["wanted"] is True and nodes["home.md"]["wanted"] is False
    # home links alpha, beta, epsilon, gamma, sub/index, Ghost; alpha, beta, sub/index link it
    assert nodes["home.md"]["degree"] == 6
    assert nodes["loner.md"]["degree"] == 0
    assert (nodes["alpha.md"]["x"], nodes["alpha.md"]["y"]) == graph.layout()["alpha.md"]
    links = {(link["source"], link["target"], link["kind"]) for link in data["links"]}
    assert len(links) == len(data["links"])  # parallel edges of one kind are sent once
    assert ("home.md", "alpha.md", "embed") in links and ("home.md", "alpha.md", "link") in links
    assert json.loads(json.dumps(data)) == data


def test_node_link_of_a_subset_keeps_only_links_among_it(graph: KnowledgeGraph) -> None:
    local = graph.neighbours("gamma.md", depth=1)
    data = graph.to_node_link(local.nodes)
    assert [n["id"] for n in data["nodes"]] == list(local.nodes)
    ids = set(local.nodes)
    assert data["links"] and all(
        link["source"] in ids and link["target"] in ids for link in data["links"]
    )
    assert graph.to_node_link(["nowhere.md"]) == {"nodes": [], "links": []}


def test_wanted_nodes_are_drawn_near_a_note_that_wants_them(graph: KnowledgeGraph) -> None:
    nodes = {n["id"]: n for n in graph.to_node_link()["nodes"]}
    ghost = (nodes["wanted:ghost"]["x"], nodes["wanted:ghost"]["y"])
    wanting = [(nodes[s]["x"], nodes[s]["y"]) for s in ("alpha.md", "home.md", "wisher.md")]
    nearest = min(abs(ghost[0] - x) + abs(ghost[1] - y) for x, y in wanting)
    assert 0 < nearest <= 100
