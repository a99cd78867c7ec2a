"""The link check resolves each URL as ``urljoin`` over the page's folder would, whatever
shortcut it takes for URLs that climb to the site's root."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from kgwiki.web.build import build
from kgwiki.web.build.cache import page_file
from kgwiki.web.build.check import extract_links, page_urls


def reference_links(page: str, location: str) -> list[str]:
    """Every URL of the page resolved on its own against the page's folder."""
    base = posixpath.dirname(page_file(location))
    found: set[str] = set()
    for url in page_urls(page):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path:
            continue
        target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
        found.add(target + "/index.html" if parts.path.endswith("/") else target)
    return sorted(found)


URLS = [
    "", "../", "../../", "../..", "../../../", "../../../../", "../../x", "../../x/", "../../../x",
    "../../x/../y", "../../x/./y/", "../../x?q=1", "../../x/#top", "../../?q", "../../#frag",
    "../../%2E%2E/x", "../../a%20b/", "../../http://host/x", "../..//host/x", "../../x:y",
    "..//../x", "./../../x", "x", "./x", "#top", "?q", "//host/x", "https://example.org/",
    "mailto:a@b.c", "../../\tx", "../../ x ", "../../../../../../../x",
]  # fmt: skip
LOCATIONS = ["", "index.html", "404.html", "tags/", "n/a/", "n/a/b/", "n/a b/c/", "n/x/y/z/w/",
             "data/x.js", "n/.hidden/", "n/a..b/"]  # fmt: skip


@pytest.mark.parametrize("location", LOCATIONS)
def test_each_url_resolves_as_on_its_own(location: str) -> None:
    page = "".join(f'<a href="{url}">u</a><img src=\'{url}\'>' for url in URLS)
    assert extract_links(page, location) == reference_links(page, location)


def test_pages_of_a_build_resolve_as_on_their_own(tmp_path: Path) -> None:
    notes = {"a.md": "# A\n\n[[deep/b/c]] [x](deep/b/c.md) ![[pic.png]]\n",
             "deep/b/c.md": "# C\n\n[[a]] [up](../../a.md) [[missing]]\n",
             "deep/d.md": "# D\n\n[[c]] [[a#A]]\n", "pic.png": ""}  # fmt: skip
    vault = tmp_path / "vault"
    for name, text in notes.items():
        (vault / name).parent.mkdir(parents=True, exist_ok=True)
        (vault / name).write_text(text, encoding="utf-8")
    build(vault, tmp_path / "site")
    files = sorted((tmp_path / "site").rglob("*.html"))
    assert any(f.relative_to(tmp_path / "site").parts[:3] == ("n", "deep", "b") for f in files)
    for file in files:
        rel = file.relative_to(tmp_path / "site").as_posix()
        location = rel.removesuffix("index.html") if rel.endswith("/index.html") else rel
        location = "" if rel == "index.html" else location
        page = file.read_text(encoding="utf-8")
        assert extract_links(page, location) == reference_links(page, location), rel
