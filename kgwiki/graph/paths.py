"""Shortest paths between two notes, each hop explained by the edge that makes it."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from itertools import pairwise

from kgwiki.graph.edge_index import Adjacency, EdgeIndex
from kgwiki.graph.records import Hop, NodeId, is_wanted, kind_rank
from kgwiki.graph.walk import check, steps
from kgwiki.types import NotePath

Trail = dict[NodeId, NodeId | None]  # node -> its neighbour one step nearer the search's start


def shortest_path(
    index: EdgeIndex, a: NotePath, b: NotePath, kinds: Iterable[str] | None = None,
    directed: bool = False,
) -> list[Hop] | None:  # fmt: skip
    """The fewest hops from ``a`` to ``b``, each explained; None when they are not connected.

    By default an edge may be walked either way (``a`` is related to ``b`` whoever wrote the
    link); ``directed`` follows links only as written. Paths go through notes only: sharing
    a wanted note does not connect two notes. ``a == b`` gives an empty path.
    """
    check(index, "both", a, b)
    accepted = frozenset(kinds) if kinds is not None else None
    nodes = _meet_in_the_middle(index.out, index.into, a, b, accepted, directed)
    if nodes is None:
        return None
    return [_explain(index.out, u, v, accepted, directed) for u, v in pairwise(nodes)]


def _meet_in_the_middle(
    out: Adjacency, into: Adjacency, a: NodeId, b: NodeId, kinds: Collection[str] | None,
    directed: bool,
) -> list[NodeId] | None:  # fmt: skip
    """Breadth-first from both ends at once, always growing the smaller frontier.

    Around a hub a plain breadth-first search reaches most of the vault in two steps; two
    half-depth searches that meet visit a few hundred nodes instead.
    """
    if a == b:
        return [a]
    forward, backward = ("out", "in") if directed else ("both", "both")
    before: Trail = {a: None}
    after: Trail = {b: None}
    front, back = [a], [b]
    while front and back:
        grow_front = len(front) <= len(back)
        if grow_front:
            frontier, seen, other, direction = front, before, after, forward
        else:
            frontier, seen, other, direction = back, after, before, backward
        following: list[NodeId] = []
        for node in frontier:
            for nxt in steps(out, into, node, direction, kinds):
                if nxt in seen or is_wanted(nxt):
                    continue
                seen[nxt] = node
                if nxt in other:
                    return _join(nxt, before, after)
                following.append(nxt)
        if grow_front:
            front = following
        else:
            back = following
    return None


def _join(meet: NodeId, before: Trail, after: Trail) -> list[NodeId]:
    path: list[NodeId] = []
    node: NodeId | None = meet
    while node is not None:
        path.append(node)
        node = before[node]
    path.reverse()
    node = after[meet]
    while node is not None:
        path.append(node)
        node = after[node]
    return path


def _explain(
    out: Adjacency, u: NodeId, v: NodeId, kinds: Collection[str] | None, directed: bool
) -> Hop:
    """The edge that best explains the hop u → v: written in u first, then the strongest kind."""
    options = [(True, edge) for edge in out[u].get(v, ())]
    if not directed:
        options += [(False, edge) for edge in out[v].get(u, ())]
    options = [o for o in options if kinds is None or o[1].kind in kinds]
    forward, edge = min(options, key=lambda o: (not o[0], kind_rank(o[1].kind), o[1].line))
    return Hop(NotePath(u), NotePath(v), edge.kind, edge.line, edge.context, forward)
