#!/usr/bin/env python3
"""kgwiki's benchmark: every stage of the pipeline on generated vaults, beside Hugo and MkDocs.

    python scripts/bench.py [--notes 1000,10000] [--compare] [--json FILE] [--stages a,b]
                            [--workdir DIR] [--mkdocs-max N] [--plot FILE] [--markdown FILE]
    python scripts/bench.py --from-json A.json,B.json [--plot FILE] [--markdown FILE]

One vault per size is generated with ``scripts/gen_vault.py`` into the workdir (and reused).
Each stage runs in a fresh process (``bench.py --_stage NAME``), so stages do not share caches
in memory and the peak RSS that ``os.wait4`` reports for that process is the stage's own. A
stage whose module is missing or which fails is reported as "unavailable: <reason>"; the run
goes on. Targets are DESIGN.md's "Performance targets" (stated for 10k notes) and the goals
of issues 20 and 22, judged again in a summary table (``bench_goals``). See
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shlex
import statistics
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import bench_cli
import bench_goals
import bench_peers
import bench_report
import bench_scale
import bench_stages
import bench_web
from bench_common import (
    REPO,
    StageContext,
    StageOutput,
    Unavailable,
    load_now,
    log_tail,
    run_measured,
)
from bench_vaults import ensure_vault

STAGES: dict[str, Callable[[StageContext], StageOutput]] = {
    **bench_stages.STAGES, **bench_web.STAGES, **bench_peers.STAGES, **bench_cli.STAGES,
    **bench_scale.STAGES,
}  # fmt: skip
# The stages of a run, in order; each may need untimed setup steps (run in their own process).
ORDER = (
    "parse_cold",
    "load_warm",
    "graph_build",
    "graph_queries",
    "index_cold",
    "index_update",
    "query",
    "cli_search",
    "dupes",
    "build_cold",
    "build_nochange",
    "build_edit",
    "serve",
    "serve_start",
    "search_api",
    "scale",
    "hugo",
    "mkdocs",
)
PEERS = ("hugo", "mkdocs")
SETUP: dict[str, tuple[str, ...]] = {
    "load_warm": ("prime",), "graph_build": ("prime",), "graph_queries": ("prime",),
    "index_cold": ("prime",), "index_update": ("prime", "index_ready"),
    "query": ("prime", "index_ready"), "dupes": ("prime",), "build_nochange": ("build_ready",),
    "build_edit": ("build_ready",), "serve": ("prime",), "hugo": ("hugo_prepare",),
    "mkdocs": ("mkdocs_prepare",), "cli_search": ("prime", "index_ready"),
    "serve_start": ("prime", "serve_caches"), "search_api": ("prime", "serve_caches"),
    "scale": ("scale_vault",),
}  # fmt: skip
# What a stage leaves behind: setups it makes unnecessary (+) or undoes (-).
EFFECTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "index_cold": (("index_ready",), ()),
    "build_cold": (("build_ready",), ("prime", "serve_caches")),
    "build_edit": ((), ("build_ready", "serve_caches")), "serve": (("serve_caches",), ()),
}  # fmt: skip


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--notes", default="10000", help="vault sizes, comma-separated (10000)")
    parser.add_argument("--compare", action="store_true", help="also build with Hugo and MkDocs")
    parser.add_argument("--stages", help=f"comma-separated subset of: {', '.join(ORDER)}")
    parser.add_argument("--json", type=Path, help="write results here "
                        "(default: bench-out/bench-<date>.json)")  # fmt: skip
    parser.add_argument(
        "--workdir",
        type=Path,
        default=REPO / "bench-out" / "work",
        help="vaults, sites and logs (default: bench-out/work)",
    )
    parser.add_argument(
        "--mkdocs-max",
        type=int,
        default=2000,
        metavar="N",
        help="run MkDocs only up to N notes; it grows quadratically (2000)",
    )
    parser.add_argument("--seed", type=int, default=0, help="vault and sampling seed (0)")
    parser.add_argument("--requests", type=int, default=2000, help="server requests (2000)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    parser.add_argument(
        "--http-client",
        choices=("raw", "httpx"),
        default="raw",
        help="server load generator (raw: lean asyncio HTTP/1.1; httpx)",
    )
    parser.add_argument(
        "--serve-args",
        default="",
        metavar="ARGS",
        help='extra options for kgwiki serve, e.g. --serve-args="--workers 2"',
    )
    parser.add_argument("--stage-timeout", type=float, default=1800.0, metavar="S")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="run each stage N times and report the median, with every "
                        "run's figures kept (this machine's speed drifts by 10%%)")  # fmt: skip
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="profile each stage with pyinstrument into DIR (figures are then "
                        "slower and not for the table)")  # fmt: skip
    parser.add_argument("--plot", type=Path, metavar="FILE", help="write the build-time SVG")
    parser.add_argument("--markdown", type=Path, metavar="FILE", help="write the table (Markdown)")
    parser.add_argument(
        "--from-json",
        metavar="FILES",
        help="do not run: report (and plot) these result files, comma-separated",
    )
    parser.add_argument("--_stage", dest="stage", help=argparse.SUPPRESS)
    parser.add_argument("--vault", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_size", dest="size", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--_out", dest="out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--_profile", dest="profile_file", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# -- one stage, in its own process ----------------------------------------------------------


def child(args: argparse.Namespace) -> int:
    """Run one stage and write its result (or why it could not run) to ``--_out``."""
    ctx = StageContext(name=args.stage, vault=args.vault.resolve(), notes=args.size,
                       workdir=args.workdir.resolve(), seed=args.seed, requests=args.requests,
                       clients=args.clients, profile=args.profile_file,
                       serve_args=tuple(shlex.split(args.serve_args)),
                       http_client=args.http_client)  # fmt: skip
    try:
        output = STAGES[args.stage](ctx)
        record: dict[str, Any] = {"status": "ok",
                                  "metrics": [m.to_json() for m in output.metrics],
                                  "info": output.info}  # fmt: skip
    except Unavailable as err:
        record = {"status": "unavailable", "reason": str(err)}
    except ImportError as err:
        record = {"status": "unavailable", "reason": f"{type(err).__name__}: {err}"}
    except Exception as err:  # a failing stage is a finding, not the end of the run
        traceback.print_exc()
        record = {"status": "unavailable", "reason": f"{type(err).__name__}: {err}"}
    args.out.write_text(json.dumps(record, ensure_ascii=False, default=str), encoding="utf-8")
    return 0


def run_stage(args: argparse.Namespace, name: str, vault: Path, size: int, work: Path
              ) -> dict[str, Any]:  # fmt: skip
    out = work / "results" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--_stage",
        name,
        "--vault",
        str(vault),
        "--_size",
        str(size),
        "--workdir",
        str(work),
        "--_out",
        str(out),
        "--seed",
        str(args.seed),
        "--requests",
        str(args.requests),
        "--clients",
        str(args.clients),
        f"--serve-args={args.serve_args}",
        "--http-client",
        args.http_client,
    ]
    if args.profile is not None and name in ORDER:
        cmd += ["--_profile", str(args.profile.resolve() / f"{size}-{name}.txt")]
    load = load_now()
    log = work / "logs" / f"{name}.stage.log"
    ran = run_measured(cmd, timeout=args.stage_timeout, log=log)
    try:
        record: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        why = "timed out" if ran.timed_out else f"stage process exited {ran.code}"
        record = {"status": "unavailable",
                  "reason": f"{why}: {log_tail(log)}"}  # fmt: skip
    record.update(peak_mib=round(ran.peak_mib, 1), wall_s=round(ran.seconds, 2),
                  cpu_s=round(ran.cpu_seconds, 2),
                  load=[round(load, 2), round(load_now(), 2)])  # fmt: skip
    return record


# -- the run --------------------------------------------------------------------------------


def selected(args: argparse.Namespace) -> list[str]:
    if args.stages:
        names = [s.strip() for s in args.stages.split(",") if s.strip()]
        unknown = sorted(set(names) - set(ORDER))
        if unknown:
            raise SystemExit(
                f"bench.py: unknown stages {', '.join(unknown)}; know {', '.join(ORDER)}"
            )
        if args.compare:
            names += [p for p in PEERS if p not in names]
        return [s for s in ORDER if s in names]
    return [s for s in ORDER if args.compare or s not in PEERS]


def run_size(args: argparse.Namespace, notes: int, stages: list[str],
             earlier: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    vault, vault_info = ensure_vault(args.workdir.resolve(), notes, args.seed)
    work = args.workdir.resolve() / f"n{notes}"
    done: set[str] = set()  # setup steps whose effect still holds
    results: dict[str, Any] = {}
    for name in stages:
        if name == "mkdocs" and notes > args.mkdocs_max:
            seconds, source = bench_report.mkdocs_1k(earlier)
            record: dict[str, Any] = {
                "status": "skipped",
                "reason": f"quadratic; {seconds:.0f} s at 1k ({source}); "
                          f"--mkdocs-max {args.mkdocs_max}",
            }  # fmt: skip
        else:
            setup, failed = run_setup(args, name, vault, notes, work, done)
            if failed is not None:
                record = {"status": "unavailable", "reason": failed}
            else:
                record = run_repeated(args, name, vault, notes, work)
                if record["status"] == "ok":
                    gained, lost = EFFECTS.get(name, ((), ()))
                    done.update(gained)
                    done.difference_update(lost)
            if setup:
                record["setup"] = setup
        results[name] = record
        _say(notes, name, record)
    return {"vault": {**vault_info, "path": str(vault)}, "stages": results}


def run_repeated(args: argparse.Namespace, name: str, vault: Path, notes: int, work: Path
                 ) -> dict[str, Any]:  # fmt: skip
    """``run_stage`` ``--repeat`` times (MkDocs once: it is slow and only a reference): the
    median run's record, every run kept."""
    times = 1 if name == "mkdocs" else max(1, args.repeat)
    records = [run_stage(args, name, vault, notes, work) for _ in range(times)]
    return median_record(records)


def median_record(records: list[dict[str, Any]]) -> dict[str, Any]:
    """One record for several runs of a stage: each figure, wall and CPU time is the median.

    Any failed run makes the result that failure. ``runs`` keeps every run's figures.
    """
    failed = [r for r in records if r["status"] != "ok"]
    if len(records) == 1 or failed:
        return failed[0] if failed else records[0]
    merged = dict(records[0])
    merged["metrics"] = [
        {**metric, "value": statistics.median(r["metrics"][k]["value"] for r in records),
         "runs": [r["metrics"][k]["value"] for r in records]}
        for k, metric in enumerate(records[0]["metrics"])
    ]  # fmt: skip
    for key in ("wall_s", "cpu_s", "peak_mib"):
        merged[key] = statistics.median(r[key] for r in records)
    merged["load"] = [records[0]["load"][0], records[-1]["load"][-1]]
    merged["repeat"] = len(records)
    return merged


def run_setup(args: argparse.Namespace, name: str, vault: Path, notes: int, work: Path,
              done: set[str]) -> tuple[dict[str, Any], str | None]:  # fmt: skip
    """Run the untimed steps ``name`` needs; (what they reported, why one failed or None)."""
    setup: dict[str, Any] = {}
    for step in SETUP.get(name, ()):
        if step in done:
            continue
        record = run_stage(args, step, vault, notes, work)
        setup[step] = {k: record.get(k) for k in ("info", "wall_s", "peak_mib")}
        if record["status"] != "ok":
            return setup, f"setup {step}: {record.get('reason', '')}"
        done.add(step)
    return setup, None


def _say(notes: int, name: str, record: dict[str, Any]) -> None:
    if record["status"] == "ok":
        shown = ", ".join(f"{m['name']} {m['value']:.4g} {m['unit']}" + _spread(m)
                          for m in record["metrics"])  # fmt: skip
    else:
        shown = f"{record['status']}: {record.get('reason', '')}"[:200]
    load = f" (load {record['load'][0]:.1f})" if record.get("load") else ""
    print(f"[{notes}] {name}: {shown}{load}", file=sys.stderr, flush=True)


def _spread(metric: dict[str, Any]) -> str:
    runs = metric.get("runs")
    if not runs:
        return ""
    return f" (median of {len(runs)}: {min(runs):.4g}–{max(runs):.4g})"


def report(args: argparse.Namespace, results: list[dict[str, Any]]) -> None:
    merged: dict[str, Any] = {"sizes": {}}
    for result in results:
        merged["sizes"].update(result["sizes"])
        merged["machine"] = result.get("machine", {})
    print(bench_report.table(merged))
    lines = bench_report.ratio_lines(merged)
    if lines:
        print("\nCold build against the peers:")
        print("\n".join(f"  {line}" for line in lines))
    print(bench_goals.summary_markdown(merged))
    if args.markdown:
        args.markdown.write_text(bench_report.markdown(merged), encoding="utf-8")
    if args.plot:
        args.plot.write_text(bench_report.plot(results), encoding="utf-8")
        print(f"plot: {args.plot}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.stage:
        return child(args)
    if args.from_json:
        files = [Path(f) for f in args.from_json.split(",") if f]
        report(args, [json.loads(f.read_text(encoding="utf-8")) for f in files])
        return 0
    sizes = sorted({int(n) for n in args.notes.split(",") if n.strip()})
    stages = selected(args)
    compile_bytecode()
    started = dt.datetime.now()
    earlier = _earlier_results()
    result: dict[str, Any] = {
        "date": started.isoformat(timespec="seconds"), "command": sys.argv,
        "machine": bench_report.machine(), "load_at_start": load_now(), "sizes": {},
    }  # fmt: skip
    for notes in sizes:
        result["sizes"][str(notes)] = run_size(args, notes, stages, [*earlier, result])
    result["ratios"] = bench_report.ratios(result)
    result["load_at_end"] = load_now()
    result["seconds"] = round((dt.datetime.now() - started).total_seconds(), 1)
    out = args.json or REPO / "bench-out" / f"bench-{started:%Y-%m-%d}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n",
                   encoding="utf-8")  # fmt: skip
    report(args, [result])
    print(f"results: {out} ({result['seconds']:.0f} s)", file=sys.stderr)
    return 0


def compile_bytecode() -> None:
    """Compile kgwiki's modules to bytecode first, as an installed copy has them after its
    first run.

    Every timed command is a new Python. With no ``__pycache__`` for a module (an editable
    install whose sources changed since they last ran, with ``PYTHONDONTWRITEBYTECODE=1`` set
    as on the machine these figures come from) each run compiles it again: ≈ 0.07 s of a
    one-note build, which a user pays once.
    """
    import compileall

    if not compileall.compile_dir(REPO / "kgwiki", quiet=1):
        raise SystemExit("could not compile kgwiki's modules")


def _earlier_results() -> list[dict[str, Any]]:
    """Earlier result files in bench-out/ (for MkDocs' 1k figure when this run skips it)."""
    found = []
    for path in sorted((REPO / "bench-out").glob("*.json"), key=lambda p: p.stat().st_mtime):
        try:
            found.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return found


if __name__ == "__main__":
    sys.exit(main())
