"""``kill -9`` an indexer half-way: the index still opens and answers with the old state,
its lock is free again (worker processes do not outlive their parent), and the next update
completes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kgwiki.search import SearchIndex
from kgwiki.search.writer import PARALLEL_THRESHOLD
from kgwiki.vault import Vault

# The indexer, run in a child process; the hooks only slow it down or stall it, so the test
# can kill it at a known point: while documents are being added (workers running), or inside
# the commit after the segment files are written but before the table of contents is.
_INDEXER = r"""
import sys, time
from pathlib import Path
import whoosh.index
from kgwiki.search import writer as search_index
from kgwiki.search import SearchIndex
from kgwiki.vault import Vault

root, folder, moment = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
if moment == "adding":
    real, seen = search_index.note_document, [0]
    def slow(note):
        seen[0] += 1
        if seen[0] == 200:
            print("HALFWAY", flush=True)
        if seen[0] >= 200:
            time.sleep(0.02)
        return real(note)
    search_index.note_document = slow
else:
    def stalled(toc, storage, indexname):
        print("HALFWAY", flush=True)
        time.sleep(120)
    whoosh.index.TOC.write = stalled
vault = Vault.load(root, use_cache=False)
index = SearchIndex.open(vault, folder)
index.update(vault)
print("DONE", flush=True)
"""

NOTES = PARALLEL_THRESHOLD + 100  # enough for the two-process writer


def _write_vault(root: Path, marker: str, count: int) -> None:
    for i in range(count):
        folder = root / f"{i % 7:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"note-{i:04d}.md").write_text(
            f"---\ntitle: Note {i}\nsource_trust_level: B\n---\n# Note {i}\n\n"
            f"{marker} 상태의 노트 {i}. 서버 아키텍처와 캐시 일관성을 다룬다. "
            f"Queues decouple producers from consumers; retries need backoff.\n",
            encoding="utf-8",
        )


def _segment_files_not_in_toc(folder: Path) -> list[Path]:
    from whoosh import index as whoosh_index

    segments = whoosh_index.open_dir(str(folder), indexname="MAIN")._segments()
    live = {segment.segment_id() for segment in segments}
    return [p for p in folder.glob("MAIN_*.*") if p.name.split(".")[0] not in live]


def _group_gone(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["adding", "committing"])
def test_killed_indexer_leaves_the_old_state(tmp_path: Path, moment: str) -> None:
    root, folder = tmp_path / "vault", tmp_path / "index"
    _write_vault(root, "oldstate", NOTES)
    with SearchIndex.open(Vault.load(root, use_cache=False), folder) as index:
        index.update()
        assert index.search("oldstate").total == NOTES
    _write_vault(root, "newstate", NOTES + 40)  # every note changed, 40 added

    child = subprocess.Popen(
        [sys.executable, "-c", _INDEXER, str(root), str(folder), moment],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "HALFWAY"
        time.sleep(0.5)  # let the workers (or the commit) write some files
        if moment == "committing":
            assert _segment_files_not_in_toc(folder), "the writer had written no segment yet"
        os.kill(child.pid, signal.SIGKILL)  # the parent only: its workers must notice
        child.wait(timeout=30)
        deadline = time.monotonic() + 15
        while not _group_gone(child.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _group_gone(child.pid), "worker processes outlived the killed indexer"
    finally:
        if not _group_gone(child.pid):
            os.killpg(child.pid, signal.SIGKILL)
        if child.stdout is not None:
            child.stdout.close()

    vault = Vault.load(root, use_cache=False)
    with SearchIndex.open(vault, folder, timeout=10) as index:
        assert index.search("oldstate").total == NOTES  # the old state, whole
        assert index.search("newstate").total == 0
        done = index.update(vault)  # the lock is free and the leftovers do not get in the way
        assert len(done.changed) == NOTES and len(done.added) == 40
        assert index.search("newstate").total == NOTES + 40
        assert index.search("oldstate").total == 0
    assert not list(folder.glob("*.tmp")), "the killed writer's temp folder was not cleaned"
