"""`kgwiki serve` as a process: start-up lines, readiness, one or two workers, clean stop."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser_support import free_port

from kgwiki.cli.main import build_parser


def test_serve_options_parse() -> None:
    args = build_parser().parse_args(["serve", "some/vault", "--port", "9001", "--workers", "2",
                                      "--no-watch", "--token", "x", "--max-inflight", "8"])
    got = (args.vault_pos, args.port, args.workers, args.no_watch, args.token, args.max_inflight)
    assert got == ("some/vault", 9001, 2, True, "x", 8)
    assert args.host == "127.0.0.1"


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def _serve(vault: Path, log: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kgwiki.cli.main", "serve", str(vault), "--port", str(port),
             *extra],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    for _ in range(900):  # bounded wait for start-up (loading builds the index)
        if process.poll() is not None:
            pytest.fail(log.read_text(errors="replace"))
        try:
            if _get(base + "ready")[0] == 200:
                return process, base
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"never ready: {log.read_text(errors='replace')}")


def _stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail("kgwiki serve did not stop on SIGINT")


@pytest.fixture()
def vault(tmp_path: Path, bundled_vault_dir: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    return root


def test_one_worker_prints_its_token_serves_and_stops(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KGWIKI_TOKEN", "from-the-environment")
    log = tmp_path / "serve.log"
    process, base = _serve(vault, log)
    try:
        status, body = _get(base + "n/index/")
        assert status == 200
        assert b'data-mode="live"' in body
        assert json.loads(_get(base + "ready")[1])["role"] == "writer"
    finally:
        code = _stop(process)
    printed = log.read_text(errors="replace")
    assert f"serving {vault}" in printed
    assert "write token from-the-environment" in printed
    assert f"{base}?token=from-the-environment" in printed
    assert '"route": "/n/{rest:path}"' in printed, "one JSON access line per request"
    assert code == 0


def test_ctrl_c_with_a_page_open_stops_at_once(vault: Path, tmp_path: Path) -> None:
    """An open page's live-reload stream must not hold the server up on Ctrl-C."""
    import socket

    log = tmp_path / "serve.log"
    process, base = _serve(vault, log, "--no-warm")
    port = int(base.rsplit(":", 1)[1].strip("/"))
    stream = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        stream.sendall(b"GET /api/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        received = b""
        while b"event: hello" not in received and len(received) < 65536:
            received += stream.recv(4096)
        assert b"event: hello" in received, "the stream is open"
        code = _stop(process)
    finally:
        stream.close()
    printed = log.read_text(errors="replace")
    assert code == 0
    # the open event stream did not hold the shutdown until uvicorn's graceful timeout
    assert "Traceback" not in printed and "timeout graceful shutdown exceeded" not in printed


def test_two_workers_share_the_vault_one_writes(vault: Path, tmp_path: Path) -> None:
    process, base = _serve(vault, tmp_path / "serve.log", "--workers", "2", "--token", "t")
    try:
        roles: set[str] = set()
        for _ in range(200):  # connections land on either worker: ask until both answered
            status, body = _get(base + "ready")
            if status == 200:
                roles.add(json.loads(body)["role"])
            if roles == {"writer", "reader"}:
                break
            time.sleep(0.05)
        assert roles == {"writer", "reader"}
        (vault / "Two Workers.md").write_text("# Two Workers\n\nnumbat 주머니개미핥기\n", "utf-8")
        seen = 0
        for _ in range(400):  # every worker takes the file in: ask until ten answers in a row
            hits = json.loads(_get(base + "api/search?q=numbat")[1])["hits"]
            seen = seen + 1 if [h["path"] for h in hits] == ["Two Workers.md"] else 0
            if seen == 10:
                break
            time.sleep(0.05)
        assert seen == 10
    finally:
        _stop(process)
