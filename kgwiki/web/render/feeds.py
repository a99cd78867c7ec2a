"""The files around the pages, for both outputs: the Atom feed and the sitemap.

The feed (``build_atom``) lists changelog rows, newest first; a vault without changelogs
gets its most recently modified notes instead. Sitemap and feed carry absolute URLs when the
build has a ``--base-url`` (as both formats want) and site-relative ones otherwise.
"""

from __future__ import annotations

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.vault import disk_path
from kgwiki.web.render.atom import FEED_ENTRIES, FeedEntry, atom, file_entries
from kgwiki.web.render.folders import folder_pages
from kgwiki.web.render.urls import encode_location, note_location, page_location

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
    """``sitemap.xml``: every page, a note's with the date of its newest changelog row.

    Written as text (ElementTree took most of the time at 10,000 notes), byte for byte as
    ``ElementTree.tostring`` with ``ElementTree.indent`` writes it: a location is
    percent-encoded, so only the base URL can hold a character XML escapes.
    """
    notes = site.vault.notes
    locations = [page_location(name) for name in SITE_PAGES] + sorted(tag_locations)
    locations += sorted(folder_pages(site))
    lastmod: dict[str, str] = {}
    for path in sorted(notes):
        location = note_location(path)
        locations.append(location)
        dates = [e.date for e in notes[path].changelog if e.date is not None]
        if dates:
            lastmod[location] = max(dates).isoformat()
    base = _escape_text(base_url.rstrip("/") + "/") if base_url else ""
    out = [f"<?xml version='1.0' encoding='utf-8'?>\n<urlset xmlns=\"{SITEMAP}\">"]
    for location in locations:
        loc = base + encode_location(location) or "./"
        date = lastmod.get(location)
        if date is None:
            out.append(f"\n  <url>\n    <loc>{loc}</loc>\n  </url>")
        else:
            out.append(f"\n  <url>\n    <loc>{loc}</loc>\n    <lastmod>{date}</lastmod>\n  </url>")
    out.append("\n</urlset>\n")
    return "".join(out).encode("utf-8", "xmlcharrefreplace")


def _escape_text(text: str) -> str:
    """Text as ElementTree escapes it outside attributes: ``&``, ``<`` and ``>`` only."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
