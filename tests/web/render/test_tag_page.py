"""A tag page says where it is: Tags, then each tag above a nested one, then itself."""

from __future__ import annotations

import re
from pathlib import Path

from build_support import copy_of

from kgwiki.site import Site
from kgwiki.web.render import Renderer
from kgwiki.web.render.urls import StaticUrls


def _crumbs(page: str) -> list[tuple[str, str]]:
    """(text, href or "") of each step of the page's breadcrumbs."""
    nav = re.search(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', page, re.S)
    assert nav is not None
    steps = re.findall(r'<a href="([^"]*)">([^<]*)</a>|<span(?: class="here")?>([^<]*)</span>',
                       nav.group(1))  # fmt: skip
    return [(link_text or text, href) for href, link_text, text in steps]


def _renderer(source: Path, tmp_path: Path) -> Renderer:
    site = Site.load(copy_of(source, tmp_path), with_search=False, with_duplicates=False)
    return Renderer(site, StaticUrls())


def test_a_nested_tag_links_the_tag_above_it(bundled_vault_dir: Path, tmp_path: Path) -> None:
    renderer = _renderer(bundled_vault_dir, tmp_path)
    assert "pattern" in renderer.site.tags() and "pattern/data" in renderer.site.tags()
    crumbs = _crumbs(renderer.tag("pattern/data"))
    assert [text for text, _ in crumbs] == ["Tags", "#pattern", "#pattern/data"]
    assert crumbs[0][1].endswith("tags/index.html")
    assert crumbs[1][1].endswith("tags/pattern/index.html")
    assert crumbs[2][1] == ""  # the page itself


def test_a_tag_above_that_no_note_uses_is_named_not_linked(shared_dir: Path,
                                                           tmp_path: Path) -> None:  # fmt: skip
    renderer = _renderer(shared_dir / "corpora" / "kepano-obsidian", tmp_path)
    assert "games/genres" in renderer.site.tags() and "games" not in renderer.site.tags()
    crumbs = _crumbs(renderer.tag("games/genres"))
    assert crumbs[0][0] == "Tags" and crumbs[0][1].endswith("tags/index.html")
    assert crumbs[1:] == [("#games", ""), ("#games/genres", "")]


def test_a_top_level_tag_ends_its_breadcrumbs_with_itself(bundled_vault_dir: Path,
                                                          tmp_path: Path) -> None:  # fmt: skip
    renderer = _renderer(bundled_vault_dir, tmp_path)
    crumbs = _crumbs(renderer.tag("pattern"))
    assert [text for text, _ in crumbs] == ["Tags", "#pattern"]
