"""The build-time plot (cold build seconds against vault size), as a dependency-free SVG.

Both axes are logarithmic: the sizes span 1k–50k notes and MkDocs' quadratic growth spans
hours. Figures that were not measured (MkDocs past its cap) are extrapolated from the measured
ones with ``t = a·n² + b·n`` and drawn dashed with hollow markers.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 760, 480
LEFT, RIGHT, TOP, BOTTOM = 70, 170, 48, 96
# Ticks people read as times, not decades of seconds.
TICKS = (
    (0.1, "0.1 s"),
    (1, "1 s"),
    (10, "10 s"),
    (60, "1 min"),
    (600, "10 min"),
    (3600, "1 h"),
    (36000, "10 h"),
    (360000, "100 h"),
)
# Where each series puts its value labels (dx, dy, anchor), so close points stay readable.
LABEL_PLACES = {"kgwiki": (8, -8, "start"), "Hugo": (8, 16, "start"), "MkDocs": (-8, -8, "end")}
COLOURS = {"kgwiki": "#1f77b4", "Hugo": "#d62728", "MkDocs": "#2ca02c"}


@dataclass(frozen=True, slots=True)
class Point:
    notes: int
    seconds: float
    measured: bool


def quadratic_fit(points: Sequence[tuple[int, float]]) -> tuple[float, float]:
    """Least-squares ``a, b`` of ``t = a·n² + b·n`` (no constant: an empty vault takes ~0 s)."""
    if not points:
        raise ValueError("no points")
    if len(points) == 1:
        n, t = points[0]
        return t / (n * n), 0.0
    s4 = sum(float(n) ** 4 for n, _ in points)
    s3 = sum(float(n) ** 3 for n, _ in points)
    s2 = sum(float(n) ** 2 for n, _ in points)
    y2 = sum(t * n * n for n, t in points)
    y1 = sum(t * n for n, t in points)
    det = s4 * s2 - s3 * s3
    if abs(det) < 1e-12 * s4 * s2:
        return y2 / s4, 0.0
    a = (y2 * s2 - y1 * s3) / det
    b = (s4 * y1 - s3 * y2) / det
    return a, b


def extrapolate(measured: dict[int, float], sizes: Sequence[int]) -> list[Point]:
    """Measured points, plus fitted ones at the sizes that were not measured."""
    a, b = quadratic_fit(sorted(measured.items()))
    out = [Point(n, t, True) for n, t in sorted(measured.items())]
    out += [Point(n, a * n * n + b * n, False) for n in sizes if n not in measured]
    return sorted(out, key=lambda p: p.notes)


def _label(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"


def _size(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def svg(series: dict[str, list[Point]], title: str, notes: Sequence[str] = (),
        target: tuple[int, float] | None = None) -> str:  # fmt: skip
    """The plot: one line per engine, measured solid, extrapolated dashed."""
    every = [p for pts in series.values() for p in pts]
    if not every:
        raise ValueError("nothing to plot")
    sizes = sorted({p.notes for p in every})
    x0, x1 = math.log10(sizes[0]) - 0.08, math.log10(sizes[-1]) + 0.08
    low = min(p.seconds for p in every) / 1.6
    high = max(p.seconds for p in every) * 1.6
    y0, y1 = math.log10(low), math.log10(high)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(n: float) -> float:
        return LEFT + (math.log10(n) - x0) / (x1 - x0) * plot_w

    def py(t: float) -> float:
        return TOP + (y1 - math.log10(t)) / (y1 - y0) * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="26" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for seconds, text in TICKS:
        if not y0 <= math.log10(seconds) <= y1:
            continue
        y = py(seconds)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" '
                     'stroke="#ddd"/>')  # fmt: skip
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end">{text}</text>')
    for n in sizes:
        x = px(n)
        parts.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + plot_h}" '
                     'stroke="#eee"/>')  # fmt: skip
        parts.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">'
                     f"{_size(n)}</text>")  # fmt: skip
    parts.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" '
                 'stroke="#888"/>')  # fmt: skip
    parts.append(f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h + 40}" '
                 'text-anchor="middle">notes in the vault (log scale)</text>')  # fmt: skip
    parts.append(f'<text transform="translate(18 {TOP + plot_h / 2:.1f}) rotate(-90)" '
                 'text-anchor="middle">cold build time (log scale)</text>')  # fmt: skip
    if target is not None:
        tx, ty = px(target[0]), py(target[1])
        parts.append(f'<path d="M{tx - 7:.1f} {ty:.1f} h14 M{tx:.1f} {ty - 7:.1f} v14" '
                     'stroke="#444" stroke-width="2"/>')  # fmt: skip
        parts.append(f'<text x="{tx + 9:.1f}" y="{ty - 6:.1f}" fill="#444">target '
                     f"{_label(target[1])}</text>")  # fmt: skip
    legend_y = TOP + 10
    for name, points in series.items():
        colour = COLOURS.get(name, "#555")
        parts += _line(points, colour, px, py, LABEL_PLACES.get(name, (8, -8, "start")))
        parts.append(f'<line x1="{WIDTH - RIGHT + 16}" y1="{legend_y}" x2="{WIDTH - RIGHT + 40}" '
                     f'y2="{legend_y}" stroke="{colour}" stroke-width="2.5"/>')  # fmt: skip
        parts.append(f'<text x="{WIDTH - RIGHT + 46}" y="{legend_y + 4}">{escape(name)}</text>')
        legend_y += 20
    if any(not p.measured for p in every):
        parts.append(
            f'<line x1="{WIDTH - RIGHT + 16}" y1="{legend_y}" x2="{WIDTH - RIGHT + 40}" '
            f'y2="{legend_y}" stroke="#555" stroke-width="2" stroke-dasharray="5 4"/>'
        )
        parts.append(f'<text x="{WIDTH - RIGHT + 46}" y="{legend_y + 4}">extrapolated</text>')
    for k, note in enumerate(notes):
        parts.append(f'<text x="{LEFT}" y="{HEIGHT - 14 + 14 * k - 14 * (len(notes) - 1)}" '
                     f'font-size="11" fill="#555">{escape(note)}</text>')  # fmt: skip
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _line(points: list[Point], colour: str, px: Callable[[float], float],
          py: Callable[[float], float], place: tuple[int, int, str]) -> list[str]:  # fmt: skip
    dx, dy, anchor = place
    out: list[str] = []
    for a, b in itertools.pairwise(points):
        dash = "" if a.measured and b.measured else ' stroke-dasharray="5 4"'
        out.append(f'<line x1="{px(a.notes):.1f}" y1="{py(a.seconds):.1f}" '
                   f'x2="{px(b.notes):.1f}" y2="{py(b.seconds):.1f}" stroke="{colour}" '
                   f'stroke-width="2.5"{dash}/>')  # fmt: skip
    for p in points:
        fill = colour if p.measured else "white"
        x, y = px(p.notes), py(p.seconds)
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{fill}" '
                   f'stroke="{colour}" stroke-width="2"/>')  # fmt: skip
        label = _label(p.seconds) + ("" if p.measured else " (est.)")
        out.append(f'<text x="{x + dx:.1f}" y="{y + dy:.1f}" font-size="11" fill="{colour}" '
                   f'text-anchor="{anchor}">{escape(label)}</text>')  # fmt: skip
    return out
