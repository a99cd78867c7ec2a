"""URL schemes: where pages live, how they are spelled live and on disk, and the asset files."""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

import pytest

from kgwiki.types import NotePath
from kgwiki.web.build.assets import STATIC, pygments_css
from kgwiki.web.render import (
    LiveUrls,
    StaticUrls,
    attachment_location,
    note_location,
    page_location,
    tag_location,
)


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("a.md", "n/a/"),
        ("10_Wiki/Topics/kubernetes.md", "n/10_Wiki/Topics/kubernetes/"),
        ("노트/서버 아키텍처.md", "n/노트/서버 아키텍처/"),
        ("x/index.md", "n/x/index/"),
        ("Notes.MARKDOWN", "n/Notes/"),
        (".md", "n/~/"),
        ("...md", "n/~../"),
        ("a//b.md", "n/a/b/"),  # empty and "." segments drop, as in PurePosixPath
        ("a/./b.md", "n/a/b/"),
    ],
)
def test_note_locations(path: str, location: str) -> None:
    assert note_location(NotePath(path)) == location


def test_segments_never_climb() -> None:
    assert tag_location("../..") == "tags/~../~../"
    assert tag_location("Kafka/Streams") == "tags/kafka/streams/"
    assert attachment_location(NotePath("img/a b.png")) == "f/img/a b.png"
    with pytest.raises(ValueError, match="unknown page"):
        page_location("nowhere")


def test_live_urls_are_absolute_and_encoded() -> None:
    urls = LiveUrls("/wiki")
    assert urls.note(NotePath("노트/서버 아키텍처.md")) == (
        "/wiki/n/%EB%85%B8%ED%8A%B8/%EC%84%9C%EB%B2%84%20%EC%95%84%ED%82%A4%ED%85%8D%EC%B2%98/"
    )
    assert urls.page("home") == "/wiki/"
    assert urls.page("tag", "a/b") == "/wiki/tags/a/b/"
    assert urls.asset("style.css") == "/wiki/static/style.css"
    assert urls.at("n/deep/page/") is urls


@pytest.mark.parametrize("location", ["", "search/", "n/a/", "n/a/b/c/", "tags/x/y/"])
def test_static_urls_lead_back_to_the_root(location: str) -> None:
    urls = StaticUrls("https://example.org/wiki/").at(location)
    page_dir = location.rstrip("/")
    for url, target in [(urls.note(NotePath("z/y.md")), "n/z/y/index.html"),
                        (urls.page("home"), "index.html"),
                        (urls.page("tags"), "tags/index.html"),
                        (urls.asset("app.js"), "static/app.js"),
                        (urls.data("graph.js"), "data/graph.js")]:  # fmt: skip
        assert not url.startswith("/") and "://" not in url
        assert posixpath.normpath(posixpath.join(page_dir, unquote(url))) == target
    assert urls.root() == ("../" * location.count("/") or "./")
    assert urls.absolute("n/a/") == "https://example.org/wiki/n/a/"


def test_shipped_pygments_stylesheet_is_current() -> None:
    """static/pygments.css is generated; after a Pygments upgrade regenerate it with
    ``python -m kgwiki.web.build.assets``."""
    shipped = (STATIC / "pygments.css").read_text(encoding="utf-8")
    assert shipped == pygments_css()
    assert "pre code .k {" in shipped and ':root[data-theme="dark"] pre code .k {' in shipped
