"""Reading the benchmark's results: the table (screen and Markdown), ratios to the peers, the plot.

A result file holds ``sizes -> {notes} -> stages -> {name} -> {status, metrics, info, peak_mib}``;
everything here works from that JSON, so ``bench.py --from-json`` can redraw old runs.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from typing import Any

from bench_common import (
    MKDOCS_DESIGN_1K,
    REFERENCES,
    REPO,
    TARGET_MAX_NOTES,
    TARGETS,
    show_value,
    venv_tool,
)
from bench_goals import goal_target, summary_markdown
from bench_plot import Point, extrapolate, svg

Row = tuple[str, str, str, str, str, str, str, str, str]
HEADER: Row = ("notes", "stage", "figure", "value", "target", "result", "peak MiB", "CPU s", "load")


def machine() -> dict[str, Any]:
    """The machine the figures come from."""
    model = ""
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):  # noqa: SIM115
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = 0.0
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):  # noqa: SIM115
            if line.startswith("MemTotal:"):
                mem_gib = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(), "cpu": model, "memory_gib": round(mem_gib, 1),
        "python": sys.version.split()[0], "platform": platform.platform(),
        "kgwiki_commit": _git("rev-parse", "--short", "HEAD"),
        "kgwiki_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "hugo": _tool_version(["hugo", "version"]),
        "mkdocs": _tool_version([venv_tool("mkdocs") or "mkdocs", "--version"]),
    }  # fmt: skip


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


def _tool_version(cmd: list[str]) -> str | None:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip().split(" BuildDate")[0].split(" from ")[0] or None


def _runs(metric: dict[str, Any]) -> str:
    """`` (median of 5: 9.1–10.2 s)`` for a figure measured more than once (``--repeat``)."""
    runs = metric.get("runs")
    if not runs:
        return ""
    low, high = show_value(min(runs), metric["unit"]), show_value(max(runs), metric["unit"])
    return f" (median of {len(runs)}: {low.rsplit(' ', 1)[0]}–{high})"


def verdict(stage: str, figure: str, value: float, notes: int) -> tuple[str, str]:
    """(target text, pass/MISS/—) for one figure at one vault size."""
    target = TARGETS.get((stage, figure)) or goal_target(stage, figure)
    if target is None:
        return REFERENCES.get((stage, figure), ""), "—"
    if notes > TARGET_MAX_NOTES:
        return f"{target.text} at 10k", "n/a"
    return target.text, "pass" if value <= target.limit else "MISS"


def rows(result: dict[str, Any]) -> list[Row]:
    out: list[Row] = []
    for size, data in sorted(result["sizes"].items(), key=lambda kv: int(kv[0])):
        notes = int(size)
        for stage, record in data["stages"].items():
            load = f"{record['load'][0]:.1f}" if record.get("load") else ""
            peak = f"{record['peak_mib']:,.0f}" if record.get("peak_mib") else ""
            cpu = f"{record['cpu_s']:,.1f}" if record.get("cpu_s") is not None else ""
            if record["status"] != "ok":
                out.append((size, stage, "", f"{record['status']}: {record.get('reason', '')}",
                            "", "—", "", "", load))  # fmt: skip
                continue
            for k, metric in enumerate(record["metrics"]):
                target, mark = verdict(stage, metric["name"], metric["value"], notes)
                out.append((size if k == 0 else "", stage if k == 0 else "", metric["name"],
                            show_value(metric["value"], metric["unit"]) + _runs(metric),
                            target, mark,
                            peak if k == 0 else "", cpu if k == 0 else "",
                            load if k == 0 else ""))  # fmt: skip
    return out


def table(result: dict[str, Any]) -> str:
    body = rows(result)
    measured = [r for r in [HEADER, *body] if r[2] or r is HEADER]
    widths = [max(len(r[i]) for r in measured) for i in range(len(HEADER))]

    def line(row: Row) -> str:
        if not row[2] and row is not HEADER:  # a stage without figures: say why, unpadded
            return f"{row[0].ljust(widths[0])}  {row[1].ljust(widths[1])}  {row[3]}"
        return "  ".join(
            c.rjust(w) if i in (3, 6, 7, 8) else c.ljust(w)
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(HEADER), rule, *map(line, body)])


def markdown(result: dict[str, Any]) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows(result)]
    return "\n".join(lines) + "\n" + summary_markdown(result)


def _figure(record: dict[str, Any] | None, name: str) -> float | None:
    if not record or record.get("status") != "ok":
        return None
    for metric in record["metrics"]:
        if metric["name"] == name:
            return float(metric["value"])
    return None


def mkdocs_1k(results: list[dict[str, Any]]) -> tuple[float, str]:
    """MkDocs' time at 1,000 notes: measured in these results if any, else DESIGN.md's."""
    for result in reversed(results):
        stages = result.get("sizes", {}).get("1000", {}).get("stages", {})
        seconds = _figure(stages.get("mkdocs"), "cold build")
        if seconds is not None:
            return seconds, "measured"
    return MKDOCS_DESIGN_1K, "DESIGN.md"


def ratios(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """kgwiki's cold build divided by each peer's, per size: > 1 means kgwiki is slower/bigger."""
    mkdocs_points = {
        int(size): t
        for size, data in result["sizes"].items()
        if (t := _figure(data["stages"].get("mkdocs"), "cold build")) is not None
    }
    out: dict[str, dict[str, Any]] = {}
    for size, data in result["sizes"].items():
        stages = data["stages"]
        ours = _figure(stages.get("build_cold"), "cold build")
        if ours is None:
            continue
        entry: dict[str, Any] = {"kgwiki_s": ours}
        for peer in ("hugo", "mkdocs"):
            theirs = _figure(stages.get(peer), "cold build")
            if theirs is not None:
                entry[f"{peer}_s"] = theirs
                entry[f"kgwiki_over_{peer}_time"] = round(ours / theirs, 2)
                ours_mem = stages["build_cold"].get("peak_mib")
                their_mem = stages[peer].get("peak_mib")
                if ours_mem and their_mem:
                    entry[f"kgwiki_over_{peer}_memory"] = round(ours_mem / their_mem, 2)
            elif peer == "mkdocs" and peer in stages and mkdocs_points:
                est = extrapolate(mkdocs_points, [int(size)])
                guess = next(p.seconds for p in est if p.notes == int(size))
                entry["mkdocs_s_extrapolated"] = round(guess, 1)
                entry["kgwiki_over_mkdocs_time_extrapolated"] = round(ours / guess, 3)
        if len(entry) > 1:
            out[size] = entry
    return out


def ratio_lines(result: dict[str, Any]) -> list[str]:
    lines = []
    for size, entry in sorted(ratios(result).items(), key=lambda kv: int(kv[0])):
        parts = [f"{int(size):,} notes: kgwiki {entry['kgwiki_s']:.1f} s"]
        for peer, label in (("hugo", "Hugo"), ("mkdocs", "MkDocs")):
            if f"{peer}_s" in entry:
                mem = entry.get(f"kgwiki_over_{peer}_memory")
                parts.append(
                    f"{label} {entry[f'{peer}_s']:.1f} s (kgwiki/{label}: time "
                    f"{entry[f'kgwiki_over_{peer}_time']}×"
                    + (f", peak memory {mem}×)" if mem else ")")
                )
            elif f"{peer}_s_extrapolated" in entry:
                parts.append(
                    f"{label} ≈{entry[f'{peer}_s_extrapolated']:,.0f} s extrapolated "
                    f"(kgwiki/{label}: time "
                    f"{entry[f'kgwiki_over_{peer}_time_extrapolated']}×)"
                )
        lines.append("; ".join(parts))
    return lines


def plot(results: list[dict[str, Any]]) -> str:
    """The SVG of cold build time against size for kgwiki, Hugo and MkDocs (later files win)."""
    found: dict[str, dict[int, float]] = {"kgwiki": {}, "Hugo": {}, "MkDocs": {}}
    machine_line = ""
    for result in results:
        info = result.get("machine", {})
        machine_line = (
            f"{info.get('nproc')} cores ({info.get('cpu', '?')}), Python {info.get('python')}"
        )
        for size, data in result["sizes"].items():
            for stage, name in (("build_cold", "kgwiki"), ("hugo", "Hugo"), ("mkdocs", "MkDocs")):
                seconds = _figure(data["stages"].get(stage), "cold build")
                if seconds is not None:
                    found[name][int(size)] = seconds
    sizes = sorted({n for series in found.values() for n in series})
    series: dict[str, list[Point]] = {}
    notes = [f"Machine: {machine_line}."]
    for name, measured in found.items():
        if not measured:
            continue
        if name == "MkDocs":
            series[name] = extrapolate(measured, sizes)
            cap = max(measured)
            notes.insert(0, f"MkDocs measured up to {cap:,} notes; beyond that extrapolated "
                         "from t = a·n² + b·n fitted to the measured points.")  # fmt: skip
        else:
            series[name] = [Point(n, t, True) for n, t in sorted(measured.items())]
    return svg(series, "Cold static build time against vault size", notes,
               target=(10_000, 15.0))  # fmt: skip
