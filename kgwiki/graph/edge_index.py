"""Each node's edges as ready-made ``Edge`` records, by neighbour, both ways: what queries walk.

The networkx graph holds the same edges as attribute dicts, for ranking and export. Walks
read this index instead: a depth-2 neighbourhood around a hub hands out thousands of edges,
and ``list.extend`` of a prebuilt tuple per neighbour costs a quarter of reading thousands of
scattered attribute dicts and building a record from each (measured at 10k notes).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kgwiki.graph.records import Edge, NodeId

Adjacency = dict[NodeId, dict[NodeId, tuple[Edge, ...]]]


class EdgeIndex:
    """``out[a][b]`` and ``into[b][a]`` are the same tuple: every edge a → b, in line order."""

    def __init__(self) -> None:
        self.out: Adjacency = {}
        self.into: Adjacency = {}

    def __contains__(self, node: object) -> bool:
        return node in self.out

    def add_node(self, node: NodeId) -> None:
        self.out.setdefault(node, {})
        self.into.setdefault(node, {})

    def set_out(self, source: NodeId, edges: Iterable[Edge]) -> list[NodeId]:
        """Make ``edges`` the whole of what ``source`` writes; return the targets it dropped."""
        old = self.out.get(source, {})
        for target in old:
            self.into[target].pop(source, None)
        grouped: dict[NodeId, list[Edge]] = {}
        for edge in edges:
            grouped.setdefault(edge.target, []).append(edge)
        new = {target: tuple(group) for target, group in grouped.items()}
        self.out[source] = new
        for target, group in new.items():
            self.add_node(target)
            self.into[target][source] = group
        return [target for target in old if target not in new]

    def remove_node(self, node: NodeId) -> list[NodeId]:
        """Forget a node and every edge touching it; return the nodes it wrote edges to."""
        targets = list(self.out.pop(node, {}))
        for target in targets:
            self.into[target].pop(node, None)
        for source in self.into.pop(node, {}):
            self.out[source].pop(node, None)
        return targets

    def edges_of(self, source: NodeId) -> Iterator[Edge]:
        for group in self.out[source].values():
            yield from group
