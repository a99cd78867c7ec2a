"""A process that lays out the graph on another core, forked before the graph exists.

A layout is a pure function of the note graph's edges (``layout``), recomputed when they
change: after an edit to a link it is about 1.5 s of numerical work at 10,000 notes, and the
numerics it imports (numpy, scipy's graph and nearest-neighbour modules, the force step) are
half a second more. A build forks a worker (``LayoutWorker.fork``) before it reads the
vault, so the imports happen while the build's own process loads the vault, a second or two
in which the other core has nothing to do. Once the graph is loaded the build hands the
worker the edges to lay out (``start``: the notes, their pairs and the key, a few megabytes
in a file beside the cache, whose name goes through the pipe), or tells it to stop when the
layout cache holds them already. The worker leaves the layout where every layout is kept
between runs (``<vault>/.kgwiki/layout.pickle``, written atomically); whoever needs the
positions waits for the worker (``wait``), and ``KnowledgeGraph.layout()`` reads the file.

Nothing depends on the worker succeeding: if it fails, is not started (one job, no
``fork``, one core) or cannot write the cache folder, ``layout()`` computes the layout in
the process that asks, exactly as before, and the positions are the same either way.

numpy is imported only by the worker and by ``start``: importing this module costs nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kgwiki.graph.layout import LayoutJob

# Longer than any layout takes; past it the waiting process stops waiting and lays out itself.
_WAIT_SECONDS = 600.0


class LayoutWorker:
    """A forked process waiting for the edges to lay out, and the end of the pipe to it."""

    def __init__(self, process: BaseProcess, jobs: Connection) -> None:
        self.process = process
        self._jobs = jobs

    @classmethod
    def fork(cls, jobs: int | None) -> LayoutWorker | None:
        """Fork the worker, or None when the caller should lay out in its own process (one
        job asked for, one core, no ``fork``)."""
        cores = jobs or os.cpu_count() or 1
        if cores < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return None
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_serve, args=(receive, send), name="kgwiki-layout",
                                  daemon=True)  # fmt: skip
        process.start()
        receive.close()  # the worker's end
        return cls(process, send)

    def start(self, job: LayoutJob, cache_dir: Path | None) -> None:
        """Lay out ``job`` into ``cache_dir``'s layout cache, unless it is there already (or
        there is no cache folder: then the worker just ends).

        The job goes through a file beside the cache and the pipe carries its name: a job of
        more than the pipe's 64 kB would hold the caller until the worker, perhaps still
        importing, reads it.
        """
        from kgwiki.graph import layout

        try:
            message: tuple[str, Path] | None = None
            if cache_dir is not None:
                file = cache_dir / layout.CACHE_FILE
                if layout.stored_layout(file, job[2]) is None:
                    handle, name = tempfile.mkstemp(prefix=".layout-job-", dir=cache_dir)
                    with os.fdopen(handle, "wb") as out:
                        pickle.dump(job, out, protocol=pickle.HIGHEST_PROTOCOL)
                    message = (name, file)
            self._jobs.send(message)  # None: nothing to do, the worker ends
        except OSError:  # no cache folder to write, or the worker is gone: layout() computes
            pass
        finally:
            self._jobs.close()

    def wait(self) -> None:
        """Let the worker finish (its layout is then in the cache); never raises. A worker
        given no job reads the end of the pipe and ends."""
        self._jobs.close()
        self.process.join(_WAIT_SECONDS)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _serve(receive: Connection, send: Connection) -> None:
    from kgwiki.graph import layout

    send.close()  # the caller's end: once the caller closes its copy, a read ends
    layout.import_numerics()  # while the caller loads the vault
    try:
        message: tuple[str, Path] | None = receive.recv()
    except (EOFError, OSError):
        return
    if message is None:
        return
    name, file = message
    try:
        with open(name, "rb") as handle:
            job: LayoutJob = pickle.load(handle)
    finally:
        os.unlink(name)
    layout.compute(job, file)
