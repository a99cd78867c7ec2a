"""The graph view's layout, computed on another core while the build draws the site pages.

A layout is a pure function of the note graph's edges (``graph_layout``), recomputed when
they change: after an edit to a link it is about 1.5 s of numerical work at 10,000 notes,
and nothing but ``data/graph.js`` waits for it. So a build forks a process right after the
site is loaded that computes it and leaves it where every layout is kept between runs
(``<vault>/.kgwiki/layout.pickle``, written atomically); when the build reaches the data
files it waits for that process, and ``KnowledgeGraph.layout()`` reads the file.

Nothing depends on the process succeeding: if it fails, is not started (one job, no
``fork``, one core) or cannot write the cache folder, ``layout()`` computes the layout in
the build's own process exactly as before, and the positions are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.process import BaseProcess

from kgwiki.site import Site

# Longer than any layout takes; past it the build stops waiting and lays out itself.
_WAIT_SECONDS = 600.0


def start_layout(site: Site, jobs: int | None) -> BaseProcess | None:
    """A forked process laying out ``site``'s graph into the layout cache, or None when the
    build should not start one (one job asked for, one core, no ``fork``, no cache folder)."""
    cores = jobs or os.cpu_count() or 1
    if cores < 2 or site.graph.cache_dir is None:
        return None
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    process = multiprocessing.get_context("fork").Process(
        target=_lay_out, args=(site,), name="kgwiki-layout", daemon=True
    )
    process.start()
    return process


def wait_for(process: BaseProcess | None) -> None:
    """Let the layout process finish (its file is then there to read); never raises."""
    if process is None:
        return
    process.join(_WAIT_SECONDS)
    if process.is_alive():
        process.terminate()
        process.join()


def _lay_out(site: Site) -> None:
    site.graph.layout()  # writes the layout cache as a side effect
