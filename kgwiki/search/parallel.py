"""whoosh's multiprocessing writer, with workers that do not outlive their parent.

whoosh forks its sub-writers after the parent has taken the index's ``flock``, so each child
holds the lock's file descriptor too. If the parent is killed (``kill -9``, an OOM kill), the
children wait on their job queue forever and the index stays locked. Each worker here watches
its parent and exits as soon as it is gone.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from whoosh.multiproc import MpWriter, SubWriterTask

_WATCH_INTERVAL = 0.5


def _exit_when_orphaned(parent: int) -> None:
    while True:
        time.sleep(_WATCH_INTERVAL)
        if os.getppid() != parent:
            os._exit(1)  # no clean-up: the parent's commit never happened, so nothing to keep


class _Worker(SubWriterTask):  # type: ignore[misc]  # whoosh is untyped
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent = os.getpid()

    def run(self) -> None:
        watcher = threading.Thread(target=_exit_when_orphaned, args=(self.parent,), daemon=True)
        watcher.start()
        super().run()


class ParallelWriter(MpWriter):  # type: ignore[misc]  # whoosh is untyped
    """``MpWriter`` whose sub-writers are :class:`_Worker` processes."""

    def _new_task(self) -> Any:
        task = _Worker(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                       self.subargs, self.multisegment)  # fmt: skip
        self.tasks.append(task)
        task.start()
        return task
