"""The built site in a real browser: search (Korean and English), wiki-links, the graph view.

Each scenario runs twice, through ``python -m http.server`` and straight from ``file://``
(where ``fetch`` is refused, so everything must load as ``<script>`` files). Screenshots go
to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import checked_page, chromium, http_server, screenshot

from kgwiki.search.analysis import query_terms, terms
from kgwiki.web.build import build

pytestmark = pytest.mark.browser

KUBERNETES = "n/10_Wiki/Topics/kubernetes/index.html"


@pytest.fixture(scope="module")
def site(bundled_vault_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("browser")
    vault = Path(shutil.copytree(bundled_vault_dir, work / "vault",
                                 ignore=shutil.ignore_patterns(".kgwiki")))  # fmt: skip
    result = build(vault, work / "site")
    assert result.broken == []
    return work / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module", params=["http", "file"])
def base(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    if request.param == "file":
        yield site.as_uri() + "/"
        return
    with http_server(site) as url:
        yield url


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    with checked_page(browser, width=1280) as tab:
        yield tab


def mode(base: str) -> str:
    return "file" if base.startswith("file:") else "http"


def search(page: Any, base: str, query: str) -> list[str]:
    page.goto(base + "search/index.html")
    page.fill("#search-input", query)
    page.press("#search-input", "Enter")
    page.wait_for_function("() => document.querySelector('#search-status')"
                           ".textContent.includes('result')")
    page.wait_for_selector("#search-results .hit-snippet mark")
    return [t.strip() for t in page.locator("#search-results .hit-title a").all_inner_texts()]


def test_korean_search_finds_inflected_words(page: Any, base: str) -> None:
    titles = search(page, base, "아키텍처")
    screenshot(page, f"search-korean-{mode(base)}")
    # Server Architecture's text says "아키텍처는"/"아키텍처란"; a bigram index finds them.
    assert "Server Architecture" in titles
    assert "Microservice Architecture" in titles
    marks = page.locator("#search-results .hit-snippet mark").all_inner_texts()
    assert any("아키텍처" in m for m in marks)


def test_english_search_and_query_from_the_address(page: Any, base: str) -> None:
    page.goto(base + "search/index.html?q=kafka%20partitions")
    page.wait_for_selector("#search-results .hit")
    titles = page.locator("#search-results .hit-title a").all_inner_texts()
    assert titles[0] == "Apache Kafka"
    first = page.locator("#search-results .hit-title a").first
    first.click()
    page.wait_for_load_state()
    assert page.url.endswith("n/10_Wiki/Topics/apache-kafka/index.html")


def test_follow_a_wiki_link(page: Any, base: str) -> None:
    page.goto(base + KUBERNETES)
    assert page.locator("h1").first.inner_text() == "Kubernetes"
    page.locator(".note-body a.wikilink", has_text="Container").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("n/10_Wiki/Topics/container/index.html")
    assert page.locator("h1").first.inner_text() == "Container"
    assert page.locator("time.age").first.inner_text().endswith("ago")
    screenshot(page, f"note-container-{mode(base)}")


def test_hover_preview(page: Any, base: str) -> None:
    page.goto(base + KUBERNETES)
    page.locator(".note-body a.wikilink", has_text="Helm").first.hover()
    card = page.locator("#kg-preview")
    card.wait_for(state="visible")
    assert card.locator("h3").inner_text() == "Helm"
    screenshot(page, f"preview-{mode(base)}", full_page=False)


def test_graph_click_opens_the_note(page: Any, base: str) -> None:
    page.goto(base + "graph/index.html")
    page.wait_for_function("() => window.kgwikiGraph && window.kgwikiGraph.ready")
    status = page.locator("#graph-status").inner_text()
    assert status.endswith("of 39 notes")
    screenshot(page, f"graph-{mode(base)}")
    point = page.evaluate("window.kgwikiGraph.screenPosition('10_Wiki/Topics/kubernetes.md')")
    assert point is not None
    page.mouse.move(point["x"], point["y"])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/" + KUBERNETES)


def test_graph_filters(page: Any, base: str) -> None:
    page.goto(base + "graph/index.html")
    page.wait_for_function("() => window.kgwikiGraph && window.kgwikiGraph.ready")
    page.fill("input[name=tag]", "kubernetes")
    page.wait_for_function("() => !document.querySelector('#graph-status')"
                           ".textContent.startsWith('39')")
    shown = int(page.locator("#graph-status").inner_text().split()[0])
    assert 1 <= shown < 39


def test_local_graph_on_a_note_page(page: Any, base: str) -> None:
    page.goto(base + KUBERNETES)
    page.wait_for_function("() => window.kgwikiGraph && window.kgwikiGraph.local")
    point = page.evaluate(
        "window.kgwikiGraph.screenPosition('10_Wiki/Topics/helm.md', 'local')"
    )
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url("**/n/10_Wiki/Topics/helm/index.html")


def test_terms_js_matches_the_python_analyzer(
    page: Any, base: str, bundled_vault_dir: Path
) -> None:
    """The client tokenizes exactly as kgwiki.search.analysis does (bigrams, Porter2, NFKC)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(bundled_vault_dir.rglob("*.md"))]
    texts.append("ﬁne Straße ΣΊΣΥΦΟΣ 東京タワー ｶﾀｶﾅ 2026年 x_y 아키텍처는 가 generalizations")
    page.goto(base + "search/index.html")
    page.wait_for_function("() => window.kgwikiTerms !== undefined")
    got = page.evaluate(
        "texts => texts.map(t => [kgwikiTerms.terms(t), kgwikiTerms.queryTerms(t)])", texts
    )
    expected = [[terms(t), query_terms(t)] for t in texts]
    assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)


def test_dark_mode_toggle(page: Any, base: str) -> None:
    page.goto(base + KUBERNETES)
    page.click(".theme-toggle")
    assert page.evaluate("document.documentElement.getAttribute('data-theme')") == "dark"
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(21, 24, 28)"
    screenshot(page, f"note-dark-{mode(base)}")
    page.reload()
    assert page.evaluate("document.documentElement.getAttribute('data-theme')") == "dark"
