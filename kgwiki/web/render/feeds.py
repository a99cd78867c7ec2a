"""The files around the pages, for both outputs: the Atom feed and the sitemap.

The feed (``build_atom``) lists changelog rows, newest first; a vault without changelogs
gets its most recently modified notes instead. Sitemap and feed carry absolute URLs when the
build has a ``--base-url`` (as both formats want) and site-relative ones otherwise.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.vault import disk_path
from kgwiki.web.render.atom import FEED_ENTRIES, FeedEntry, atom, file_entries, site_url
from kgwiki.web.render.folders import folder_pages
from kgwiki.web.render.urls import note_location, page_location

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITE_PAGES = ("home", "search", "tags", "graph", "wanted", "duplicates", "changes", "lint", "trust",
              "dashboard")  # fmt: skip


def dated_by_files(site: Site) -> bool:
    """Whether the feed lists files by their dates (the vault has no changelog rows)."""
    return not any(c.path in site.vault.notes for c in site.changes(FEED_ENTRIES))


def feed_entries(site: Site, limit: int = FEED_ENTRIES) -> list[FeedEntry]:
    """Changelog rows; without any, the notes whose files changed last (by mtime)."""
    changes = [c for c in site.changes(limit) if c.path in site.vault.notes]
    if changes:
        return [FeedEntry(c.uid, c.date, c.path, c.title, c.text) for c in changes]
    times: dict[NotePath, int] = {}
    for path in site.vault.notes:
        try:
            times[path] = disk_path(site.vault.root, path).stat().st_mtime_ns
        except OSError:
            continue
    return file_entries(times, {p: n.title for p, n in site.vault.notes.items()}, limit)


def atom_feed(site: Site, base_url: str) -> bytes:
    return atom(feed_entries(site), site.config.site_title, base_url)


def sitemap(site: Site, base_url: str, tag_locations: list[str]) -> bytes:
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    locations = [page_location(name) for name in SITE_PAGES] + sorted(tag_locations)
    locations += sorted(folder_pages(site))
    lastmod: dict[str, str] = {}
    for path in sorted(site.vault.notes):
        location = note_location(path)
        locations.append(location)
        dates = [e.date for e in site.vault.notes[path].changelog if e.date is not None]
        if dates:
            lastmod[location] = max(dates).isoformat()
    for location in locations:
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = site_url(base_url, location) or "./"
        if location in lastmod:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = lastmod[location]
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"
