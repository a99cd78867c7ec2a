"""What every walk over the graph shares: kind filters, one step in a direction, checks."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from kgwiki.graph.edge_index import Adjacency, EdgeIndex
from kgwiki.graph.records import Edge, NodeId

DIRECTIONS = ("out", "in", "both")


def accepts(group: tuple[Edge, ...], kinds: Collection[str] | None) -> bool:
    """Whether one of the parallel edges is of an accepted kind (None accepts all)."""
    return kinds is None or any(edge.kind in kinds for edge in group)


def steps(
    out: Adjacency, into: Adjacency, node: NodeId, direction: str, kinds: Collection[str] | None
) -> Iterator[NodeId]:
    """The nodes one edge away from ``node`` in ``direction``, through edges of ``kinds``."""
    if direction != "in":
        for target, group in out[node].items():
            if accepts(group, kinds):
                yield target
    if direction != "out":
        for source, group in into[node].items():
            if accepts(group, kinds):
                yield source


def check(index: EdgeIndex, direction: str, *nodes: NodeId) -> None:
    """Refuse an unknown direction or a node the graph does not hold."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    for node in nodes:
        if node not in index:
            raise KeyError(f"{node} is not in the graph")
