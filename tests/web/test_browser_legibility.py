"""What a reader must be able to read, in a real browser: table cells keep their words whole
(a column never shrinks below its longest word), and the trust badges and accent buttons keep
WCAG AA contrast (4.5:1) in the light and the dark theme.

A review of the built corpora found "Orchestra|tion" and "동|작" split inside table cells
at 1280 px, and white letters on the dark theme's light badge colours (1.9:1).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import checked_page, chromium, screenshot
from build_support import copy_of

from kgwiki.web.build import build

pytestmark = pytest.mark.browser

TABLE_NOTES = ["10_Wiki/Topics/cloud-native", "10_Wiki/Topics/service-discovery",
               "10_Wiki/Topics/consistency-models"]  # fmt: skip

# Every word of a table cell, measured on one line in the cell's own font, against the width
# the cell gives its text: wider means the browser had to break the word.
SPLIT_WORDS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll('.note-body td, .note-body th')) {
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    for (const word of cell.innerText.split(/\\s+/).filter(Boolean)) {
      const probe = document.createElement('span');
      probe.style.whiteSpace = 'nowrap';
      probe.textContent = word;
      cell.appendChild(probe);
      const width = probe.getBoundingClientRect().width;
      probe.remove();
      if (width > room + 1) split.push(word);
    }
  }
  return split;
}"""

# The contrast ratio of an element's text against its own background colour.
CONTRAST = """(selector) => {
  const lum = (css) => {
    const [r, g, b] = css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map((v) => {
      const c = v / 255;
      return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  return [...document.querySelectorAll(selector)].map((el) => {
    const style = getComputedStyle(el);
    const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
    return [el.textContent.trim(), (a + 0.05) / (b + 0.05)];
  });
}"""


@pytest.fixture(scope="module")
def site(bundled_vault_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("legibility")
    build(copy_of(bundled_vault_dir, work), work / "site")
    return work / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("note", TABLE_NOTES)
def test_table_cells_keep_their_words_whole(browser: Any, site: Path, note: str,
                                            width: int) -> None:  # fmt: skip
    with checked_page(browser, width=width) as page:
        page.goto((site / "n" / note / "index.html").as_uri())
        assert page.locator(".note-body td").count() > 0
        assert page.evaluate(SPLIT_WORDS) == []
        if note.endswith("consistency-models"):
            screenshot(page, f"table-words-{width}")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_badges_and_pressed_buttons_are_legible(browser: Any, site: Path, theme: str) -> None:
    with checked_page(browser, width=1280) as page:
        page.goto((site / "n/10_Wiki/Topics/kubernetes/index.html").as_uri())
        page.evaluate(f"document.documentElement.dataset.theme = {theme!r}")
        badges = page.evaluate(CONTRAST, ".level")
        assert {text for text, _ in badges} >= {"A", "B"}  # the page shows several levels
        pressed = page.evaluate(CONTRAST, '.local-graph-controls button[aria-pressed="true"]')
        assert pressed
        for text, ratio in badges + pressed:
            assert ratio >= 4.5, (theme, text, round(ratio, 2))
        screenshot(page, f"badges-{theme}", full_page=False)
