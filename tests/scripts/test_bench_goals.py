"""The pieces behind issue 20's and 22's rows of scripts/bench.py: the shape edit, the template
vault, the process-tree memory, and the summary that judges figures against the goals. No
timing is asserted; the judged figures below are written out, not measured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from paths import REPO

SCRIPTS = REPO / "scripts"
sys.path.insert(0, str(SCRIPTS))

from bench_common import Unavailable, relinked, run_measured  # noqa: E402
from bench_goals import TWO_GB_MIB, summary_markdown, summary_rows  # noqa: E402
from bench_proc import TreePeak, descendants  # noqa: E402
from bench_vaults import ensure_vault  # noqa: E402


def test_shape_edit_points_the_first_link_elsewhere(tmp_path: Path) -> None:
    from kgwiki.note import parse_note
    from kgwiki.types import NotePath

    note = tmp_path / "n.md"
    text = ("---\ntitle: N\nup: \"[[Fm]]\"\n---\n# N\n\n```\n[[In Code]]\n```\n"
            "See `[[Quoted]]`, ![[Embed.svg]] and [[Target A#Part|the part]], then [[B]].\n")
    note.write_text(text, encoding="utf-8")
    with relinked(note, "Elsewhere") as was:
        changed = note.read_text(encoding="utf-8")
        assert was == "Target A"
        assert "[[Elsewhere#Part|the part]], then [[B]]" in changed
        assert changed.count("\n") == text.count("\n")
        before = parse_note(NotePath("n.md"), text.encode())
        after = parse_note(NotePath("n.md"), changed.encode())
        assert before.links != after.links  # the shape: its text here is the same
    assert note.read_text(encoding="utf-8") == text


def test_shape_edit_needs_a_link(tmp_path: Path) -> None:
    note = tmp_path / "n.md"
    note.write_text("# N\n\nNo links, only [[Self]].\n", encoding="utf-8")
    try:
        with relinked(note, "self"):
            raise AssertionError("a link to the target itself is not a change")
    except Unavailable as err:
        assert "no wiki-link" in str(err)
    assert note.read_text(encoding="utf-8") == "# N\n\nNo links, only [[Self]].\n"


def test_template_vault_is_generated_once_then_reused(tmp_path: Path) -> None:
    vault, first = ensure_vault(tmp_path, 40, 3, template_share=0.3)
    assert first["generated"] and first["templated"] == 12
    assert vault.name == "notes-40-seed-3-templates-30"
    again, second = ensure_vault(tmp_path, 40, 3, template_share=0.3)
    assert again == vault and not second["generated"] and second["templated"] == 12
    plain, info = ensure_vault(tmp_path, 40, 3)
    assert plain != vault and info["generated"] and "templated" not in info


def test_tree_peak_counts_the_children(tmp_path: Path) -> None:
    """A parent that holds little and a child that holds 80 MiB: the tree's sampled peak
    sees the child's memory (a sum over the tree, taken while it runs)."""
    child = "import time; x = bytearray(80 * 2**20); x[::4096] = b'1' * len(x[::4096]); " \
            "time.sleep(1.5)"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}])"
    seen: list[list[int]] = []
    peak = TreePeak()

    def start(pid: int) -> None:
        peak.start(pid)
        seen.append(descendants(pid))

    ran = run_measured([sys.executable, "-c", parent], timeout=60, log=tmp_path / "log",
                       on_start=start)  # fmt: skip
    tree = peak.stop()
    assert ran.ok
    assert tree >= 80 and ran.peak_mib >= 80


def _stage(metrics: dict[str, tuple[float, str]], repeat: int = 3) -> dict[str, Any]:
    return {"status": "ok", "repeat": repeat,
            "metrics": [{"name": n, "value": v, "unit": u} for n, (v, u) in metrics.items()]}


def _result(notes: int, **stages: dict[str, Any]) -> dict[str, Any]:
    return {"sizes": {str(notes): {"stages": stages}}}


STAGES = {
    "cli_search": _stage({"one process median": (0.25, "s"),
                          "one process CPU median": (0.24, "s")}),
    "search_api": _stage({"p95": (61.0, "ms"), "server CPU per query": (9.5, "ms")}),
    "serve_start": _stage({"ready, caches of an earlier run": (2.5, "s"),
                           "ready CPU": (2.9, "s")}),
    "build_edit": _stage({"one-note build, shape edit": (6.7, "s"),
                          "shape edit CPU": (7.0, "s")}),
    "build_cold": _stage({"cold build": (51.0, "s"), "cold build CPU": (87.0, "s")}),
    "hugo": _stage({"cold build": (9.9, "s"), "cold build CPU": (18.3, "s")}),
    "scale": _stage({"info": (2.0, "s"), "info CPU": (1.9, "s"), "lint --json": (3.0, "s"),
                     "lint --json CPU": (2.8, "s"), "build": (60.0, "s"),
                     "build CPU": (100.0, "s"), "lint peak, all processes": (600.0, "MiB"),
                     "build peak, all processes": (TWO_GB_MIB + 1, "MiB")}),
}  # fmt: skip


def test_summary_judges_each_row_against_its_goal() -> None:
    rows = {row[1]: row for _, row in summary_rows(_result(10_000, **STAGES))}
    assert {what: row[5] for what, row in rows.items()} == {
        "`kgwiki search QUERY --json`, index built, one process": "pass",  # 0.25 s
        "`/api/search`, warm server, mixed first-time queries": "MISS",  # 61 ms
        "`kgwiki serve` until `/ready`, caches of an earlier run": "pass",  # 2.5 s
        "`kgwiki build`, one note's link changed (shape edit)": "MISS",  # 6.7 s
        "`kgwiki build`, cold": "MISS",  # 87 CPU-s against Hugo's 18.3: 4.8×
        "`kgwiki lint --json`, 30 % template notes": "pass",  # 3 s against info's 2 s
        "`kgwiki build`, cold, 30 % template notes": "pass",  # 60 s against 2 × 51 s
        "peak memory of `kgwiki lint --json`": "pass",
        "peak memory of `kgwiki build`": "MISS",
    }
    cold = rows["`kgwiki build`, cold"]
    assert "CPU 4.8× Hugo's" in cold[2] and cold[3] == "87.0 (Hugo 18.3)"
    assert rows["`/api/search`, warm server, mixed first-time queries"][3] == "9.50 ms"
    assert rows["`kgwiki serve` until `/ready`, caches of an earlier run"][3] == "2.90"
    assert {row[6] for row in rows.values()} == {"median of 3"}


def test_summary_says_what_is_missing() -> None:
    stages = {k: v for k, v in STAGES.items() if k != "hugo"}
    stages["serve_start"] = {"status": "unavailable", "reason": "kgwiki serve exited 1"}
    rows = {row[1]: row for _, row in summary_rows(_result(1000, **stages))}
    assert rows["`kgwiki build`, cold"][2] == "not run (--stages hugo)"
    assert rows["`kgwiki build`, cold"][5] == "—"
    assert "kgwiki serve exited 1" in rows["`kgwiki serve` until `/ready`, caches of an "
                                           "earlier run"][2]
    past = {row[5] for _, row in summary_rows(_result(50_000, **STAGES))}
    assert past <= {"n/a", "—"}
    text = summary_markdown(_result(1000, **stages))
    assert "Issue-20 and issue-22 rows, 1,000 notes" in text
    assert text.count("\n| 2") == 9  # one line per row, each starting with its issue


def test_bench_help_lists_the_new_stages() -> None:
    done = subprocess.run([sys.executable, str(SCRIPTS / "bench.py"), "--help"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0
    for name in ("cli_search", "serve_start", "search_api", "scale"):
        assert name in done.stdout
