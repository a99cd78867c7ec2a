"""Obsidian's syntax in a real browser: the static build of ``tests/roots/obsidian``, opened
straight from ``file://`` (no server, no network), at desktop and phone widths.

Mermaid draws its diagram from the copy shipped in the site's assets; math is MathML drawn at
build time; task boxes are disabled checkboxes. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import checked_page, chromium, screenshot
from paths import ROOTS

from kgwiki.web.build import build

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("obsidian-browser")
    vault = Path(shutil.copytree(ROOTS / "obsidian", work / "vault"))
    build(vault, work / "site")
    return work / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.mark.parametrize("width", [1280, 390])
def test_mermaid_draws_from_file_url(browser: Any, site: Path, width: int) -> None:
    with checked_page(browser, width=width) as page:
        page.goto((site / "n" / "Diagram" / "index.html").as_uri())
        page.wait_for_selector("pre.mermaid svg", timeout=20000)
        labels = page.locator("pre.mermaid").inner_text()
        assert "Write a note" in labels and "Publish" in labels
        screenshot(page, f"obsidian-diagram-{width}")


def test_math_and_tasks_render(browser: Any, site: Path) -> None:
    with checked_page(browser, width=1280) as page:
        page.goto((site / "n" / "Math" / "index.html").as_uri())
        box = page.locator("math").first.bounding_box()
        assert box is not None and box["width"] > 20  # MathML laid out, not raw TeX
        assert "\\\\pi" not in page.locator(".note-body").inner_text()
        screenshot(page, "obsidian-math")
        page.goto((site / "n" / "Tasks" / "index.html").as_uri())
        boxes = page.locator("li.task-list-item input[type=checkbox]")
        assert boxes.count() == 5
        assert all(boxes.nth(i).is_disabled() for i in range(5))
        assert [boxes.nth(i).is_checked() for i in range(5)] == [False, True, True, True, True]
        screenshot(page, "obsidian-tasks")
