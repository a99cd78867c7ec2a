"""The JSON API: shapes as docs/web-contract.md gives them, on a copy of the bundled vault."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import LiveUrls
from kgwiki.web.serve import ServeSettings, create_app

SERVER_ARCH = NotePath("10_Wiki/Topics/server-architecture.md")
KUBERNETES = NotePath("10_Wiki/Topics/kubernetes.md")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, bundled_vault_dir: Path) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("api") / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    loaded = Site.load(root)
    yield loaded
    if loaded.search is not None:
        loaded.search.close()


@pytest.fixture(scope="module")
def client(site: Site) -> Iterator[TestClient]:
    settings = ServeSettings(vault=site.vault.root, token="api-token", watch=False)
    with TestClient(create_app(settings, site=site)) as test_client:
        yield test_client


def _json_type(content_type: str) -> bool:
    return content_type.startswith("application/json")


@pytest.mark.parametrize(("query", "expected"), [
    ("아키텍처", SERVER_ARCH),
    ("server architecture", SERVER_ARCH),
    ("kubernetes", KUBERNETES),
])  # fmt: skip
def test_search_finds_korean_and_english(client: TestClient, query: str,
                                         expected: NotePath) -> None:  # fmt: skip
    response = client.get("/api/search", params={"q": query, "limit": 10})
    assert response.status_code == 200
    assert _json_type(response.headers["content-type"])
    data = response.json()
    assert set(data) == {"query", "total", "suggestion", "error", "hits"}
    assert data["query"] == query
    assert data["total"] >= 1
    assert len(data["hits"]) <= 10
    paths = [hit["path"] for hit in data["hits"]]
    assert expected in paths
    hit = data["hits"][paths.index(expected)]
    assert set(hit) == {"title", "path", "url", "snippet", "score", "trust"}
    assert hit["url"] == LiveUrls().note(expected)


def test_search_with_an_empty_query_has_no_hits(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": ""}).json()
    assert data["hits"] == []
    assert data["total"] == 0


def test_search_limit_must_be_a_number(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "kafka", "limit": "ten"})
    assert response.status_code == 400
    assert "limit" in response.json()["error"]


def test_graph_whole_and_around_a_note(client: TestClient, site: Site) -> None:
    whole = client.get("/api/graph").json()
    assert whole == site.graph.to_node_link()
    around = client.get("/api/graph", params={"note": SERVER_ARCH, "depth": 1}).json()
    assert set(around) == set(whole)
    ids = {node["id"] for node in around["nodes"]}
    assert SERVER_ARCH in ids
    assert KUBERNETES in ids
    assert len(ids) < len({node["id"] for node in whole["nodes"]})
    assert client.get("/api/graph", params={"note": "no such note"}).status_code == 404


def test_notes_lists_every_note(client: TestClient, site: Site) -> None:
    notes = client.get("/api/notes").json()
    assert [n["path"] for n in notes] == sorted(site.vault.notes)
    item = next(n for n in notes if n["path"] == SERVER_ARCH)
    assert set(item) == {"path", "title", "url", "tags", "aliases", "trust"}
    assert item["title"] == "Server Architecture"
    assert "서버 아키텍처" in item["aliases"]
    assert "architecture" in item["tags"]
    assert item["trust"] == "A"


def test_note_has_everything_a_page_shows(client: TestClient) -> None:
    data = client.get("/api/note", params={"path": SERVER_ARCH}).json()
    assert set(data) == {"path", "title", "url", "html", "meta", "tags", "trust", "backlinks",
                         "relations", "changelog"}  # fmt: skip
    assert data["meta"]["id"] == "wiki-2026-0508-server-architecture"
    assert "<h2" in data["html"]
    assert data["trust"]["level"] == "A"
    assert KUBERNETES in [r["path"] for r in data["relations"]["adjacent"]]
    assert [e["date"] for e in data["changelog"]] == ["2026-05-08", "2026-05-10"]
    assert data["backlinks"], "other notes link to Server Architecture"


def test_note_by_alias_and_missing(client: TestClient) -> None:
    by_alias = client.get("/api/note", params={"path": "서버 아키텍처"})
    assert by_alias.json()["path"] == SERVER_ARCH
    missing = client.get("/api/note", params={"path": "nothing here"})
    assert missing.status_code == 404
    assert _json_type(missing.headers["content-type"])
    assert "error" in missing.json()
    assert client.get("/api/note").status_code == 400


def test_preview_is_short_and_sanitised(client: TestClient) -> None:
    data = client.get("/api/preview", params={"path": SERVER_ARCH}).json()
    assert set(data) == {"title", "url", "html"}
    assert data["title"] == "Server Architecture"
    assert data["url"] == LiveUrls().note(SERVER_ARCH)
    assert "<script" not in data["html"]


def test_backlinks(client: TestClient, site: Site) -> None:
    links = client.get("/api/backlinks", params={"path": KUBERNETES}).json()
    assert {b["source"] for b in links} == {b.source for b in site.graph.backlinks(KUBERNETES)}
    first = links[0]
    assert set(first) == {"source", "title", "url", "line", "context", "kind"}
    assert first["url"] == LiveUrls().note(first["source"])


def test_changes_newest_first(client: TestClient) -> None:
    changes = client.get("/api/changes", params={"limit": 5}).json()
    assert 0 < len(changes) <= 5
    assert set(changes[0]) == {"date", "path", "title", "url", "text"}
    dates = [c["date"] for c in changes]
    assert dates == sorted(dates, reverse=True)
