"""The page cache: versioned, dropped selectively on change, warmed ahead of visits."""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import LiveUrls
from kgwiki.web.serve import create_app
from kgwiki.web.serve.state import PageCache, ServerState, ServeSettings, note_page_key
from kgwiki.web.serve.warm import Warmer
from kgwiki.web.serve.watch import VaultWatcher

KUBERNETES = NotePath("10_Wiki/Topics/kubernetes.md")
SAGA = NotePath("10_Wiki/Patterns/saga-pattern.md")


def test_a_page_from_an_older_version_is_never_served_or_stored() -> None:
    cache = PageCache(1_000_000)
    cache.put("page:n/a/", 0, b"old")
    assert cache.get("page:n/a/", 0) == b"old"
    assert cache.get("page:n/a/", 1) is None, "the site moved on: a miss until invalidated"
    cache.put("page:n/b/", 1, b"drawn from version 1 too early")
    cache.invalidate(1, {NotePath("x.md")})
    assert cache.get("page:n/a/", 1) == b"old", "an unchanged note's page survives"
    assert cache.get("page:n/b/", 1) is None
    cache.put("page:n/c/", 0, b"late render of version 0")
    assert cache.get("page:n/c/", 1) is None


def test_invalidate_drops_changed_notes_and_every_other_page() -> None:
    cache = PageCache(1_000_000)
    for key in ("page:n/a/", "page:n/b/", "home", "search?x", "api:notes"):
        cache.put(key, 0, key.encode())
    cache.invalidate(1, {NotePath("a.md")})
    assert [k for k in ("page:n/a/", "page:n/b/", "home", "search?x", "api:notes")
            if cache.get(k, 1) is not None] == ["page:n/b/"]  # fmt: skip
    assert cache.bytes == len(b"page:n/b/")
    cache.invalidate(2, None)
    assert len(cache) == 0
    assert cache.bytes == 0


def test_least_recently_used_pages_go_first() -> None:
    cache = PageCache(40)
    page = b"0123456789"
    for key in "abcd":
        cache.put(key, 0, page)
    assert cache.get("a", 0) == page
    cache.put("e", 0, page)
    assert cache.get("b", 0) is None, "b was used least recently"
    assert [k for k in "acde" if cache.get(k, 0) == page] == list("acde")
    assert cache.bytes == 40
    cache.put("huge", 0, page * 2)
    assert cache.get("huge", 0) is None, "a page over a quarter of the budget is not kept"


@pytest.fixture()
def served(tmp_path: Path, bundled_vault_dir: Path) -> Iterator[tuple[Site, ServerState,
                                                                      TestClient]]:  # fmt: skip
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    site = Site.load(root)
    app = create_app(ServeSettings(vault=root, token="t", watch=False), site=site)
    with TestClient(app) as client:
        yield site, app.state.kgwiki, client
    if site.search is not None:
        site.search.close()


def test_a_change_keeps_the_pages_it_did_not_touch(
    served: tuple[Site, ServerState, TestClient],
) -> None:
    site, state, client = served
    urls = LiveUrls()
    for path in (KUBERNETES, SAGA):
        assert client.get(urls.note(path)).status_code == 200
    client.get("/")
    assert note_page_key(KUBERNETES) in state.pages and note_page_key(SAGA) in state.pages
    (site.vault.root / "Cache Note.md").write_text("# Cache Note\n\nSee [[Kubernetes]].\n",
                                                   encoding="utf-8")  # fmt: skip
    VaultWatcher(site, state.changed).handle(["Cache Note.md"])
    assert note_page_key(KUBERNETES) not in state.pages, "its backlinks changed"
    assert note_page_key(SAGA) in state.pages, "an unrelated note stays cached"
    assert "home" not in state.pages
    assert "Cache Note" in client.get(urls.note(KUBERNETES)).text
    assert "Cache Note" in client.get("/changes/").text or client.get("/").status_code == 200


def test_the_warmer_draws_note_pages_until_the_cache_is_nearly_full(
    served: tuple[Site, ServerState, TestClient],
) -> None:
    site, state, client = served
    assert state.renderer is not None
    warmer = Warmer(site, state.renderer, state.pages, busy=lambda: False, status=state.warm)
    assert state.warm.enabled and not state.warm.done
    warmer.run()
    assert warmer.drawn == len(site.vault.notes)
    assert client.get("/ready").json()["warm"] == {
        "enabled": True, "pages": len(site.vault.notes), "done": True}  # fmt: skip
    assert f"kgwiki_pages_warmed {len(site.vault.notes)}" in client.get("/metrics").text
    cached = state.pages.get(note_page_key(KUBERNETES), site.version)
    assert cached is not None
    assert gzip.decompress(cached) == client.get(LiveUrls().note(KUBERNETES)).content

    small = PageCache(3 * len(cached))
    limited = Warmer(site, state.renderer, small, busy=lambda: False)
    limited.run()
    assert 0 < limited.drawn < len(site.vault.notes)
