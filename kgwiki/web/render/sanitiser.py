"""Note HTML made safe to show (nh3), and a body's opening heading told from the rest.

Note HTML from the vault is never trusted: whatever the Markdown holds (raw HTML,
``javascript:`` links, event handlers) is cleaned before it reaches a page.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import nh3

from kgwiki.markdown import CALLOUT_ATTRIBUTES, CALLOUT_TAGS

# MathML that latex2mathml draws for $math$ (presentation elements only: no links, no scripts)
_MATHML = {
    "math", "semantics", "annotation", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace",
    "msub", "msup", "msubsup", "munder", "mover", "munderover", "mfrac", "msqrt", "mroot",
    "mstyle", "mpadded", "mphantom", "menclose", "mtable", "mtr", "mtd", "mmultiscripts",
    "mprescripts", "none", "merror",
}
_MATHML_ATTRIBUTES = {
    "display", "mathvariant", "stretchy", "fence", "separator", "form", "lspace", "rspace",
    "accent", "accentunder", "columnalign", "rowalign", "columnspacing", "rowspacing",
    "columnlines", "rowlines", "frame", "width", "height", "depth", "linethickness",
    "notation", "minsize", "maxsize", "movablelimits", "symmetric", "largeop",
    "displaystyle", "scriptlevel", "encoding", "voffset",
}
_TAGS = (set(nh3.ALLOWED_TAGS) | {"section", "input", "mark", "iframe", "audio", "video"}
         | _MATHML | CALLOUT_TAGS)  # fmt: skip
_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "title", "lang", "dir"},
    "a": {"href", "id", "data-path"},
    "img": {"src", "alt", "width", "height", "loading"},
    "div": {"data-path"},
    "span": {"data-embed", "data-tag"},
    "td": {"style", "colspan", "rowspan"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "li": {"id", "value", "data-task"},
    "sup": {"id"},
    "section": {"id"},
    "input": {"type", "checked", "disabled"},
    # ![[x.pdf]], sound and film from the vault (``_media_source`` keeps their src local)
    "iframe": {"src", "title", "loading"},
    "audio": {"src", "controls", "preload", "title"},
    "video": {"src", "controls", "preload", "title", "width", "height"},
    **{f"h{level}": {"id"} for level in range(1, 7)},
    **{tag: _MATHML_ATTRIBUTES for tag in _MATHML},
}

for _tag, _names in CALLOUT_ATTRIBUTES.items():  # Obsidian callouts: details, svg icons
    _ATTRIBUTES[_tag] = _ATTRIBUTES.get(_tag, set()) | _names

_FRAMES = frozenset({"iframe", "audio", "video"})


def _media_source(element: str, attribute: str, value: str) -> str | None:
    """A frame or player may only show a file of the site itself: a relative ``src``."""
    if element in _FRAMES and attribute == "src":
        parts = urlsplit(value)
        return value if not parts.scheme and not parts.netloc else None
    return value


# A frame or player whose src was dropped (not a file of the site) is removed whole. nh3 writes
# elements in one canonical form, so this looks at its output, never at the note's text.
_EMPTY_FRAME = re.compile(r"<(iframe|audio|video)(?![^>]*\ssrc=)[^>]*>[^<]*</\1>")


_OPTIONS: dict[str, Any] = {
    "tags": _TAGS,
    "attributes": _ATTRIBUTES,
    "url_schemes": {"http", "https", "mailto"},
    "filter_style_properties": {"text-align"},
    "link_rel": None,
}
# Built once where nh3 can: ``nh3.clean`` converts the whole configuration on every call (0.16 ms).
# The attribute filter (a Python call for every attribute nh3 keeps) only ever changes a
# frame's or player's ``src``, so HTML that cannot hold one is cleaned without it. An element
# comes only from a start tag, its name written literally right after ``<`` (no character
# reference can spell it): HTML with no ``<iframe``, ``<audio`` or ``<video`` in any case
# has no frame or player.
def _cleaner(**options: Any) -> Callable[[str], str]:
    """``nh3.Cleaner(**options).clean`` — or, with an nh3 older than its ``Cleaner`` (the
    floor, 0.2.22, has none), ``nh3.clean`` given the same options each time: same output."""
    make = getattr(nh3, "Cleaner", None)
    if make is not None:
        clean: Callable[[str], str] = make(**options).clean
        return clean
    return functools.partial(nh3.clean, **options)


_clean = _cleaner(**_OPTIONS)
_clean_frames = _cleaner(**_OPTIONS, attribute_filter=_media_source)
_FRAME_TAG = re.compile("<(?:" + "|".join(sorted(_FRAMES)) + ")", re.IGNORECASE)


def sanitise(html: str) -> str:
    """Clean note HTML: no scripts, styles or handlers; only http(s), mailto and relative URLs
    (and for frames and players, relative ones only)."""
    if _FRAME_TAG.search(html) is None:
        return _clean(html)
    cleaned = _clean_frames(html)
    return _EMPTY_FRAME.sub("", cleaned) if "</" in cleaned else cleaned


_LEADING_H1 = re.compile(r"\s*(<h1[^>]*>.*?</h1>)\s*", re.DOTALL)


def split_heading(body: str, h1_sections: bool = False) -> tuple[str, str]:
    """``("<h1…>Title</h1>", rest)`` when a body opens with its title, else ``("", body)``;
    a note whose level-1 headings are sections (``Note.h1_sections``) opens with no title."""
    match = None if h1_sections else _LEADING_H1.match(body)
    if match is None:
        return "", body
    return match.group(1), body[match.end() :]
