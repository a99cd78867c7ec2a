"""Whole-graph measures over the note-to-note edges: PageRank hubs and Louvain communities.

Both are computed on notes only: a wanted node is not a page anyone can read, and as a
dangling node it would soak up rank. Both cost a full pass, so KnowledgeGraph caches them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from kgwiki.graph.edge_index import EdgeIndex
from kgwiki.graph.records import WANTED_PREFIX, Hub
from kgwiki.types import NotePath

# Louvain starts from a random node order; a fixed seed makes the same vault give the
# same communities on every run (and in tests).
COMMUNITY_SEED = 20260508
DAMPING = 0.85
TOLERANCE = 1e-10


def _note_edges(index: EdgeIndex) -> dict[tuple[str, str], int]:
    """Note-to-note pairs with multiplicity (three links weigh more than one)."""
    # One comprehension over ~100k edges, without a call per edge: 0.10 → 0.06 s at 10k notes.
    return {(source, target): len(group)
            for source, targets in index.out.items()
            for target, group in targets.items()
            if not target.startswith(WANTED_PREFIX)}  # fmt: skip


def pagerank(notes: list[NotePath], weights: dict[tuple[str, str], int]) -> np.ndarray[Any, Any]:
    """PageRank by power iteration over the edge list (what nx.pagerank computes).

    Built directly: copying 100k edges into an ``nx.DiGraph`` first cost most of a second.
    Each step sums the edges' shares with ``np.bincount``, edges sorted by target: as fast as
    a sparse matrix product, without importing scipy.sparse (a quarter of a second of every
    command that shows hubs). A note without outlinks spreads its rank evenly over all
    notes, as in networkx.
    """
    n = len(notes)
    index: dict[str, int] = {note: i for i, note in enumerate(notes)}
    rows = np.fromiter((index[s] for s, _ in weights), dtype=np.int64, count=len(weights))
    cols = np.fromiter((index[t] for _, t in weights), dtype=np.int64, count=len(weights))
    data = np.fromiter(weights.values(), dtype=np.float64, count=len(weights))
    out = np.bincount(rows, data, n)
    dangling = out == 0
    share = np.divide(data, out[rows])
    order = np.argsort(cols, kind="stable")
    rows, cols, share = rows[order], cols[order], share[order]
    rank = np.full(n, 1.0 / n)
    for _ in range(200):
        previous = rank
        spread = np.bincount(cols, share * rank[rows], n)
        rank = DAMPING * (spread + rank[dangling].sum() / n) + (1 - DAMPING) / n
        if np.abs(rank - previous).sum() < n * TOLERANCE:
            break
    return rank


def hubs(index: EdgeIndex, notes: list[NotePath]) -> list[Hub]:
    """Every note ranked by PageRank, best first (ties by path, so the order is stable)."""
    if not notes:
        return []
    weights = _note_edges(index)
    scores = pagerank(notes, weights)
    inbound: Counter[str] = Counter(t for _, t in weights)
    order = sorted(range(len(notes)), key=lambda i: (-scores[i], notes[i]))
    return [Hub(notes[i], float(scores[i]), inbound[notes[i]]) for i in order]


def communities(index: EdgeIndex, notes: list[NotePath]) -> list[list[NotePath]]:
    """Louvain communities of the undirected note graph, largest first, each sorted."""
    import networkx as nx  # most of a second to import: only when communities are asked for

    if not notes:
        return []
    undirected = nx.Graph()
    undirected.add_nodes_from(sorted(notes))
    for (source, target), weight in sorted(_note_edges(index).items()):
        if undirected.has_edge(source, target):
            undirected[source][target]["weight"] += weight
        else:
            undirected.add_edge(source, target, weight=weight)
    groups = nx.community.louvain_communities(undirected, weight="weight", seed=COMMUNITY_SEED)
    ordered = [sorted(NotePath(n) for n in group) for group in groups]
    return sorted(ordered, key=lambda g: (-len(g), g[0]))
