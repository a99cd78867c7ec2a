"""DOOR"""

from __future__ import annotations

from kgwiki.web.render.atom import atom, file_entries, site_url
from kgwiki.web.render.body_template import BodyTemplate, fill, make_template
from kgwiki.web.render.explorer import explorer_script
from kgwiki.web.render.feeds import atom_feed, dated_by_files, sitemap
from kgwiki.web.render.folders import folder_pages
from kgwiki.web.render.links import (
    MAX_EMBED_DEPTH,
    Attrs,
    SiteLinks,
    heading_anchor,
    wanted_anchor,
)
from kgwiki.web.render.note_page import (
    description,
    description_tags,
    note_context,
    preview_card,
    preview_paragraphs,
    with_history,
)
from kgwiki.web.render.renderer import Renderer, environment, render_body
from kgwiki.web.render.sanitiser import sanitise, split_heading
from kgwiki.web.render.urls import (
    OUTPUT_AREAS,
    LiveUrls,
    StaticUrls,
    UrlScheme,
    attachment_location,
    encode_location,
    note_location,
    page_location,
    tag_location,
)

__all__ = [
    "MAX_EMBED_DEPTH",
    "OUTPUT_AREAS",
    "Attrs",
    "BodyTemplate",
    "LiveUrls",
    "Renderer",
    "SiteLinks",
    "StaticUrls",
    "UrlScheme",
    "atom",
    "atom_feed",
    "attachment_location",
    "dated_by_files",
    "description",
    "description_tags",
    "encode_location",
    "environment",
    "explorer_script",
    "file_entries",
    "fill",
    "folder_pages",
    "heading_anchor",
    "make_template",
    "note_context",
    "note_location",
    "page_location",
    "preview_card",
    "preview_paragraphs",
    "render_body",
    "sanitise",
    "site_url",
    "sitemap",
    "split_heading",
    "tag_location",
    "wanted_anchor",
    "with_history",
]
