"""The Atom feed (``feed.xml``) of a site, live or static, from its entries alone.

Entries are changelog rows (``feeds.feed_entries``); a vault without any gets the notes
whose files changed last, which ``file_entries`` computes from file times and titles — also
all that a local-edit build (``build_local``) has at hand.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass

from kgwiki.types import NotePath
from kgwiki.web.render.urls import encode_location, note_location, page_location

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50


@dataclass(frozen=True, slots=True)
class FeedEntry:
    uid: str
    date: dt.date
    path: NotePath
    title: str
    text: str


def file_entries(
    times: Mapping[NotePath, int], titles: Mapping[NotePath, str], limit: int = FEED_ENTRIES
) -> list[FeedEntry]:
    """The ``limit`` notes whose files changed last (``times``: mtimes in nanoseconds)."""
    dated = sorted(times.items(), key=lambda item: (-item[1], item[0]))
    out = []
    for path, ns in dated[:limit]:
        day = dt.datetime.fromtimestamp(ns // 1_000_000_000, dt.UTC).date()
        out.append(FeedEntry(f"file-{path}-{day}", day, path, titles[path], "updated"))
    return out


def site_url(base: str, location: str) -> str:
    """An absolute URL with a base URL, else a site-relative one (``n/a/``)."""
    return (base.rstrip("/") + "/" if base else "") + encode_location(location)


def atom(entries: list[FeedEntry], title: str, base_url: str) -> bytes:
    """``feed.xml``: the entries, newest first, under the site's title."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    newest = max((e.date for e in entries), default=dt.date(1970, 1, 1))
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    feed_id = site_url(base_url, "") or "urn:kgwiki:" + title
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = f"{newest.isoformat()}T00:00:00Z"
    changes = site_url(base_url, page_location("changes")) or "changes/"
    ET.SubElement(feed, f"{{{ATOM}}}link", href=changes)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=site_url(base_url, "feed.xml"))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = title
    for item in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}title").text = f"{item.title}: {item.text}"
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:kgwiki:{item.uid}"
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = f"{item.date.isoformat()}T00:00:00Z"
        ET.SubElement(entry, f"{{{ATOM}}}link", href=site_url(base_url, note_location(item.path)))
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = item.text
    ET.indent(feed)
    return bytes(ET.tostring(feed, encoding="utf-8", xml_declaration=True)) + b"\n"
