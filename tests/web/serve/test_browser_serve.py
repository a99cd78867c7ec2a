"""`kgwiki serve` in a real browser: pages, links, search, graph, the new-note form, reload."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from browser_support import checked_page, chromium, kgwiki_server, require_browser, screenshot

pytestmark = pytest.mark.browser

TOKEN = "browser-test-token"
SERVER_ARCH = "10_Wiki/Topics/server-architecture.md"
KUBERNETES = "10_Wiki/Topics/kubernetes.md"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory,
           bundled_vault_dir: Path) -> Iterator[tuple[str, Path]]:  # fmt: skip
    require_browser()
    folder = tmp_path_factory.mktemp("browser-serve")
    vault = folder / "vault"
    shutil.copytree(bundled_vault_dir, vault, ignore=shutil.ignore_patterns(".kgwiki"))
    log = folder / "serve.log"
    with kgwiki_server(vault, log, "--token", TOKEN) as base:
        yield base, vault
    printed = log.read_text(errors="replace")
    assert f"write token {TOKEN}" in printed
    assert f"?token={TOKEN}" in printed


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    with checked_page(browser, width=1200) as tab:
        yield tab


def _wait_js(page: Any, expression: str, tries: int = 200) -> None:
    """Poll a JS expression until true; wait_for_function would need 'unsafe-eval' in the CSP."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(tries):
        try:
            if page.evaluate(expression):
                return
        except PlaywrightError:
            pass  # the page is reloading under us: ask the next one
        page.wait_for_timeout(100)
    pytest.fail(f"never true: {expression}")


def _note_url(base: str, path: str) -> str:
    stem = path.removesuffix(".md")
    return base + "n/" + "/".join(quote(part) for part in stem.split("/")) + "/"


def test_home_then_follow_a_wiki_link(served: tuple[str, Path], page: Any) -> None:
    base, _ = served
    page.goto(base)
    assert page.locator("body").get_attribute("data-mode") == "live"
    screenshot(page, "serve-home")
    page.goto(_note_url(base, SERVER_ARCH))
    assert "Server Architecture" in page.title()
    page.locator(f".note-body a[href='{_note_url('/', KUBERNETES)}']").first.click()
    page.wait_for_url(_note_url(base, KUBERNETES))
    assert page.locator("h1").first.inner_text().startswith("Kubernetes")
    screenshot(page, "serve-note-kubernetes")


@pytest.mark.parametrize(("query", "title"), [("아키텍처", "Server Architecture"),
                                              ("kubernetes", "Kubernetes")])  # fmt: skip
def test_search_from_the_search_box(served: tuple[str, Path], page: Any, query: str,
                                    title: str) -> None:  # fmt: skip
    base, _ = served
    page.goto(base)
    box = page.locator("header input[name=q]")
    box.fill(query)
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("main a", has_text=title)
    assert results.count() >= 1
    screenshot(page, f"serve-search-{'ko' if query == '아키텍처' else 'en'}")


def test_the_graph_draws_and_a_node_opens_its_note(served: tuple[str, Path], page: Any) -> None:
    base, _ = served
    page.goto(base + "graph/")
    _wait_js(page, "!!(window.kgwikiGraph && window.kgwikiGraph.ready)")
    point = page.evaluate(f"window.kgwikiGraph.screenPosition({json.dumps(KUBERNETES)})")
    assert point is not None
    screenshot(page, "serve-graph")
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(_note_url(base, KUBERNETES))


def test_add_a_note_through_the_form_then_find_it(served: tuple[str, Path], page: Any) -> None:
    base, vault = served
    page.goto(base + "new/")
    assert "token" in page.locator("main").inner_text(), "logged out: the form says how to log in"
    looks = "getComputedStyle(document.querySelector('input[name=title]'))"
    signed_out = page.evaluate(f"[{looks}.backgroundColor, {looks}.cursor]")
    assert page.locator("input[name=title]").is_disabled()
    assert signed_out[1] == "not-allowed", "a field that cannot be filled in looks it"
    page.goto(f"{base}?token={TOKEN}")
    page.wait_for_url(base)
    page.goto(base + "new/")
    signed_in = page.evaluate(f"[{looks}.backgroundColor, {looks}.cursor]")
    assert signed_in[0] != signed_out[0] and signed_in[1] != "not-allowed"
    # with no banner to widen it, the page still takes its column (it used to shrink to the
    # form's narrowest width and sit in the middle)
    widths = page.evaluate("[document.querySelector('main').getBoundingClientRect().width,"
                           " document.querySelector('.shell').getBoundingClientRect().width]")
    assert widths[0] > 0.6 * widths[1]
    page.fill("input[name=title]", "브라우저 노트")
    page.fill("input[name=tags]", "browser, e2e")
    page.select_option("select[name=trust]", "B")
    page.fill("textarea[name=body]", "Written by Playwright: 펭귄 penguins link to [[Kubernetes]].")
    screenshot(page, "serve-new-form")
    page.click("form.new-note-form button[type=submit]")
    page.wait_for_url(lambda url: "/n/" in url)
    (created,) = [p for p in vault.rglob("*.md") if "penguins" in p.read_text(encoding="utf-8")]
    assert page.url == _note_url(base, created.relative_to(vault).as_posix())
    assert "브라우저 노트" in page.locator("h1").first.inner_text()
    assert "penguins" in page.locator("main").inner_text()
    screenshot(page, "serve-new-note")
    page.goto(base + "search/?q=" + quote("펭귄"))
    assert page.locator("main a", has_text="브라우저 노트").count() >= 1


def test_an_open_page_reloads_when_its_file_changes(served: tuple[str, Path], page: Any) -> None:
    base, vault = served
    page.goto(_note_url(base, KUBERNETES))
    for _ in range(200):  # until the page's EventSource is connected
        with urllib.request.urlopen(base + "metrics", timeout=2) as response:
            if "kgwiki_event_listeners 0\n" not in response.read().decode():
                break
        page.wait_for_timeout(50)
    file = vault / KUBERNETES
    text = file.read_text(encoding="utf-8")
    file.write_text(text + "\n\nLive edit: 라이브 리로드 marker.\n", encoding="utf-8")
    _wait_js(page, "document.body.innerText.includes('라이브 리로드 marker')")
    screenshot(page, "serve-live-reload")
