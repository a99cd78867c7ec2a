"""Note HTML made safe to show (nh3), and a body's opening heading told from the rest.

Note HTML from the vault is never trusted: whatever the Markdown holds (raw HTML,
``javascript:`` links, event handlers) is cleaned before it reaches a page.
"""

from __future__ import annotations

import re

import nh3

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
_TAGS = set(nh3.ALLOWED_TAGS) | {"section", "input", "mark"} | _MATHML
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
    **{f"h{level}": {"id"} for level in range(1, 7)},
    **{tag: _MATHML_ATTRIBUTES for tag in _MATHML},
}


def sanitise(html: str) -> str:
    """Clean note HTML: no scripts, styles or handlers; only http(s), mailto and relative URLs."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        filter_style_properties={"text-align"},
        link_rel=None,
    )


_LEADING_H1 = re.compile(r"\s*(<h1[^>]*>.*?</h1>)\s*", re.DOTALL)


def split_heading(body: str) -> tuple[str, str]:
    """``("<h1…>Title</h1>", rest)`` when a body opens with its title, else ``("", body)``."""
    match = _LEADING_H1.match(body)
    if match is None:
        return "", body
    return match.group(1), body[match.end() :]
