"""``kgwiki serve`` and its port: checked before anything is printed, ``--port auto``."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgwiki.cli.cmd_serve import choose_port, port_taken
from kgwiki.cli.common import CommandError
from kgwiki.cli.main import build_parser, main


@contextlib.contextmanager
def listening(port: int = 0) -> Iterator[int]:
    """A socket listening on 127.0.0.1 (``port`` 0: any free one); yields its port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        yield int(sock.getsockname()[1])


@pytest.fixture()
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    root.mkdir()
    (root / "hello.md").write_text("# Hello\n\nA note.\n", encoding="utf-8")
    return root


def test_a_taken_port_is_named_before_anything_is_printed(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with listening() as port:
        status = main(["serve", str(vault), "--port", str(port), "--token", "secret-token"])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == "", "no 'serving', no token, no login link"
    assert f"port {port} on 127.0.0.1 is already in use" in err
    assert "--port " in err and "--port auto" in err
    assert "secret-token" not in err
    assert not (vault / ".kgwiki").exists(), "the vault was not even loaded"


def test_the_suggested_port_is_free(vault: Path) -> None:
    with listening() as port:
        with pytest.raises(CommandError) as caught:
            choose_port("127.0.0.1", port)
        suggested = int(str(caught.value).split("--port ")[1].split()[0])
        assert suggested > port
        assert port_taken("127.0.0.1", suggested) is None


def test_port_auto_parses_and_skips_taken_ports() -> None:
    assert build_parser().parse_args(["serve", "--port", "auto"]).port is None
    assert build_parser().parse_args(["serve", "--port", "8123"]).port == 8123
    first = choose_port("127.0.0.1", None)
    assert port_taken("127.0.0.1", first) is None
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(listening(first))
        except OSError:
            pytest.skip("another process took the port meanwhile")
        assert choose_port("127.0.0.1", None) > first


def test_bad_ports_are_refused_by_the_parser(capsys: pytest.CaptureFixture[str]) -> None:
    for bad in ("0", "70000", "eighty"):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["serve", "--port", bad])
    assert "--port" in capsys.readouterr().err


def test_serve_port_auto_serves_on_the_port_it_prints(vault: Path, tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kgwiki.cli.main", "serve", str(vault), "--port", "auto",
             "--no-watch", "-q"],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        url = ""
        for _ in range(300):
            text = log.read_text(errors="replace")
            if not url and "serving" in text:
                url = text.split(" at ", 1)[1].split()[0]
            if url:
                try:
                    with urllib.request.urlopen(url + "ready", timeout=2) as response:
                        assert response.status == 200
                        break
                except OSError:
                    pass
            assert process.poll() is None, text
            time.sleep(0.1)
        else:
            pytest.fail(f"never ready: {log.read_text(errors='replace')}")
        assert url.startswith("http://127.0.0.1:")
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
