"""The goals of issues 20 and 22, and the summary table that judges a run against them.

Issue 20 states what a user waits for (a search from the command line, a search on the live
server, the server's start, a build after a shape edit, a cold build against Hugo's CPU);
issue 22 a scale test on a vault with 30 % template notes (lint and build against ``kgwiki
info`` and the plain vault's build, peak memory under 2 GB). Each row comes from the same
run's JSON, so ``bench.py --from-json`` redraws it; the figure is the median of the stage's
``--repeat`` runs, with its CPU seconds beside the wall time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bench_common import MIB, TARGET_MAX_NOTES, Target, show_value

TWO_GB_MIB = 2e9 / MIB  # "2 GB" read as 2·10⁹ bytes, the stricter reading
HUGO_CPU_FACTOR = 3.0
LINT_FACTOR = 2.0
BUILD_FACTOR = 2.0

# Figures with a plain limit: shown as targets in the main table as well.
GOAL_TARGETS: dict[tuple[str, str], Target] = {
    ("cli_search", "one process median"): Target(0.3, "≤ 0.3 s (#20)"),
    ("search_api", "p95"): Target(50.0, "≤ 50 ms (#20)"),
    ("serve_start", "ready, caches of an earlier run"): Target(3.0, "≤ 3 s (#20)"),
    ("build_edit", "one-note build, shape edit"): Target(2.0, "≤ 2 s (#20)"),
    ("scale", "lint ÷ info"): Target(LINT_FACTOR, "≤ 2× (#22)"),
    ("scale", "lint peak, all processes"): Target(TWO_GB_MIB, "< 2 GB (#22)"),
    ("scale", "build peak, all processes"): Target(TWO_GB_MIB, "< 2 GB (#22)"),
}


def goal_target(stage: str, figure: str) -> Target | None:
    """The issue goal a figure of the main table is judged against (None: none)."""
    if stage == "search_api" and figure.startswith("p95 "):  # each kind of query on its own
        return Target(50.0, "≤ 50 ms (#20)")
    return GOAL_TARGETS.get((stage, figure))


SummaryRow = tuple[str, str, str, str, str, str, str]
SUMMARY_HEADER: SummaryRow = ("issue", "what a user does", "figure", "CPU s", "goal", "result",
                              "runs")  # fmt: skip
Stages = dict[str, Any]


def _metric(stages: Stages, stage: str, name: str) -> tuple[dict[str, Any] | None, str]:
    """(the metric, "") or (None, why it is missing)."""
    record = stages.get(stage)
    if record is None:
        return None, f"not run (--stages {stage})"
    if record.get("status") != "ok":
        return None, f"{stage} {record.get('status')}: {record.get('reason', '')}"[:120]
    for metric in record["metrics"]:
        if metric["name"] == name:
            return metric, ""
    return None, f"{stage} has no figure {name!r}"


def _runs(stages: Stages, *names: str) -> str:
    counts = sorted({stages[n].get("repeat", 1) for n in names if n in stages})
    return ", ".join("1 run" if c == 1 else f"median of {c}" for c in counts)


def _mark(value: float, limit: float, notes: int) -> str:
    if notes > TARGET_MAX_NOTES:
        return "n/a"
    return "pass" if value <= limit else "MISS"


def _plain(issue: str, what: str, stage: str, figure: str, cpu: str | None
           ) -> Callable[[Stages, int], SummaryRow]:  # fmt: skip
    target = GOAL_TARGETS[(stage, figure)]

    def row(stages: Stages, notes: int) -> SummaryRow:
        metric, why = _metric(stages, stage, figure)
        if metric is None:
            return (issue, what, why, "", target.text, "—", "")
        spent = _metric(stages, stage, cpu)[0] if cpu else None
        cpu_text = show_value(spent["value"], spent["unit"]).removesuffix(" s") if spent else ""
        return (issue, what, show_value(metric["value"], metric["unit"]), cpu_text,
                target.text, _mark(metric["value"], target.limit, notes),
                _runs(stages, stage))  # fmt: skip

    return row


def _hugo_cpu(stages: Stages, notes: int) -> SummaryRow:
    what, goal = "`kgwiki build`, cold", f"CPU ≤ {HUGO_CPU_FACTOR:g}× Hugo's CPU, same run"
    ours, why = _metric(stages, "build_cold", "cold build CPU")
    theirs, why_hugo = _metric(stages, "hugo", "cold build CPU")
    if ours is None or theirs is None:
        return ("20", what, why or why_hugo, "", goal, "—", "")
    wall, _ = _metric(stages, "build_cold", "cold build")
    ratio = ours["value"] / max(theirs["value"], 1e-9)
    shown = (f"{show_value(wall['value'], 's')} wall; CPU {ratio:.1f}× Hugo's"
             if wall else f"CPU {ratio:.1f}× Hugo's")  # fmt: skip
    cpu = f"{ours['value']:.1f} (Hugo {theirs['value']:.1f})"
    return ("20", what, shown, cpu, goal, _mark(ratio, HUGO_CPU_FACTOR, notes),
            _runs(stages, "build_cold", "hugo"))  # fmt: skip


def _cpu_ratio(ours: dict[str, Any] | None, theirs: dict[str, Any] | None) -> str:
    """`` (CPU 1.3×)``: the same ratio in CPU seconds, which other load hardly moves."""
    if not ours or not theirs or theirs["value"] <= 0:
        return ""
    return f" (CPU {ours['value'] / theirs['value']:.2f}×)"


def _scale_build(stages: Stages, notes: int) -> SummaryRow:
    what = "`kgwiki build`, cold, 30 % template notes"
    goal = f"≤ {BUILD_FACTOR:g}× the plain vault's cold build"
    ours, why = _metric(stages, "scale", "build")
    plain, why_plain = _metric(stages, "build_cold", "cold build")
    if ours is None or plain is None:
        return ("22", what, why or why_plain, "", goal, "—", "")
    spent, _ = _metric(stages, "scale", "build CPU")
    plain_cpu, _ = _metric(stages, "build_cold", "cold build CPU")
    ratio = ours["value"] / max(plain["value"], 1e-9)
    shown = (f"{show_value(ours['value'], 's')} = {ratio:.2f}× {show_value(plain['value'], 's')}"
             + _cpu_ratio(spent, plain_cpu))  # fmt: skip
    cpu = f"{spent['value']:.1f}" if spent else ""
    return ("22", what, shown, cpu, goal, _mark(ratio, BUILD_FACTOR, notes),
            _runs(stages, "scale", "build_cold"))  # fmt: skip


def _scale_lint(stages: Stages, notes: int) -> SummaryRow:
    what, goal = "`kgwiki lint --json`, 30 % template notes", f"≤ {LINT_FACTOR:g}× `kgwiki info`"
    lint, why = _metric(stages, "scale", "lint --json")
    info, _ = _metric(stages, "scale", "info")
    if lint is None or info is None:
        return ("22", what, why, "", goal, "—", "")
    ratio = lint["value"] / max(info["value"], 1e-9)
    spent, _ = _metric(stages, "scale", "lint --json CPU")
    info_cpu, _ = _metric(stages, "scale", "info CPU")
    shown = (f"{show_value(lint['value'], 's')} = {ratio:.2f}× info "
             f"{show_value(info['value'], 's')}" + _cpu_ratio(spent, info_cpu))  # fmt: skip
    cpu = f"{spent['value']:.1f} (info {info_cpu['value']:.1f})" if spent and info_cpu else ""
    return ("22", what, shown, cpu, goal, _mark(ratio, LINT_FACTOR, notes),
            _runs(stages, "scale"))  # fmt: skip


ROWS: tuple[Callable[[Stages, int], SummaryRow], ...] = (
    _plain("20", "`kgwiki search QUERY --json`, index built, one process", "cli_search",
           "one process median", "one process CPU median"),
    _plain("20", "`/api/search`, warm server, mixed first-time queries", "search_api", "p95",
           "server CPU per query"),
    _plain("20", "`kgwiki serve` until `/ready`, caches of an earlier run", "serve_start",
           "ready, caches of an earlier run", "ready CPU"),
    _plain("20", "`kgwiki build`, one note's link changed (shape edit)", "build_edit",
           "one-note build, shape edit", "shape edit CPU"),
    _hugo_cpu,
    _scale_lint,
    _scale_build,
    _plain("22", "peak memory of `kgwiki lint --json`", "scale", "lint peak, all processes",
           None),
    _plain("22", "peak memory of `kgwiki build`", "scale", "build peak, all processes", None),
)  # fmt: skip


def summary_rows(result: dict[str, Any]) -> list[tuple[str, SummaryRow]]:
    """(vault size, row) for every size of the run and every goal."""
    out = []
    for size, data in sorted(result["sizes"].items(), key=lambda kv: int(kv[0])):
        out += [(size, make(data["stages"], int(size))) for make in ROWS]
    return out


def summary_markdown(result: dict[str, Any]) -> str:
    """The issue-20 and issue-22 rows: figure against goal, pass or MISS, per vault size."""
    lines = []
    for size in sorted(result["sizes"], key=int):
        lines += ["", f"Issue-20 and issue-22 rows, {int(size):,} notes: figure vs goal", "",
                  "| " + " | ".join(SUMMARY_HEADER) + " |", "|" + "---|" * len(SUMMARY_HEADER)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |"
                  for at, row in summary_rows(result) if at == size]  # fmt: skip
    return "\n".join(lines) + "\n"
