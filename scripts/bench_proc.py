"""A running process tree seen through ``/proc``: its CPU seconds and its memory, sampled.

``os.wait4`` gives the peak of the largest single process once a child ends; a build's pool
workers each have their own, and a server is still running when it is measured. These read
the whole tree while it runs (Linux only; elsewhere they report nothing).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from bench_common import MIB

SAMPLE_S = 0.1


def descendants(pid: int) -> list[int]:
    """Every live process below ``pid`` (children, their children …)."""
    found: list[int] = []
    todo = [pid]
    while todo:
        parent = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{parent}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                text = Path(f"/proc/{parent}/task/{task}/children").read_text(encoding="ascii")
            except OSError:
                continue
            kids = [int(k) for k in text.split()]
            found += kids
            todo += kids
    return found


def cpu_seconds(pid: int) -> float:
    """User + system seconds of one process and of the children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(pid: int) -> float:
    """CPU seconds of ``pid``, its finished children and its live descendants so far."""
    return cpu_seconds(pid) + sum(cpu_seconds(kid) for kid in descendants(pid))


def pss_mib(pid: int) -> float:
    """The process's proportional set size: its own pages, and its share of those it shares
    (a forked pool worker's inherited pages are not counted twice in a sum)."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            text = Path(f"/proc/{pid}/{name}").read_text(encoding="ascii")
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith(key):
                return int(line.split()[1]) * 1024 / MIB
    return 0.0


class TreePeak:
    """Samples the summed PSS of a process tree every 0.1 s until stopped; ``mib`` is the peak.

    Short peaks between samples are missed, so this is a lower bound of the tree's peak; it
    is the figure a machine's memory has to hold, where ``wait4`` gives one process's.
    """

    def __init__(self) -> None:
        self.mib = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, pid: int) -> None:
        self._thread = threading.Thread(target=self._run, args=(pid,), daemon=True)
        self._thread.start()

    def _run(self, pid: int) -> None:
        while not self._stop.is_set() and os.path.exists(f"/proc/{pid}"):
            total = pss_mib(pid) + sum(pss_mib(kid) for kid in descendants(pid))
            self.mib = max(self.mib, total)
            self._stop.wait(SAMPLE_S)

    def stop(self) -> float:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        return self.mib
