"""The graph of the bundled vault, checked against what its notes say, and the CLI over it.

Expectations come from reading the notes: server-architecture.md (flattened onto line 1)
lists ``Adjacent: [[Kubernetes]] · [[Service Mesh]] · [[Observability]]`` in its Graph
section; helm.md says ``Parent: [[Kubernetes]]``, kubernetes.md ``부모: [[Cloud Native]]``
and ``자식: [[Helm]]``, cloud-native.md ``부모: [[Distributed Systems]]``,
distributed-systems.md ``Parent: [[Welcome to kgwiki]]`` (index.md); and
microservice-architecture.md declares ``duplicate_of: Microservices`` on line 8.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest

from kgwiki.cli.main import main
from kgwiki.graph import KnowledgeGraph
from kgwiki.graph.records import Backlink, Hop
from kgwiki.vault import Vault

TOPICS = "10_Wiki/Topics"
SERVER = f"{TOPICS}/server-architecture.md"
KUBERNETES = f"{TOPICS}/kubernetes.md"
ADJACENT_LINE = "- Adjacent: [[Kubernetes]] · [[Service Mesh]] · [[Observability]]"


@pytest.fixture(scope="module")
def graph(bundled_vault_dir: Path) -> KnowledgeGraph:
    built = KnowledgeGraph.build(Vault.load(bundled_vault_dir, use_cache=False))
    built.cache_dir = None
    return built


@pytest.fixture()
def vault_copy(bundled_vault_dir: Path, tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    return root


def test_server_architecture_to_kubernetes_is_one_adjacent_hop(graph: KnowledgeGraph) -> None:
    assert graph.shortest_path(SERVER, KUBERNETES) == [
        Hop(SERVER, KUBERNETES, "adjacent", 1, ADJACENT_LINE, True)
    ]


def test_kubernetes_backlinks_include_server_architecture(graph: KnowledgeGraph) -> None:
    assert Backlink(SERVER, 1, ADJACENT_LINE, "adjacent") in graph.backlinks(KUBERNETES)
    sources = {b.source for b in graph.backlinks(KUBERNETES)}
    assert {f"{TOPICS}/helm.md", f"{TOPICS}/cloud-native.md"} <= sources


def test_breadcrumbs_follow_parents_up_to_the_home_note(graph: KnowledgeGraph) -> None:
    assert graph.parents_chain(f"{TOPICS}/helm.md") == [
        "index.md", f"{TOPICS}/distributed-systems.md", f"{TOPICS}/cloud-native.md", KUBERNETES,
    ]  # fmt: skip
    related = graph.relations(KUBERNETES)
    assert related["parent"] == [f"{TOPICS}/cloud-native.md"]
    assert f"{TOPICS}/helm.md" in related["child"]
    assert SERVER in related["adjacent"]


def test_declared_duplicate_is_an_edge_at_its_frontmatter_line(graph: KnowledgeGraph) -> None:
    duplicate = f"{TOPICS}/microservice-architecture.md"
    edges = [e for e in graph.outlinks(duplicate) if e.kind == "duplicate-of"]
    assert [(e.target, e.line, e.context) for e in edges] == [
        (f"{TOPICS}/microservices.md", 8, "duplicate_of: Microservices")
    ]


def test_notes_the_home_page_calls_wanted_are_wanted(graph: KnowledgeGraph) -> None:
    wanted = {w.name: w for w in graph.wanted()}
    for name in ("Chaos Engineering", "Data Mesh"):
        assert wanted[name].count >= 2
        assert "index.md" in wanted[name].sources
    assert not any(name.endswith(".svg") for name in wanted)  # embedded images are not notes


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_path_explains_the_hop(vault_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "graph", "path", "Server Architecture", "Kubernetes",
                          "--vault", str(vault_copy))  # fmt: skip
    assert status == 0
    assert "Server Architecture → Kubernetes: 1 hop" in out
    assert "─adjacent→" in out and f"{SERVER}:1" in out and ADJACENT_LINE in out
    status, out, _ = _run(capsys, "graph", "path", "K8s", "Helm", "--json",
                          "--vault", str(vault_copy))  # fmt: skip
    hops = json.loads(out)
    assert [(h["source_title"], h["kind"], h["target_title"]) for h in hops] == [
        ("Kubernetes", "child", "Helm")
    ]


def test_cli_names_notes_by_alias_and_reports_unknown_ones(
    vault_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "graph", "backlinks", "쿠버네티스", "--vault", str(vault_copy))
    assert status == 0
    assert f"links to Kubernetes ({KUBERNETES})" in out.splitlines()[0]
    assert f"Server Architecture  [adjacent]  {SERVER}:1" in out
    status, _, err = _run(capsys, "graph", "neighbours", "Kubernets", "--vault", str(vault_copy))
    assert status == 1
    assert "no note is called 'Kubernets'" in err and "Kubernetes" in err


def test_cli_listings_agree_with_the_library(
    vault_copy: Path, graph: KnowledgeGraph, capsys: pytest.CaptureFixture[str]
) -> None:
    listings = {"hubs": [h.path for h in graph.hubs(5)], "dead-ends": graph.dead_ends(),
                "orphans": graph.orphans()}  # fmt: skip
    for action, expected in listings.items():
        extra = ["--limit", "5"] if action == "hubs" else []
        status, out, _ = _run(capsys, "graph", action, *extra, "--json", "--vault", str(vault_copy))
        assert status == 0
        assert [row["path"] for row in json.loads(out)] == expected
    status, out, _ = _run(capsys, "graph", "wanted", "--vault", str(vault_copy))
    assert "Chaos Engineering" in out.splitlines()[1]  # the most wanted comes first
    status, out, _ = _run(capsys, "graph", "neighbours", "Kubernetes", "--kind", "parent,child",
                          "--depth", "2", "--json", "--vault", str(vault_copy))  # fmt: skip
    found = json.loads(out)
    assert {e["kind"] for e in found["edges"]} == {"parent", "child"}
    assert found["titles"][f"{TOPICS}/helm.md"] == "Helm"


def test_cli_export_writes_a_loadable_file(
    vault_copy: Path, graph: KnowledgeGraph, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "vault.graphml"
    status, out, _ = _run(capsys, "graph", "export", "--format", "graphml", "-o", str(file),
                          "--vault", str(vault_copy))  # fmt: skip
    assert status == 0 and str(file) in out
    loaded = nx.read_graphml(file)
    assert loaded.number_of_nodes() == graph.graph.number_of_nodes()
    assert loaded.number_of_edges() == graph.graph.number_of_edges()


def test_first_targets_are_each_notes_first_edge_of_a_kind_in_outlinks_order(
    graph: KnowledgeGraph,
) -> None:
    """The one-pass view answers what reading every note's sorted outlinks answers."""
    for kind in ("duplicate-of", "parent", "link", "adjacent"):
        expected = {}
        for path in graph.notes():
            targets = [e.target for e in graph.outlinks(path) if e.kind == kind]
            first = next((t for t in targets if not t.startswith("wanted:")), None)
            if first is not None:
                expected[path] = first
        assert graph.first_targets(kind) == expected, kind
    # microservice-architecture.md declares ``duplicate_of: Microservices``
    assert graph.first_targets("duplicate-of")[f"{TOPICS}/microservice-architecture.md"] == (
        f"{TOPICS}/microservices.md"
    )
