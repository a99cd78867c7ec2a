"""Note bodies drawn once where they are parsed, with their links filled in per page.

A static build parses every note (to know its links) and then, for its page, used to parse
the body again to draw it: a third of a page's cost. ``make_template`` runs in the parse
workers on the tokens the parse already has (``Vault.load(derive=…)``): it draws the body
with each wiki-link and tag left as a hole, because where a link goes (which note, which
page URL, whether it is wanted) is known only once the whole vault is loaded. ``fill`` puts
the links in for one page, drawn by the same ``SiteLinks`` methods the direct path calls, so
the HTML is the same (``tests/test_body_template.py`` compares them on every real note).

Bodies whose drawing depends on the site in other ways are left to the direct path: note and
image embeds (the embedded section is drawn in place) and Markdown links or images to
relative addresses (rewritten to pages and copied files).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from kgwiki.markdown import Token, render
from kgwiki.note import Note
from kgwiki.web.linkrender import mark_callouts
from kgwiki.wikilink import WikiTarget

# markdown-it turns NUL in the source into U+FFFD, so a NUL in the drawn HTML is one of ours
HOLE = "\x00"


@dataclass(frozen=True, slots=True)
class BodyTemplate:
    """A body's HTML in pieces, with a wiki-link or tag between each two."""

    content_hash: str  # of the note it was drawn from: a changed note needs a new one
    pieces: tuple[str, ...]
    holes: tuple[WikiTarget | str, ...]  # a link's target, or a tag's name
    texts: tuple[str, ...]  # a link's text ("" for a tag)


class _Holes:
    """A ``LinkRenderer`` that draws a hole for each wiki-link and tag and remembers it."""

    def __init__(self) -> None:
        self.holes: list[WikiTarget | str] = []
        self.texts: list[str] = []

    def wikilink(self, target: WikiTarget, text: str) -> str:
        self.holes.append(target)
        self.texts.append(text)
        return HOLE

    def embed(self, target: WikiTarget, raw: str) -> str:  # pragma: no cover - never reached
        raise AssertionError("bodies with embeds have no template")

    def tag(self, tag: str) -> str:
        self.holes.append(tag)
        self.texts.append("")
        return HOLE


def _site_address(url: Any) -> bool:
    """Whether ``SiteLinks`` might rewrite this href/src (a relative address)."""
    href = str(url or "")
    if not href or href.startswith("#"):
        return False
    parts = urlsplit(href)
    return not (parts.scheme or parts.netloc)


def _independent(tokens: Sequence[Token]) -> bool:
    """Whether the body draws the same on every site but for its wiki-links and tags."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            kind = child.type
            if kind == "embed":
                return False
            if kind == "link_open" and _site_address(child.attrGet("href")):
                return False
            if kind == "image" and _site_address(child.attrGet("src")):
                return False
    return True


def make_template(note: Note, tokens: list[Token]) -> BodyTemplate | None:
    """The template of ``note``'s body from its parsed ``tokens`` (which it changes), or None."""
    if not _independent(tokens):
        return None
    mark_callouts(tokens)
    holes = _Holes()
    pieces = tuple(render(tokens, {"links": holes}).split(HOLE))
    if len(pieces) != len(holes.holes) + 1:
        return None  # pragma: no cover - a NUL the parser let through
    return BodyTemplate(note.content_hash, pieces, tuple(holes.holes), tuple(holes.texts))


class Filler(Protocol):
    """What fills a template's holes: ``SiteLinks``, or the fills a build kept."""

    def wikilink(self, target: WikiTarget, text: str) -> str: ...

    def tag(self, tag: str) -> str: ...


def fill(template: BodyTemplate, links: Filler) -> str:
    """The body's HTML (not yet sanitised) with ``links`` drawing its wiki-links and tags."""
    out = [template.pieces[0]]
    for hole, text, piece in zip(template.holes, template.texts, template.pieces[1:], strict=True):
        out.append(links.tag(hole) if isinstance(hole, str) else links.wikilink(hole, text))
        out.append(piece)
    return "".join(out)
