"""A server's second start: the link tables and the graph of the first are read back, the pages
are the same, and whatever changed in the vault in between is seen."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kgwiki.graph import KnowledgeGraph
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import LiveUrls
from kgwiki.web.serve import ServeSettings, create_app
from kgwiki.web.serve.state import ServerState

KUBERNETES = NotePath("10_Wiki/Topics/kubernetes.md")
PAGES = ["/", "/tags/", "/graph/", "/wanted/", "/duplicates/", "/lint/", "/trust/",
         "/search?q=kubernetes", "/api/search?q=kubernetes", "/api/graph",
         "/data/explorer.js"]  # fmt: skip


@pytest.fixture()
def vault(tmp_path: Path, bundled_vault_dir: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    return root


@contextmanager
def started(root: Path) -> Iterator[tuple[TestClient, ServerState]]:
    """A server loading ``root`` itself (as ``kgwiki serve`` does), once it says it is ready."""
    app = create_app(ServeSettings(vault=root, token="t", watch=False))
    with TestClient(app, follow_redirects=False) as client:
        for _ in range(3000):
            if client.get("/ready").status_code == 200:
                break
            time.sleep(0.01)
        state = app.state.kgwiki
        assert isinstance(state, ServerState) and state.site is not None, state.load_error
        assert client.get("/ready").json()["role"] == "writer"
        assert state.site.save_state(), "what the next start reads is kept"
        yield client, state


def _pages(client: TestClient, site: Site) -> dict[str, bytes]:
    urls = LiveUrls()
    found = {url: client.get(url).content for url in PAGES}
    found |= {urls.note(path): client.get(urls.note(path)).content for path in site.vault.notes}
    return found


def _refuse_build(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    built: list[str] = []
    real = KnowledgeGraph.build.__func__  # type: ignore[attr-defined]

    def counting(cls: type[KnowledgeGraph], vault: object) -> KnowledgeGraph:
        built.append("graph")
        return real(cls, vault)  # type: ignore[no-any-return]

    monkeypatch.setattr(KnowledgeGraph, "build", classmethod(counting))
    return built


def test_a_second_start_reads_the_graph_back_and_serves_the_same_pages(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with started(vault) as (client, state):
        assert state.site is not None
        first = _pages(client, state.site)
    assert (vault / ".kgwiki" / "graph.pickle").is_file()
    assert (vault / ".kgwiki" / "links.pickle").is_file()
    built = _refuse_build(monkeypatch)
    with started(vault) as (client, state):
        assert state.site is not None
        second = _pages(client, state.site)
    assert built == [], "the graph came from the first start"
    assert all(len(page) > 0 for page in first.values())
    assert second == first


def test_a_note_changed_between_starts_is_seen(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = LiveUrls()
    with started(vault) as (client, _state):
        assert "Between Starts" not in client.get(urls.note(KUBERNETES)).text
    written = vault / "Between Starts.md"
    written.write_text("# Between Starts\n\nRuns on [[Kubernetes]].\n", encoding="utf-8")
    kubernetes = vault / KUBERNETES
    text = kubernetes.read_text(encoding="utf-8")
    kubernetes.write_text(text + "\nA line added while no server ran: zyzzyva.\n",
                          encoding="utf-8")  # fmt: skip
    stat = kubernetes.stat()  # a later time even where the clock is coarse
    os.utime(kubernetes, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    built = _refuse_build(monkeypatch)
    with started(vault) as (client, _state):
        assert built == [], "two notes changed: the kept graph takes them in, not built again"
        page = client.get(urls.note(KUBERNETES)).text
        assert "Between Starts" in page, "the new note's link shows as a backlink"
        assert "zyzzyva" in page
        assert client.get(urls.note(NotePath("Between Starts.md"))).status_code == 200
        hits = client.get("/api/search?q=zyzzyva").json()["hits"]
        assert [hit["path"] for hit in hits] == [KUBERNETES]
    written.unlink()
    with started(vault) as (client, _state):
        assert built == [], "a deleted note: taken out of the kept graph"
        assert "Between Starts" not in client.get(urls.note(KUBERNETES)).text


def test_an_unreadable_graph_cache_is_built_again(
    vault: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with started(vault) as (client, state):
        assert state.site is not None
        first = _pages(client, state.site)
    for name in ("graph.pickle", "links.pickle"):
        (vault / ".kgwiki" / name).write_bytes(b"not a pickle")
    built = _refuse_build(monkeypatch)
    with started(vault) as (client, state):
        assert state.site is not None
        assert _pages(client, state.site) == first
    assert built == ["graph"]
