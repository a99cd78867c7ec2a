"""The library stages of the benchmark: parse, load, graph, search index, queries, duplicates.

Each runs in its own process (``bench.py --_stage NAME``) so its peak memory is its own; kgwiki
modules are imported inside the stage, so a module that is not written yet makes only that
stage "unavailable".
"""

from __future__ import annotations

import contextlib
import random
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bench_common import (
    StageContext,
    StageOutput,
    Unavailable,
    edited,
    latencies,
    percentile,
    sample_notes,
)

if TYPE_CHECKING:
    from kgwiki.vault import Vault

# ~30 queries of the kinds people type: Korean words (bigram-analysed, found inside longer
# words), English words, phrases, filters, boolean and prefix queries.
QUERIES: dict[str, tuple[str, ...]] = {
    "korean": ("아키텍처", "데이터베이스", "캐시", "트랜잭션", "모니터링", "분산", "복제", "장애",
               "확장성", "검색"),
    "english": ("Kafka", "Kubernetes", "latency", "idempotency", "Redis", "observability",
                "sharding", "backpressure"),
    "phrase": ('"circuit breaker"', '"eventual consistency"', '"exponential backoff"',
               '"service mesh"', '"설계하고 구성하는"'),
    "filter": ("tag:architecture 캐시", "trust:A Kafka", "trust:>=B 아키텍처",
               "status:verified latency", "category:10_Wiki Redis", "path:20_Projects 배포"),
    "boolean": ("Kafka OR RabbitMQ", "캐시 -Redis", "Kube*"),
}  # fmt: skip
QUERY_ROUNDS = 3
GRAPH_PAIRS = 200
EDITS = 5


@contextlib.contextmanager
def profiling(ctx: StageContext) -> Iterator[None]:
    """Profile the block with pyinstrument (wall clock) when the run asked for profiles."""
    if ctx.profile is None:
        yield
        return
    try:
        from pyinstrument import Profiler
    except ImportError as err:
        raise Unavailable("--profile needs pyinstrument (pip install pyinstrument)") from err
    profiler = Profiler()
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        ctx.profile.parent.mkdir(parents=True, exist_ok=True)
        ctx.profile.write_text(profiler.output_text(unicode=True, show_all=False),
                               encoding="utf-8")  # fmt: skip


def _load(ctx: StageContext, *, use_cache: bool = True) -> Vault:
    from kgwiki.vault import Vault

    return Vault.load(ctx.vault, use_cache=use_cache)


def _vault_mb(vault: Vault) -> float:
    return sum(note.size for note in vault.notes.values()) / 1e6


def prime(ctx: StageContext) -> StageOutput:
    """Fill the parse cache, so "warm" stages start from it (setup; not reported)."""
    vault = _load(ctx)
    return StageOutput(info={"notes": len(vault.notes)})


def parse_cold(ctx: StageContext) -> StageOutput:
    from kgwiki.vault import Vault

    start = time.perf_counter()
    with profiling(ctx):
        vault = Vault.load(ctx.vault, use_cache=False)
    seconds = time.perf_counter() - start
    out = StageOutput(info={"notes": len(vault.notes), "mb": round(_vault_mb(vault), 1)})
    out.add("parse, cache off", seconds, "s")
    out.add("throughput", _vault_mb(vault) / seconds, "MB/s")
    return out


def load_warm(ctx: StageContext) -> StageOutput:
    start = time.perf_counter()
    with profiling(ctx):
        vault = _load(ctx)
    out = StageOutput(info={"notes": len(vault.notes)})
    out.add("load, parse cache", time.perf_counter() - start, "s")
    return out


def graph_build(ctx: StageContext) -> StageOutput:
    from kgwiki.graph import KnowledgeGraph

    vault = _load(ctx)
    start = time.perf_counter()
    with profiling(ctx):
        kg = KnowledgeGraph.build(vault)
    out = StageOutput(info={"nodes": kg.graph.number_of_nodes(),
                            "edges": kg.graph.number_of_edges()})  # fmt: skip
    out.add("build", time.perf_counter() - start, "s")
    return out


def graph_queries(ctx: StageContext) -> StageOutput:
    from kgwiki.graph import KnowledgeGraph

    vault = _load(ctx)
    kg = KnowledgeGraph.build(vault)
    paths = sorted(vault.notes)
    if len(paths) < 2:
        raise Unavailable("needs two notes")
    rng = random.Random(f"bench-graph:{ctx.seed}")
    pairs = [tuple(rng.sample(paths, 2)) for _ in range(GRAPH_PAIRS)]
    kg.neighbours(pairs[0][0], depth=2)  # first calls fill lazily built views
    kg.shortest_path(pairs[0][0], pairs[0][1])
    near: list[float] = []
    route: list[float] = []
    sizes: list[int] = []
    found = 0
    with profiling(ctx):
        for a, b in pairs:
            start = time.perf_counter()
            hood = kg.neighbours(a, depth=2)
            mid = time.perf_counter()
            hops = kg.shortest_path(a, b)
            end = time.perf_counter()
            near.append((mid - start) * 1000)
            route.append((end - mid) * 1000)
            sizes.append(len(hood.nodes))
            found += hops is not None
    out = StageOutput(info={"pairs": len(pairs), "paths_found": found,
                            "neighbourhood_nodes_median": statistics.median(sizes)})  # fmt: skip
    out.add("neighbours d2 p50", percentile(near, 50), "ms")
    out.add("neighbours d2 p95", percentile(near, 95), "ms")
    out.add("shortest path p50", percentile(route, 50), "ms")
    out.add("shortest path p95", percentile(route, 95), "ms")
    return out


def _index_dir(ctx: StageContext) -> Path:
    return ctx.workdir / "index"


def index_cold(ctx: StageContext) -> StageOutput:
    from kgwiki.search import SearchIndex

    vault = _load(ctx)
    folder = _index_dir(ctx)
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    with profiling(ctx):
        index = SearchIndex.open(vault, folder)
        index.update(vault, rebuild=True)
    seconds = time.perf_counter() - start
    out = StageOutput(info={"documents": len(index)})
    index.close()
    out.add("cold index", seconds, "s")
    out.add("throughput", _vault_mb(vault) / seconds, "MB/s")
    return out


def index_ready(ctx: StageContext) -> StageOutput:
    """Setup for the incremental and query stages: an index that is up to date."""
    from kgwiki.search import SearchIndex

    vault = _load(ctx)
    with SearchIndex.open(vault, _index_dir(ctx)) as index:
        done = index.update(vault)
        return StageOutput(info={"documents": len(index), "changed": bool(done)})


def index_update(ctx: StageContext) -> StageOutput:
    from kgwiki.search import SearchIndex

    vault = _load(ctx)
    index = SearchIndex.open(vault, _index_dir(ctx))
    start = time.perf_counter()
    index.update(vault)
    unchanged = time.perf_counter() - start
    totals: list[float] = []
    refresh: list[float] = []
    for k, note in enumerate(sample_notes(ctx.vault, EDITS, ctx.seed)):
        rel = note.relative_to(ctx.vault).as_posix()
        with edited(note, f"index-{k}"):
            start = time.perf_counter()
            with profiling(ctx) if k == 0 else contextlib.nullcontext():
                vault.refresh_file(rel)
                mid = time.perf_counter()
                done = index.update(vault)
            totals.append((time.perf_counter() - start) * 1000)
            refresh.append((mid - start) * 1000)
            if not done.changed:
                raise Unavailable(f"update after editing {rel} changed nothing")
        vault.refresh_file(rel)
        index.update(vault)
    index.close()
    out = StageOutput(info={"edits": len(totals), "refresh_file_ms": [round(t, 1) for t in refresh],
                            "no_change_update_ms": round(unchanged * 1000, 1)})  # fmt: skip
    out.add("one note median", statistics.median(totals), "ms")
    out.add("one note max", max(totals), "ms")
    return out


def query(ctx: StageContext) -> StageOutput:
    """Query latency by kind: the fixed list and queries drawn from the vault (bench_queries).

    Each timed search is a first search (a query and limit not asked before on this index),
    so the results cache never answers it; one more round repeats them, as a warm server sees
    a query typed again, and is reported as ``repeat p95``.
    """
    from bench_queries import draw_queries

    from kgwiki.search import SearchIndex

    vault = _load(ctx)
    index = SearchIndex.open(vault, _index_dir(ctx))
    kinds: dict[str, list[str]] = {kind: list(group) for kind, group in QUERIES.items()}
    for kind, group in draw_queries(vault, ctx.seed).items():
        kinds.setdefault(kind, []).extend(q for q in group if q not in kinds.get(kind, []))
    every = [(kind, q) for kind, group in kinds.items() for q in group]
    empty = [q for _, q in every if not index.search(q, limit=5).hits]  # warm-up, untimed
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    with profiling(ctx):
        for limit in range(20, 20 + QUERY_ROUNDS):  # a new limit: never a cached answer
            for kind, q in every:
                start = time.perf_counter()
                results = index.search(q, limit=limit)
                times[kind].append((time.perf_counter() - start) * 1000)
                if results.error:
                    raise Unavailable(f"query {q!r} failed: {results.error}")
    repeat = []
    for _kind, q in every:
        start = time.perf_counter()
        index.search(q, limit=20)
        repeat.append((time.perf_counter() - start) * 1000)
    index.close()
    out = latencies(times, {"queries": len(every), "rounds": QUERY_ROUNDS, "no_hits": empty,
                            "asked": kinds})
    out.add("repeat p95", percentile(repeat, 95), "ms")
    return out


def dupes(ctx: StageContext) -> StageOutput:
    import json

    from kgwiki.duplicates import DuplicateDetector, find_duplicates

    vault = _load(ctx)
    start = time.perf_counter()
    with profiling(ctx):
        detector = DuplicateDetector(vault, use_cache=False)
        sketched = time.perf_counter()
        pairs = find_duplicates(vault, detector=detector)
    end = time.perf_counter()
    kinds: dict[str, int] = {}
    for pair in pairs:
        kinds[pair.kind] = kinds.get(pair.kind, 0) + 1
    info: dict[str, object] = {"pairs": kinds, "sketch_s": round(sketched - start, 2)}
    manifest = ctx.vault / ".kgwiki-planted-duplicates.json"
    if manifest.is_file():
        planted = json.loads(manifest.read_text(encoding="utf-8"))["duplicates"]
        found = {frozenset((p.a, p.b)) for p in pairs}
        hit = sum(frozenset((d["original"], d["duplicate"])) in found for d in planted)
        info["planted_found"] = f"{hit}/{len(planted)}"
    out = StageOutput(info=info)
    out.add("full scan, no cache", end - start, "s")
    return out


STAGES: dict[str, Callable[[StageContext], StageOutput]] = {
    "prime": prime, "index_ready": index_ready,
    "parse_cold": parse_cold, "load_warm": load_warm, "graph_build": graph_build,
    "graph_queries": graph_queries, "index_cold": index_cold, "index_update": index_update,
    "query": query, "dupes": dupes,
}  # fmt: skip
