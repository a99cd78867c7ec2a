"""Site-wide files and folder pages on names that need escaping: ``&``, ``<``, quotes, Hangul,
spaces, ``%`` and ``#`` in paths, and a base URL with characters XML escapes."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from urllib.parse import quote, unquote

import pytest

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import StaticUrls, folder_pages, page_location, sitemap
from kgwiki.web.render.folders import folder_context, own_note

TODAY = dt.date(2025, 6, 1)
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
CHANGELOG = "\n## Changelog\n\n| date | change |\n|---|---|\n| {} | edited |\n"
NOTES = {
    "index.md": "# Home & <Index>\n\n[[Tom & Jerry]]\n" + CHANGELOG.format("2024-01-02"),
    "a&b/Tom & Jerry.md": "# Tom & Jerry\n\n#cartoon&co\n" + CHANGELOG.format("2024-02-03"),
    "a&b/deep/x.md": "# x\n",
    "x<y.md": "# x less than y\n",  # takes the address of the folder beside it
    "x<y/less<than.md": "# less<than\n",
    "q'uote/it's \"quoted\".md": "# it's quoted\n",
    "한글 폴더/노트 하나.md": "# 노트 하나\n\n#태그\n" + CHANGELOG.format("2024-03-04"),
    "sp ace/with space.md": "# With space\n",
    "sp ace/Index.md": "# Own note\n\nThe folder's opening.\n",
    "sp ace/b.md": "# Another\n",
    "sp ace/deep/README.md": "# readme\n",
    "sp ace/deep/er/d%20e#p?.md": "# deep\n",
    "sp ace/Zeta/a.md": "# a\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("escapes") / "vault"
    for name, text in NOTES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return Site.load(root, with_search=False, with_duplicates=False, today=TODAY)


def _elementtree_sitemap(base: str, locations: list[str], lastmod: dict[str, str]) -> bytes:
    """The sitemap as ``xml.etree`` writes it: the reference the text writer must equal."""
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    prefix = base.rstrip("/") + "/" if base else ""
    for location in locations:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = prefix + quote(location, "/~") or "./"
        if location in lastmod:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = lastmod[location]
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


@pytest.mark.parametrize("base", ["", "https://example.org/wiki", "https://ex.org/p&q<r>'s\"/"])
def test_sitemap_is_byte_for_byte_what_elementtree_writes(site: Site, base: str) -> None:
    tags = [page_location("tag", t) for t in site.tags()]
    written = sitemap(site, base, tags)
    site_pages = ["", "search/", "tags/", "graph/", "wanted/", "duplicates/", "changes/",
                  "lint/", "trust/", "dashboard/"]  # fmt: skip
    folders = ["n/a&b/", "n/a&b/deep/", "n/q'uote/", "n/sp ace/", "n/sp ace/Zeta/",
               "n/sp ace/deep/", "n/sp ace/deep/er/", "n/한글 폴더/"]  # fmt: skip
    notes = ["n/" + path.removesuffix(".md") + "/" for path in sorted(NOTES)]
    lastmod = {"n/index/": "2024-01-02", "n/a&b/Tom & Jerry/": "2024-02-03",
               "n/한글 폴더/노트 하나/": "2024-03-04"}  # fmt: skip
    locations = site_pages + sorted(tags) + folders + notes
    assert written == _elementtree_sitemap(base, locations, lastmod)
    urls = [e.text or "" for e in ET.fromstring(written).iter(f"{{{SITEMAP}}}loc")]
    prefix = base.rstrip("/") + "/" if base else ""
    assert [unquote(u.removeprefix(prefix)) for u in urls[1:]] == locations[1:]


def test_folder_pages_leave_out_a_folder_whose_address_a_note_takes(site: Site) -> None:
    pages = folder_pages(site)
    assert "n/x<y/" not in pages  # x<y.md lives there
    assert pages["n/sp ace/deep/er/"] == "sp ace/deep/er"
    assert sorted(pages.values()) == ["a&b", "a&b/deep", "q'uote", "sp ace", "sp ace/Zeta",
                                      "sp ace/deep", "sp ace/deep/er", "한글 폴더"]  # fmt: skip


def test_folder_context_lists_own_note_subfolders_and_notes(site: Site) -> None:
    urls = StaticUrls().at("n/sp ace/")
    context = folder_context(site, urls, "sp ace")
    assert own_note(site, "sp ace") == "sp ace/Index.md"
    assert context["own"]["path"] == "sp ace/Index.md"
    assert context["own"]["url"] == "../../n/sp%20ace/Index/index.html"
    assert [n["title"] for n in context["notes"]] == ["Another", "With space"]
    assert context["subfolders"] == [  # by name, case aside
        {"name": "deep", "url": "../../n/sp%20ace/deep/index.html", "count": 2},
        {"name": "Zeta", "url": "../../n/sp%20ace/Zeta/index.html", "count": 1},
    ]
    assert context["parent"] is None
    deep = folder_context(site, StaticUrls().at("n/sp ace/deep/"), "sp ace/deep")
    assert deep["own"]["path"] == NotePath("sp ace/deep/README.md")
    assert deep["parent"] == {"name": "sp ace", "url": "../../../n/sp%20ace/index.html"}
    assert deep["subfolders"] == [
        {"name": "er", "url": "../../../n/sp%20ace/deep/er/index.html", "count": 1}
    ]
    assert deep["notes"] == []
    assert folder_context(site, urls, "nowhere")["notes"] == []
