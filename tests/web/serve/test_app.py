"""The live server's pages, probes and path safety, on a copy of the bundled vault."""

from __future__ import annotations

import json
import re
import shutil
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from paths import ROOTS
from starlette.testclient import TestClient

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import LiveUrls
from kgwiki.web.serve import ServeSettings, create_app

TOKEN = "test-token-for-pages"
DATA = ROOTS / "server"
PAGES = ["/", "/search?q=kafka", "/search", "/search/?q=아키텍처", "/tags/", "/graph/", "/wanted/",
         "/duplicates/", "/changes/", "/lint/", "/trust/", "/new", "/new/"]  # fmt: skip
SECRET = "kgwiki-outside-secret"


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory, bundled_vault_dir: Path) -> Path:
    root = tmp_path_factory.mktemp("served") / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    shutil.copy(DATA / "hostile-note.md", root / "hostile-note.md")
    # An attachment named in NFD, as macOS names files (the vault calls it by its NFC name).
    (root / unicodedata.normalize("NFD", "그림")).mkdir()
    (root / unicodedata.normalize("NFD", "그림/도표.svg")).write_text("<svg/>", encoding="utf-8")
    # A file beside the vault that no request may ever return.
    (root.parent / "outside.txt").write_text(SECRET, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def site(vault: Path) -> Iterator[Site]:
    loaded = Site.load(vault)
    yield loaded
    if loaded.search is not None:
        loaded.search.close()


@pytest.fixture(scope="module")
def client(vault: Path, site: Site) -> Iterator[TestClient]:
    app = create_app(ServeSettings(vault=vault, token=TOKEN, watch=False), site=site)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def _is_html(response_type: str) -> bool:
    return response_type == "text/html; charset=utf-8"


@pytest.mark.parametrize("url", PAGES)
def test_every_site_page_is_served_as_utf8_html(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200, url
    assert _is_html(response.headers["content-type"])
    assert 'data-mode="live"' in response.text


def test_every_note_and_tag_page_is_served(client: TestClient, site: Site) -> None:
    urls = LiveUrls()
    for path, note in site.vault.notes.items():
        response = client.get(urls.note(path))
        assert response.status_code == 200, path
        assert _is_html(response.headers["content-type"])
        assert note.title.split()[0] in response.text
    for tag in site.tags():
        assert client.get(urls.page("tag", tag)).status_code == 200, tag


def test_a_note_page_links_to_its_wiki_links(client: TestClient, site: Site) -> None:
    path = next(p for p in site.vault.notes if p.endswith("server-architecture.md"))
    page = client.get(LiveUrls().note(path)).text
    kubernetes = next(p for p in site.vault.notes if p.endswith("kubernetes.md"))
    assert f'href="{LiveUrls().note(kubernetes)}"' in page


@pytest.mark.parametrize("name", ["서버 아키텍처", "Server Architecture", "server-architecture",
                                  "wiki-2026-0508-server-architecture"])  # fmt: skip
def test_aliases_titles_and_ids_redirect_to_the_note(client: TestClient, site: Site,
                                                     name: str) -> None:  # fmt: skip
    path = next(p for p in site.vault.notes if p.endswith("server-architecture.md"))
    response = client.get(f"/n/{quote(name)}/")
    assert response.status_code == 301
    assert response.headers["location"] == LiveUrls().note(path)


def test_a_note_url_without_its_slash_redirects(client: TestClient) -> None:
    response = client.get("/n/index")
    assert response.status_code == 308
    assert response.headers["location"].endswith("/n/index/")


@pytest.mark.parametrize("url", ["/n/no-such-note/", "/tags/no-such-tag/", "/nowhere",
                                 "/f/assets/nothing.png", "/static/nothing.js"])  # fmt: skip
def test_unknown_pages_are_404(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404


def test_the_404_page_is_the_site_page(client: TestClient) -> None:
    response = client.get("/n/no-such-note/")
    assert _is_html(response.headers["content-type"])
    assert 'data-mode="live"' in response.text


def test_static_assets_and_attachments(client: TestClient) -> None:
    css = client.get("/static/style.css")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")
    for url in ("/f/assets/cells.svg", "/files/assets/cells.svg"):
        svg = client.get(url)
        assert svg.status_code == 200, url
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert "sandbox" in svg.headers["content-security-policy"]


def test_attachments_named_in_nfd_are_served(client: TestClient) -> None:
    for name in ("그림/도표.svg", unicodedata.normalize("NFD", "그림/도표.svg")):
        response = client.get("/f/" + name)
        assert response.status_code == 200, name
        assert response.text == "<svg/>"


def test_note_sources_and_hidden_files_are_not_attachments(client: TestClient) -> None:
    assert client.get("/f/index.md").status_code == 404
    assert client.get("/f/.kgwiki/notes/00.pickle").status_code == 404


@pytest.mark.parametrize(
    "url",
    ["/files/..%2f..%2fetc%2fpasswd", "/files/../../etc/passwd", "/f/..%2foutside.txt",
     "/f/%2e%2e/outside.txt", "/f/%252e%252e%252foutside.txt", "/f/assets%2f..%2f..%2foutside.txt",
     "/n/../../etc/passwd", "/n/..%2f..%2fetc%2fpasswd/", "/n/%2e%2e/%2e%2e/outside/",
     "/static/../../pyproject.toml", "/static/..%2f..%2f..%2fpyproject.toml",
     "/static/%2e%2e/render.py", "/tags/..%2f..%2f/", "/f//etc/passwd", "/f/%2fetc%2fpasswd",
     "/f/..%5c..%5coutside.txt", "/files/assets/cells.svg%00.png", "/api/note?path=../outside.txt",
     "/api/preview?path=..%2f..%2fetc%2fpasswd", "/api/backlinks?path=/etc/passwd"],
)  # fmt: skip
def test_traversal_never_leaves_the_vault(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 404), url
    assert SECRET not in response.text
    assert "root:" not in response.text
    assert "[project]" not in response.text
    assert "def " not in response.text


def test_pages_are_gzipped_only_for_clients_that_take_it(client: TestClient) -> None:
    for url in ("/", "/n/index/", "/api/notes"):
        plain = client.get(url, headers={"accept-encoding": "identity"})
        assert "content-encoding" not in plain.headers
        packed = client.get(url, headers={"accept-encoding": "gzip, deflate"})
        assert packed.headers["content-encoding"] == "gzip"
        assert packed.headers["vary"] == "accept-encoding"
        assert packed.content == plain.content


def test_security_headers_on_pages(client: TestClient) -> None:
    response = client.get("/")
    headers = response.headers
    csp = headers["content-security-policy"]
    for part in ("default-src 'self'", "img-src 'self' data:",
                 "style-src 'self' 'unsafe-inline'", "script-src 'self'"):  # fmt: skip
        assert part in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_a_hostile_note_renders_inert(client: TestClient, site: Site) -> None:
    page = client.get(LiveUrls().note(NotePath("hostile-note.md")))
    assert page.status_code == 200
    html = page.text
    assert not re.search(r"""(href|src|action|formaction)\s*=\s*["']?\s*(javascript|data):""",
                         html, re.IGNORECASE)  # fmt: skip
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", html, re.IGNORECASE), "no event handlers"
    assert "<iframe" not in html.lower()
    # Only the site's own scripts, and data blocks the title cannot break out of.
    for tag, block in re.findall(r"(<script[^>]*>)(.*?)</script>", html, re.DOTALL | re.I):
        if 'type="application/json"' in tag:
            json.loads(block)
            assert "<" not in block
        else:
            assert 'src="/static/' in tag and not block.strip(), tag
    assert "inline HTML one" in html, "the harmless text stays"


def test_probes(client: TestClient, site: Site) -> None:
    assert client.get("/healthz").text == "ok\n"
    ready = client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["ready"] is True
    client.get("/")
    metrics = client.get("/metrics")
    assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
    lines = metrics.text.splitlines()
    assert f"kgwiki_notes {len(site.vault.notes)}" in lines
    assert any(line.startswith('kgwiki_http_requests_total{route="/",method="GET",status="200"}')
               for line in lines)  # fmt: skip
    assert any(line.startswith("kgwiki_http_request_duration_seconds_bucket") for line in lines)
    assert "kgwiki_http_requests_in_flight 0" in lines
    assert any(line.startswith("kgwiki_index_age_seconds ") for line in lines)
    assert any(line.startswith("kgwiki_site_version ") for line in lines)


def test_not_ready_until_the_site_is_loaded(vault: Path) -> None:
    app = create_app(ServeSettings(vault=vault, token=TOKEN, watch=False))
    # Without the lifespan the site never loads: probes say so, pages ask to retry.
    client = TestClient(app)
    assert client.get("/healthz").status_code == 200
    ready = client.get("/ready")
    assert ready.status_code == 503
    assert ready.json()["ready"] is False
    page = client.get("/")
    assert page.status_code == 503
    assert page.headers["retry-after"] == "1"


def test_a_vault_that_cannot_load_stays_unready(tmp_path: Path) -> None:
    app = create_app(ServeSettings(vault=tmp_path / "missing", token=TOKEN, watch=False))
    with TestClient(app) as client:
        for _ in range(500):
            body = client.get("/ready").json()
            if body["error"]:
                break
            time.sleep(0.01)
        assert client.get("/ready").status_code == 503
        assert "missing" in (body["error"] or "")


def test_the_live_server_serves_the_feed_and_sitemap(client: TestClient, site: Site) -> None:
    """The same files a static build writes, with the server's own address in their URLs."""
    import xml.etree.ElementTree as ET

    feed = client.get("/feed.xml")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith(
        "application/atom+xml")
    entries = ET.fromstring(feed.content).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) >= 20
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    urls = [e.text or "" for e in ET.fromstring(sitemap.content).iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert all(u.startswith("http://testserver/") for u in urls)
    assert "http://testserver/n/10_Wiki/Topics/kubernetes/" in urls
    assert "http://testserver/n/10_Wiki/Topics/" in urls  # folder pages too
    assert 'type="application/atom+xml"' in client.get("/").text
