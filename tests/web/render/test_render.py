"""Note pages as the renderer draws them: bodies, links, embeds, sanitising, badges, banners."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from paths import ROOTS

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import LiveUrls, Renderer, StaticUrls, sanitise

DATA = ROOTS / "web"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def bundled(bundled_vault_dir: Path) -> Site:
    return Site.load(bundled_vault_dir, with_search=False, with_duplicates=False, today=TODAY)


@pytest.fixture(scope="module")
def links_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("links") / "vault"
    shutil.copytree(DATA / "links", root)
    return Site.load(root, with_search=False, with_duplicates=False, today=TODAY)


class _Elements(HTMLParser):
    """Every start tag with its attributes (a real HTML parse, not a substring search)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


def test_flattened_seed_renders_headings_code_and_table(bundled: Site) -> None:
    path = NotePath("10_Wiki/Topics/server-architecture.md")
    assert bundled.vault.notes[path].flattened
    html = Renderer(bundled, StaticUrls()).note(path)
    ids = [attrs.get("id") for tag, attrs in elements(html) if tag in ("h2", "h3")]
    assert {"매-한-줄", "매-핵심", "매-layer", "1-stateless-service-sticky-data"} <= set(ids)
    assert "<table>" in html and "<th>상황</th>" in html
    assert html.count('<pre><code class="language-') >= 3
    assert '<span class="k">' in html  # Pygments token classes survive sanitising
    assert "This note was stored on one line" in html


def test_korean_note_page(bundled: Site) -> None:
    html = Renderer(bundled, StaticUrls()).note(NotePath("10_Wiki/Topics/kubernetes.md"))
    assert '<h1 id="kubernetes">Kubernetes</h1>' in html
    assert '<h2 id="매-한-줄">매 한 줄</h2>' in html
    assert "쿠버네티스는" in html
    assert '<span class="alias">쿠버네티스</span>' in html
    # The bash block's [[not a link]] stays code, never a link.
    assert "[[not a link]]" in html and "not a link</a>" not in html
    links = [a["href"] for tag, a in elements(html)
             if tag == "a" and "wikilink" in (a.get("class") or "")]  # fmt: skip
    # [[Container]], relative to n/10_Wiki/Topics/kubernetes/index.html
    assert "../../../../n/10_Wiki/Topics/container/index.html" in links


def test_wikilinks_resolve_to_pages_and_anchors(links_site: Site) -> None:
    body = Renderer(links_site, StaticUrls()).body(NotePath("home.md"))
    anchors = [a for tag, a in elements(body) if tag == "a"]
    hrefs = {a["href"] for a in anchors}
    assert "../../n/Target/index.html" in hrefs
    assert "../../n/Target/index.html#second-section" in hrefs
    assert "../../n/Target/index.html#^para" in hrefs
    assert "../../n/Target/index.html#first-section" in hrefs  # a Markdown link to Target.md
    wanted = [a for a in anchors if "wanted" in (a.get("class") or "")]
    assert [a["href"] for a in wanted] == ["../../wanted/index.html#w-nowhere-yet"]
    assert all(a.get("data-path") == "Target.md" for a in anchors
               if (a.get("href") or "").startswith("../../n/Target/"))  # fmt: skip


def test_live_urls_are_absolute(links_site: Site) -> None:
    body = Renderer(links_site, LiveUrls("/wiki/")).body(NotePath("home.md"))
    assert 'href="/wiki/n/Target/#second-section"' in body
    assert 'src="/wiki/f/media/pic.png"' in body
    assert 'href="/wiki/wanted/#w-nowhere-yet"' in body


def test_embeds_transclude_images_and_sections(links_site: Site) -> None:
    body = Renderer(links_site, StaticUrls()).body(NotePath("home.md"))
    images = [a for tag, a in elements(body) if tag == "img"]
    assert images == [{"class": "embed", "src": "../../f/media/pic.png", "alt": "pic.png",
                       "width": "120"}]  # fmt: skip
    section = body[body.index('<div class="embed-note" data-path="Target.md">'):]
    section = section[: section.index('<div class="embed-note" data-path="Loop A.md">')]
    assert "Text of the second section" in section
    assert '<span class="k">def</span>' in section
    assert "Not part of the embedded second section" not in section
    assert "The first paragraph" not in section


def test_embed_recursion_stops(links_site: Site) -> None:
    body = Renderer(links_site, StaticUrls()).body(NotePath("home.md"))
    assert body.count("Loop A text.") == 1
    assert body.count("Loop B text.") == 1
    loop = body[body.index('data-path="Loop B.md"'):]
    # Loop B embeds Loop A, which is already being shown: a link, not a second copy.
    assert re.search(r'<a class="wikilink" href="[^"]*Loop%20A/index.html"', loop)


def test_callouts_are_marked(bundled: Site) -> None:
    path = NotePath("10_Wiki/Topics/microservice-architecture.md")
    html = Renderer(bundled, StaticUrls()).body(path)
    assert '<div class="callout" data-callout="warning">\n<div class="callout-title">' in html
    assert '<div class="callout-title-inner">중복 노트</div>' in html
    assert '<div class="callout-content">\n<p>이 노트는 <a class="wikilink"' in html
    assert "<svg" in html and "[!warning]" not in html


def test_note_html_is_sanitised(links_site: Site) -> None:
    html = Renderer(links_site, StaticUrls()).note(NotePath("xss.md"))
    body = html[html.index("<!--kg:body-->"): html.index("<!--/kg:body-->")]
    assert "<script" not in body and "alert(1)" not in body
    assert "onerror" not in body and "onclick" not in body and "onmouseover" not in body
    assert "javascript:" not in body.replace("[x](javascript:alert(3))", "")
    for tag, attrs in elements(body):
        assert tag not in ("script", "style", "iframe")
        for name, value in attrs.items():
            assert not name.startswith("on")
            assert not (value or "").strip().lower().startswith("javascript:")
    assert 'href="https://example.com/"' in body and 'href="mailto:someone@example.com"' in body


def test_sanitise_keeps_what_notes_need() -> None:
    html = ('<h2 id="x">T</h2><pre><code class="language-py"><span class="k">def</span></code>'
            '</pre><table><tr><th style="text-align:right">n</th></tr></table>'
            '<a href="#^b" id="^b" class="block-anchor"></a>'
            '<img src="a.png" onload="x()">')  # fmt: skip
    clean = sanitise(html)
    assert '<h2 id="x">' in clean and '<span class="k">' in clean
    assert 'style="text-align:right"' in clean and 'id="^b"' in clean
    assert "onload" not in clean


def test_duplicate_banner_points_to_canonical(bundled: Site) -> None:
    duplicate = NotePath("10_Wiki/Topics/microservice-architecture.md")
    html = Renderer(bundled, StaticUrls()).note(duplicate)
    banner = html[html.index('<div class="banner duplicate"'):]
    banner = banner[: banner.index("</div>")]
    assert 'href="../../../../n/10_Wiki/Topics/microservices/index.html"' in banner
    assert ">Microservices</a>" in banner
    canonical = Renderer(bundled, StaticUrls()).note(NotePath("10_Wiki/Topics/microservices.md"))
    assert 'class="banner duplicate"' not in canonical


def test_stale_and_low_trust_badges(bundled: Site) -> None:
    renderer = Renderer(bundled, LiveUrls())
    stale = renderer.note(NotePath("10_Wiki/Topics/server-architecture.md"))
    badge = re.search(r'<span class="trust([^"]*)" data-level="A"[^>]*>(.*?)</span>\s*</span>',
                      stale, re.DOTALL)  # fmt: skip
    assert badge is not None and "stale" in badge.group(1)
    assert "A · 0.90 · applied" in badge.group(2)
    assert "197 days ago" in badge.group(2)  # last_reinforced 2026-05-10
    low = renderer.note(NotePath("30_Inbox/platform-engineering.md"))
    assert re.search(r'<span class="trust[^"]*\blow\b[^"]*" data-level="E"', low)
    fresh = renderer.note(NotePath("10_Wiki/Topics/kubernetes.md"))
    assert re.search(r'<span class="trust" data-level="A"', fresh)  # neither stale nor low
    assert "11 days ago" in fresh


def test_static_badge_leaves_the_age_to_the_browser(bundled: Site) -> None:
    html = Renderer(bundled, StaticUrls()).note(NotePath("10_Wiki/Topics/kubernetes.md"))
    assert '<time class="age" datetime="2026-11-12" data-stale-days="90">2026-11-12</time>' in html
    assert "days ago" not in html


def test_note_page_shows_relations_backlinks_and_local_graph(bundled: Site) -> None:
    html = Renderer(bundled, StaticUrls()).note(NotePath("10_Wiki/Topics/kubernetes.md"))
    start = html.index('<nav class="breadcrumbs"')
    crumbs = html[start : html.index("</nav>", start)]
    assert ">Cloud Native</a>" in crumbs
    assert "<h2>Children</h2>" in html and ">Helm</a>" in html
    backlinks = html[html.index('<section class="backlinks"'):]
    assert 'data-path="10_Wiki/Topics/helm.md"' in backlinks
    assert '<script type="application/json" id="local-graph-data">' in html
    assert "<h2 id=\"history-h\">History</h2>" in html and "Graceful shutdown" in html


def test_every_page_renders(bundled: Site) -> None:
    for urls in (StaticUrls(), LiveUrls()):
        renderer = Renderer(bundled, urls)
        pages = [renderer.home(), renderer.search(""), renderer.tags(), renderer.tag("kubernetes"),
                 renderer.graph(), renderer.wanted(), renderer.duplicates(), renderer.changes(),
                 renderer.lint(), renderer.trust(), renderer.new_note_form("tok"),
                 renderer.not_found("gone")]  # fmt: skip
        for html in pages:
            assert html.startswith("<!doctype html>")
            assert f'data-mode="{urls.mode}"' in html
    wanted = Renderer(bundled, StaticUrls()).wanted()
    assert 'id="w-chaos-engineering"' in wanted and 'id="w-data-mesh"' in wanted


def test_a_line_linking_twice_is_one_backlink_line(bundled: Site) -> None:
    # cqrs.md:62 links [[Outbox Pattern]] and [[Outbox Pattern#^relay]] on one line
    context = Renderer(bundled, StaticUrls()).note_context(
        NotePath("10_Wiki/Patterns/outbox-pattern.md"))
    groups = {b["path"]: b["lines"] for b in context["backlinks"]["notes"]}
    cqrs = groups["10_Wiki/Patterns/cqrs.md"]
    assert [row["line"] for row in cqrs].count(62) == 1
    for lines in groups.values():
        rows = [(row["line"], row["kind"], row["context"]) for row in lines]
        assert len(rows) == len(set(rows))


def test_an_obsidian_base_embed_is_named_not_linked(shared_dir: Path, tmp_path: Path) -> None:
    """``![[People.base]]`` (kepano's category pages): linking the file would download its
    YAML; the page names the base and says where the notes naming this one are."""
    vault = Path(shutil.copytree(shared_dir / "corpora" / "kepano-obsidian", tmp_path / "v"))
    site = Site.load(vault, with_search=False, with_duplicates=False, today=TODAY)
    renderer = Renderer(site, StaticUrls())
    for path, name in (("Categories/People.md", "People"), ("References/Kevin Kelly.md", "Books")):
        body = renderer.body(NotePath(path))
        assert f'<div class="embed-base"><strong>{name}</strong>' in body, path
        assert ".base" not in body, path
    context = renderer.note_context(NotePath("Categories/People.md"))
    assert context["backlinks"]["total"] > 0  # the notes the notice points to
    # a note naming People in its frontmatter shows that property as its line of context
    lines = [row for b in context["backlinks"]["notes"] for row in b["lines"]]
    assert lines and all(row["context"] == "categories: People" for row in lines), lines
