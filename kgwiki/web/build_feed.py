"""The files around the pages: Atom feed, sitemap and alias redirects.

The feed lists changelog rows, newest first; a vault without changelogs gets its most
recently modified notes instead. Sitemap and feed carry absolute URLs when the build has a
``--base-url`` (as both formats want) and site-relative ones otherwise.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from kgwiki.types import NotePath
from kgwiki.web.build_cache import page_file
from kgwiki.web.render import environment
from kgwiki.web.site import Site
from kgwiki.web.urls import StaticUrls, encode_location, note_location, page_location

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_ENTRIES = 50
SITE_PAGES = ("home", "search", "tags", "graph", "wanted", "duplicates", "changes", "lint", "trust")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    uid: str
    date: dt.date
    path: NotePath
    title: str
    text: str


def feed_entries(site: Site, limit: int = FEED_ENTRIES) -> list[FeedEntry]:
    """Changelog rows; without any, the notes whose files changed last (by mtime)."""
    changes = [c for c in site.changes(limit) if c.path in site.vault.notes]
    if changes:
        return [FeedEntry(c.uid, c.date, c.path, c.title, c.text) for c in changes]
    dated: list[tuple[float, NotePath]] = []
    for path in site.vault.notes:
        try:
            dated.append(((site.vault.root / path).stat().st_mtime, path))
        except OSError:
            continue
    dated.sort(key=lambda item: (-item[0], item[1]))
    out = []
    for mtime, path in dated[:limit]:
        day = dt.datetime.fromtimestamp(mtime, dt.UTC).date()
        title = site.vault.notes[path].title
        out.append(FeedEntry(f"file-{path}-{day}", day, path, title, "updated"))
    return out


def _url(base: str, location: str) -> str:
    """An absolute URL with a base URL, else a site-relative one (``n/a/``)."""
    return (base.rstrip("/") + "/" if base else "") + encode_location(location)


def atom_feed(site: Site, base_url: str) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    entries = feed_entries(site)
    newest = max((e.date for e in entries), default=dt.date(1970, 1, 1))
    ET.SubElement(feed, f"{{{ATOM}}}title").text = site.config.site_title
    feed_id = _url(base_url, "") or "urn:kgwiki:" + site.config.site_title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{newest.isoformat()}T00:00:00Z"
    changes = _url(base_url, page_location("changes")) or "changes/"
    ET.SubElement(feed, f"{{{ATOM}}}link", href=changes)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=_url(base_url, "feed.xml"))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = site.config.site_title
    for item in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{item.title}: {item.text}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:kgwiki:{item.uid}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{item.date.isoformat()}T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}link", href=_url(base_url, note_location(item.path)))
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = item.text
    ET.indent(feed)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"


def sitemap(site: Site, base_url: str, tag_locations: list[str]) -> bytes:
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    locations = [page_location(name) for name in SITE_PAGES] + sorted(tag_locations)
    lastmod: dict[str, str] = {}
    for path in sorted(site.vault.notes):
        location = note_location(path)
        locations.append(location)
        dates = [e.date for e in site.vault.notes[path].changelog if e.date is not None]
        if dates:
            lastmod[location] = max(dates).isoformat()
    for location in locations:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = _url(base_url, location) or "./"
        if location in lastmod:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = lastmod[location]
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


def alias_redirects(site: Site, base_url: str) -> dict[str, bytes]:
    """``n/<alias>/index.html`` for each alias that names no note page: a redirect to the note."""
    taken = {note_location(path) for path in site.vault.notes}
    template = environment().get_template("redirect.html")
    pages: dict[str, bytes] = {}
    for path in sorted(site.vault.notes):
        note = site.vault.notes[path]
        for alias in note.aliases:
            location = note_location(NotePath(alias.strip().strip("/") + ".md"))
            if not alias.strip().strip("/") or location in taken:
                continue
            taken.add(location)
            target = StaticUrls(base_url).at(location).note(path)
            canonical = _url(base_url, note_location(path)) if base_url else target
            html = template.render(title=note.title, alias=alias, target=target,
                                   canonical=canonical)  # fmt: skip
            pages[page_file(location)] = html.encode("utf-8")
    return pages
