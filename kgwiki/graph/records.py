"""The records graph queries return, the edge kinds, and how wanted nodes are named."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kgwiki.types import NotePath, pickled_by_fields

# Edge kinds. Typed relations come from a note's Graph section (the parser maps its labels,
# Config.relation_labels, to these names) or from frontmatter duplicate_of / canonical_id.
LINK = "link"
EMBED = "embed"
PARENT = "parent"
CHILD = "child"
VARIANT = "variant"
ADJACENT = "adjacent"
DUPLICATE_OF = "duplicate-of"
EDGE_KINDS: tuple[str, ...] = (LINK, EMBED, PARENT, CHILD, VARIANT, ADJACENT, DUPLICATE_OF)

# When two notes are joined by several edges, the one that explains the hop best: a declared
# relation says more than a passing mention, and an embed least of all.
KIND_RANK: Mapping[str, int] = {
    PARENT: 0, CHILD: 1, VARIANT: 2, ADJACENT: 3, DUPLICATE_OF: 4, LINK: 6, EMBED: 7,
}  # fmt: skip
CUSTOM_KIND_RANK = 5  # kinds a kgwiki.toml adds rank between declared and plain links

# Wanted (unresolved) targets live in the same graph as notes. Note ids are vault-relative
# paths of files ending in .md/.markdown, so this prefix cannot collide with one.
WANTED_PREFIX = "wanted:"

NodeId = str
"""A graph node: a NotePath for a note, ``wanted:<key>`` for a wanted note."""


def wanted_id(key: str) -> NodeId:
    return WANTED_PREFIX + key


def is_wanted(node: NodeId) -> bool:
    return node.startswith(WANTED_PREFIX)


def kind_rank(kind: str) -> int:
    return KIND_RANK.get(kind, CUSTOM_KIND_RANK)


@pickled_by_fields  # the graph cache holds 100k of them (see ``graph.snapshot``)
@dataclass(frozen=True, slots=True)
class Edge:
    """One written reference: ``source`` names ``target`` at ``line`` of the source note.

    ``name`` is the target as written (``K8s``, ``../x.md``); two edges that differ only in
    spelling are the same edge.
    """

    source: NodeId
    target: NodeId
    kind: str
    line: int
    context: str = ""
    name: str = field(default="", compare=False)

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "kind": self.kind,
                "line": self.line, "context": self.context, "name": self.name}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Backlink:
    """A note that points at another one, with the line where it does so."""

    source: NotePath
    line: int
    context: str
    kind: str

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "line": self.line, "context": self.context,
                "kind": self.kind}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Hop:
    """One step of a path, explained: the edge that joins ``source`` to ``target``.

    ``forward`` is True when ``source`` wrote the link; otherwise the path walks the edge
    backwards (``target`` links to ``source``), and ``line`` is a line of ``target``.
    """

    source: NotePath
    target: NotePath
    kind: str
    line: int
    context: str
    forward: bool

    @property
    def written_in(self) -> NotePath:
        return self.source if self.forward else self.target

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "kind": self.kind,
                "line": self.line, "context": self.context, "forward": self.forward,
                "written_in": self.written_in}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Neighbourhood:
    """The nodes within some distance of a centre, and the edges walked to reach them.

    ``nodes`` come in the order they were found, nearest first (the centre first);
    ``distance`` gives each node's hop count.
    """

    centre: NotePath
    nodes: tuple[NodeId, ...]
    distance: Mapping[NodeId, int]
    edges: tuple[Edge, ...]

    def to_json(self) -> dict[str, Any]:
        return {"centre": self.centre,
                "nodes": [{"id": n, "distance": self.distance[n]} for n in self.nodes],
                "edges": [e.to_json() for e in self.edges]}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Wanted:
    """A note that does not exist yet: the name as written, and the notes that link to it."""

    name: str
    count: int
    sources: tuple[NotePath, ...]
    links: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count, "links": self.links,
                "sources": list(self.sources)}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Hub:
    """A note ranked by PageRank over the note-to-note edges."""

    path: NotePath
    score: float
    inbound: int

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "score": self.score, "inbound": self.inbound}
