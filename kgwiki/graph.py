"""``KnowledgeGraph``: the notes of a Vault as a networkx MultiDiGraph, kept current note by note.

Nodes are notes (keyed by NotePath) and *wanted* notes (``wanted:<name>``, one per missing
target). Every edge is one written reference with its kind, line and line text, so a query
can always say where in which note a connection comes from. Queries live in
``graph_queries``, ranking in ``graph_rank``, drawing in ``graph_layout``, files in
``graph_export``; this module builds the graph, keeps it current and caches what is costly.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from kgwiki import graph_export, graph_layout, graph_paths, graph_queries, graph_rank
from kgwiki.graph_edges import declared_names, edge_attrs, note_edges, note_names, wanted_name
from kgwiki.graph_records import (
    Backlink,
    Edge,
    Hop,
    Hub,
    Neighbourhood,
    NodeId,
    Wanted,
    is_wanted,
    wanted_id,
)
from kgwiki.graph_walk import adjacency
from kgwiki.note import Note
from kgwiki.resolver import normalise_path, note_key
from kgwiki.types import NoteKey, NotePath
from kgwiki.vault import Vault

T = TypeVar("T")


class KnowledgeGraph:
    """Notes, wanted notes and typed edges; see docs/graph.md."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.graph: Any = nx.MultiDiGraph()
        self.cache_dir = cache_dir
        self._notes: dict[NotePath, Note] = {}  # the version of each note the graph reflects
        self._tags: defaultdict[str, set[NotePath]] = defaultdict(set)
        self._tag_names: dict[str, str] = {}
        self._declared: defaultdict[NoteKey, set[NotePath]] = defaultdict(set)
        self._version = 0
        self._cache: dict[str, tuple[int, Any]] = {}
        self._layout: graph_layout.Keyed | None = None

    # -- building and keeping current ----------------------------------------------------

    @classmethod
    def build(cls, vault: Vault) -> KnowledgeGraph:
        """The graph of every note of ``vault`` (nodes first, so every link finds its note)."""
        kg = cls(vault.root / vault.config.cache_dir)
        # The build allocates a dict per edge; the cyclic collector would rescan the whole
        # heap (every parsed note) several times over for nothing, which doubles the cost.
        collecting = gc.isenabled()
        gc.disable()
        try:
            for note in vault:
                kg._set_node(note)
            for path in vault.notes:
                kg._add_edges(vault, path)
        finally:
            if collecting:
                gc.enable()
        return kg

    def update_note(self, vault: Vault, path: NotePath | str) -> None:
        """Take in one note the vault has just (re)read; a note gone from the vault is removed.

        Only that note's edges change, except when its names (file name, title, aliases, id)
        change: then the notes that wrote one of those names are re-linked too, so creating a
        wanted note turns its wanted node into links to the new note.
        """
        rel = vault.relative(path)
        note = vault.notes.get(rel)
        if note is None:
            self.remove_note(rel, vault)
            return
        old = self._notes.get(rel)
        self._remove_out_edges(rel)
        self._set_node(note)
        if old is None or note_names(old) != note_names(note):
            for source in sorted(self._writers_of(vault, note, old) - {rel}):
                self._rewire(vault, source)
        self._add_edges(vault, rel)
        self._changed()

    def remove_note(self, path: NotePath | str, vault: Vault | None = None) -> None:
        """Drop a note; links to it become wanted (or re-resolve, when the vault is given)."""
        rel = normalise_path(str(path))
        if rel not in self._notes:
            return
        incoming = [(u, d) for u, _, d in self.graph.in_edges(rel, data=True) if u != rel]
        self._remove_out_edges(rel)
        self.graph.remove_node(rel)
        old = self._notes.pop(rel)
        self._forget_tags(rel, old)
        for key in declared_names(old):
            self._declared[key].discard(rel)
        if vault is not None and rel not in vault.notes:
            for source in sorted({u for u, _ in incoming} | self._writers_of(vault, old, None)):
                if source in self._notes:
                    self._rewire(vault, source)
        else:
            for source, data in incoming:
                name = wanted_name(str(data.get("name", "")), source) or old.title
                self._add_wanted_edge(source, name, data)
        self._changed()

    def _set_node(self, note: Note) -> None:
        old = self._notes.get(note.path)
        if old is not None:
            self._forget_tags(note.path, old)
            for key in declared_names(old):
                self._declared[key].discard(note.path)
        self._notes[note.path] = note
        meta = note.meta
        self.graph.add_node(
            note.path, title=note.title, path=note.path, tags=note.tags, wanted=False,
            trust=meta.source_trust_level, confidence=meta.confidence_score,
            status=meta.status, category=meta.category,
        )  # fmt: skip
        for tag in note.tags:
            folded = tag.casefold()
            self._tags[folded].add(note.path)
            self._tag_names.setdefault(folded, tag)
        for key in declared_names(note):
            self._declared[key].add(note.path)

    def _forget_tags(self, path: NotePath, note: Note) -> None:
        for tag in note.tags:
            members = self._tags.get(tag.casefold())
            if members is not None:
                members.discard(path)
                if not members:
                    del self._tags[tag.casefold()]
                    self._tag_names.pop(tag.casefold(), None)

    def _add_edges(self, vault: Vault, path: NotePath) -> None:
        graph = self.graph
        batch = []
        # The edge's position in its note is its key: unique per note, and networkx need not
        # search for a free key (which costs more than the rest of adding an edge).
        for key, edge in enumerate(note_edges(vault, vault.notes[path], self._notes)):
            if is_wanted(edge.target) and edge.target not in graph:
                graph.add_node(edge.target, title=edge.name, wanted=True)
            batch.append((path, edge.target, key, edge.attrs))
        graph.add_edges_from(batch)

    def _add_wanted_edge(self, source: NotePath, name: str, data: dict[str, Any]) -> None:
        node = wanted_id(note_key(name))
        if node not in self.graph:
            self.graph.add_node(node, title=name, wanted=True)
        attrs = edge_attrs(source, node, data["kind"], data["line"], data["context"], name)
        self.graph.add_edge(source, node, **attrs)

    def _remove_out_edges(self, path: NotePath) -> None:
        if path not in self.graph:
            return
        targets = list(self.graph.succ[path])
        self.graph.remove_edges_from(list(self.graph.out_edges(path, keys=True)))
        # A wanted node exists only while some note wants it.
        self.graph.remove_nodes_from(
            [t for t in targets if is_wanted(t) and not self.graph.pred[t]]
        )

    def _rewire(self, vault: Vault, source: NotePath) -> None:
        if source in vault.notes and source in self._notes:
            self._remove_out_edges(source)
            self._add_edges(vault, source)

    def _writers_of(self, vault: Vault, note: Note, old: Note | None) -> set[NotePath]:
        """Notes whose links (or duplicate declarations) may resolve differently now."""
        found = vault.sources_linking_to_names(note)
        names = note_names(note)
        if old is not None:
            found |= vault.sources_linking_to_names(old)
            names |= note_names(old)
        for key in names:
            found |= self._declared.get(key, set())
        return found

    def _changed(self) -> None:
        self._version += 1

    def _cached(self, name: str, compute: Callable[[], T]) -> T:
        """Costly results (PageRank, communities, layout) last until the graph changes."""
        hit = self._cache.get(name)
        if hit is not None and hit[0] == self._version:
            return hit[1]  # type: ignore[no-any-return]
        value = compute()
        self._cache[name] = (self._version, value)
        return value

    # -- what is in it -------------------------------------------------------------------

    @property
    def version(self) -> int:
        """A counter that changes whenever the graph does (for callers' own caches)."""
        return self._version

    def __contains__(self, node: object) -> bool:
        return node in self.graph

    def __len__(self) -> int:
        return len(self._notes)

    def notes(self) -> list[NotePath]:
        return list(self._notes)

    def node(self, node: NodeId) -> dict[str, Any]:
        """A node's attributes: title, path, tags, trust, confidence, status, category, wanted."""
        return dict(self.graph.nodes[node])

    def title(self, node: NodeId) -> str:
        return str(self.graph.nodes[node].get("title", node))

    def tags(self) -> dict[str, list[NotePath]]:
        """The second view: each tag (as first written) with its notes."""
        return {self._tag_names[k]: sorted(v) for k, v in sorted(self._tags.items())}

    def tagged(self, tag: str, nested: bool = True) -> list[NotePath]:
        """Notes with ``tag``; with ``nested``, also those with ``tag/child`` tags."""
        key = tag.lstrip("#").casefold()
        found = set(self._tags.get(key, ()))
        if nested:
            for other, members in self._tags.items():
                if other.startswith(key + "/"):
                    found |= members
        return sorted(found)

    # -- queries (see graph_queries, graph_paths) ----------------------------------------

    def outlinks(self, path: NotePath) -> list[Edge]:
        return graph_queries.outlinks(self.graph, path)

    def backlinks(self, path: NodeId) -> list[Backlink]:
        return graph_queries.backlinks(self.graph, path)

    def neighbours(
        self, path: NotePath, depth: int = 1, direction: str = "both",
        kinds: Iterable[str] | None = None,
    ) -> Neighbourhood:  # fmt: skip
        return graph_queries.neighbourhood(self.graph, path, depth, direction, kinds)

    def shortest_path(
        self, a: NotePath, b: NotePath, kinds: Iterable[str] | None = None, directed: bool = False
    ) -> list[Hop] | None:
        return graph_paths.shortest_path(self.graph, a, b, kinds, directed)

    def parents_chain(self, path: NotePath) -> list[NotePath]:
        return graph_queries.parents_chain(self.graph, path)

    def relations(self, path: NotePath) -> dict[str, list[NotePath]]:
        return graph_queries.relations(self.graph, path)

    def orphans(self) -> list[NotePath]:
        """Notes with no edge in or out (links to wanted notes count as edges)."""
        succ, pred = adjacency(self.graph)
        return sorted(p for p in self._notes if not succ[p] and not pred[p])

    def dead_ends(self) -> list[NotePath]:
        """Notes with no outgoing edge to another existing note (orphans included)."""
        succ, _ = adjacency(self.graph)
        return sorted(p for p in self._notes if all(is_wanted(t) for t in succ[p]))

    def wanted(self) -> list[Wanted]:
        """Missing notes, most wanted first (by notes wanting them, then by links)."""
        _, pred = adjacency(self.graph)
        found = [
            Wanted(
                str(self.graph.nodes[w]["title"]),
                len(pred[w]),
                tuple(NotePath(s) for s in sorted(pred[w])),
                sum(len(keyed) for keyed in pred[w].values()),
            )
            for w in self.graph
            if is_wanted(w)
        ]
        return sorted(found, key=lambda w: (-w.count, -w.links, w.name.casefold()))

    def hubs(self, limit: int = 20) -> list[Hub]:
        ranked = self._cached("hubs", lambda: graph_rank.hubs(self.graph, list(self._notes)))
        return ranked[:limit]

    def communities(self) -> list[list[NotePath]]:
        """Groups of closely linked notes (Louvain, seeded), largest first."""
        return self._cached(
            "communities", lambda: graph_rank.communities(self.graph, list(self._notes))
        )

    # -- drawing and export (see graph_layout, graph_export) -----------------------------

    def layout(self) -> dict[NotePath, tuple[float, float]]:
        """Positions of every note for the graph view (see graph_layout).

        Computed once per edge set: kept in memory across text-only edits, and on disk in
        ``<vault>/.kgwiki/layout.pickle`` across runs.
        """

        def compute() -> dict[NotePath, tuple[float, float]]:
            self._layout = graph_layout.cached_layout(
                self.graph, self._notes, self.cache_dir, self._layout
            )
            return self._layout[1]

        return self._cached("layout", compute)

    def to_node_link(self, subset: Iterable[NodeId] | None = None) -> dict[str, Any]:
        return graph_export.to_node_link(self.graph, self.layout(), subset)

    def export(self, file: Path, fmt: str) -> None:
        """Write the whole graph as ``graphml``, ``gexf`` or ``json`` (node-link)."""
        graph_export.write(self.graph, file, fmt)
