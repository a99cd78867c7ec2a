"""The holes of each note page as drawn (wiki-links, tags, embeds, relative addresses), kept
between builds.

A note body is its template (``body_template``: the HTML with a hole for each wiki-link, tag,
embed and relative address) filled in by ``SiteLinks``. The template depends on the note
alone; the fills depend on the rest of the vault (which note a link names, whether it is
wanted, a heading's anchor, an embedded section).
A build records the fills of every body it draws, in ``.kgwiki-build/links/``, so that a
later build which sees only a note's text change can draw that body again from the note and
its kept fills, without loading the vault (``build_local``).
"""

from __future__ import annotations

from pathlib import Path

from kgwiki.types import NotePath
from kgwiki.vault import Vault
from kgwiki.web.build.buckets import Buckets
from kgwiki.web.build.cache import CACHE_DIR
from kgwiki.web.render import Attrs, SiteLinks, UrlScheme
from kgwiki.wikilink import WikiTarget

Key = tuple[object, ...]
Fills = dict[Key, str]


def link_key(target: WikiTarget, text: str) -> Key:
    """What a wiki-link's HTML is a function of, on one page: its target and its text."""
    return ("link", target.file, target.headings, target.block, target.label, text)


def tag_key(tag: str) -> Key:
    return ("tag", tag)


def embed_key(target: WikiTarget, raw: str) -> Key:
    return ("embed", target.file, target.headings, target.block, target.label, raw)


def address_key(kind: str, attrs: Attrs, alt: str) -> Key:
    return ("address", kind, attrs, alt)


def store(out: Path) -> Buckets:
    """The kept fills of the site in ``out``, by note path."""
    return Buckets(out / CACHE_DIR / "links")


class RecordingLinks(SiteLinks):
    """``SiteLinks`` that also notes down each hole of a template it draws."""

    def __init__(self, vault: Vault, urls: UrlScheme, source: NotePath, fills: Fills) -> None:
        super().__init__(vault, urls, source)
        self.fills = fills

    def wikilink(self, target: WikiTarget, text: str) -> str:
        html = super().wikilink(target, text)
        self.fills[link_key(target, text)] = html
        return html

    def tag(self, tag: str) -> str:
        html = super().tag(tag)
        self.fills[tag_key(tag)] = html
        return html

    def embed(self, target: WikiTarget, raw: str) -> str:
        html = super().embed(target, raw)
        self.fills[embed_key(target, raw)] = html
        return html

    def address(self, kind: str, attrs: Attrs, alt: str) -> str:
        html = super().address(kind, attrs, alt)
        self.fills[address_key(kind, attrs, alt)] = html
        return html


class KeptLinks:
    """Fills a template from kept fills; a hole never drawn before raises ``KeyError``."""

    def __init__(self, fills: Fills) -> None:
        self.fills = fills

    def wikilink(self, target: WikiTarget, text: str) -> str:
        return self.fills[link_key(target, text)]

    def tag(self, tag: str) -> str:
        return self.fills[tag_key(tag)]

    def embed(self, target: WikiTarget, raw: str) -> str:
        return self.fills[embed_key(target, raw)]

    def address(self, kind: str, attrs: Attrs, alt: str) -> str:
        return self.fills[address_key(kind, attrs, alt)]
