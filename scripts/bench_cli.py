"""What a user waits for at the command line and on the live server (issue 20's rows).

- ``cli_search``: ``kgwiki search QUERY --json`` as one process each, the index already built.
- ``serve_start``: ``kgwiki serve`` from the command until ``/ready`` answers 200, on a start
  that finds the caches of an earlier run (the ``serve_caches`` setup makes them).
- ``search_api``: ``/api/search`` on a warm server (ready, index open, note pages drawn ahead),
  one client, the same mixed queries as ``query``, each one first-time (a query and limit the
  server was not asked before, so its results cache never answers).
"""

from __future__ import annotations

import http.client
import json
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from bench_common import (
    StageContext,
    StageOutput,
    Unavailable,
    kgwiki_command,
    latencies,
    log_tail,
    percentile,
    run_measured,
)
from bench_proc import cpu_seconds, tree_cpu_seconds
from bench_web import _free_port, _stop

CLI_ROUNDS = 3
CLI_TIMEOUT = 120.0
READY_TIMEOUT = 600.0
WARM_TIMEOUT = 600.0
POLL_S = 0.025  # /ready polling: fine enough for a 3 s goal, cheap for the server
API_ROUNDS = 3
CHANGED = "notes changed since the index was updated"


def mixed_queries(ctx: StageContext) -> dict[str, list[str]]:
    """The ``query`` stage's queries by kind: the fixed list and those drawn from the vault."""
    from bench_queries import draw_queries
    from bench_stages import QUERIES

    from kgwiki.vault import Vault

    vault = Vault.load(ctx.vault)
    kinds: dict[str, list[str]] = {kind: list(group) for kind, group in QUERIES.items()}
    for kind, group in draw_queries(vault, ctx.seed).items():
        kinds.setdefault(kind, []).extend(q for q in group if q not in kinds.get(kind, []))
    return kinds


# -- kgwiki search, one process per query -------------------------------------------------------


def cli_search(ctx: StageContext) -> StageOutput:
    """One query of each kind, ``CLI_ROUNDS`` times each, after one untimed search that brings
    the index up to date if a note changed since (so the timed ones answer from the index)."""
    picked = {kind: group[0] for kind, group in mixed_queries(ctx).items() if group}
    index = ctx.workdir / "index"
    if not index.is_dir():
        raise Unavailable(f"no search index in {index} (the index_ready setup makes it)")
    logs = ctx.workdir / "logs"

    def search(q: str, log: Path, quiet: bool = True) -> tuple[float, float]:
        cmd = [*kgwiki_command(), "search", q, "--vault", str(ctx.vault), "--index-dir",
               str(index), "--json", *(["-q"] if quiet else [])]  # fmt: skip
        ran = run_measured(cmd, timeout=CLI_TIMEOUT, log=log)
        if not ran.ok:
            raise Unavailable(f"kgwiki search {q!r} exited {ran.code}: {log_tail(log)}")
        return ran.seconds, ran.cpu_seconds

    first_s, _ = search("benchmark warm-up", logs / "cli-search-first.log", quiet=False)
    updated = CHANGED in (logs / "cli-search-first.log").read_text(errors="replace")
    walls: list[float] = []
    cpus: list[float] = []
    by_kind: dict[str, float] = {}
    for kind, q in picked.items():
        runs = [search(q, logs / "cli-search.log") for _ in range(CLI_ROUNDS)]
        walls += [w for w, _ in runs]
        cpus += [c for _, c in runs]
        by_kind[kind] = round(statistics.median(w for w, _ in runs), 3)
    out = StageOutput(info={"queries": picked, "rounds": CLI_ROUNDS, "by_kind_s": by_kind,
                            "first_search_s": round(first_s, 2),
                            "first_search_updated_index": updated,
                            "index": str(index)})  # fmt: skip
    out.add("one process median", statistics.median(walls), "s")
    out.add("one process max", max(walls), "s")
    out.add("one process CPU median", statistics.median(cpus), "s")
    return out


# -- kgwiki serve: start, ready, stop -----------------------------------------------------------


@contextmanager
def running_server(ctx: StageContext, label: str, *extra: str
                   ) -> Iterator[tuple[subprocess.Popen[bytes], int, float]]:  # fmt: skip
    """``kgwiki serve`` on a free port until the block ends: (process, port, start time)."""
    port = _free_port()
    log = ctx.workdir / "logs" / f"{label}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [*kgwiki_command(), "serve", str(ctx.vault), "--port", str(port), "-q",
           "--no-access-log", *extra, *ctx.serve_args]  # fmt: skip
    with log.open("wb") as sink:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
        try:
            yield proc, port, start
        finally:
            _stop(proc)


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def wait_for(proc: subprocess.Popen[bytes], port: int, path: str, timeout: float,
             done: Callable[[int, bytes], bool] = lambda status, _body: status == 200
             ) -> float:  # fmt: skip
    """Poll ``path`` until ``done`` says so; the ``perf_counter`` time it did."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        while time.perf_counter() - start < timeout:
            if proc.poll() is not None:
                raise Unavailable(f"kgwiki serve exited {proc.returncode}")
            try:
                if done(*_get(conn, path)):
                    return time.perf_counter()
            except (OSError, http.client.HTTPException):
                conn.close()  # not listening yet, or the connection dropped: a new one
            time.sleep(POLL_S)
    finally:
        conn.close()
    raise Unavailable(f"{path} not answered after {timeout:.0f} s")


def _searchable(proc: subprocess.Popen[bytes], port: int) -> float:
    return wait_for(proc, port, "/api/search?" + urlencode({"q": "ready", "limit": 1}),
                    READY_TIMEOUT)  # fmt: skip


def serve_caches(ctx: StageContext) -> StageOutput:
    """Setup: a first ``kgwiki serve`` until it is ready and its search answers, so the next
    start finds the parse cache, the search index and the rest of ``.kgwiki/``."""
    with running_server(ctx, "serve-caches") as (proc, port, start):
        ready = wait_for(proc, port, "/ready", READY_TIMEOUT)
        searchable = _searchable(proc, port)
    return StageOutput(info={"first_ready_s": round(ready - start, 2),
                             "first_searchable_s": round(searchable - start, 2)})  # fmt: skip


def serve_start(ctx: StageContext) -> StageOutput:
    with running_server(ctx, "serve-start") as (proc, port, start):
        ready = wait_for(proc, port, "/ready", READY_TIMEOUT)
        cpu = tree_cpu_seconds(proc.pid)
        searchable = _searchable(proc, port)
    out = StageOutput(info={"searchable_after_s": round(searchable - start, 2),
                            "poll_s": POLL_S})  # fmt: skip
    out.add("ready, caches of an earlier run", ready - start, "s")
    out.add("ready CPU", cpu, "s")
    return out


# -- /api/search on the warm server -------------------------------------------------------------


def _warm_done(status: int, body: bytes) -> bool:
    if status != 200:
        return False
    warm = json.loads(body).get("warm", {})
    return not warm.get("enabled") or bool(warm.get("done"))


def search_api(ctx: StageContext) -> StageOutput:
    kinds = mixed_queries(ctx)  # loads the vault here, before the server starts
    every = [(kind, q) for kind, group in kinds.items() for q in group]
    with running_server(ctx, "search-api", "--no-watch") as (proc, port, start):
        wait_for(proc, port, "/ready", READY_TIMEOUT)
        _searchable(proc, port)
        warm = wait_for(proc, port, "/ready", WARM_TIMEOUT, _warm_done)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        _get(conn, "/api/search?" + urlencode({"q": "benchmark warm-up", "limit": 3}))
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        first: list[float] = []
        no_hits: set[str] = set()
        cpu_before = cpu_seconds(proc.pid)
        for limit in range(20, 20 + API_ROUNDS):  # a new limit: never a cached answer
            for kind, q in every:
                path = "/api/search?" + urlencode({"q": q, "limit": limit})
                began = time.perf_counter()
                status, body = _get(conn, path)
                ms = (time.perf_counter() - began) * 1000
                times[kind].append(ms)
                if limit == 20:
                    first.append(ms)
                answer = json.loads(body) if status == 200 else {"error": status}
                if answer.get("error"):
                    raise Unavailable(f"/api/search {q!r}: {answer['error']}")
                if not answer.get("hits"):
                    no_hits.add(q)
        server_cpu = cpu_seconds(proc.pid) - cpu_before
        conn.close()
    flat = [t for group in times.values() for t in group]
    out = latencies(times, {"queries": len(every), "rounds": API_ROUNDS,
                            "no_hits": sorted(no_hits),
                            "warm_after_start_s": round(warm - start, 1), "asked": kinds})
    out.add("first round p95", percentile(first, 95), "ms")
    out.add("server CPU per query", server_cpu / len(flat) * 1000, "ms")
    for kind, group in times.items():
        out.add(f"p95 {kind}", percentile(group, 95), "ms")
    return out


STAGES: dict[str, Callable[[StageContext], StageOutput]] = {
    "cli_search": cli_search, "serve_caches": serve_caches, "serve_start": serve_start,
    "search_api": search_api,
}  # fmt: skip
