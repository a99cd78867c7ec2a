"""Shared browser-test helpers: headless Chromium through Playwright, a free port, a file server.

Debian's Chromium at /usr/bin/chromium is used as it is (never ``playwright install``). When it
or Playwright is missing the tests skip, unless ``KGWIKI_REQUIRE_BROWSER=1`` makes that a
failure (CI that must run them).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("KGWIKI_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def require_browser() -> None:
    """Skip (or fail under KGWIKI_REQUIRE_BROWSER=1) when Chromium or Playwright is missing."""
    problem = None
    if not CHROMIUM.is_file():
        problem = f"{CHROMIUM} is not installed"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem is not None:
        if os.environ.get("KGWIKI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"KGWIKI_REQUIRE_BROWSER=1 but {problem}")
        pytest.skip(problem)


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright ``Browser``), closed afterwards."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                     headless=True)  # fmt: skip
        try:
            yield browser
        finally:
            browser.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_http(url: str, timeout: float = 15.0) -> None:
    """Poll ``url`` until it answers (any status), or fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1.0):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextlib.contextmanager
def kgwiki_server(vault: Path, log: Path, *options: str) -> Iterator[str]:
    """``kgwiki serve VAULT`` on a free 127.0.0.1 port, until ``/ready`` answers 200; yields its
    base URL and stops it afterwards. What it prints goes to ``log``."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "kgwiki.cli.main", "serve", str(vault), "--port", str(port),
             *options],
            stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}/"
    try:
        _wait_ready(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /ready until it says 200 (bounded), failing early if the server died."""
    for _ in range(600):
        if process.poll() is not None:
            pytest.fail(f"kgwiki serve exited: {log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(base + "ready", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    pytest.fail(f"kgwiki serve never became ready: {log.read_text(errors='replace')}")


@contextlib.contextmanager
def http_server(folder: Path) -> Iterator[str]:
    """``python -m http.server`` over ``folder`` on a free 127.0.0.1 port; yields its base URL."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_for_http(base)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    """Save a PNG under tests/artifacts/ (git-ignored) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=full_page)
    return target


@contextlib.contextmanager
def checked_page(browser: Any, width: int) -> Iterator[Any]:
    """A Korean-locale tab in its own browser context; fails if the page threw a JS error."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="ko-KR")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda err: errors.append(str(err)))
    try:
        yield tab
    finally:
        context.close()
    assert not errors, f"JavaScript errors: {errors}"
