"""What a ``KnowledgeGraph`` holds and the queries over it (``KnowledgeGraph`` is made of
this; ``knowledge`` builds the graph and keeps it current).

Costly results (the networkx graph, PageRank, communities, the layout) are computed on
first use and kept until the graph changes (``_version``). networkx, numpy and scipy
(export, layout, ranking) are imported when first used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kgwiki.graph import paths as graph_paths
from kgwiki.graph import queries as graph_queries
from kgwiki.graph.edge_index import EdgeIndex
from kgwiki.graph.records import Backlink, Edge, Hop, Hub, Neighbourhood, NodeId, Wanted
from kgwiki.graph.tags import TagIndex
from kgwiki.note import Note
from kgwiki.types import NotePath
from kgwiki.util import collector_off

if TYPE_CHECKING:
    from kgwiki.graph.layout import Keyed, LayoutJob

T = TypeVar("T")
Positions = dict[NotePath, tuple[float, float]]


class GraphViews:
    """The reading side of ``KnowledgeGraph`` (which sets these attributes)."""

    cache_dir: Path | None
    index: EdgeIndex
    _attrs: dict[NodeId, dict[str, Any]]
    _notes: dict[NotePath, Note]
    _tags: TagIndex
    _version: int
    _cache: dict[str, tuple[int, Any]]
    _layout: Keyed | None

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

    def first_targets(self, kind: str) -> dict[NotePath, NotePath]:
        """Each note's first edge of ``kind`` to a note, by source (``outlinks`` order)."""
        return graph_queries.first_targets(self.index, kind)

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
        chains: dict[NodeId, tuple[NotePath, ...]] = self._cached("parent chains", dict)
        return graph_queries.parents_chain(self.index, path, chains)

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
            self._layout = graph_layout.cached_layout(self.layout_job(), self.cache_dir,
                                                      self._layout)  # fmt: skip
            return self._layout[1]

        return self._cached("layout", compute)

    def layout_job(self) -> LayoutJob:
        """What the layout is computed from: the notes, their pairs and the key of both."""
        from kgwiki.graph import layout as graph_layout

        return self._cached("layout job", lambda: graph_layout.layout_job(self.index, self._notes))

    def to_node_link(self, subset: Iterable[NodeId] | None = None) -> dict[str, Any]:
        from kgwiki.graph import export as graph_export

        positions = self.layout()
        # A dict per node and per link, acyclic (100,000 and more at 10,000 notes): a
        # collection in the middle would free nothing.
        with collector_off():
            return graph_export.to_node_link(self._attrs, self.index, positions, subset)

    def export(self, file: Path, fmt: str) -> None:
        """Write the whole graph as ``graphml``, ``gexf`` or ``json`` (node-link)."""
        from kgwiki.graph import export as graph_export

        graph_export.write(self.graph, file, fmt)
