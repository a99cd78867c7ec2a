"""The ``kgwiki`` command ends its process without freeing what it loaded (``main.entry``):
what it printed must still all arrive, its exit status must be the command's, and a build
must have written everything it reports."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from build_support import REPO, copy_of

from kgwiki.web.build.cache import Manifest

KGWIKI = [sys.executable, "-m", "kgwiki.cli.main"]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KGWIKI, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300, check=False)  # fmt: skip


def test_a_build_reports_and_leaves_a_whole_site(tmp_path: Path) -> None:
    vault = copy_of(REPO / "vault", tmp_path / "vault")
    done = _run("build", str(vault), "-o", str(tmp_path / "site"), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # all of it arrived: the process ended after the flush
    assert report["ok"] and report["notes"] == len(list(vault.rglob("*.md")))
    manifest = Manifest.read(tmp_path / "site")
    assert manifest.complete and len(manifest.pages) == report["pages"]
    assert all((tmp_path / "site" / page).is_file() for page in manifest.pages)
    again = _run("build", str(vault), "-o", str(tmp_path / "site"), "--json", cwd=tmp_path)
    assert json.loads(again.stdout)["mode"] == "unchanged"  # the state it kept is whole


def test_long_output_arrives_whole_and_the_status_is_the_commands(tmp_path: Path) -> None:
    vault = copy_of(REPO / "vault", tmp_path / "vault")
    listed = _run("trust", "--vault", str(vault), "--json", cwd=tmp_path)
    # Longer than stdout's buffer: the last part arrives only if it was flushed before the end.
    assert len(listed.stdout.encode()) > io.DEFAULT_BUFFER_SIZE
    assert json.loads(listed.stdout)
    missing = _run("search", "kafka", "--vault", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert missing.returncode != 0 and "nowhere" in missing.stderr


def test_a_reader_that_stops_early_is_no_error(tmp_path: Path) -> None:
    vault = copy_of(REPO / "vault", tmp_path / "vault")
    command = [*KGWIKI, "trust", "--vault", str(vault), "--json"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          cwd=tmp_path) as proc:  # fmt: skip
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # like `| head -c 10`
        errors = proc.stderr.read().decode()
        status = proc.wait(timeout=300)
    assert "Traceback" not in errors and "Exception ignored" not in errors
    assert status == 0
