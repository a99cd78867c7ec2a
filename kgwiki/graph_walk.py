"""What every walk over the graph shares: the raw adjacency, kind filters, argument checks."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from kgwiki.graph_records import NodeId

DIRECTIONS = ("out", "in", "both")
Keyed = dict[Any, dict[str, Any]]  # the parallel edges between two nodes, by key
Adjacency = dict[NodeId, dict[NodeId, Keyed]]


def adjacency(graph: Any) -> tuple[Adjacency, Adjacency]:
    """The successor and predecessor dicts beneath networkx's read-only views.

    A view wraps every lookup in an object and every iteration in the ``Mapping``
    machinery, which costs more than the walk itself (3-5× on a depth-2 neighbourhood);
    networkx's own traversals read these dicts too. Never written through.
    """
    return graph._succ, graph._pred


def accepts(keyed: Keyed, kinds: Collection[str] | None) -> bool:
    """Whether one of the parallel edges is of an accepted kind (None accepts all)."""
    return kinds is None or any(data["kind"] in kinds for data in keyed.values())


def steps(
    succ: Adjacency, pred: Adjacency, node: NodeId, direction: str,
    kinds: Collection[str] | None,
) -> Iterator[NodeId]:  # fmt: skip
    """The nodes one edge away from ``node`` in ``direction``, through edges of ``kinds``."""
    if direction != "in":
        for target, keyed in succ[node].items():
            if accepts(keyed, kinds):
                yield target
    if direction != "out":
        for source, keyed in pred[node].items():
            if accepts(keyed, kinds):
                yield source


def check(graph: Any, direction: str, *nodes: NodeId) -> None:
    """Refuse an unknown direction or a node the graph does not hold."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    for node in nodes:
        if node not in graph:
            raise KeyError(f"{node} is not in the graph")
