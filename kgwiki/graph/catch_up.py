"""Bringing a kept graph up to date leaves it as a fresh build would have made it.

``KnowledgeGraph.build`` adds the notes in vault order, then each note's edges: so every
``into[target]`` lists its sources in vault order, and a wanted node is titled with the name
its first edge wrote. Re-linking a few notes afterwards appends them at the end instead;
``put_in_build_order`` puts the nodes, and the sources of each target it is told about,
back in build order, and titles those wanted nodes again, so that everything a query or a
page shows is what a fresh build shows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kgwiki.graph.edge_index import EdgeIndex
from kgwiki.graph.records import NodeId, is_wanted
from kgwiki.types import NoteKey, NotePath

Attrs = dict[NodeId, dict[str, Any]]


def put_in_build_order(
    index: EdgeIndex, attrs: Attrs, notes: Iterable[NotePath], touched: Iterable[NodeId]
) -> Attrs:
    """Reorder ``index`` in place (and return ``attrs`` reordered) as ``build`` orders them:
    the notes, then each wanted node where its first source first names it; the sources
    into each ``touched`` node by note order."""
    order: dict[NodeId, int] = {note: rank for rank, note in enumerate(notes)}
    nodes = list(order)
    for note in list(nodes):
        for target in index.out[note]:
            if target not in order:  # a wanted node, met for the first time
                order[target] = len(order)
                nodes.append(target)
    nodes += [node for node in index.out if node not in order]  # none, unless orphaned
    index.out = {node: index.out[node] for node in nodes}
    index.into = {node: index.into[node] for node in nodes}
    for node in touched:
        sources = index.into.get(node)
        if sources is None:
            continue
        index.into[node] = dict(sorted(sources.items(), key=lambda item: order[item[0]]))
        if is_wanted(node) and sources:
            first = next(iter(index.into[node].values()))
            attrs[node] = {"title": first[0].name, "wanted": True}
    return {node: attrs[node] for node in nodes}


def declared_by(declared: Mapping[NoteKey, set[NotePath]]) -> dict[NotePath, set[NoteKey]]:
    """Each note's declared names (duplicate_of, canonical_id), from the names' notes."""
    found: dict[NotePath, set[NoteKey]] = {}
    for key, paths in declared.items():
        for path in paths:
            found.setdefault(path, set()).add(key)
    return found
