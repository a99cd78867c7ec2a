"""Site stages: ``kgwiki build`` (cold, no change, one note edited), ``kgwiki serve`` under load.

Both run the real CLI as a child process, as a user would: the figures include interpreter
start-up and imports, which is what a build "takes" from the command line.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from bench_common import (
    MIB,
    Ran,
    StageContext,
    StageOutput,
    Unavailable,
    edited,
    kgwiki_command,
    log_tail,
    percentile,
    profiled,
    relinked,
    run_measured,
    sample_notes,
)
from bench_load import Result, httpx_load, raw_load

BUILD_TIMEOUT = 1800.0
READY_TIMEOUT = 600.0
SINGLE_REQUESTS = 30  # pages fetched one at a time first: the service time without queueing
WARM_TIMEOUT = 600.0  # how long to wait for the server to draw its note pages ahead


def _site(ctx: StageContext) -> Path:
    return ctx.workdir / "site"


def _build(ctx: StageContext, label: str, profile: bool = True) -> tuple[Ran, dict[str, Any]]:
    """``kgwiki build VAULT -o SITE --json``; the build's own report comes back as JSON."""
    log = ctx.workdir / "logs" / f"{label}.log"
    cmd = [*kgwiki_command(), "build", str(ctx.vault), "-o", str(_site(ctx)), "--json", "-q"]
    ran = run_measured(profiled(cmd, ctx.profile if profile else None), timeout=BUILD_TIMEOUT,
                       log=log)  # fmt: skip
    if ran.timed_out:
        raise Unavailable(f"kgwiki build timed out after {BUILD_TIMEOUT:.0f} s")
    report = _json_in(log)
    if report is None or ran.code not in (0, 1):  # 1: built, with broken links in the site
        raise Unavailable(f"kgwiki build exited {ran.code}: {log_tail(log)}")
    return ran, report


def _json_in(log: Path) -> dict[str, Any] | None:
    """The JSON object ``--json`` printed (the log also holds stderr lines around it)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    start = text.find("{")
    while start != -1:
        try:
            found, _ = json.JSONDecoder().raw_decode(text, start)
        except json.JSONDecodeError:
            start = text.find("{", start + 1)
            continue
        return found if isinstance(found, dict) else None
    return None


def _build_output(name: str, ran: Ran, report: dict[str, Any]) -> StageOutput:
    out = StageOutput(info={
        "internal_s": report.get("seconds"), "pages": report.get("pages"),
        "written": report.get("written"), "unchanged": report.get("unchanged"),
        "broken_links": len(report.get("broken_links") or []),
        "note_link_problems": len(report.get("problems") or []),
        "peak_mib_largest_process": round(ran.peak_mib), "cpu_s": round(ran.cpu_seconds, 1),
        "mode": report.get("mode"), "why_full": report.get("why_full"),
    })  # fmt: skip
    out.add(name, ran.seconds, "s")
    return out


def build_ready(ctx: StageContext) -> StageOutput:
    """Setup: bring the site up to date (untimed), so the next build has little to do."""
    ran, report = _build(ctx, "build-ready", profile=False)
    return _build_output("setup build", ran, report)


def build_cold(ctx: StageContext) -> StageOutput:
    # Cold means nothing to reuse: no output folder, no parse cache, no sketch cache.
    shutil.rmtree(_site(ctx), ignore_errors=True)
    shutil.rmtree(ctx.vault / ".kgwiki", ignore_errors=True)
    ran, report = _build(ctx, "build-cold")
    out = _build_output("cold build", ran, report)
    out.add("cold build CPU", ran.cpu_seconds, "s")  # against Hugo's, issue 20
    return out


def build_nochange(ctx: StageContext) -> StageOutput:
    ran, report = _build(ctx, "build-nochange")
    return _build_output("no-change build", ran, report)


def build_edit(ctx: StageContext) -> StageOutput:
    """One note gets a sentence more, at its end and then inside its first line of prose
    (which near-duplicate detection reads), then its first wiki-link points at another note
    (a shape edit: no local patch); each time the site is built (timed), then put back
    (untimed), so that every ``--repeat`` run times real edits. Then a new note is added
    beside it and removed again, each build timed."""
    note = sample_notes(ctx.vault, 1, ctx.seed + 1)[0]
    with edited(note, "build"):
        ran, report = _build(ctx, "build-edit")
    _build(ctx, "build-restore", profile=False)
    with edited(note, "build", inside=True):
        ran_inside, report_inside = _build(ctx, "build-edit-inside")
    _build(ctx, "build-restore", profile=False)
    other = next(p for p in sample_notes(ctx.vault, 3, ctx.seed + 2) if p != note)
    with relinked(note, other.stem) as was:
        ran_shape, report_shape = _build(ctx, "build-edit-shape")
    _build(ctx, "build-restore", profile=False)
    # A note added beside the edited one (its page, a tag's listing, the search index's
    # numbering change), then removed again: both builds timed, the second restores.
    added = note.with_name(f"{note.stem}-added.md")
    if added.exists():
        raise Unavailable(f"{added.name} is in the vault already")
    title = json.dumps(f"{note.stem} added", ensure_ascii=False)  # a YAML string, quoted
    added.write_text(f"---\ntitle: {title}\ntags: [bench-added]\n---\n"
                     f"# {note.stem} added\n\nA new note beside [[{note.stem}]].\n",
                     encoding="utf-8")  # fmt: skip
    try:
        ran_added, report_added = _build(ctx, "build-note-added")
    finally:
        added.unlink()
    ran_removed, _ = _build(ctx, "build-note-removed")
    out = _build_output("one-note build", ran, report)
    out.add("one-note build, prose edit", ran_inside.seconds, "s")
    out.add("one-note build, shape edit", ran_shape.seconds, "s")
    out.add("shape edit CPU", ran_shape.cpu_seconds, "s")
    out.add("one-note build, note added", ran_added.seconds, "s")
    out.add("one-note build, note removed", ran_removed.seconds, "s")
    out.info["note_added"] = {"mode": report_added.get("mode"),
                              "cpu_s": round(ran_added.cpu_seconds, 1)}  # fmt: skip
    out.info["edited"] = note.relative_to(ctx.vault).as_posix()
    out.info["prose_edit"] = {"mode": report_inside.get("mode"),
                              "why_full": report_inside.get("why_full"),
                              "cpu_s": round(ran_inside.cpu_seconds, 1)}  # fmt: skip
    out.info["shape_edit"] = {"link": f"[[{was}]] -> [[{other.stem}]]",
                              "mode": report_shape.get("mode"),
                              "why_full": report_shape.get("why_full")}  # fmt: skip
    return out


# -- serve ------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _vm_hwm_mib(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / MIB
    return None


async def _wait_ready(base: str, proc: subprocess.Popen[bytes], log: Path) -> float:
    import httpx

    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=5.0) as client:
        while time.perf_counter() - start < READY_TIMEOUT:
            if proc.poll() is not None:
                raise Unavailable(f"kgwiki serve exited {proc.returncode}: {log_tail(log)}")
            try:
                if (await client.get("/ready")).status_code == 200:
                    return time.perf_counter() - start
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise Unavailable(f"kgwiki serve not ready after {READY_TIMEOUT:.0f} s")


async def _note_urls(base: str) -> list[str]:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120.0) as client:
        response = await client.get("/api/notes")
    if response.status_code != 200:
        raise Unavailable(f"/api/notes answered {response.status_code}")
    items = response.json()
    items = items.get("notes", []) if isinstance(items, dict) else items
    urls = [urljoin(base + "/", item["url"]) for item in items if item.get("url")]
    if not urls:
        raise Unavailable("/api/notes listed no note URLs")
    return urls


async def _fetch_all(ctx: StageContext, base: str, urls: list[str], clients: int) -> Result:
    if ctx.http_client == "httpx":
        return await httpx_load(urls, clients)
    return await raw_load(base, urls, clients)


def serve(ctx: StageContext) -> StageOutput:
    try:
        import httpx  # noqa: F401
    except ImportError as err:
        raise Unavailable("httpx is not installed") from err
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = ctx.workdir / "logs" / "serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [*kgwiki_command(), "serve", str(ctx.vault), "--port", str(port), "--no-watch",
           "--no-access-log", "-q", *ctx.serve_args]  # fmt: skip
    with log.open("wb") as sink:
        proc = subprocess.Popen(profiled(cmd, ctx.profile), stdout=sink, stderr=subprocess.STDOUT)
        try:
            return asyncio.run(_serve_run(ctx, base, proc, log))
        finally:
            _stop(proc)


async def _wait_warm(base: str, timeout: float) -> float | None:
    """Seconds until the server has drawn its note pages ahead (None: no warmer, or too slow)."""
    import httpx

    start = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=5.0) as client:
        while time.perf_counter() - start < timeout:
            warm = (await client.get("/ready")).json().get("warm", {})
            if not warm.get("enabled"):
                return None
            if warm.get("done"):
                return time.perf_counter() - start
            await asyncio.sleep(0.5)
    return None


async def _serve_run(ctx: StageContext, base: str, proc: subprocess.Popen[bytes], log: Path
                     ) -> StageOutput:  # fmt: skip
    """Three passes: one client on fresh pages, 50 clients right after start (cold cache),
    and 50 clients once the server has drawn its pages ahead (steady state, the target)."""
    ready_s = await _wait_ready(base, proc, log)
    urls = await _note_urls(base)
    rng = random.Random(f"bench-serve:{ctx.seed}")
    cold_picks = [rng.choice(urls) for _ in range(ctx.requests)]
    steady_picks = [rng.choice(urls) for _ in range(ctx.requests)]
    chosen = set(cold_picks)
    alone = [u for u in urls if u not in chosen][:SINGLE_REQUESTS]
    single, _, _ = await _fetch_all(ctx, base, alone, 1) if alone else ([], {}, 0.0)
    start_cpu = _cpu_seconds(proc.pid)
    cold, cold_codes, cold_elapsed = await _fetch_all(ctx, base, cold_picks, ctx.clients)
    mid_cpu = _cpu_seconds(proc.pid)
    warm_s = await _wait_warm(base, WARM_TIMEOUT)
    before_cpu = _cpu_seconds(proc.pid)
    latencies, codes, elapsed = await _fetch_all(ctx, base, steady_picks, ctx.clients)
    end_cpu = _cpu_seconds(proc.pid)
    hwm = _vm_hwm_mib(proc.pid)
    ok = codes.get(200, 0)
    if ok == 0 or cold_codes.get(200, 0) == 0:
        raise Unavailable(f"no note page answered 200 (status counts {codes}, {cold_codes})")
    out = StageOutput(info={
        "ready_after_s": round(ready_s, 1), "requests": len(latencies), "clients": ctx.clients,
        "status": {str(k): v for k, v in sorted(codes.items())},
        "cold_status": {str(k): v for k, v in sorted(cold_codes.items())},
        "distinct_pages": len(set(steady_picks)), "note_urls": len(urls),
        "serve_args": list(ctx.serve_args), "server_vmhwm_mib": hwm,
        "http_client": ctx.http_client,
        "warm_after_ready_s": None if warm_s is None else round(warm_s, 1),
        "server_cpu_ms_per_cold_request": round((mid_cpu - start_cpu) / len(cold) * 1000, 2),
        "server_cpu_ms_per_request": round((end_cpu - before_cpu) / len(latencies) * 1000, 2),
    })  # fmt: skip
    out.add("note page p50", percentile(latencies, 50), "ms")
    out.add("note page p95", percentile(latencies, 95), "ms")
    out.add("note page p99", percentile(latencies, 99), "ms")
    out.add("throughput", len(latencies) / elapsed, "req/s")
    out.add("cold-cache p50", percentile(cold, 50), "ms")
    out.add("cold-cache p99", percentile(cold, 99), "ms")
    out.add("cold-cache throughput", len(cold) / cold_elapsed, "req/s")
    if warm_s is not None:
        out.add("pages drawn ahead", warm_s, "s")
    if single:
        out.add("one client p50", percentile(single, 50), "ms")
    if hwm is not None:
        out.add("server VmHWM", hwm, "MiB")
    if ok != len(latencies):
        out.info["errors"] = len(latencies) - ok
    return out


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far (its threads included)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGINT first (uvicorn shuts down cleanly and a profiler writes its report), then kill."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


STAGES: dict[str, Callable[[StageContext], StageOutput]] = {
    "build_ready": build_ready, "build_cold": build_cold, "build_nochange": build_nochange,
    "build_edit": build_edit, "serve": serve,
}  # fmt: skip
