"""Where every page lives: one URL scheme for the live server, one for the static build.

A note at ``a/b c.md`` is the page ``n/a/b%20c/`` (``LiveUrls``: ``/n/a/b%20c/``;
``StaticUrls``: ``../../n/a/b%20c/index.html`` relative to the page being written). Page
locations (``n/a/b c/``, unencoded, always ending in ``/``) name output folders; URLs are
their percent-encoded spellings.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import quote

from kgwiki.types import NotePath
from kgwiki.vault import NOTE_SUFFIXES

PAGE_NAMES = frozenset(
    {"home", "search", "tags", "tag", "graph", "wanted", "duplicates", "changes", "lint",
     "trust", "new", "dashboard"}
)  # fmt: skip
_UNSAFE_SEGMENTS = frozenset({"", ".", ".."})


def _segment(name: str) -> str:
    """A path segment that can never climb (``..``) or vanish (``""``)."""
    return f"~{name}" if name in _UNSAFE_SEGMENTS else name


def _parts(path: str) -> list[str]:
    """``PurePosixPath(path).parts``, by ``str.split`` where the two agree (no empty or
    ``.`` segment): several times cheaper, and a build asks once per note and attachment."""
    parts = path.split("/")
    if "" in parts or "." in parts:
        return list(PurePosixPath(path).parts)
    return parts


@lru_cache(maxsize=65536)
def note_location(path: NotePath) -> str:
    """The folder of a note's page relative to the site root: ``n/a/b/`` for ``a/b.md``."""
    stem = path
    for suffix in NOTE_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = NotePath(stem[: -len(suffix)])
            break
    parts = [_segment(part) for part in _parts(stem)] or [_segment("")]
    return "n/" + "/".join(parts) + "/"


@lru_cache(maxsize=8192)
def tag_location(tag: str) -> str:
    """``tags/a/b/`` for the nested tag ``a/b`` (case-folded, so ``#Kafka`` is ``#kafka``)."""
    parts = [_segment(part) for part in tag.casefold().split("/")]
    return "tags/" + "/".join(parts) + "/"


def attachment_location(path: NotePath) -> str:
    """Where an attachment is copied in a built site: ``f/<vault path>``."""
    return "f/" + "/".join(_segment(part) for part in _parts(path))


_PAGE_LOCATIONS = {
    "home": "", "search": "search/", "tags": "tags/", "graph": "graph/", "wanted": "wanted/",
    "duplicates": "duplicates/", "changes": "changes/", "lint": "lint/", "trust": "trust/",
    "new": "new/", "dashboard": "dashboard/",
}  # fmt: skip


# Where a built site's files go (the folders, and the files at its root): a build owns these.
_FOLDERS = {"n", "f", "data", "static", *(p.rstrip("/") for p in _PAGE_LOCATIONS.values() if p)}
OUTPUT_AREAS = (*sorted(_FOLDERS), "index.html", "404.html", "feed.xml", "sitemap.xml")


def page_location(name: str, arg: str | None = None) -> str:
    """The folder of a site-wide page (``tag`` takes the tag as ``arg``)."""
    if name == "tag":
        return tag_location(arg or "")
    try:
        return _PAGE_LOCATIONS[name]
    except KeyError:
        raise ValueError(f"unknown page {name!r}") from None


@lru_cache(maxsize=65536)
def encode_location(location: str) -> str:
    """Percent-encode a location segment by segment (``/`` stays a separator).

    One ``quote`` of the whole location with ``/`` safe is the same: quoting goes byte by
    byte, and no other character's UTF-8 bytes contain the byte of ``/``.
    """
    return quote(location, safe="/~")


@lru_cache(maxsize=65536)
def _note_page_file(path: NotePath) -> str:
    """A note page's file as a URL from the site root (``n/a%20b/index.html``)."""
    return encode_location(note_location(path)) + "index.html"


def location_depth(location: str) -> int:
    """How many folders below the root a page location is (``n/a/b/`` → 3)."""
    return location.count("/")


class UrlScheme(Protocol):
    """How templates and link renderers spell URLs; ``at`` gives the scheme for one page."""

    mode: str

    def note(self, path: NotePath) -> str: ...
    def page(self, name: str, arg: str | None = None) -> str: ...
    def asset(self, name: str) -> str: ...
    def data(self, name: str) -> str: ...
    def file(self, path: NotePath) -> str: ...
    def withheld(self, path: NotePath) -> bool: ...
    def root(self) -> str: ...
    def at(self, location: str) -> UrlScheme: ...


class _LocationUrls:
    """The URL of every kind of location, given how one location becomes a URL."""

    def _url(self, location: str) -> str:
        raise NotImplementedError

    def note(self, path: NotePath) -> str:
        return self._url(note_location(path))

    def page(self, name: str, arg: str | None = None) -> str:
        return self._url(page_location(name, arg))

    def asset(self, name: str) -> str:
        return self._url("static/" + name)

    def data(self, name: str) -> str:
        return self._url("data/" + name)

    def file(self, path: NotePath) -> str:
        return self._url(attachment_location(path))

    def withheld(self, path: NotePath) -> bool:
        """Whether the attachment ``path`` is kept out of the site (``web.build.assets``)."""
        return False


class LiveUrls(_LocationUrls):
    """Absolute URLs under ``base`` for the starlette app: ``/n/a/b/``, ``/static/site.css``."""

    mode = "live"

    def __init__(self, base: str = "/") -> None:
        self.base = base if base.endswith("/") else base + "/"

    def _url(self, location: str) -> str:
        return self.base + encode_location(location)

    def root(self) -> str:
        return self.base

    def at(self, location: str) -> LiveUrls:
        return self


class StaticUrls(_LocationUrls):
    """Relative URLs ending in ``index.html``, so a built site works from disk and any sub-path.

    ``depth`` is how many folders below the site root the page being written is;
    ``base`` (``--base-url``) is used only where a URL must be absolute (feed, sitemap).
    """

    mode = "static"

    def __init__(self, base: str = "", depth: int = 0,
                 withheld: frozenset[str] = frozenset()) -> None:  # fmt: skip
        self.base = base.rstrip("/") + "/" if base else ""
        self.depth = depth
        self._prefix = "../" * depth
        self._withheld = withheld  # attachments the build did not copy (they could run script)

    def _url(self, location: str) -> str:
        url = self._prefix + encode_location(location)
        if location == "" or location.endswith("/"):
            url += "index.html"
        return url

    def note(self, path: NotePath) -> str:
        return self._prefix + _note_page_file(path)  # pages list notes by the thousand

    def root(self) -> str:
        return self._prefix or "./"

    def withheld(self, path: NotePath) -> bool:
        return path in self._withheld

    def at(self, location: str) -> StaticUrls:
        return StaticUrls(self.base, location_depth(location), self._withheld)

    def absolute(self, location: str) -> str:
        """An absolute URL for feeds and sitemaps (``location`` itself without a base URL)."""
        return self.base + encode_location(location)
