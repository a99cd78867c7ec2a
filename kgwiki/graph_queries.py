"""Navigation queries around one note: its links, backlinks, neighbourhood, parents, relations.

Every query walks the adjacency from its starting note, so it costs what it visits, never a
copy of the graph (an undirected copy of a 10k-note graph costs seconds). Wanted nodes are
leaves: a walk reaches them but does not go on through them, since two notes that want the
same missing note are not thereby related.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from kgwiki.graph_records import (
    ADJACENT,
    CHILD,
    DUPLICATE_OF,
    EMBED,
    LINK,
    PARENT,
    RECORD,
    VARIANT,
    Backlink,
    Edge,
    Neighbourhood,
    NodeId,
    is_wanted,
    kind_rank,
)
from kgwiki.graph_walk import Keyed, accepts, adjacency, check
from kgwiki.types import NotePath

# How a relation reads from the other end: B is A's child when A names B as parent.
INVERSE = {PARENT: CHILD, CHILD: PARENT, VARIANT: VARIANT, ADJACENT: ADJACENT,
           DUPLICATE_OF: "duplicated-by"}  # fmt: skip


def outlinks(graph: Any, path: NotePath) -> list[Edge]:
    """Every edge a note writes, in the order of its lines."""
    check(graph, "out", path)
    succ, _ = adjacency(graph)
    found: list[Edge] = [data[RECORD] for keyed in succ[path].values() for data in keyed.values()]
    return sorted(found, key=lambda e: (e.line, kind_rank(e.kind), e.target))


def backlinks(graph: Any, node: NodeId) -> list[Backlink]:
    """Every edge into a node (a note or a wanted note), by source and line."""
    check(graph, "in", node)
    _, pred = adjacency(graph)
    found = [
        Backlink(NotePath(source), data["line"], data["context"], data["kind"])
        for source, keyed in pred[node].items()
        if source != node
        for data in keyed.values()
    ]
    return sorted(found, key=lambda b: (b.source, b.line, kind_rank(b.kind)))


def neighbourhood(
    graph: Any, centre: NotePath, depth: int = 1, direction: str = "both",
    kinds: Iterable[str] | None = None,
) -> Neighbourhood:  # fmt: skip
    """Nodes within ``depth`` hops of ``centre`` (breadth first) and the edges walked to them.

    The edges are those the walk can follow from every node nearer than ``depth``: so a
    depth-1 neighbourhood is a star, and two notes on the rim are not joined (around a hub
    that would be most of the vault's edges, for a picture nobody could read anyway).
    """
    check(graph, direction, centre)
    succ, pred = adjacency(graph)
    accepted = frozenset(kinds) if kinds is not None else None
    distance: dict[NodeId, int] = {centre: 0}
    walked: list[Keyed] = []  # the parallel edges of each pair walked
    frontier: list[NodeId] = [centre]
    for step in range(1, depth + 1):
        ring: list[NodeId] = []
        for node in frontier:
            if direction != "in":
                for target, keyed in succ[node].items():
                    if accepted is None or accepts(keyed, accepted):
                        walked.append(keyed)
                        if target not in distance:
                            distance[target] = step
                            ring.append(target)
            if direction == "out":
                continue
            for source, keyed in pred[node].items():
                if accepted is not None and not accepts(keyed, accepted):
                    continue
                # Walking both ways, an edge from an inner node is also that node's out-edge,
                # recorded when it is expanded: record it here only when its source is on the
                # rim (and so is never expanded).
                if direction == "in" or distance.get(source, step) == depth:
                    walked.append(keyed)
                if source not in distance:
                    distance[source] = step
                    ring.append(source)
        frontier = [n for n in ring if not is_wanted(n)]
    nodes: list[NodeId] = [centre]
    for step in range(1, depth + 1):
        nodes += sorted(n for n, d in distance.items() if d == step)
    edges = tuple(
        data[RECORD]
        for keyed in walked
        for data in keyed.values()
        if accepted is None or data["kind"] in accepted
    )
    return Neighbourhood(centre, tuple(nodes), distance, edges)


def _parents(graph: Any, path: NodeId) -> Iterator[NodeId]:
    """A note's parents: those it names as parent (by line), then those naming it as child.

    Lazily, because a parent's own backlinks may number thousands and the first parent
    named usually settles the question.
    """
    succ, pred = adjacency(graph)
    named = sorted(
        (data["line"], target)
        for target, keyed in succ[path].items()
        for data in keyed.values()
        if data["kind"] == PARENT and not is_wanted(target) and target != path
    )
    yield from (target for _, target in named)
    adopted = sorted(
        (source, data["line"])
        for source, keyed in pred[path].items()
        for data in keyed.values()
        if data["kind"] == CHILD and source != path
    )
    yield from (source for source, _ in adopted)


def parents_chain(graph: Any, path: NotePath) -> list[NotePath]:
    """Breadcrumbs: the first parent, its first parent, … listed root first.

    A parent already on the chain ends it, so a cycle of parents cannot loop.
    """
    check(graph, "both", path)
    chain: list[NotePath] = []
    seen: set[NodeId] = {path}
    current: NodeId = path
    while True:
        parent = next((p for p in _parents(graph, current) if p not in seen), None)
        if parent is None:
            break
        chain.append(NotePath(parent))
        seen.add(parent)
        current = parent
    chain.reverse()
    return chain


def relations(graph: Any, path: NotePath) -> dict[str, list[NotePath]]:
    """Typed relations of a note, declared by it or (read backwards) by the other note.

    Kinds: parent, child, variant, adjacent, duplicate-of, duplicated-by and any kind a
    kgwiki.toml adds. Plain links and embeds are not relations; wanted targets are left out.
    """
    check(graph, "both", path)
    succ, pred = adjacency(graph)
    found: dict[str, list[NotePath]] = {}

    def add(kind: str, other: NodeId) -> None:
        if other != path and not is_wanted(other):
            members = found.setdefault(kind, [])
            if other not in members:
                members.append(NotePath(other))

    declared = sorted(
        (data["line"], data["kind"], target)
        for target, keyed in succ[path].items()
        for data in keyed.values()
        if data["kind"] not in (LINK, EMBED)
    )
    for _, kind, target in declared:
        add(kind, target)
    for source, keyed in sorted(pred[path].items()):
        for data in keyed.values():
            written: str = data["kind"]
            if written not in (LINK, EMBED):
                add(INVERSE.get(written, written), source)
    return found
