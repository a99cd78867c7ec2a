"""The knowledge graph of a small vault whose every link is known (tests/data/graph/)."""

from __future__ import annotations

import pytest
from paths import ROOTS

from kgwiki.graph import KnowledgeGraph
from kgwiki.graph.records import EDGE_KINDS, Backlink, Edge, Hop, Wanted
from kgwiki.vault import Vault

DATA = ROOTS / "graph"


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return KnowledgeGraph.build(Vault.load(DATA, use_cache=False))


def test_one_node_per_note_and_per_wanted_name(graph: KnowledgeGraph) -> None:
    notes = {"home.md", "alpha.md", "beta.md", "gamma.md", "delta.md", "epsilon.md", "loner.md",
             "wisher.md", "cycle-a.md", "cycle-b.md", "sub/index.md"}  # fmt: skip
    assert set(graph.notes()) == notes
    assert set(graph.graph.nodes) == notes | {"wanted:ghost", "wanted:phantom"}


def test_node_attributes_come_from_frontmatter(graph: KnowledgeGraph) -> None:
    alpha = graph.node("alpha.md")
    assert alpha["title"] == "Alpha"
    assert alpha["tags"] == ("letters", "letters/greek")
    assert (alpha["trust"], alpha["confidence"]) == ("A", 0.9)
    assert (alpha["status"], alpha["category"]) == ("verified", "Letters")
    assert alpha["wanted"] is False
    assert graph.node("gamma.md")["title"] == "Gamma"  # from the H1: no frontmatter
    assert graph.node("gamma.md")["trust"] is None
    assert graph.node("wanted:ghost") == {"title": "Ghost", "wanted": True}


def test_backlinks_give_source_line_context_and_kind(graph: KnowledgeGraph) -> None:
    start = "Start at [[Alpha]] and [[Beta]]; [[Epsilon]] is a dead end."
    assert graph.backlinks("alpha.md") == [
        Backlink("gamma.md", 6, "- 부모: [[Alpha]]", "parent"),
        Backlink("home.md", 7, start, "link"),
        Backlink("home.md", 11, "![[Alpha]]", "embed"),
    ]
    assert [(b.source, b.line, b.kind) for b in graph.backlinks("beta.md")] == [
        ("alpha.md", 18, "adjacent"), ("delta.md", 3, "duplicate-of"), ("home.md", 7, "link"),
    ]  # fmt: skip
    assert [(b.source, b.kind) for b in graph.backlinks("home.md")] == [
        ("alpha.md", "parent"), ("beta.md", "parent"), ("sub/index.md", "link"),
    ]  # fmt: skip


def test_links_inside_a_note_are_not_edges(graph: KnowledgeGraph) -> None:
    # gamma links to itself and alpha to its own heading: neither joins two notes.
    assert [e.target for e in graph.outlinks("gamma.md")] == ["alpha.md"]
    assert "alpha.md" not in {b.source for b in graph.backlinks("alpha.md")}


def test_outlinks_in_line_order_with_markdown_links_and_relations(graph: KnowledgeGraph) -> None:
    assert [(e.target, e.kind, e.line) for e in graph.outlinks("home.md")] == [
        ("alpha.md", "link", 7), ("beta.md", "link", 7), ("epsilon.md", "link", 7),
        ("wanted:ghost", "link", 9), ("alpha.md", "embed", 11),
        ("gamma.md", "link", 15), ("sub/index.md", "link", 15),
    ]  # fmt: skip
    assert graph.outlinks("alpha.md")[1:] == [
        Edge("alpha.md", "home.md", "parent", 16, "- Parent: [[Home]]"),
        Edge("alpha.md", "gamma.md", "child", 17, "- Child: [[Gamma]]"),
        Edge("alpha.md", "beta.md", "adjacent", 18, "- Related: [[Beta]]"),
    ]


def test_frontmatter_duplicate_declarations_make_one_edge(graph: KnowledgeGraph) -> None:
    # delta.md says duplicate_of: Beta and canonical_id: b-1 (Beta's id): one target, one edge.
    assert graph.outlinks("delta.md") == [
        Edge("delta.md", "beta.md", "duplicate-of", 3, "duplicate_of: Beta")
    ]


def test_wanted_notes_ranked_by_how_many_notes_want_them(graph: KnowledgeGraph) -> None:
    # [[ghost]] in wisher.md and [[Ghost]] elsewhere are one missing note; a missing
    # embedded image (home.md's ![[missing.png]]) is a missing attachment, not a wanted note.
    assert graph.wanted() == [
        Wanted("Ghost", 3, ("alpha.md", "home.md", "wisher.md"), 3),
        Wanted("Phantom", 2, ("beta.md", "wisher.md"), 2),
    ]


def test_orphans_and_dead_ends(graph: KnowledgeGraph) -> None:
    assert graph.orphans() == ["loner.md"]  # wisher links to wanted notes: not an orphan
    assert graph.dead_ends() == ["epsilon.md", "loner.md", "wisher.md"]


def test_tags_as_a_second_view(graph: KnowledgeGraph) -> None:
    assert graph.tags() == {
        "alone": ["loner.md"], "hub": ["home.md"], "letters": ["alpha.md", "beta.md"],
        "letters/greek": ["alpha.md"],
    }  # fmt: skip
    assert graph.tagged("#Letters") == ["alpha.md", "beta.md"]
    assert graph.tagged("letters", nested=False) == ["alpha.md", "beta.md"]
    assert graph.tagged("letters/greek") == ["alpha.md"]


def test_parents_chain_is_root_first_and_stops_on_cycles(graph: KnowledgeGraph) -> None:
    assert graph.parents_chain("gamma.md") == ["home.md", "alpha.md"]
    assert graph.parents_chain("home.md") == []
    assert graph.parents_chain("cycle-a.md") == ["cycle-b.md"]
    assert graph.parents_chain("cycle-b.md") == ["cycle-a.md"]


def test_relations_read_both_ways(graph: KnowledgeGraph) -> None:
    assert graph.relations("alpha.md") == {
        "parent": ["home.md"], "child": ["gamma.md"], "adjacent": ["beta.md"],
    }  # fmt: skip
    assert graph.relations("beta.md") == {
        "parent": ["home.md"], "variant": ["delta.md"], "adjacent": ["alpha.md"],
        "duplicated-by": ["delta.md"],
    }  # fmt: skip
    assert graph.relations("delta.md") == {"duplicate-of": ["beta.md"], "variant": ["beta.md"]}
    assert graph.relations("home.md") == {"child": ["alpha.md", "beta.md"]}


def test_neighbours_by_depth_direction_and_kind(graph: KnowledgeGraph) -> None:
    out = graph.neighbours("home.md", depth=1, direction="out")
    assert out.nodes[0] == "home.md"
    assert sorted(out.nodes[1:]) == ["alpha.md", "beta.md", "epsilon.md", "gamma.md",
                                     "sub/index.md", "wanted:ghost"]  # fmt: skip
    assert len(out.edges) == 7  # a star: one edge per link written in home.md
    inward = graph.neighbours("gamma.md", depth=2, direction="in")
    assert dict(inward.distance) == {
        "gamma.md": 0, "alpha.md": 1, "home.md": 1, "beta.md": 2, "sub/index.md": 2,
    }  # fmt: skip
    parents = graph.neighbours("home.md", depth=2, direction="in", kinds=["parent"])
    assert dict(parents.distance) == {"home.md": 0, "alpha.md": 1, "beta.md": 1, "gamma.md": 2}
    assert [parents.distance[n] for n in parents.nodes] == [0, 1, 1, 2]  # nearest first
    assert {e.kind for e in parents.edges} == {"parent"}
    assert graph.neighbours("loner.md", depth=3).nodes == ("loner.md",)


def test_neighbourhood_edges_are_each_listed_once(graph: KnowledgeGraph) -> None:
    both = graph.neighbours("home.md", depth=2, direction="both")
    keys = [(e.source, e.target, e.kind, e.line) for e in both.edges]
    assert len(keys) == len(set(keys))
    assert ("delta.md", "beta.md", "duplicate-of", 3) in keys  # from the rim inwards
    assert all(e.source in both.distance and e.target in both.distance for e in both.edges)
    # wanted nodes are reached but not walked through: wisher only shares Ghost with home
    assert "wisher.md" not in both.distance


def test_shortest_path_explains_each_hop(graph: KnowledgeGraph) -> None:
    assert graph.shortest_path("gamma.md", "beta.md", directed=True) == [
        Hop("gamma.md", "alpha.md", "parent", 6, "- 부모: [[Alpha]]", True),
        Hop("alpha.md", "beta.md", "adjacent", 18, "- Related: [[Beta]]", True),
    ]
    back = graph.shortest_path("beta.md", "gamma.md", kinds=["parent", "adjacent"])
    assert back is not None
    assert [(h.source, h.target, h.forward, h.written_in) for h in back] == [
        ("beta.md", "alpha.md", False, "alpha.md"), ("alpha.md", "gamma.md", False, "gamma.md"),
    ]  # fmt: skip
    assert graph.shortest_path("home.md", "home.md") == []
    assert graph.shortest_path("loner.md", "home.md") is None
    assert graph.shortest_path("epsilon.md", "home.md", directed=True) is None
    # sharing the wanted Ghost does not make a path from wisher to anything
    assert graph.shortest_path("wisher.md", "home.md") is None


def test_unknown_notes_and_directions_are_refused(graph: KnowledgeGraph) -> None:
    with pytest.raises(KeyError):
        graph.neighbours("nowhere.md")
    with pytest.raises(ValueError, match="direction"):
        graph.neighbours("home.md", direction="sideways")
    with pytest.raises(KeyError):
        graph.shortest_path("home.md", "nowhere.md")


def test_hubs_rank_the_most_linked_to_notes_first(graph: KnowledgeGraph) -> None:
    ranked = graph.hubs(limit=20)
    assert len(ranked) == len(graph.notes())
    assert abs(sum(h.score for h in ranked) - 1.0) < 1e-6
    assert ranked[0].path == "home.md"  # three notes point at it, and they are well linked
    # nothing links to loner or wisher: both get only the random jump, the least there is
    assert [h.path for h in ranked[-2:]] == ["loner.md", "wisher.md"]
    assert ranked[-1].score == pytest.approx(ranked[-2].score)
    assert {h.path: h.inbound for h in ranked}["beta.md"] == 3  # alpha, delta, home
    assert graph.hubs(limit=3) == ranked[:3]


def test_communities_cover_every_note_once_and_keep_cycles_together(graph: KnowledgeGraph) -> None:
    groups = graph.communities()
    members = [p for group in groups for p in group]
    assert sorted(members) == sorted(graph.notes())
    assert ["cycle-a.md", "cycle-b.md"] in groups
    assert ["loner.md"] in groups
    assert graph.communities() == groups  # cached, and seeded


@pytest.mark.parametrize("direction", ["out", "in", "both"])
def test_filtering_by_every_kind_is_the_same_walk(graph: KnowledgeGraph, direction: str) -> None:
    for centre in ("home.md", "beta.md", "gamma.md"):
        plain = graph.neighbours(centre, depth=2, direction=direction)
        every = graph.neighbours(centre, depth=2, direction=direction, kinds=EDGE_KINDS)
        assert dict(every.distance) == dict(plain.distance)
        assert sorted(every.edges, key=repr) == sorted(plain.edges, key=repr)
