"""Reading a vault in a real browser: front page, explorer, folders, contents, phone widths.

Static builds of the bundled vault and two real Obsidian-style vaults (``kepano-obsidian``,
``foam-docs``), opened from ``file://``; the live server answers the same folder addresses.
Screenshots go to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import checked_page, chromium, screenshot
from starlette.testclient import TestClient

from kgwiki.site import Site
from kgwiki.web.build import build
from kgwiki.web.serve import ServeSettings, create_app

pytestmark = pytest.mark.browser

# vault -> (its index note, a note inside a folder, that note's folder)
VAULTS = {
    "bundled": ("index.md", "10_Wiki/Topics/kubernetes.md", "10_Wiki/Topics"),
    "kepano-obsidian": ("Readme.md", "Categories/Books.md", "Categories"),
    "foam-docs": ("index.md", "user/getting-started/installation.md", "user/getting-started"),
}

# foam-docs' front page shows contributors' pictures from the web: waiting for the "load" event
# waits for those (about 20 s offline). What these tests look at is there once the DOM is.
PAGE_READY = "domcontentloaded"


def _source(name: str, bundled: Path, shared: Path) -> Path:
    return bundled if name == "bundled" else shared / "corpora" / name


@pytest.fixture(scope="module")
def sites(bundled_vault_dir: Path, shared_dir: Path,
          tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:  # fmt: skip
    """``{name: (vault copy, built site)}``."""
    work = tmp_path_factory.mktemp("reading")
    built = {}
    for name in VAULTS:
        vault = Path(shutil.copytree(_source(name, bundled_vault_dir, shared_dir), work / name,
                                     ignore=shutil.ignore_patterns(".kgwiki")))  # fmt: skip
        out = work / f"{name}-site"
        build(vault, out)
        built[name] = (vault, out)
    return built


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


def _page_of(site: Path, path: str) -> str:
    stem = path.rsplit(".", 1)[0]
    return (site / "n" / stem / "index.html").as_uri()


@pytest.mark.parametrize("name", sorted(VAULTS))
def test_front_page_is_the_index_note(browser: Any, sites: dict[str, tuple[Path, Path]],
                                      name: str) -> None:  # fmt: skip
    index, _, _ = VAULTS[name]
    with checked_page(browser, width=1280) as page:
        page.goto((sites[name][1] / "index.html").as_uri(), wait_until=PAGE_READY)
        assert page.evaluate("document.body.dataset.path") == index
        assert page.locator(".note-body").count() == 1
        page.wait_for_selector("#explorer a")
        screenshot(page, f"reading-home-{name}")


@pytest.mark.parametrize("name", sorted(VAULTS))
def test_explorer_opens_the_current_notes_folder(browser: Any,
                                                 sites: dict[str, tuple[Path, Path]],
                                                 name: str) -> None:  # fmt: skip
    _, note, folder = VAULTS[name]
    with checked_page(browser, width=1280) as page:
        page.goto(_page_of(sites[name][1], note))
        current = page.locator("#explorer a[aria-current='page']")
        current.wait_for()
        assert current.get_attribute("data-note") == note
        assert current.is_visible()
        opened = page.eval_on_selector_all("#explorer details[open] > summary",
                                           "nodes => nodes.map(n => n.title)")  # fmt: skip
        top = folder.split("/")[0]
        assert top in opened and folder in opened
        # a folder opened by hand stays open on the next page
        closed = page.locator("#explorer details:not([open]) > summary").first
        if closed.count():
            title = closed.get_attribute("title")
            closed.click()
            # the toggle event (which saves the open folders) fires after the click returns
            page.wait_for_function("t => JSON.parse(localStorage.getItem("
                                   "'kgwiki-explorer-open') || '[]').includes(t)", arg=title)
            page.goto((sites[name][1] / "index.html").as_uri(), wait_until=PAGE_READY)
            page.wait_for_selector("#explorer a")
            assert page.locator(f"#explorer details[open] > summary[title='{title}']").count()


@pytest.mark.parametrize("name", sorted(VAULTS))
def test_folder_pages_answer(sites: dict[str, tuple[Path, Path]], name: str) -> None:
    vault, out = sites[name]
    _, note, folder = VAULTS[name]
    page = out / "n" / folder / "index.html"
    assert page.is_file()
    assert note.rsplit("/", 1)[1].rsplit(".", 1)[0] in page.read_text(encoding="utf-8")
    site = Site.load(vault, with_search=False, with_duplicates=False)
    app = create_app(ServeSettings(vault=vault, token="t", watch=False), site=site)
    with TestClient(app) as client:
        response = client.get(f"/n/{folder}/")
        assert response.status_code == 200
        assert 'data-folder="' + folder + '"' in response.text


def test_contents_follow_scrolling(browser: Any, sites: dict[str, tuple[Path, Path]]) -> None:
    with checked_page(browser, width=1280) as page:
        page.goto(_page_of(sites["bundled"][1], "10_Wiki/Topics/kubernetes.md"))
        links = page.locator(".toc a")
        assert links.count() >= 4
        last = links.nth(links.count() - 1)
        target = last.get_attribute("href") or ""
        page.evaluate("id => document.getElementById(decodeURIComponent(id)).scrollIntoView()",
                      target[1:])  # fmt: skip
        page.wait_for_function("(h) => document.querySelector('.toc a[aria-current=true]')"
                               " && document.querySelector('.toc a[aria-current=true]')"
                               ".getAttribute('href') === h", arg=target)  # fmt: skip
        heading = page.locator(".note-body h2[id] .heading-anchor").first
        assert heading.get_attribute("href", timeout=2000)


@pytest.mark.parametrize("name", ["bundled", "kepano-obsidian"])
def test_phone_width_has_one_header_row_and_drawers(browser: Any,
                                                    sites: dict[str, tuple[Path, Path]],
                                                    name: str) -> None:  # fmt: skip
    _, note, _ = VAULTS[name]
    with checked_page(browser, width=390) as page:
        page.goto(_page_of(sites[name][1], note))
        box = page.locator(".topbar").bounding_box()
        assert box is not None and box["height"] < 60
        pane = page.locator("#side-pane")
        closed = pane.bounding_box()
        assert closed is not None and closed["x"] + closed["width"] <= 0
        page.click(".menu-toggle")
        page.wait_for_function("() => document.querySelector('#side-pane')"
                               ".getBoundingClientRect().left >= 0")  # fmt: skip
        screenshot(page, f"reading-drawer-{name}", full_page=False)
        page.keyboard.press("Escape")
        page.wait_for_function("() => document.querySelector('#side-pane')"
                               ".getBoundingClientRect().right <= 0")  # fmt: skip
