"""DOOR"""

from __future__ import annotations

from kgwiki.graph.edges import wanted_name
from kgwiki.graph.knowledge import KnowledgeGraph
from kgwiki.graph.layout_worker import LayoutWorker
from kgwiki.graph.records import EDGE_KINDS, is_wanted

__all__ = [
    "EDGE_KINDS",
    "KnowledgeGraph",
    "LayoutWorker",
    "is_wanted",
    "wanted_name",
]
