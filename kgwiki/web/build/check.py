"""The link check of a static build: the site files a page links to, and which are missing.

A build knows every file it will write before it renders a page, so each page is checked as
it is rendered, and only its broken links are recorded.

URLs are read from the attributes of the page's tags, never from its text: ``href="…"``
shown in a code block or quoted in a note is text (``&lt;a href="…"&gt;``), not a link. The
page is cut into markup tokens as an HTML parser cuts it (comments, declarations,
``<script>``/``<style>`` with their raw contents, start tags whose quoted values may hold
``>`` or ``<``), and only the attributes of start tags are read, one after another.
``html.parser`` reads the same URLs (the tests compare the two on every page of a build) but
is several times slower, and this runs on every page of a build.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from urllib.parse import unquote, urlsplit

from kgwiki.web.build.cache import page_file

_VALUES = r"""((?:[^>"']++|"[^"]*+"|'[^']*+')*+)>"""  # a tag's attributes, then its '>'
_RAW_TEXT = r"[^<]*+(?:<(?!/(?i:\1)[\s>])[^<]*+)*+"  # up to the element's end tag
_TOKEN = re.compile(
    r"<(?:!--.*?(?:-->|\Z)"  # a comment
    r"|[!?][^>]*+>?"  # a declaration or processing instruction
    r"|((?i:script|style))(?=[\s/>])" + _VALUES + _RAW_TEXT  # raw text
    + r"|[a-zA-Z][^\s/>]*+" + _VALUES + ")",  # any other start tag (end tags hold no URL)
    re.DOTALL,
)
# One attribute: its name, then its value (quoted values whole, so a value is never read as
# attributes of its own).
_ATTRIBUTE = re.compile(r"""([^\s"'>/=][^\s/>=]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]*))?""")
_URL_NAMES = frozenset({"href", "src"})
_NAMES_ANY_CASE = re.compile("href|src", re.IGNORECASE).search


def page_urls(page: str) -> set[str]:
    """Every ``href``/``src`` value of a page's tags, entities decoded."""
    return set().union(*map(_tag_urls, _url_tags(page)))


def _url_tags(page: str) -> list[str]:
    """The attributes of the page's tags that may name a URL (``href``/``src`` in any case)."""
    tags = [script or tag for _raw, script, tag in _TOKEN.findall(page) if script or tag]
    joined = "\x00".join(tags)
    lowered = joined.lower()
    if lowered.count("href") + lowered.count("src") == joined.count("href") + joined.count("src"):
        return [tag for tag in tags if "href" in tag or "src" in tag]
    return [tag for tag in tags if _NAMES_ANY_CASE(tag)]  # HREF, Src…: rare, so the slow way


@functools.lru_cache(maxsize=65536)
def _tag_urls(attributes: str) -> tuple[str, ...]:
    """The URLs of one tag's attributes (cached: navigation repeats on every page)."""
    urls: list[str] = []
    for name, value in _ATTRIBUTE.findall(attributes):
        if value and name.lower() in _URL_NAMES:
            if value[0] in "\"'":
                value = value[1:-1]
            urls.append(html.unescape(value))
    return tuple(urls)


def extract_links(page: str, location: str) -> list[str]:
    """The site files a page links to (href/src resolved against its folder).

    External URLs, ``mailto:`` and pure ``#fragment`` links are not site files.
    """
    base = posixpath.dirname(page_file(location))
    # A URL that climbs exactly to the site's root (``../../x`` from ``n/a/``) names the same
    # file from every page of that depth: resolved once per build, not once per page.
    depth = base.count("/") + 1 if base and _plain(base) else 0
    up = "../" * depth
    found: set[str] = set()
    for url in page_urls(page):  # navigation and repeated links: once each
        target: str | None
        if depth and url.startswith(up):
            target = _from_root(url[len(up) :])
        else:
            target = _site_file(base, url)
        if target is not None:
            found.add(target)
    return sorted(found)


def _plain(base: str) -> bool:
    """True when every part of a folder path is a name (no ``.``, ``..`` or empty parts)."""
    return not base.startswith("/") and all(p not in ("", ".", "..") for p in base.split("/"))


@functools.lru_cache(maxsize=65536)
def _site_file(base: str, url: str) -> str | None:
    """The site file ``url`` names from folder ``base`` (None: not a file of the site).

    Cached: the navigation of every page in one folder names the same files the same way.
    """
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return target + "/index.html" if parts.path.endswith("/") else target


@functools.lru_cache(maxsize=65536)
def _from_root(rest: str) -> str:
    """``_site_file(base, "../" * depth + rest)`` for a plain ``base`` of that depth.

    The ``..`` parts undo ``base`` exactly (what follows is read from the root, so a leading
    ``/`` is an empty part, not the filesystem's root), and a URL starting ``../`` has no
    scheme or host.
    """
    path = urlsplit("../" + rest).path  # query and fragment split off as for the whole URL
    target = posixpath.normpath(unquote(path[3:]).lstrip("/"))
    return target + "/index.html" if path.endswith("/") else target


def broken_targets(page: str, location: str, known: frozenset[str]) -> list[str]:
    """The links of a page to files the site will not have."""
    return [target for target in extract_links(page, location) if target not in known]
