"""``KnowledgeGraph``: the notes of a Vault as a graph of typed edges, kept current note by note.

Nodes are notes (keyed by NotePath) and *wanted* notes (``wanted:<name>``, one per missing
target). Every edge is one written reference with its kind, line and line text, so a query
can always say where in which note a connection comes from.

The edges live in an ``EdgeIndex`` of ready-made ``Edge`` records, which the navigation
queries walk (``graph_queries``, ``graph_paths``) and ranking reads (``graph_rank``). The
networkx ``MultiDiGraph`` (``.graph``) is made from it when asked for — by export and by
callers who want networkx's algorithms — and kept until the graph changes: building 115k
networkx edges cost as much as everything else in a 10k-note build, and queries never need it.
For the same reason networkx, numpy and scipy (export, layout, ranking) are imported when
first used: a third of a second that a server's start and ``kgwiki search`` do not pay.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kgwiki.graph import paths as graph_paths
from kgwiki.graph import queries as graph_queries
from kgwiki.graph.edge_index import EdgeIndex
from kgwiki.graph.edges import declared_names, note_edges, wanted_name
from kgwiki.graph.records import (
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
from kgwiki.graph.snapshot import graph_key, read_graph_state, write_graph_state
from kgwiki.graph.tags import TagIndex
from kgwiki.note import Note
from kgwiki.types import NoteKey, NotePath
from kgwiki.util import collector_paused
from kgwiki.vault import Vault, normalise_path, note_key, note_names

if TYPE_CHECKING:
    from kgwiki.graph.layout import Keyed

T = TypeVar("T")
Positions = dict[NotePath, tuple[float, float]]


class KnowledgeGraph:
    """Notes, wanted notes and typed edges; see docs/graph.md."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.index = EdgeIndex()
        self._attrs: dict[NodeId, dict[str, Any]] = {}  # node attributes, as networkx gets them
        self._notes: dict[NotePath, Note] = {}  # the version of each note the graph reflects
        self._tags = TagIndex()
        self._declared: defaultdict[NoteKey, set[NotePath]] = defaultdict(set)
        self._version = 0
        self._cache: dict[str, tuple[int, Any]] = {}
        self._layout: Keyed | None = None
        self._kept = False  # this graph is the one in the graph cache

    # -- building and keeping current ----------------------------------------------------

    @classmethod
    def build(cls, vault: Vault) -> KnowledgeGraph:
        """The graph of every note of ``vault`` (nodes first, so every link finds its note)."""
        kg = cls(vault.root / vault.config.cache_dir)
        # The build allocates objects per edge; the cyclic collector would rescan the whole
        # heap (every parsed note) several times over for nothing, which doubles the cost.
        with collector_paused():
            for note in vault:
                kg._set_node(note)
            for path in vault.notes:
                kg._put_edges(path, list(note_edges(vault, vault.notes[path], kg._notes)))
        return kg

    @classmethod
    def from_cache(cls, vault: Vault) -> KnowledgeGraph | None:
        """The graph :meth:`save_cache` kept for a vault whose files were as they are now
        (``vault.state_key``, from ``Vault.load(keep_links=True)``); else None."""
        key = graph_key(vault.state_key)
        if key is None:
            return None
        kg = cls(vault.root / vault.config.cache_dir)
        with collector_paused():
            state = read_graph_state(kg.cache_dir, key) if kg.cache_dir else None
            if state is None:
                return None
            kg.index, kg._attrs, kg._tags, declared = state
        kg._declared = defaultdict(set, declared)
        kg._notes = dict(vault.notes)  # as ``build`` sets them: every note, in vault order
        kg._kept = True
        return kg

    def save_cache(self, vault: Vault) -> bool:
        """Keep this graph for :meth:`from_cache`, if it is still that of ``vault`` as it was
        loaded (same files) and unchanged since it was built; True when it is kept."""
        key = graph_key(vault.state_key)
        if key is None or self._version != 0 or self.cache_dir is None:
            return False
        if self._kept or vault.version != vault.keyed_version:
            return self._kept
        state = (self.index, self._attrs, self._tags, dict(self._declared))
        self._kept = write_graph_state(self.cache_dir, key, state)
        return self._kept

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
        self._set_node(note)
        if old is None or note_names(old) != note_names(note):
            for source in sorted(self._writers_of(vault, note, old) - {rel}):
                self._relink(vault, source)
        self._relink(vault, rel)
        self._version += 1

    def remove_note(self, path: NotePath | str, vault: Vault | None = None) -> None:
        """Drop a note; links to it become wanted (or re-resolve, when the vault is given)."""
        rel = normalise_path(str(path))
        if rel not in self._notes:
            return
        incoming = [e for group in self.index.into[rel].values() for e in group]
        self._put_edges(rel, [])  # drops the wanted nodes only this note wanted
        self.index.remove_node(rel)
        del self._attrs[rel]
        old = self._notes.pop(rel)
        self._tags.remove(rel, old.tags)
        for key in declared_names(old):
            self._declared[key].discard(rel)
        if vault is not None and rel not in vault.notes:
            writers = {NotePath(e.source) for e in incoming} | self._writers_of(vault, old, None)
            for source in sorted(writers):
                self._relink(vault, source)
        else:
            for writer in dict.fromkeys(e.source for e in incoming):
                self._repoint(writer, [e for e in incoming if e.source == writer], old.title)
        self._version += 1

    def _set_node(self, note: Note) -> None:
        old = self._notes.get(note.path)
        if old is not None:
            self._tags.remove(note.path, old.tags)
            for key in declared_names(old):
                self._declared[key].discard(note.path)
        self._notes[note.path] = note
        self.index.add_node(note.path)
        meta = note.meta
        self._attrs[note.path] = {
            "title": note.title, "path": note.path, "tags": note.tags, "wanted": False,
            "trust": meta.source_trust_level, "confidence": meta.confidence_score,
            "status": meta.status, "category": meta.category,
        }  # fmt: skip
        self._tags.add(note.path, note.tags)
        for key in declared_names(note):
            self._declared[key].add(note.path)

    def _put_edges(self, source: NotePath, edges: list[Edge]) -> None:
        """Make ``edges`` all that ``source`` writes; wanted nodes come and go with them."""
        for edge in edges:
            if edge.target not in self._attrs:
                self._attrs[edge.target] = {"title": edge.name, "wanted": True}
                self.index.add_node(edge.target)
        for target in self.index.set_out(source, edges):
            if is_wanted(target) and not self.index.into[target]:
                self.index.remove_node(target)  # a wanted node lives while some note wants it
                del self._attrs[target]

    def _relink(self, vault: Vault, source: NotePath) -> None:
        if source in vault.notes and source in self._notes:
            self._put_edges(source, list(note_edges(vault, vault.notes[source], self._notes)))

    def _repoint(self, source: NodeId, lost: list[Edge], title: str) -> None:
        """Links to a removed note become links to a wanted note of the name they wrote."""
        moved = []
        for edge in lost:
            name = wanted_name(edge.name, source) or title
            node = wanted_id(note_key(name))
            moved.append(Edge(source, node, edge.kind, edge.line, edge.context, name))
        self._put_edges(NotePath(source), [*self.index.edges_of(source), *moved])

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

    def _cached(self, name: str, compute: Callable[[], T]) -> T:
        """Costly results (networkx graph, PageRank, communities, layout) last until a change."""
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

    @property
    def graph(self) -> Any:
        """The graph as a networkx MultiDiGraph (made on first use after each change).

        Node attributes: title, path, tags, trust, confidence, status, category, wanted.
        Edge attributes: kind, line, context, name; keys number each note's edges.
        """
        from kgwiki.graph import export as graph_export

        return self._cached("networkx", lambda: graph_export.to_networkx(self._attrs, self.index))

    def __contains__(self, node: object) -> bool:
        return node in self.index

    def __len__(self) -> int:
        return len(self._notes)

    def notes(self) -> list[NotePath]:
        return list(self._notes)

    def node(self, node: NodeId) -> dict[str, Any]:
        """A node's attributes: title, path, tags, trust, confidence, status, category, wanted."""
        return dict(self._attrs[node])

    def title(self, node: NodeId) -> str:
        return str(self._attrs[node].get("title", node))

    def tags(self) -> dict[str, list[NotePath]]:
        """The second view: each tag (as first written) with its notes."""
        return self._tags.all()

    def tagged(self, tag: str, nested: bool = True) -> list[NotePath]:
        """Notes with ``tag``; with ``nested``, also those with ``tag/child`` tags."""
        return self._tags.tagged(tag, nested)

    # -- queries (see graph_queries, graph_paths, graph_rank) ----------------------------

    def outlinks(self, path: NotePath) -> list[Edge]:
        return graph_queries.outlinks(self.index, path)

    def backlinks(self, path: NodeId) -> list[Backlink]:
        return graph_queries.backlinks(self.index, path)

    def neighbours(
        self, path: NotePath, depth: int = 1, direction: str = "both",
        kinds: Iterable[str] | None = None,
    ) -> Neighbourhood:  # fmt: skip
        return graph_queries.neighbourhood(self.index, path, depth, direction, kinds)

    def shortest_path(
        self, a: NotePath, b: NotePath, kinds: Iterable[str] | None = None, directed: bool = False
    ) -> list[Hop] | None:
        return graph_paths.shortest_path(self.index, a, b, kinds, directed)

    def parents_chain(self, path: NotePath) -> list[NotePath]:
        return graph_queries.parents_chain(self.index, path)

    def relations(self, path: NotePath) -> dict[str, list[NotePath]]:
        return graph_queries.relations(self.index, path)

    def orphans(self) -> list[NotePath]:
        return graph_queries.orphans(self.index, self._notes)

    def dead_ends(self) -> list[NotePath]:
        return graph_queries.dead_ends(self.index, self._notes)

    def wanted(self) -> list[Wanted]:
        return graph_queries.wanted(self.index, self._attrs)

    def hubs(self, limit: int = 20) -> list[Hub]:
        from kgwiki.graph import rank as graph_rank

        ranked = self._cached("hubs", lambda: graph_rank.hubs(self.index, list(self._notes)))
        return ranked[:limit]

    def communities(self) -> list[list[NotePath]]:
        """Groups of closely linked notes (Louvain, seeded), largest first."""
        from kgwiki.graph import rank as graph_rank

        groups = self._cached(
            "communities", lambda: graph_rank.communities(self.index, list(self._notes))
        )
        return [list(group) for group in groups]

    # -- drawing and export (see graph_layout, graph_export) -----------------------------

    def layout(self) -> Positions:
        """Positions of every note for the graph view (see graph_layout).

        Computed once per edge set: kept in memory across text-only edits, and on disk in
        ``<vault>/.kgwiki/layout.pickle`` across runs.
        """

        from kgwiki.graph import layout as graph_layout

        def compute() -> Positions:
            self._layout = graph_layout.cached_layout(
                self.index, self._notes, self.cache_dir, self._layout
            )
            return self._layout[1]

        return self._cached("layout", compute)

    def to_node_link(self, subset: Iterable[NodeId] | None = None) -> dict[str, Any]:
        from kgwiki.graph import export as graph_export

        return graph_export.to_node_link(self._attrs, self.index, self.layout(), subset)

    def export(self, file: Path, fmt: str) -> None:
        """Write the whole graph as ``graphml``, ``gexf`` or ``json`` (node-link)."""
        from kgwiki.graph import export as graph_export

        graph_export.write(self.graph, file, fmt)
