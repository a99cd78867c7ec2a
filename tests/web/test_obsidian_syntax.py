"""Obsidian's own syntax, drawn the way Obsidian's documentation describes, live and static.

One note per construct in ``tests/roots/obsidian``; each must show the markup below in the page
the live server draws and in the page the static build writes.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest
from paths import ROOTS

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.build import build
from kgwiki.web.render import LiveUrls, Renderer

VAULT = ROOTS / "obsidian"

EXPECTED: dict[str, list[str]] = {
    "Highlights.md": ["<mark>highlighted words</mark>", "<mark><strong>bold</strong> inside</mark>",
                      "a == b stays"],
    "Tasks.md": ['class="contains-task-list"', 'data-task=""', 'data-task="x"', 'data-task="-"',
                 'data-task="?"', 'data-task="/"', 'type="checkbox"', 'disabled=""',
                 "<li>not a task</li>"],
    "Math.md": ['<span class="math inline"><math display="inline">', "<mi>π</mi>",
                '<math display="block">', "<mtable", "prices stay: $5 and $6."],
    "Line breaks.md": ['first line<br class="soft-break">\nsecond line'],
    "External image.md": ['<img src="https://example.com/logo.png" alt="a logo">'],
    "Media.md": ['<iframe class="embed-pdf" src="', 'doc.pdf" title="doc.pdf" loading="lazy">',
                 '<audio class="embed-audio" controls="" preload="metadata" src="',
                 '<video class="embed-video" controls="" preload="metadata" src="',
                 'title="clip.mp4" width="320">'],
    "Diagram.md": ['<pre class="mermaid">graph TD\n  Write[Write a note] --&gt; Link[Link it]'],
}  # fmt: skip


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(VAULT, tmp_path_factory.mktemp("obsidian") / "vault"))


@pytest.fixture(scope="module")
def static_pages(vault: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("site")
    build(vault, out)
    pages = {unquote(page.parent.name): page.read_text(encoding="utf-8")
             for page in out.glob("n/*/index.html")}  # fmt: skip
    return {name: pages[Path(name).stem] for name in EXPECTED}


def test_every_construct_has_a_note() -> None:
    assert sorted(p.name for p in VAULT.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_live_page_draws_the_construct(vault: Path, name: str) -> None:
    site = Site.load(vault, with_search=False, with_duplicates=False)
    html = Renderer(site, LiveUrls()).note(NotePath(name))
    for expected in EXPECTED[name]:
        assert expected in html, (name, expected)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_static_page_draws_the_construct(static_pages: dict[str, str], name: str) -> None:
    for expected in EXPECTED[name]:
        assert expected in static_pages[name], (name, expected)


def test_strict_line_breaks_is_a_page_class(vault: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(vault, tmp_path / "strict"))
    (root / "kgwiki.toml").write_text("[markdown]\nstrict_line_breaks = true\n", encoding="utf-8")
    site = Site.load(root, with_search=False, with_duplicates=False)
    html = Renderer(site, LiveUrls()).note(NotePath("Line breaks.md"))
    assert 'class="strict-line-breaks"' in html


def test_external_images_can_be_turned_off(vault: Path, tmp_path: Path) -> None:
    root = Path(shutil.copytree(vault, tmp_path / "private"))
    (root / "kgwiki.toml").write_text("[markdown]\nexternal_images = false\n", encoding="utf-8")
    site = Site.load(root, with_search=False, with_duplicates=False)
    html = Renderer(site, LiveUrls()).note(NotePath("External image.md"))
    assert "https://example.com/logo.png" not in html.split('title="external image not loaded')[0]
    assert "<img" in html


def test_frames_and_players_only_show_files_of_the_site() -> None:
    """Raw HTML may not frame another server: only the site's own files get a frame or player."""
    from kgwiki.web.render import sanitise

    html = sanitise('<iframe src="https://evil.example/"></iframe><iframe src="javascript:x">'
                    '</iframe><video src="//evil.example/v.mp4" controls></video>'
                    '<audio src="../f/a.mp3" controls onplay="x()"></audio>'
                    '<iframe src="../f/doc.pdf" title="doc"></iframe>')  # fmt: skip
    assert "evil" not in html and "javascript" not in html and "onplay" not in html
    assert html.count("<iframe") == 1 and '<iframe src="../f/doc.pdf"' in html
    assert '<audio src="../f/a.mp3" controls="">' in html and "<video" not in html
