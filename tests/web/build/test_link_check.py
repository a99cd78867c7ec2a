"""The build's link check reads URLs from tags, never from text a page shows."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from build_support import small_vault

from kgwiki.web.build import build
from kgwiki.web.build.check import broken_targets, extract_links, page_urls

CODE_NOTE = """---
title: Embedding a page
---
# Embedding a page

Write the link like this:

```html
<a href="missing/page.html">the page</a>
<img src="nowhere.png" alt="">
<script src="gone.js"></script>
```

Or inline: `<a href="also-missing.html">`, and in prose: href="not-a-link.html".
"""


class _Reference(HTMLParser):
    """What the standard library's HTML parser reads as href/src values."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls.update(v for k, v in attrs if k in ("href", "src") and v is not None)

    handle_startendtag = handle_starttag


def reference_urls(page: str) -> set[str]:
    parser = _Reference()
    parser.feed(page)
    parser.close()
    return parser.urls


def test_html_shown_in_a_code_block_is_not_a_broken_link(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "vault", {"embedding.md": CODE_NOTE})
    result = build(vault, tmp_path / "site")
    page = (tmp_path / "site" / "n" / "embedding" / "index.html").read_text(encoding="utf-8")
    assert '<code>&lt;a href="also-missing.html"&gt;</code>' in page, "shown as text"
    assert 'href="not-a-link.html"' in page
    assert [line for line in result.broken if line.startswith("n/embedding/")] == []


TRICKY = """<!doctype html><html><head>
<script src="app.js"></script>
<script>const html = '<a href="in-script.html">';</script>
<style>a[href="in-style.css"] { color: red }</style>
<link rel=stylesheet href=bare.css>
</head><body>
<!-- <a href="in-comment.html"> -->
<p title="a > b" data-x='<a href="in-value.html">'><a HREF="upper.html">x</a></p>
<pre><code>&lt;a href="in-code.html"&gt;</code></pre>
<p>text href="in-text.html" and src='in-text.png'</p>
<a href="q.html?a=1&amp;b=2#top">q</a><img data-src="lazy.png" src='single.png'/>
<a href = "spaced.html">s</a><SCRIPT SRC="shout.js"></SCRIPT>
</body></html>"""


def test_urls_come_from_tags_only() -> None:
    assert page_urls(TRICKY) == {"app.js", "bare.css", "upper.html", "q.html?a=1&b=2#top",
                                 "single.png", "spaced.html", "shout.js"}  # fmt: skip
    assert page_urls(TRICKY) == reference_urls(TRICKY)


def test_links_resolve_against_the_page_folder() -> None:
    page = '<a href="../b/">b</a><img src="../../f/x%20y.png"><a href="#top">t</a>'
    page += '<a href="https://example.org/">e</a><a href="mailto:a@b.c">m</a>'
    assert extract_links(page, "n/a/") == ["f/x y.png", "n/b/index.html"]
    assert broken_targets(page, "n/a/", frozenset({"n/b/index.html"})) == ["f/x y.png"]


@pytest.fixture(scope="module")
def bundled_site(bundled_vault_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("link-check")
    vault = shutil.copytree(bundled_vault_dir, work / "vault",
                            ignore=shutil.ignore_patterns(".kgwiki"))  # fmt: skip
    build(Path(vault), work / "site")
    return work / "site"


def test_every_page_of_a_build_reads_as_html_parser_reads_it(bundled_site: Path) -> None:
    pages = sorted(bundled_site.rglob("*.html"))
    assert len(pages) > 100
    for file in pages:
        text = file.read_text(encoding="utf-8")
        assert page_urls(text) == reference_urls(text), file
