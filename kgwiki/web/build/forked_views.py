"""The site-wide views that read every note's links, computed in a forked process while the
build draws the pages that do not need them.

After a one-link edit at 10,000 notes a build spends about 2.5 s of one core on views that
read every link of every note: resolving them all, the near-duplicate pairs (with the
shingles common to many notes, which the next local build probes against) and the lint
report. Only the plan's map of embeds, the lint and duplicates pages and the build's record
read them. So right after the site is loaded, a forked process computes them and sends them
back, first the embed map (the plan wants it before the note pages), then the rest; the
build meanwhile draws the home, tag and folder pages, then the note pages, and takes each
answer (``Site.adopt``) as if it had computed it: the process is a copy of the same state.

Nothing depends on it. Not started (one job, one core, no ``fork``), failed or gone, the
build computes each view in its own process when it first asks for it, with the same result.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from typing import TYPE_CHECKING, Any

from kgwiki.site import Site

if TYPE_CHECKING:
    from kgwiki.duplicates import Hashes

EARLY = ("embedders",)  # what the plan reads before the note pages
LATE = ("near", "diagnostics")  # the duplicates and lint pages, the build's record
# Longer than the views take at any size; past it the build stops waiting and computes them.
_WAIT_SECONDS = 600.0
_POLL_SECONDS = 0.25


@dataclass(slots=True)
class ForkedViews:
    """A process computing views of ``site`` as it was at ``version``; answers in order."""

    process: BaseProcess
    answers: Queue[Any]
    version: int
    common: Hashes | None = None  # the shingles common to many notes, once the late views came


def start(site: Site, jobs: int | None) -> ForkedViews | None:
    """Fork the process, or None when the build should compute the views itself."""
    if (jobs or os.cpu_count() or 1) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    answers: Queue[Any] = context.Queue()
    process = context.Process(target=_compute, args=(site, answers), name="kgwiki-views",
                              daemon=True)  # fmt: skip
    process.start()
    return ForkedViews(process, answers, site.version)


def take_early(forked: ForkedViews | None, site: Site) -> None:
    """Adopt the embed map (waiting for it), if the process sends it."""
    answer = _next(forked)
    if forked is not None and answer is not None:
        site.adopt(answer, forked.version)


def take_late(forked: ForkedViews | None, site: Site) -> None:
    """Adopt the near-duplicate pairs and the lint report (waiting for them), then let the
    process end."""
    answer = _next(forked)
    if forked is None:
        return
    if answer is not None:
        views, forked.common = answer
        site.adopt(views, forked.version)
    stop(forked)


def stop(forked: ForkedViews | None) -> None:
    """Let the process end (it has nothing left to send), or end it."""
    if forked is None:
        return
    forked.process.join(_POLL_SECONDS)
    if forked.process.is_alive():
        forked.process.terminate()
        forked.process.join()


def _next(forked: ForkedViews | None) -> Any:
    """The process's next answer; None when there is no process or it ended without one."""
    if forked is None:
        return None
    deadline = time.monotonic() + _WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            return forked.answers.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            if forked.process.is_alive():
                continue
            try:  # it may have put its answer just before it ended
                return forked.answers.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                return None
    stop(forked)
    return None


def _compute(site: Site, answers: Queue[Any]) -> None:
    try:
        site.embedders()
        answers.put(site.kept_views(EARLY))
        site.near_duplicates()
        site.diagnostics()
        common = site.dupes.common_shingles() if site.dupes is not None else None
        answers.put((site.kept_views(LATE), common))
    except Exception:  # the build computes whatever did not come
        return
    finally:
        answers.close()
