"""The graph as files (GraphML, GEXF, node-link JSON) and as the web graph view's JSON.

networkx is imported only by the functions that make or write a networkx graph: importing it
costs most of a second (its backends' docstrings are built at import), and the web graph
view's JSON, which every build and server draws, does not need it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kgwiki.graph.edge_index import EdgeIndex
from kgwiki.graph.records import Edge, NodeId, is_wanted
from kgwiki.types import NotePath
from kgwiki.util import atomic_write_bytes, atomic_write_text, collector_paused

FORMATS = ("graphml", "gexf", "json")
Positions = Mapping[NotePath, tuple[float, float]]
_WANTED_OFFSET = 40.0  # how far from its first source a wanted node is drawn


def to_networkx(attrs: Mapping[NodeId, Mapping[str, Any]], index: EdgeIndex) -> Any:
    """The graph as a networkx MultiDiGraph; an edge's key is its number among its note's.

    Made with the cycle collector paused: its dicts (four per edge) are acyclic, and each
    collection they set off would walk the whole loaded vault again (more than half the time).
    """
    import networkx as nx

    with collector_paused():
        made = nx.MultiDiGraph()
        made.add_nodes_from(attrs.items())
        made.add_edges_from(
            (e.source, e.target, key, _edge_data(e))
            for source in index.out
            for key, e in enumerate(index.edges_of(source))
        )
    return made


def _edge_data(edge: Edge) -> dict[str, Any]:
    return {"kind": edge.kind, "line": edge.line, "context": edge.context, "name": edge.name}


def write(graph: Any, file: Path, fmt: str) -> None:
    """Write ``graph`` to ``file`` as GraphML, GEXF (opens in Gephi) or node-link JSON."""
    import networkx as nx

    if fmt == "json":
        data = nx.node_link_data(graph, edges="links")
        atomic_write_text(file, json.dumps(data, ensure_ascii=False, default=_jsonable) + "\n")
        return
    if fmt not in FORMATS:
        raise ValueError(f"unknown graph format {fmt!r}; use one of {', '.join(FORMATS)}")
    flat = flat_copy(graph)
    writer = nx.generate_graphml if fmt == "graphml" else nx.generate_gexf
    text = "\n".join(writer(flat))
    atomic_write_bytes(file, (text + "\n").encode("utf-8"))


def flat_copy(graph: Any) -> Any:
    """A copy whose attributes GraphML and GEXF can hold: lists as comma strings, no None.

    Nodes also get a ``label`` (the title), which Gephi shows instead of the path.
    """
    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **_flat(data), label=str(data.get("title", node)))
    for source, target, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(source, target, key=key, **_flat(data))
    return flat


def _flat(data: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            out[key] = ",".join(str(v) for v in value)
        elif isinstance(value, bool | int | float | str):
            out[key] = value
        else:
            out[key] = str(value)
    return out


def _jsonable(value: Any) -> Any:
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


def to_node_link(
    attrs: Mapping[NodeId, Mapping[str, Any]], index: EdgeIndex, positions: Positions,
    subset: Iterable[NodeId] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The compact JSON the graph view draws: nodes with place and size, links with kind.

    ``subset`` limits it to those nodes (a local graph) and the links among them. Parallel
    edges of one kind between two notes are sent once.
    """
    chosen = list(attrs) if subset is None else [n for n in dict.fromkeys(subset) if n in attrs]
    members = set(chosen)
    nodes = []
    for node in chosen:
        data = attrs[node]
        x, y = positions.get(NotePath(node)) or _wanted_position(index, node, positions)
        neighbours = index.out[node].keys() | index.into[node].keys()
        nodes.append({
            "id": node, "title": str(data.get("title", node)), "tags": list(data.get("tags", ())),
            "trust": data.get("trust"), "x": x, "y": y, "wanted": bool(data.get("wanted", False)),
            "degree": len(neighbours),
        })  # fmt: skip
    links: dict[tuple[str, str, str], None] = {}
    for source in chosen:
        for target, group in index.out[source].items():
            if target in members:
                for edge in group:
                    links[(source, target, edge.kind)] = None
    return {
        "nodes": nodes,
        "links": [{"source": s, "target": t, "kind": k} for s, t, k in links],
    }


def _wanted_position(index: EdgeIndex, node: NodeId, positions: Positions) -> tuple[float, float]:
    """A wanted node sits near the note that wants it most, at an angle fixed by its name."""
    wanting = index.into[node]
    placed = [s for s in wanting if NotePath(s) in positions]
    sources = sorted(placed, key=lambda s: (-len(wanting[s]), s))
    if not is_wanted(node) or not sources:
        return (0.0, 0.0)
    x, y = positions[NotePath(sources[0])]
    turn = int(hashlib.blake2b(node.encode(), digest_size=2).hexdigest(), 16) / 65536 * 2 * math.pi
    dx, dy = _WANTED_OFFSET * math.cos(turn), _WANTED_OFFSET * math.sin(turn)
    return (round(x + dx, 1), round(y + dy, 1))
