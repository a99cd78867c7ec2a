"""Live updates: changed files reach pages and search; open pages hear about it over SSE."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import LiveUrls
from kgwiki.web.serve import ServeSettings, create_app
from kgwiki.web.serve.events import Broadcaster
from kgwiki.web.serve.watch import VaultWatcher, apply_changes, changed_since, is_watched

KUBERNETES = NotePath("10_Wiki/Topics/kubernetes.md")
NEW_NOTE = """---
title: Live Reload Note
tags: [live]
---
# Live Reload Note

Zanzibar authorization 권한부여모델 links to [[Kubernetes]].
"""


@pytest.fixture()
def vault(tmp_path: Path, bundled_vault_dir: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    return root


@pytest.fixture()
def served(vault: Path) -> Iterator[tuple[Site, TestClient]]:
    site = Site.load(vault)
    app = create_app(ServeSettings(vault=vault, token="t", watch=False), site=site)
    with TestClient(app) as client:
        yield site, client
    if site.search is not None:
        site.search.close()


def _hits(client: TestClient, query: str) -> list[str]:
    return [h["path"] for h in client.get("/api/search", params={"q": query}).json()["hits"]]


def test_the_watcher_handler_adds_changes_and_removes_notes(served: tuple[Site, TestClient],
                                                           vault: Path) -> None:  # fmt: skip
    site, client = served
    announced: list[tuple[int, set[NotePath]]] = []
    watcher = VaultWatcher(site, lambda v, paths: announced.append((v, paths)))
    before = site.version
    (vault / "Live Reload Note.md").write_text(NEW_NOTE, encoding="utf-8")
    changed = watcher.handle([vault / "Live Reload Note.md"])
    assert {NotePath("Live Reload Note.md"), KUBERNETES} <= changed
    assert announced and announced[-1][0] > before
    assert "Live Reload Note.md" in _hits(client, "zanzibar")
    assert "Live Reload Note.md" in _hits(client, "권한부여")
    page = client.get(LiveUrls().note(NotePath("Live Reload Note.md")))
    assert page.status_code == 200
    kube = client.get(LiveUrls().note(KUBERNETES)).text
    assert "Live Reload Note" in kube, "the new backlink shows on the linked note's page"

    (vault / "Live Reload Note.md").write_text(NEW_NOTE.replace("Zanzibar", "Quokka"), "utf-8")
    watcher.handle(["Live Reload Note.md"])
    assert "Live Reload Note.md" in _hits(client, "quokka")
    assert "Live Reload Note.md" not in _hits(client, "zanzibar")

    (vault / "Live Reload Note.md").unlink()
    watcher.handle([vault / "Live Reload Note.md"])
    assert "Live Reload Note.md" not in _hits(client, "quokka")
    assert client.get(LiveUrls().note(NotePath("Live Reload Note.md"))).status_code == 404


def test_hidden_and_outside_files_are_ignored(served: tuple[Site, TestClient], vault: Path,
                                             tmp_path: Path) -> None:  # fmt: skip
    site, _ = served
    (vault / ".kgwiki").mkdir(exist_ok=True)
    (vault / ".kgwiki" / "x.md").write_text("# hidden", encoding="utf-8")
    (tmp_path / "outside.md").write_text("# outside", encoding="utf-8")
    before = site.version
    version, changed = apply_changes(site, [vault / ".kgwiki" / "x.md", tmp_path / "outside.md"])
    assert (version, changed) == (before, set())
    assert not is_watched(Path(".obsidian/workspace.json"), ())  # type: ignore[arg-type]


def test_catch_up_finds_only_what_changed_while_loading(served: tuple[Site, TestClient],
                                                         vault: Path) -> None:  # fmt: skip
    site, _ = served
    assert changed_since(site, 0.0) == [], "a freshly copied vault matches what was parsed"
    kube = vault / KUBERNETES
    kube.write_bytes(kube.read_bytes())  # saved again, same bytes
    saga = vault / "10_Wiki/Patterns/saga-pattern.md"
    saga.write_text(saga.read_text(encoding="utf-8") + "\nedited\n", encoding="utf-8")
    (vault / "New While Loading.md").write_text("# New\n", encoding="utf-8")
    (vault / "10_Wiki/Patterns/bulkhead.md").unlink()
    assert changed_since(site, 0.0) == ["10_Wiki/Patterns/bulkhead.md",
                                        "10_Wiki/Patterns/saga-pattern.md",
                                        "New While Loading.md"]  # fmt: skip
    assert changed_since(site, time.time() + 60) == ["10_Wiki/Patterns/bulkhead.md",
                                                     "New While Loading.md"]  # fmt: skip


def test_the_real_watcher_picks_up_a_saved_file(vault: Path) -> None:
    site = Site.load(vault)
    app = create_app(ServeSettings(vault=vault, token="t", watch=True, debounce_ms=50), site=site)
    with TestClient(app) as client:
        (vault / "Watched Note.md").write_text(NEW_NOTE.replace("Zanzibar", "Wombat"), "utf-8")
        for _ in range(300):  # the watcher runs in its own thread: wait for it, boundedly
            if "Watched Note.md" in _hits(client, "wombat"):
                break
            time.sleep(0.05)
        assert "Watched Note.md" in _hits(client, "wombat")
    if site.search is not None:
        site.search.close()


async def _collect(stream: Any, count: int) -> list[str]:
    out = []
    async for chunk in stream:
        out.append(chunk)
        if len(out) == count:
            break
    return out


def test_broadcaster_streams_reloads_and_catches_up() -> None:
    async def main() -> tuple[list[str], list[str]]:
        events = Broadcaster()
        events.bind(asyncio.get_running_loop())
        behind = await _collect(events.stream(since=3, current=5), 2)
        stream = events.stream(since=None, current=5)
        first = await stream.__anext__()
        events.publish(6, {"b.md", "a.md"})
        second = await stream.__anext__()
        events.close()
        rest = [chunk async for chunk in stream]
        assert rest == []
        return behind, [first, second]

    behind, live = asyncio.run(main())
    assert behind[0].startswith("retry: 3000\nevent: hello\n")
    assert behind[1] == 'event: reload\ndata: {"version": 5, "paths": []}\n\n'
    assert live[1] == 'event: reload\ndata: {"version": 6, "paths": ["a.md", "b.md"]}\n\n'


def test_a_quiet_stream_never_asks_to_reload() -> None:
    async def main() -> list[str]:
        events = Broadcaster()
        events.bind(asyncio.get_running_loop())
        stream = events.stream(since=1, current=5, quiet=True)
        first = await stream.__anext__()
        events.publish(6, {"a.md"})
        events.close()
        return [first] + [chunk async for chunk in stream]

    chunks = asyncio.run(main())
    assert chunks[0].startswith("retry: 3000\nevent: hello\n")
    assert not any("reload" in chunk for chunk in chunks)


def test_events_endpoint_sends_reload_to_an_open_stream(vault: Path) -> None:
    app = create_app(ServeSettings(vault=vault, token="t", watch=False))
    state = app.state.kgwiki

    async def main() -> tuple[dict[str, Any], list[str]]:
        state.events.bind(asyncio.get_running_loop())
        sent: list[dict[str, Any]] = []
        got_hello, got_reload, requested = asyncio.Event(), asyncio.Event(), False

        async def receive() -> dict[str, Any]:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await got_reload.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)
            body = message.get("body", b"").decode()
            if "event: hello" in body:
                got_hello.set()
            if "event: reload" in body:
                got_reload.set()

        scope = {"type": "http", "method": "GET", "path": "/api/events", "raw_path": b"/api/events",
                 "query_string": b"", "headers": [(b"host", b"testserver")], "scheme": "http",
                 "server": ("testserver", 80), "client": ("127.0.0.1", 1), "root_path": "",
                 "http_version": "1.1", "asgi": {"version": "3.0"}}  # fmt: skip
        task = asyncio.create_task(app(scope, receive, send))
        await got_hello.wait()
        state.events.publish(9, ["x.md"])
        await asyncio.wait_for(task, 10)
        return sent[0], [m.get("body", b"").decode() for m in sent[1:]]

    start, bodies = asyncio.run(main())
    assert start["status"] == 200
    headers = dict(start["headers"])
    assert headers[b"content-type"].startswith(b"text/event-stream")
    reload = next(b for b in bodies if b.startswith("event: reload"))
    assert json.loads(reload.split("data: ", 1)[1]) == {"version": 9, "paths": ["x.md"]}
