"""Smoke test of scripts/bench.py on a tiny generated vault: the run completes and its JSON has
the documented shape. No timing is asserted (speed is what the benchmark measures, not tests)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from paths import REPO

SCRIPTS = REPO / "scripts"
sys.path.insert(0, str(SCRIPTS))

import bench  # noqa: E402
from bench_common import percentile  # noqa: E402
from bench_plot import extrapolate, quadratic_fit  # noqa: E402

NOTES = 60


def _bench(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPTS / "bench.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=900)  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str, Path]:
    work = tmp_path_factory.mktemp("bench")
    out = work / "out.json"
    done = _bench("--notes", str(NOTES), "--compare", "--workdir", str(work / "w"), "--json",
                  str(out), "--requests", "60", "--clients", "8", cwd=work)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8")), done.stdout, work


def test_every_stage_reports_figures_or_why_not(run: tuple[dict[str, Any], str, Path]) -> None:
    result, _, _ = run
    assert {"date", "machine", "sizes", "ratios", "seconds"} <= result.keys()
    assert result["machine"]["nproc"] >= 1
    size = result["sizes"][str(NOTES)]
    assert size["vault"]["notes"] == NOTES
    assert list(size["stages"]) == list(bench.ORDER)
    for name, record in size["stages"].items():
        assert record["status"] in ("ok", "unavailable", "skipped"), name
        if record["status"] == "ok":
            assert record["metrics"], name
            for metric in record["metrics"]:
                assert isinstance(metric["name"], str) and metric["unit"]
                assert isinstance(metric["value"], float | int) and metric["value"] >= 0
            assert record["peak_mib"] > 0
        else:
            assert record["reason"].strip(), name
    # The library stages that exist from the start must run, not merely report.
    for name in ("parse_cold", "load_warm"):
        assert size["stages"][name]["status"] == "ok", size["stages"][name]


def test_one_note_builds_are_local_edits(run: tuple[dict[str, Any], str, Path]) -> None:
    """Both timed edits of ``build_edit`` — a sentence at the note's end, one inside its first
    line of prose — are real edits the build patches locally (``build_local``)."""
    result, _, _ = run
    record = result["sizes"][str(NOTES)]["stages"]["build_edit"]
    assert record["status"] == "ok", record
    names = [m["name"] for m in record["metrics"]]
    assert names == ["one-note build", "one-note build, prose edit",
                     "one-note build, shape edit", "shape edit CPU",
                     "one-note build, note added", "one-note build, note removed"]
    assert record["info"]["mode"] == "local", record["info"]
    assert record["info"]["written"] > 0
    assert record["info"]["prose_edit"]["mode"] == "local", record["info"]
    # the third edit points a link elsewhere: a shape edit, which no local patch can take
    assert record["info"]["shape_edit"]["mode"] == "full", record["info"]
    # then a note is added (a new page: no local patch either) and removed again
    assert record["info"]["note_added"]["mode"] == "full", record["info"]
    assert not list((run[2] / "w").rglob("*-added.md"))  # and the vault is as it was


def test_issue_rows_are_measured_and_judged(run: tuple[dict[str, Any], str, Path]) -> None:
    """The stages behind issues 20 and 22 run, and the summary judges their figures."""
    result, stdout, _ = run
    stages = result["sizes"][str(NOTES)]["stages"]
    for name in ("cli_search", "serve_start", "search_api", "scale"):
        assert stages[name]["status"] == "ok", stages[name]
    assert [m["name"] for m in stages["serve_start"]["metrics"]] == [
        "ready, caches of an earlier run", "ready CPU"]
    assert "setup" not in stages["serve_start"]  # the serve stage before left its caches
    figures = {m["name"] for m in stages["search_api"]["metrics"]}
    assert {"p95", "first round p95", "server CPU per query"} <= figures
    assert {f"p95 {kind}" for kind in stages["search_api"]["info"]["by_kind_ms"]} <= figures
    made = stages["scale"]["setup"]["scale_vault"]["info"]
    assert made["notes"] == NOTES and made["templated"] > 0
    assert stages["scale"]["info"]["vault"].endswith("-templates-30")
    assert "Issue-20 and issue-22 rows, 60 notes: figure vs goal" in stdout
    assert stdout.count("| 20 | ") == 5 and stdout.count("| 22 | ") == 4


def test_prose_edit_keeps_every_line(tmp_path: Path) -> None:
    from bench_common import edited

    from kgwiki.note import parse_note
    from kgwiki.types import NotePath

    note = tmp_path / "n.md"
    text = ("---\ntitle: N\n---\n# N\n\n```\ncode\n```\n- item [[A]]\n| a | b |\n"
            "Prose with [[B]].\n> Plain prose.\n")  # fmt: skip
    note.write_text(text, encoding="utf-8")
    with edited(note, "t", inside=True):
        changed = note.read_text(encoding="utf-8")
        assert changed.count("\n") == text.count("\n")
        assert "Plain prose. Benchmark edit t:" in changed
        before, after = parse_note(NotePath("n.md"), text.encode()), parse_note(
            NotePath("n.md"), changed.encode())  # fmt: skip
        assert before.links == after.links and before.text != after.text
    assert note.read_text(encoding="utf-8") == text


def test_table_lists_each_stage(run: tuple[dict[str, Any], str, Path]) -> None:
    result, stdout, _ = run
    assert stdout.splitlines()[0].split()[:3] == ["notes", "stage", "figure"]
    for name in result["sizes"][str(NOTES)]["stages"]:
        assert f" {name} " in stdout


def test_report_redraws_from_json(run: tuple[dict[str, Any], str, Path]) -> None:
    _, _, work = run
    plot, table = work / "plot.svg", work / "table.md"
    done = _bench("--from-json", str(work / "out.json"), "--plot", str(plot), "--markdown",
                  str(table), cwd=work)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert table.read_text(encoding="utf-8").startswith("| notes | stage |")
    svg = plot.read_text(encoding="utf-8")
    assert svg.startswith("<svg") and "kgwiki" in svg


def test_mkdocs_is_skipped_past_its_cap(run: tuple[dict[str, Any], str, Path]) -> None:
    _, _, work = run
    out = work / "capped.json"
    done = _bench("--notes", str(NOTES), "--stages", "mkdocs", "--mkdocs-max", "10",
                  "--workdir", str(work / "w"), "--json", str(out), cwd=work)  # fmt: skip
    assert done.returncode == 0, done.stderr
    record = json.loads(out.read_text(encoding="utf-8"))["sizes"][str(NOTES)]["stages"]["mkdocs"]
    assert record["status"] == "skipped"
    assert "quadratic" in record["reason"]


def test_percentile_interpolates() -> None:
    assert percentile([3.0, 1.0, 2.0], 50) == 2.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)
    assert percentile([7.0], 99) == 7.0


def test_quadratic_fit_recovers_the_curve() -> None:
    a, b = quadratic_fit([(1000, 31.0), (2000, 105.0)])
    assert a * 1000**2 + b * 1000 == pytest.approx(31.0)
    assert a * 2000**2 + b * 2000 == pytest.approx(105.0)
    points = extrapolate({1000: 31.0, 2000: 105.0}, [1000, 2000, 10000])
    assert [p.measured for p in points] == [True, True, False]
    assert points[-1].seconds > 105.0 * 20  # grows faster than linearly


def test_repeat_reports_the_median_and_keeps_every_run(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    done = _bench("--notes", str(NOTES), "--stages", "parse_cold,load_warm", "--repeat", "3",
                  "--workdir", str(tmp_path / "w"), "--json", str(out), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    stages = json.loads(out.read_text(encoding="utf-8"))["sizes"][str(NOTES)]["stages"]
    for name in ("parse_cold", "load_warm"):
        record = stages[name]
        assert record["status"] == "ok" and record["repeat"] == 3
        for metric in record["metrics"]:
            assert len(metric["runs"]) == 3
            assert metric["value"] == sorted(metric["runs"])[1]
    assert "median of 3" in done.stderr


def test_median_record_passes_a_failure_through() -> None:
    ok = {"status": "ok", "metrics": [{"name": "x", "value": 1.0, "unit": "s"}],
          "wall_s": 1.0, "cpu_s": 1.0, "peak_mib": 10.0, "load": [0.1, 0.2]}  # fmt: skip
    failed = {"status": "unavailable", "reason": "stage process exited 1"}
    assert bench.median_record([ok, failed, ok]) is failed
    merged = bench.median_record([ok, {**ok, "metrics": [{**ok["metrics"][0], "value": 3.0}]},
                                  {**ok, "metrics": [{**ok["metrics"][0], "value": 2.0}]}])
    assert merged["metrics"][0]["value"] == 2.0 and merged["metrics"][0]["runs"] == [1.0, 3.0, 2.0]


def test_ab_runs_both_versions_in_turn(tmp_path: Path) -> None:
    import gen_vault

    inside = subprocess.run(["git", "-C", str(SCRIPTS.parent), "rev-parse", "HEAD"],
                            capture_output=True, text=True)  # fmt: skip
    if inside.returncode != 0:
        pytest.skip("not a git checkout: there is no earlier commit to compare with")

    vault = tmp_path / "vault"
    gen_vault.generate(NOTES, vault, 0)
    out = tmp_path / "ab.json"
    try:
        done = subprocess.run(
            [sys.executable, str(SCRIPTS / "bench_ab.py"), "--base", "HEAD", "--pairs", "1",
             "--vault", str(vault), "--trees", str(tmp_path / "trees"), "--json", str(out)],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        runs = json.loads(out.read_text(encoding="utf-8"))["runs"]
        assert len(runs["old"]) == len(runs["new"]) == 1
        assert all(r["wall_s"] > 0 and r["cpu_s"] >= 0 for r in runs["old"] + runs["new"])
        assert "old (HEAD) parse" in done.stdout and "new (working tree) parse" in done.stdout
    finally:
        for tree in (tmp_path / "trees").glob("ab-*"):
            subprocess.run(["git", "-C", str(SCRIPTS.parent), "worktree", "remove", "--force",
                            str(tree)], capture_output=True)  # fmt: skip


def test_the_query_draw_is_the_same_under_any_hash_seed() -> None:
    """Runs compare only when they draw the same queries: word order must not come from
    set iteration (which Python's string hash seed changes)."""
    probe = ("import json, sys; sys.path.insert(0, 'scripts'); from bench_queries import "
             "draw_queries; from kgwiki.vault import Vault; "
             "print(json.dumps(draw_queries(Vault.load('vault', use_cache=False), 0)))")
    draws = [subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                            text=True, check=True, timeout=120,
                            env={**os.environ, "PYTHONHASHSEED": seed}).stdout
             for seed in ("1", "2")]  # fmt: skip
    assert draws[0] == draws[1] and json.loads(draws[0])["common"]
