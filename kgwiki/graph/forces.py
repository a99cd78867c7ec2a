"""Force-directed refinement of a connected-ish layout, in O(n + edges + grid log grid) a step.

networkx's ``spring_layout`` computes every pair's repulsion (O(n²) per step, in a Python
loop over nodes): tens of seconds at 10k notes. Here long-range repulsion comes from a mass
grid convolved with the 1/d force kernel by FFT (the particle-mesh method of N-body codes),
and the short range the grid blurs comes exactly from each node's nearest neighbours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.spatial import cKDTree

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]

NEAREST = 6  # neighbours whose repulsion is computed exactly
REFRESH = 5  # steps between nearest-neighbour searches (nodes move little in between)
ORPHAN_DISTANCE = 1.5  # a lone component settles about this many radii from the centre


def refine(pos: FloatArray, edges: IntArray, steps: int) -> FloatArray:
    """Move nodes to balance LinLog forces (Noack), cooling geometrically like simulated annealing.

    An edge pulls with log(1 + d) and every pair repels with (deg+1)(deg+1)/d, so clusters
    separate and hubs push their leaves into a ring rather than a clump. Gravity grows
    linearly with the distance from the centre, as the repulsion inside a uniform disc does,
    so it holds the layout together without squeezing its middle.

    With these forces the virial theorem fixes the size of the balanced layout
    (Σ_edges d·log(1 + d) ≈ Σ_pairs m_i·m_j); scaling the start to that size first means
    the steps only arrange the nodes instead of inflating the layout a hundredfold.
    """
    n = len(pos)
    degree = np.bincount(edges.ravel(), minlength=n).astype(np.float64)
    mass = degree + 1.0
    total = float(mass.sum())
    src, dst = edges[:, 0], edges[:, 1]
    pos = pos * _virial_scale(pos, edges, (total * total - float((mass * mass).sum())) / 2)
    radius = max(float(np.percentile(np.linalg.norm(pos, axis=1), 95)), 1e-9)
    gravity = total / (ORPHAN_DISTANCE * radius) ** 2
    grid = int(np.clip(2 * np.sqrt(n), 32, 256))
    kernel = _kernel_spectrum(grid)
    near = _nearest(pos)
    for step in range(steps):
        force = _repulsion(pos, mass, grid, kernel) * mass[:, None]
        if step % REFRESH == 0:
            near = _nearest(pos)
        force += _local_repulsion(pos, mass, near)
        if len(edges):
            delta = pos[dst] - pos[src]
            length = np.linalg.norm(delta, axis=1, keepdims=True) + 1e-9
            pull = delta * (np.log1p(length) / length)
            force[:, 0] += np.bincount(src, pull[:, 0], n) - np.bincount(dst, pull[:, 0], n)
            force[:, 1] += np.bincount(src, pull[:, 1], n) - np.bincount(dst, pull[:, 1], n)
        force -= gravity * mass[:, None] * (pos - pos.mean(axis=0))
        # Forces grow with the layout's size, so the step is set by the median force: a
        # typical node moves ``limit``, a node pushed harder no further than that.
        limit = radius / 10 * 0.01 ** (step / steps)
        size = np.linalg.norm(force, axis=1, keepdims=True) + 1e-12
        scale = limit / float(np.median(size))
        pos = pos + force / size * np.minimum(size * scale, limit)
    return pos


def _virial_scale(pos: FloatArray, edges: IntArray, target: float) -> float:
    """The factor s that makes Σ_edges s·d·log(1 + s·d) equal ``target`` (by bisection)."""
    lengths = np.linalg.norm(pos[edges[:, 1]] - pos[edges[:, 0]], axis=1)
    if len(edges) == 0 or not lengths.any():
        return 1.0
    low, high = 1e-9, 1e12
    for _ in range(80):
        mid = np.sqrt(low * high)
        scaled = mid * lengths
        if float((scaled * np.log1p(scaled)).sum()) < target:
            low = mid
        else:
            high = mid
    return float(np.sqrt(low * high))


def _nearest(pos: FloatArray) -> IntArray:
    """Each node's nearest neighbours (the grid blurs forces closer than one cell)."""
    k = min(NEAREST + 1, len(pos))
    _, index = cKDTree(pos, balanced_tree=False, compact_nodes=False).query(pos, k=k)
    return np.asarray(index, dtype=np.int64).reshape(len(pos), k)[:, 1:]


def _local_repulsion(pos: FloatArray, mass: FloatArray, near: IntArray) -> FloatArray:
    """Exact m_i·m_j/d repulsion from each node's nearest neighbours."""
    delta = pos[:, None, :] - pos[near]
    squared = (delta**2).sum(axis=2, keepdims=True) + 1e-9
    weight = (mass[:, None] * mass[near])[:, :, None]
    return np.asarray((delta * weight / squared).sum(axis=1))


def _kernel_spectrum(grid: int) -> tuple[Any, Any]:
    """FFTs of the repulsion kernel d/|d|² (x and y parts) on a zero-padded 2·grid square."""
    size = 2 * grid
    offsets = np.fft.fftfreq(size, 1.0 / size)  # 0, 1, …, grid-1, -grid, …, -1
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    squared = dx * dx + dy * dy
    squared[0, 0] = 1.0
    kx, ky = dx / squared, dy / squared
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


def _repulsion(pos: FloatArray, mass: FloatArray, grid: int, kernel: tuple[Any, Any]) -> FloatArray:
    """Σ_j m_j (x_i − x_j)/|x_i − x_j|² for every i, through a cloud-in-cell mass grid.

    Mass is spread on the four surrounding grid points and the field read back with the
    same weights; with an antisymmetric kernel that makes a node's force on itself zero.
    """
    low = pos.min(axis=0)
    cell = max(float((pos.max(axis=0) - low).max()) / (grid - 2), 1e-9)
    scaled = (pos - low) / cell
    base = np.minimum(scaled.astype(np.int64), grid - 2)
    frac = scaled - base
    size = 2 * grid
    corners = [(0, 0), (1, 0), (0, 1), (1, 1)]
    weights = [
        (frac[:, 0] if cx else 1 - frac[:, 0]) * (frac[:, 1] if cy else 1 - frac[:, 1])
        for cx, cy in corners
    ]
    flat = [(base[:, 0] + cx) * size + base[:, 1] + cy for cx, cy in corners]
    density = np.zeros(size * size)
    for index, weight in zip(flat, weights, strict=True):
        density += np.bincount(index, weight * mass, size * size)
    spectrum = np.fft.rfft2(density.reshape(size, size))
    fields = [np.fft.irfft2(spectrum * k, s=(size, size)).ravel() for k in kernel]
    out = np.zeros_like(pos)
    for index, weight in zip(flat, weights, strict=True):
        out[:, 0] += fields[0][index] * weight
        out[:, 1] += fields[1][index] * weight
    return out / cell  # the kernel is in grid units; the force falls off as 1/d in layout units
