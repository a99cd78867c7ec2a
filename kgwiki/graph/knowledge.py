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
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.graph.catch_up import declared_by, put_in_build_order
from kgwiki.graph.edge_index import EdgeIndex
from kgwiki.graph.edges import declared_names, note_edges, wanted_name
from kgwiki.graph.records import Edge, NodeId, is_wanted, wanted_id
from kgwiki.graph.snapshot import graph_key, read_graph_state, write_graph_state
from kgwiki.graph.tags import TagIndex
from kgwiki.graph.views import GraphViews
from kgwiki.note import Note
from kgwiki.types import NoteKey, NotePath
from kgwiki.util import collector_paused
from kgwiki.vault import Vault, normalise_path, note_key

if TYPE_CHECKING:
    from kgwiki.graph.layout import Keyed

class KnowledgeGraph(GraphViews):
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
        self._kept: str | None = None  # the graph cache holds this graph, under this key

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
        """The graph :meth:`save_cache` kept with the link tables ``vault`` was loaded from
        (``Vault.load(keep_links=True)``), with the notes that differ since put in again
        (``vault.kept_changes``); else None."""
        changes = vault.kept_changes
        key = graph_key(changes.snapshot if changes is not None else None)
        if changes is None or key is None:
            return None
        kg = cls(vault.root / vault.config.cache_dir)
        with collector_paused():
            state = read_graph_state(kg.cache_dir, key) if kg.cache_dir else None
            if state is None:
                return None
            kg.index, kg._attrs, kg._tags, declared = state
            kg._declared = defaultdict(set, declared)
            kg._notes = dict(vault.notes)  # as ``build`` sets them: every note, in vault order
            if changes.paths:
                kg._catch_up(vault, changes.paths, changes.keys)
        kg._kept = changes.snapshot if changes.snapshot == vault.links_snapshot else None
        return kg

    def _catch_up(self, vault: Vault, paths: frozenset[NotePath], keys: frozenset[NoteKey]
                  ) -> None:  # fmt: skip
        """Put in again the notes ``paths`` that differ from the kept graph, and re-link the
        notes whose links or declarations may resolve differently (looked up by ``keys``)."""
        relink = self._writers_of(vault, keys)
        tagged = False
        declared = declared_by(self._declared)
        touched: set[NodeId] = set()
        for path in sorted(paths):
            for key in declared.get(path, ()):
                self._declared[key].discard(path)
            note = vault.notes.get(path)
            if path in self._attrs:
                tagged = tagged or bool(self._attrs[path].get("tags"))
                relink.update(NotePath(s) for s in self.index.into[path])
                touched.update(self.index.out[path])
            if note is None and path in self.index:
                self._put_edges(path, [])
                self.index.remove_node(path)
                self._attrs.pop(path, None)
            elif note is not None:
                self._notes.pop(path, None)  # so ``_set_node`` finds no old note to undo
                self._set_node(note)
                tagged = tagged or bool(note.tags)
                relink.add(path)
        self._notes = dict(vault.notes)
        for source in sorted(relink & self._notes.keys()):
            touched.update(self.index.out[source])
            self._relink(vault, source)
            touched.update(self.index.out[source])
        self._declared = defaultdict(set, {k: ps for k, ps in self._declared.items() if ps})
        if tagged:  # tags show as first written, in note order: rebuilt as ``build`` does
            self._tags = TagIndex()
            for note in vault:
                self._tags.add(note.path, note.tags)
        self._attrs = put_in_build_order(self.index, self._attrs, self._notes, touched)

    def save_cache(self, vault: Vault) -> bool:
        """Keep this graph for :meth:`from_cache` with the link tables ``vault`` keeps
        (``vault.links_snapshot``), if it is still the graph of ``vault`` as loaded;
        True when it is kept. False when the vault keeps tables of other files than these:
        then ``vault.save_links(rewrite=True)`` first."""
        key = vault.links_snapshot
        if key is None or self._version != 0 or self.cache_dir is None:
            return False
        if self._kept == key:
            return True
        if key != vault.state_key or vault.version != vault.keyed_version:
            return False
        state = (self.index, self._attrs, self._tags, dict(self._declared))
        if write_graph_state(self.cache_dir, str(graph_key(key)), state):
            self._kept = key
        return self._kept == key

    def update_note(self, vault: Vault, path: NotePath | str) -> set[NodeId]:
        """Take in one note the vault has just (re)read; a note gone from the vault is removed.

        Only that note's edges change, except when the names the resolver files it under
        change (path, file name, title, aliases, id; ``Vault.renamed_keys``): then the notes
        whose links or duplicate declarations may name it, before or after, are re-linked
        too, so creating a wanted note turns its wanted node into links to the new note.
        Returns the nodes whose edges, either way, changed.
        """
        rel = vault.relative(path)
        note = vault.notes.get(rel)
        if note is None:
            return self.remove_note(rel, vault)
        old = self._notes.get(rel)
        self._set_node(note)
        writers = self._writers_of(vault, vault.renamed_keys(old, note)) - {rel}
        touched = self.relink(vault, sorted(writers))
        touched |= self.relink(vault, [rel])
        return touched | {rel}

    def relink(self, vault: Vault, sources: Iterable[NotePath]) -> set[NodeId]:
        """Resolve the links of ``sources`` again (after the vault's names changed: a note,
        an attachment); return the nodes whose edges, either way, changed."""
        touched: set[NodeId] = set()
        for source in sources:
            touched |= self._relink(vault, source)
        self._version += 1
        return touched

    def remove_note(self, path: NotePath | str, vault: Vault | None = None) -> set[NodeId]:
        """Drop a note; links to it become wanted (or re-resolve, when the vault is given).
        Returns the nodes whose edges, either way, changed."""
        rel = normalise_path(str(path))
        if rel not in self._notes:
            return set()
        touched: set[NodeId] = {rel, *self.index.out[rel], *self.index.into[rel]}
        incoming = [e for group in self.index.into[rel].values() for e in group]
        self._put_edges(rel, [])  # drops the wanted nodes only this note wanted
        self.index.remove_node(rel)
        del self._attrs[rel]
        old = self._notes.pop(rel)
        self._tags.remove(rel, old.tags)
        for key in declared_names(old):
            self._declared[key].discard(rel)
        if vault is not None and rel not in vault.notes:
            writers = self._writers_of(vault, vault.renamed_keys(old, None))
            touched |= self.relink(vault, sorted(writers | {NotePath(e.source) for e in incoming}))
        else:
            for writer in dict.fromkeys(e.source for e in incoming):
                self._repoint(writer, [e for e in incoming if e.source == writer], old.title)
        self._version += 1
        return touched

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

    def _relink(self, vault: Vault, source: NotePath) -> set[NodeId]:
        """Put ``source``'s edges in again; return it and the targets whose edges from it
        changed (none when nothing did)."""
        if source not in vault.notes or source not in self._notes:
            return set()
        before = self.index.out.get(source, {})
        self._put_edges(source, list(note_edges(vault, vault.notes[source], self._notes)))
        after = self.index.out[source]
        moved = {t for t in before.keys() | after.keys() if before.get(t) != after.get(t)}
        return moved | {source} if moved else set()

    def _repoint(self, source: NodeId, lost: list[Edge], title: str) -> None:
        """Links to a removed note become links to a wanted note of the name they wrote."""
        moved = []
        for edge in lost:
            name = wanted_name(edge.name, source) or title
            node = wanted_id(note_key(name))
            moved.append(Edge(source, node, edge.kind, edge.line, edge.context, name))
        self._put_edges(NotePath(source), [*self.index.edges_of(source), *moved])

    def _writers_of(self, vault: Vault, keys: Collection[NoteKey]) -> set[NotePath]:
        """Notes whose links or duplicate declarations are looked up by one of ``keys``
        (``Vault.renamed_keys``: they may resolve differently now)."""
        if not keys:
            return set()
        found = vault.sources_wanting(keys)
        for name, declaring in self._declared.items():
            if declaring and vault.lookup_key(name) in keys:
                found |= declaring
        return found
