"""The link check of a static build: the site files a page links to, and which are missing.

A build knows every file it will write before it renders a page, so each page is checked as
it is rendered, and only its broken links are recorded.
"""

from __future__ import annotations

import functools
import posixpath
import re
from urllib.parse import unquote, urlsplit

from kgwiki.web.build.cache import page_file

_URL_ATTR = re.compile(r'(?:href|src)="([^"]*)"')


def extract_links(html: str, location: str) -> list[str]:
    """The site files a page links to (href/src resolved against its folder).

    External URLs, ``mailto:`` and pure ``#fragment`` links are not site files.
    """
    base = posixpath.dirname(page_file(location))
    found: set[str] = set()
    for url in set(_URL_ATTR.findall(html)):  # navigation and repeated links: once each
        target = _site_file(base, url)
        if target is not None:
            found.add(target)
    return sorted(found)


@functools.lru_cache(maxsize=65536)
def _site_file(base: str, url: str) -> str | None:
    """The site file ``url`` names from folder ``base`` (None: not a file of the site).

    Cached: the navigation of every page in one folder names the same files the same way.
    """
    parts = urlsplit(url.replace("&amp;", "&"))
    if parts.scheme or parts.netloc or not parts.path:
        return None
    target = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    return target + "/index.html" if parts.path.endswith("/") else target


def broken_targets(html: str, location: str, known: frozenset[str]) -> list[str]:
    """The links of a page to files the site will not have."""
    return [target for target in extract_links(html, location) if target not in known]
