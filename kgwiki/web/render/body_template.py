"""Note bodies drawn once where they are parsed, with what depends on the site filled in per page.

A static build parses every note (to know its links) and then, for its page, used to parse
the body again to draw it: a third of a page's cost. ``make_template`` runs in the parse
workers on the tokens the parse already has (``Vault.load(derive=…)``): it draws the body
with a hole for everything whose drawing depends on the rest of the vault — wiki-links and
tags, note and image embeds (the embedded section is drawn in place), and Markdown links or
images to relative addresses (pointed at pages and copied files) — because where they go is
known only once the whole vault is loaded. ``fill`` puts them in for one page, drawn by the
``SiteLinks`` methods the direct drawing calls, so the HTML is the same
(``tests/test_body_template.py`` compares them on every real note). Every page body is drawn
this way (``render.render_body``), so the holes of each page are also what a build keeps to
draw a note again without loading the vault (``build_links``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from kgwiki.markdown import Token, inline_as_text, render
from kgwiki.note import Note
from kgwiki.web.render.links import Attrs, unwrap_lone_embeds
from kgwiki.wikilink import WikiTarget

# markdown-it turns NUL in the source into U+FFFD, so a NUL in the drawn HTML is one of ours
HOLE = "\x00"


@dataclass(frozen=True, slots=True)
class EmbedHole:
    """``![[raw]]``: a note's section or an image, drawn where it is embedded."""

    target: WikiTarget
    raw: str


@dataclass(frozen=True, slots=True)
class AddressHole:
    """A Markdown link's opening tag or an image whose address is relative to the vault."""

    kind: str  # "link_open" or "image"
    attrs: Attrs  # as written (href or src, title, alt)
    alt: str  # an image's text alternative ("" for a link)


Hole = WikiTarget | str | EmbedHole | AddressHole  # a wiki-link, a tag, an embed, an address


@dataclass(frozen=True, slots=True)
class BodyTemplate:
    """A body's HTML in pieces, with a hole between each two."""

    content_hash: str  # of the note it was drawn from: a changed note needs a new one
    pieces: tuple[str, ...]
    holes: tuple[Hole, ...]
    texts: tuple[str, ...]  # a wiki-link's text ("" for other holes)


class _Holes:
    """A ``LinkRenderer`` that draws a hole for each wiki-link, tag and embed it is asked for."""

    def __init__(self) -> None:
        self.holes: list[Hole] = []
        self.texts: list[str] = []

    def add(self, hole: Hole, text: str = "") -> str:
        self.holes.append(hole)
        self.texts.append(text)
        return HOLE

    def wikilink(self, target: WikiTarget, text: str) -> str:
        return self.add(target, text)

    def embed(self, target: WikiTarget, raw: str) -> str:
        return self.add(EmbedHole(target, raw))

    def tag(self, tag: str) -> str:
        return self.add(tag)

    def hole(self, hole: Hole) -> str:
        return self.add(hole)


def site_address(url: Any) -> bool:
    """Whether ``SiteLinks`` rewrites this href/src (a relative address)."""
    href = str(url or "")
    if not href or href.startswith("#"):
        return False
    parts = urlsplit(href)
    return not (parts.scheme or parts.netloc)


def _defer_addresses(tokens: Sequence[Token]) -> None:
    """Replace each link or image to a relative address, and each image from another server
    (shown or not as the vault's ``external_images`` says), by a hole token (``_Holes.hole``)."""
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        for index, child in enumerate(children):
            if child.type == "link_open":
                attr = "href"
            elif child.type == "image":
                attr = "src"
            else:
                continue
            if not site_address(child.attrGet(attr)) and not _external_image(child):
                continue
            hole = AddressHole(child.type, tuple(child.attrs.items()), _as_text(child))
            children[index] = Token("hole", "", 0, meta={"hole": hole})


def _external_image(token: Token) -> bool:
    return token.type == "image" and bool(urlsplit(str(token.attrGet("src") or "")).netloc)


def _as_text(image: Token) -> str:
    """What markdown-it writes in an image's ``alt``: its children as plain text."""
    return inline_as_text(image.children or []) if image.type == "image" else ""


def make_template(note: Note, tokens: list[Token]) -> BodyTemplate | None:
    """The template of ``note``'s body from its parsed ``tokens`` (which it changes), or None."""
    unwrap_lone_embeds(tokens)
    _defer_addresses(tokens)
    holes = _Holes()
    pieces = render(tokens, {"links": holes, "soft_breaks": True}).split(HOLE)
    if len(pieces) != len(holes.holes) + 1:
        return None  # pragma: no cover - a NUL the parser let through
    return BodyTemplate(note.content_hash, tuple(pieces), tuple(holes.holes), tuple(holes.texts))


class Filler(Protocol):
    """What fills a template's holes: ``SiteLinks``, or the fills a build kept."""

    def wikilink(self, target: WikiTarget, text: str) -> str: ...

    def tag(self, tag: str) -> str: ...

    def embed(self, target: WikiTarget, raw: str) -> str: ...

    def address(self, kind: str, attrs: Attrs, alt: str) -> str: ...


def fill(template: BodyTemplate, links: Filler) -> str:
    """The body's HTML (not yet sanitised) with ``links`` drawing what depends on the site."""
    out = [template.pieces[0]]
    for hole, text, piece in zip(template.holes, template.texts, template.pieces[1:], strict=True):
        if isinstance(hole, WikiTarget):
            out.append(links.wikilink(hole, text))
        elif isinstance(hole, str):
            out.append(links.tag(hole))
        elif isinstance(hole, EmbedHole):
            out.append(links.embed(hole.target, hole.raw))
        else:
            out.append(links.address(hole.kind, hole.attrs, hole.alt))
        out.append(piece)
    return "".join(out)
