"""What every benchmark stage shares: result records, targets, percentiles, measured subprocesses.

A stage returns a :class:`StageOutput` (figures plus free-form info); the orchestrator in
``bench.py`` adds the stage's peak memory and the load average and writes it all to JSON.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
REPO = SCRIPTS.parent
KIB = 1024
MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Target:
    """A limit from DESIGN.md ("Performance targets"), stated for the 10k-note vault."""

    limit: float
    text: str


# (stage, figure) -> target. Targets hold for vaults up to 10k notes; bigger ones are not judged.
TARGETS: dict[tuple[str, str], Target] = {
    ("graph_build", "build"): Target(2.0, "≤ 2 s"),
    ("graph_queries", "neighbours d2 p95"): Target(10.0, "≤ 10 ms"),
    ("graph_queries", "shortest path p95"): Target(10.0, "≤ 10 ms"),
    ("index_cold", "cold index"): Target(30.0, "≤ 30 s"),
    ("index_update", "one note median"): Target(200.0, "≤ 200 ms"),
    ("query", "p95"): Target(50.0, "≤ 50 ms"),
    ("build_cold", "cold build"): Target(15.0, "≤ 15 s"),
    ("build_nochange", "no-change build"): Target(2.0, "≤ 2 s"),
    ("build_edit", "one-note build"): Target(1.0, "≤ 1 s"),
    ("build_edit", "one-note build, prose edit"): Target(1.0, "≤ 1 s"),
    ("serve", "note page p99"): Target(50.0, "≤ 50 ms"),
    ("serve", "server VmHWM"): Target(1024.0, "≤ 1 GiB"),
}
TARGET_MAX_NOTES = 10_000

# Reference figures quoted by DESIGN.md, shown beside the peers' rows (not targets).
REFERENCES: dict[tuple[str, str], str] = {
    ("hugo", "cold build"): "DESIGN: ≈20 s, 1.9 GB at 10k",
    ("mkdocs", "cold build"): "DESIGN: 31 s at 1k, 105 s at 2k",
}
MKDOCS_DESIGN_1K = 31.0


@dataclass(slots=True)
class Metric:
    name: str
    value: float
    unit: str

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "value": round(self.value, 4), "unit": self.unit}


@dataclass(slots=True)
class StageOutput:
    metrics: list[Metric] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, value: float, unit: str) -> None:
        self.metrics.append(Metric(name, value, unit))


class Unavailable(Exception):
    """The stage cannot run here (a missing module, tool or endpoint); the message says why."""


@dataclass(frozen=True, slots=True)
class StageContext:
    """What a stage process is told on its command line."""

    name: str
    vault: Path
    notes: int
    workdir: Path  # per-size scratch folder (sites, indexes, peer copies)
    seed: int
    requests: int
    clients: int
    profile: Path | None  # write a profile of the stage here (text), not figures to trust
    serve_args: tuple[str, ...] = ()  # extra options for kgwiki serve
    http_client: str = "raw"  # the load generator: "raw" (asyncio streams) or "httpx"


def show_value(value: float, unit: str) -> str:
    """A figure as the tables show it: three significant places for times, then the unit."""
    if unit in ("s", "ms"):
        text = f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 10 else f"{value:.1f}"
        return f"{text} {unit}"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0–100) with linear interpolation between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100.0
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latencies(times: dict[str, list[float]], info: dict[str, object]) -> StageOutput:
    """A query stage's output: p50/p95/max over every time (ms), and the same by kind in info."""
    flat = [t for group in times.values() for t in group]
    out = StageOutput(info={**info, "by_kind_ms": {
        k: {"p50": round(percentile(v, 50), 1), "p95": round(percentile(v, 95), 1),
            "max": round(max(v), 1)} for k, v in times.items()}})  # fmt: skip
    out.add("p50", percentile(flat, 50), "ms")
    out.add("p95", percentile(flat, 95), "ms")
    out.add("max", max(flat), "ms")
    return out


@dataclass(frozen=True, slots=True)
class Ran:
    """A finished child process: wall and CPU seconds, exit code, peak RSS of its process tree.

    CPU seconds (user + system, the process and the children it waited for) are what the
    machine's other users cannot inflate much; wall seconds are what a user waits.
    """

    seconds: float
    cpu_seconds: float
    code: int
    peak_mib: float
    timed_out: bool

    @property
    def ok(self) -> bool:
        return self.code == 0 and not self.timed_out


def run_measured(
    cmd: Sequence[str],
    *,
    timeout: float,
    log: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    on_start: Callable[[int], object] | None = None,
) -> Ran:
    """Run ``cmd`` to the end, with stdout+stderr in ``log``, and measure it.

    ``on_start`` is called with the child's pid once it runs (to watch it while it does).

    ``os.wait4`` gives the peak RSS of this one child (the largest of it and the children it
    waited for), where ``getrusage(RUSAGE_CHILDREN)`` would keep the maximum over every child
    this process ever had, so a big stage would mask all later ones.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)
        fired = threading.Event()
        if on_start is not None:
            on_start(proc.pid)

        def kill() -> None:
            fired.set()
            with contextlib.suppress(ProcessLookupError):
                proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Ran(seconds, cpu, proc.returncode, usage.ru_maxrss * KIB / MIB, fired.is_set())


def log_tail(log: Path, lines: int = 6) -> str:
    """The last lines of a log, on one line, for an "unavailable: …" reason."""
    try:
        text = log.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    kept = [line.strip() for line in text.splitlines() if line.strip()][-lines:]
    return " | ".join(kept)[-400:]


def kgwiki_command() -> list[str]:
    """How to run the ``kgwiki`` CLI with this interpreter."""
    return [sys.executable, "-m", "kgwiki.cli.main"]


def venv_tool(name: str) -> str | None:
    """A console script installed beside this interpreter (the venv's), else one on PATH."""
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    return shutil.which(name)


def profiled(cmd: Sequence[str], profile: Path | None) -> list[str]:
    """``cmd`` (a ``python -m module …`` command) run under pyinstrument when profiling."""
    if profile is None:
        return list(cmd)
    if cmd[:2] != [sys.executable, "-m"]:
        raise ValueError("only python -m commands can be profiled")
    profile.parent.mkdir(parents=True, exist_ok=True)
    return [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", str(profile), *cmd[1:]]


@contextlib.contextmanager
def edited(note: Path, stamp: str, inside: bool = False) -> Iterator[None]:
    """Add a sentence to a note; put the original bytes back afterwards.

    The sentence ends the note (a paragraph of its own), or with ``inside`` ends the first
    line of prose of its body (no new line, so every link keeps its line).
    """
    original = note.read_bytes()
    sentence = f"Benchmark edit {stamp}: 벤치마크 편집 문장 — one more sentence."
    if inside:
        note.write_bytes(_inside(original.decode("utf-8"), sentence).encode())
    else:
        note.write_bytes(original.rstrip(b"\n") + f"\n\n{sentence}\n".encode())
    try:
        yield
    finally:
        note.write_bytes(original)


def _inside(text: str, sentence: str) -> str:
    """``text`` with ``sentence`` after its first line of prose past the frontmatter (a
    paragraph, list item or quote line without links, outside code)."""
    lines = text.split("\n")
    start = lines.index("---", 1) + 1 if lines and lines[0] == "---" and "---" in lines[1:] else 0
    fenced = False
    for i in range(start, len(lines)):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        bare = line.lstrip("->*0123456789. ")
        if not fenced and bare[:1].isalnum() and "[[" not in line and "|" not in line:
            lines[i] = f"{line} {sentence}"
            return "\n".join(lines)
    raise Unavailable("no line of prose to edit")


_LINK = re.compile(r"(?<!!)\[\[([^\]|#\n]+)")


@contextlib.contextmanager
def relinked(note: Path, target: str) -> Iterator[str]:
    """Point the note's first wiki-link (past the frontmatter, outside code) at ``target``, a
    shape edit: the note's links change, so a build cannot patch its page alone. Yields the
    old target; puts the original bytes back afterwards."""
    original = note.read_bytes()
    lines = original.decode("utf-8").split("\n")
    start = lines.index("---", 1) + 1 if lines and lines[0] == "---" and "---" in lines[1:] else 0
    fenced = False
    old = None
    for i in range(start, len(lines)):
        line = lines[i]
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        for found in [] if fenced else _LINK.finditer(line):
            if found.group(1).strip().casefold() != target.casefold() and (
                line[: found.start()].count("`") % 2 == 0
            ):
                old = found.group(1)
                lines[i] = line[: found.start(1)] + target + line[found.end(1) :]
                break
        if old is not None:
            break
    if old is None:
        raise Unavailable(f"{note.name}: no wiki-link to point elsewhere")
    note.write_bytes("\n".join(lines).encode())
    try:
        yield old
    finally:
        note.write_bytes(original)


def sample_notes(vault: Path, count: int, seed: int) -> list[Path]:
    """``count`` notes of the vault, the same ones every run (by seed)."""
    import random

    notes = sorted(p for p in vault.rglob("*.md") if not _hidden(p.relative_to(vault)))
    if not notes:
        raise Unavailable(f"{vault}: no notes")
    rng = random.Random(f"bench-edit:{seed}")
    return rng.sample(notes, min(count, len(notes)))


def _hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def load_now() -> float:
    return os.getloadavg()[0]
