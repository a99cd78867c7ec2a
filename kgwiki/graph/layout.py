"""Positions for the graph view: pivot MDS for the shape, forces for the detail, cached on disk.

The start comes from pivot MDS (Brandes & Pich 2006: breadth-first distances to a few
pivots, double-centred, projected on their top two axes), which already shows the global
shape, so a few dozen force steps (``graph_forces``) suffice. Notes without any link take
no part in the forces: they are set round the drawing on a sunflower spiral, as Obsidian
lets orphans drift to the rim. Everything is seeded: the same edges give the same picture.
"""

from __future__ import annotations

import contextlib
import hashlib
import pickle
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from kgwiki.graph.edge_index import EdgeIndex
from kgwiki.types import NotePath
from kgwiki.util import atomic_write_bytes

# scipy (and the force step that uses it) is imported only when a layout is computed: most
# commands read the cached layout, and importing scipy costs a quarter of a second.
if TYPE_CHECKING:
    from kgwiki.graph.forces import FloatArray, IntArray

LAYOUT_VERSION = 1  # bump when the algorithm changes, so cached layouts are recomputed
CACHE_FILE = "layout.pickle"
EXTENT = 1000.0  # positions span [-EXTENT, EXTENT] on the longer axis
SEED = 7
PIVOTS = 40
STEPS = 60
_GOLDEN_ANGLE = np.pi * (3 - np.sqrt(5))
Positions = dict[NotePath, tuple[float, float]]


Pairs = list[tuple[int, int]]
# What a layout is computed from: the sorted notes, their undirected pairs (by number, an
# m × 2 array, each pair once, sorted) and the digest of both (``layout_key``).
LayoutJob = tuple[list[NotePath], "IntArray", str]


def note_pairs(edges: EdgeIndex, notes: Iterable[NotePath]) -> tuple[list[NotePath], IntArray]:
    """The sorted notes and their undirected note-to-note pairs (by number), each pair once,
    as rows ``(i, j)`` with ``i <= j`` in sorted order."""
    order = sorted(notes)
    n = len(order)
    number: dict[str, int] = {note: i for i, note in enumerate(order)}
    sources: list[int] = []
    targets: list[int] = []
    for source, written in edges.out.items():
        i = number.get(source)  # a wanted node is no note and writes nothing
        if i is None:
            continue
        found = [number[t] for t in written if t in number]
        sources += [i] * len(found)
        targets += found
    a = np.asarray(sources, dtype=np.int64)
    b = np.asarray(targets, dtype=np.int64)
    width = max(n, 1)  # a pair (i, j) as one number, i * width + j: sorted and unique at once
    codes = np.unique(np.minimum(a, b) * width + np.maximum(a, b))
    return order, np.column_stack([codes // width, codes % width]).astype(np.int64)


def layout_key(order: list[NotePath], pairs: IntArray | Pairs) -> str:
    """A digest of the edge set and the algorithm: the layout depends on nothing else."""
    digest = hashlib.blake2b(f"v{LAYOUT_VERSION}|{SEED}|{STEPS}|{PIVOTS}".encode(), digest_size=16)
    digest.update("\0".join(order).encode())
    digest.update(np.asarray(pairs, dtype=np.int64).tobytes())
    return digest.hexdigest()


def layout_job(edges: EdgeIndex, notes: Iterable[NotePath]) -> LayoutJob:
    """The notes, pairs and key a layout of ``edges`` is computed from."""
    order, pairs = note_pairs(edges, notes)
    return order, pairs, layout_key(order, pairs)


Keyed = tuple[str, Positions]


def cached_layout(job: LayoutJob, cache_dir: Path | None, previous: Keyed | None = None
                  ) -> Keyed:  # fmt: skip
    """The layout of ``job`` (``layout_job``) and its key, reused when the edges have not
    changed.

    ``previous`` is the last layout computed in this process; the other place looked in is
    ``<cache_dir>/layout.pickle``, which is (re)written atomically after every computation.
    """
    if previous is not None and previous[0] == job[2]:
        return previous
    file = cache_dir / CACHE_FILE if cache_dir is not None else None
    stored = stored_layout(file, job[2]) if file is not None else None
    return stored if stored is not None else compute(job, file)


def stored_layout(file: Path, key: str) -> Keyed | None:
    """The layout kept in ``file`` when it is the one of ``key`` (else None)."""
    stored = _read(file)
    return stored if stored is not None and stored[0] == key else None


def import_numerics() -> None:
    """Import what computing a layout uses (scipy's graph and nearest-neighbour modules, the
    force step): half a second or more, which a process about to lay out can spend early."""
    import scipy.sparse.csgraph  # noqa: F401

    from kgwiki.graph import forces  # noqa: F401


def compute(job: LayoutJob, file: Path | None) -> Keyed:
    """Lay out ``job`` from scratch, and keep the result in ``file`` (when given)."""
    order, pairs, key = job
    coords = force_layout(len(order), pairs)
    positions = {n: (float(x), float(y)) for n, (x, y) in zip(order, coords, strict=True)}
    if file is not None:
        data = pickle.dumps((key, positions), protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # a read-only vault lays out again next time
            atomic_write_bytes(file, data)
    return key, positions


def _read(file: Path) -> Keyed | None:
    """A cached layout, or None when there is none or it cannot be read (then it is redone)."""
    try:
        with file.open("rb") as handle:
            data = pickle.load(handle)
    except Exception:  # any damage to a cache file only means recomputing it
        return None
    if isinstance(data, tuple) and len(data) == 2 and isinstance(data[1], dict):
        return str(data[0]), data[1]
    return None


def force_layout(n: int, pairs: IntArray | Pairs, steps: int = STEPS, seed: int = SEED
                 ) -> FloatArray:  # fmt: skip
    """Coordinates (n × 2) for n nodes joined by undirected ``pairs``, scaled to ±EXTENT."""
    from kgwiki.graph.forces import refine

    rng = np.random.default_rng(seed)
    edges: IntArray = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    degree = np.bincount(edges.ravel(), minlength=n)
    linked = np.flatnonzero(degree > 0)
    pos = np.zeros((n, 2))
    radius = 0.0
    if len(linked):
        renumber = np.full(n, -1, dtype=np.int64)
        renumber[linked] = np.arange(len(linked))
        inner = renumber[edges]
        placed = refine(_initial(len(linked), inner, rng), inner, steps)
        placed -= (placed.max(axis=0) + placed.min(axis=0)) / 2
        pos[linked] = placed
        radius = float(np.linalg.norm(placed, axis=1).max())
    lone = np.flatnonzero(degree == 0)
    pos[lone] = _sunflower(len(lone), radius, max(len(linked), 1))
    return _normalise(pos)


def _sunflower(count: int, radius: float, linked: int) -> FloatArray:
    """``count`` points filling a ring outside ``radius``, as densely as the linked nodes."""
    area = np.pi * radius * radius / linked if radius > 0 else 1.0
    inner = radius * 1.08
    index = np.arange(count) + 0.5
    r = np.sqrt(inner * inner + index * area / np.pi)
    theta = index * _GOLDEN_ANGLE
    return np.column_stack([r * np.cos(theta), r * np.sin(theta)])


def _initial(n: int, edges: IntArray, rng: np.random.Generator) -> FloatArray:
    """The largest component by pivot MDS in the unit disc; the others start just outside it."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    adjacency = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n)).tocsr()
    count, labels = connected_components(adjacency, directed=False)
    giant_label = int(np.argmax(np.bincount(labels)))
    giant = np.flatnonzero(labels == giant_label)
    pos = np.zeros((n, 2))
    if len(giant) > 2:
        coords = _pivot_mds(adjacency[giant][:, giant], rng)
        pos[giant] = coords / (float(np.abs(coords).max()) or 1.0)
    else:
        pos[giant] = rng.normal(0, 0.1, (len(giant), 2))
    angle = rng.uniform(0, 2 * np.pi, count)
    distance = rng.uniform(1.1, 1.4, count)
    centres = np.column_stack([distance * np.cos(angle), distance * np.sin(angle)])
    others = np.flatnonzero(labels != giant_label)
    pos[others] = centres[labels[others]] + rng.normal(0, 0.02, (len(others), 2))
    return pos


def _pivot_mds(adjacency: Any, rng: np.random.Generator) -> FloatArray:
    """Pivot MDS of one connected graph: max-min pivots, double-centred squared distances."""
    from scipy.sparse.csgraph import shortest_path

    n = adjacency.shape[0]
    pivots = [int(rng.integers(n))]
    rows = [shortest_path(adjacency, directed=False, unweighted=True, indices=pivots[0])]
    nearest = rows[0].copy()
    while len(pivots) < min(PIVOTS, n):
        farthest = int(np.argmax(nearest))  # the node farthest from every pivot so far
        if nearest[farthest] == 0:
            break
        pivots.append(farthest)
        rows.append(shortest_path(adjacency, directed=False, unweighted=True, indices=farthest))
        nearest = np.minimum(nearest, rows[-1])
    squared = np.column_stack(rows) ** 2
    centred = -0.5 * (
        squared - squared.mean(axis=0) - squared.mean(axis=1, keepdims=True) + squared.mean()
    )
    _, vectors = np.linalg.eigh(centred.T @ centred)
    coords = centred @ vectors[:, ::-1][:, :2]
    if coords.shape[1] < 2:
        coords = np.column_stack([coords, np.zeros(n)])
    # Nodes at the same distances from every pivot (leaves of one hub) would coincide.
    jitter = 1e-3 * (float(np.abs(coords).max()) or 1.0)
    return np.asarray(coords + rng.normal(0, jitter, coords.shape))


def _normalise(pos: FloatArray) -> FloatArray:
    if len(pos) == 0:
        return pos
    centred = pos - (pos.max(axis=0) + pos.min(axis=0)) / 2
    span = float(np.abs(centred).max()) or 1.0
    return np.asarray(np.round(centred / span * EXTENT, 1))
