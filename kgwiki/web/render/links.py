"""Draw a note's links against its vault: wiki-links, embeds, tags and plain Markdown links.

``SiteLinks`` is the ``LinkRenderer`` that ``kgwiki.markdown.parser.render`` calls: a resolved link
becomes an ``<a>`` to the note's page (with the heading's real anchor), an unresolved one an
``<a class="wikilink wanted">`` to the wanted page, an image embed an ``<img>`` of the copied
attachment, and a note embed the target's section rendered in place (at most three levels
deep, never a note inside itself).
"""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Sequence
from html import escape
from urllib.parse import unquote, urlsplit

from kgwiki.graph import wanted_name
from kgwiki.markdown import Token, is_image, parse, render, render_inline
from kgwiki.note import Note
from kgwiki.slug import slugify
from kgwiki.types import NotePath
from kgwiki.vault import Vault, note_key
from kgwiki.web.render.urls import UrlScheme
from kgwiki.wikilink import WikiTarget, parse_href

MAX_EMBED_DEPTH = 3

# A Markdown link's or image's attributes as written (href or src, title, alt).
Attrs = tuple[tuple[str, str | int | float], ...]


def wanted_anchor(name: str) -> str:
    """The anchor of a wanted note on the wanted page (one per name, whatever its case)."""
    key = note_key(name)
    return "w-" + (slugify(key) or hashlib.blake2b(key.encode(), digest_size=4).hexdigest())


def _wanted(written: str, source: NotePath) -> str:
    return wanted_anchor(wanted_name(written, source) or written)


def heading_anchor(note: Note, heading: str) -> str:
    """The ``id`` a heading of ``note`` really has (first match), else its plain slug."""
    wanted = slugify(heading)
    for item in note.headings:
        if item.slug == wanted or slugify(item.text) == wanted:
            return item.slug
    return wanted


def _size_attrs(label: str | None) -> str:
    if not label:
        return ""
    width, _, height = label.partition("x")
    if not width.isdecimal() or (height and not height.isdecimal()):
        return ""
    return f' width="{width}"' + (f' height="{height}"' if height else "")


AUDIO_SUFFIXES = frozenset({"mp3", "wav", "m4a", "ogg", "oga", "flac", "aac", "3gp"})
VIDEO_SUFFIXES = frozenset({"mp4", "webm", "ogv", "mov", "mkv", "m4v"})


def _media_embed(url: str, path: NotePath, target: WikiTarget) -> str:
    """``![[x.pdf]]``, audio and video attachments as Obsidian shows them (a PDF in a frame of
    its own, players for sound and film); "" for any other file (drawn as a link)."""
    suffix = path.rpartition(".")[2].lower()
    label = target.label if target.label and not _size_attrs(target.label) else ""
    src, name = escape(url), escape(label or path.rpartition("/")[2])
    if suffix == "pdf":
        page = f"#page={target.headings[0].removeprefix('page=')}" if target.headings else ""
        return (f'<iframe class="embed-pdf" src="{src}{escape(page)}" title="{name}" '
                f'loading="lazy"></iframe>')  # fmt: skip
    attrs = f'controls preload="metadata" src="{src}" title="{name}"'
    if suffix in AUDIO_SUFFIXES:
        return f'<audio class="embed-audio" {attrs}></audio>'
    if suffix in VIDEO_SUFFIXES:
        return f'<video class="embed-video" {attrs}{_size_attrs(target.label)}></video>'
    return ""


class SiteLinks:
    """The link renderer of one note: ``source`` is the note drawn, ``stack`` its embedders."""

    def __init__(
        self, vault: Vault, urls: UrlScheme, source: NotePath, stack: tuple[NotePath, ...] = ()
    ) -> None:
        self.vault = vault
        self.urls = urls
        self.source = source
        self.stack = (*stack, source)

    # -- the LinkRenderer protocol -------------------------------------------------------------

    def wikilink(self, target: WikiTarget, text: str) -> str:
        href, cls, path = self._href(target)
        if cls == "wikilink file" and self._withheld(target):
            return f'<span class="wikilink withheld" title="{WITHHELD_NOTE}">{escape(text)}</span>'
        data = f' data-path="{escape(path)}"' if path else ""
        title = ' title="not written yet"' if "wanted" in cls else ""
        return f'<a class="{cls}" href="{escape(href)}"{data}{title}>{escape(text)}</a>'

    def embed(self, target: WikiTarget, raw: str) -> str:
        if target.file is None:
            return self.wikilink(target, target.display())
        resolution = self.vault.resolve(target.file, self.source)
        path = resolution.path
        if path is not None and resolution.is_attachment and path.endswith(".base"):
            return _base_notice(path)
        if path is not None and resolution.is_attachment and not is_image(target):
            media = _media_embed(self.urls.file(path), path, target)
            if media:
                return media
        if path is None or (resolution.is_attachment and not is_image(target)):
            return self.wikilink(target, target.display())
        if resolution.is_attachment:
            if self.urls.withheld(path):
                return _withheld_notice(path)
            alt = target.label if target.label and not _size_attrs(target.label) else target.file
            src = escape(self.urls.file(path))
            return f'<img class="embed" src="{src}" alt="{escape(alt)}"{_size_attrs(target.label)}>'
        note = self.vault.notes[path]
        if path in self.stack or len(self.stack) > MAX_EMBED_DEPTH:
            return self.wikilink(target, target.display())
        inner = SiteLinks(self.vault, self.urls, path, self.stack)
        body = inner.render_tokens(section_tokens(parse(note.body), target))
        head = self.wikilink(target, target.label or note.title)
        return (f'<div class="embed-note" data-path="{escape(path)}"><div class="embed-title">'
                f"{head}</div>{body}</div>")  # fmt: skip

    def tag(self, tag: str) -> str:
        href = escape(self.urls.page("tag", tag))
        return f'<a class="tag" href="{href}">#{escape(tag)}</a>'

    # -- rendering -----------------------------------------------------------------------------

    def render_tokens(self, tokens: list[Token]) -> str:
        """HTML of a token stream with this page's links (not yet sanitised)."""
        self._rewrite(tokens)
        return render(tokens, {"links": self, "soft_breaks": True})

    def _href(self, target: WikiTarget) -> tuple[str, str, str]:
        """(href, class, note path or "") of a wiki-link."""
        if target.file is None:
            return self._fragment(self.vault.notes.get(self.source), target), "wikilink", ""
        resolution = self.vault.resolve(target.file, self.source)
        path = resolution.path
        if path is None:
            wanted = self.urls.page("wanted") + "#" + _wanted(target.file, self.source)
            return wanted, "wikilink wanted", ""
        if resolution.is_attachment:
            return self.urls.file(path), "wikilink file", ""
        note = self.vault.notes.get(path)
        return self.urls.note(path) + self._fragment(note, target), "wikilink", path

    def _withheld(self, target: WikiTarget) -> bool:
        path = self.vault.resolve(target.file, self.source).path if target.file else None
        return path is not None and self.urls.withheld(path)

    @staticmethod
    def _fragment(note: Note | None, target: WikiTarget) -> str:
        if target.block is not None:
            return "#^" + target.block
        if target.headings:
            last = target.headings[-1]
            return "#" + (heading_anchor(note, last) if note is not None else slugify(last))
        return ""

    def address(self, kind: str, attrs: Attrs, alt: str) -> str:
        """A Markdown link's opening tag or an image (``kind``) as written (``attrs``, and
        ``alt`` for an image), its relative address pointed at the site, drawn."""
        is_link = kind == "link_open"
        token = Token(kind, "a" if is_link else "img", 1 if is_link else 0, attrs=dict(attrs))
        if not is_link:
            token.children = [Token("text", "", 0, content=alt)]
        self._rewrite_attr(token, "href" if is_link else "src")
        return render_inline([token])

    def _rewrite(self, tokens: Sequence[Token]) -> None:
        """Point relative Markdown links at pages and copied files; unwrap lone note embeds."""
        unwrap_lone_embeds(tokens)
        for token in tokens:
            if token.type == "inline" and token.children:
                for child in token.children:
                    if child.type == "link_open":
                        self._rewrite_attr(child, "href")
                    elif child.type == "image":
                        self._rewrite_attr(child, "src")

    def _rewrite_attr(self, token: Token, attr: str) -> None:
        href = str(token.attrGet(attr) or "")
        parts = urlsplit(href)
        if attr == "src" and parts.scheme in ("http", "https", "") and parts.netloc:
            if not self.vault.config.external_images:
                # [markdown] external_images = false: the page asks no other server for anything
                token.attrs.pop("src", None)
                token.attrSet("title", f"external image not loaded: {href}")
            return
        if not href or parts.scheme or parts.netloc or href.startswith("#"):
            return
        target = parse_href(href)
        if target is None or target.file is None:
            return
        resolution = self.vault.resolve(unquote(parts.path), self.source)
        if resolution.path is None:
            if target.file.lower().endswith(".md"):
                anchor = _wanted(target.file, self.source)
                token.attrSet(attr, self.urls.page("wanted") + "#" + anchor)
                token.attrSet("class", "wanted")
            return
        if resolution.is_attachment:
            if self.urls.withheld(resolution.path):  # no file to point at: say why instead
                if attr == "src":  # the picture becomes the notice a wiki-link embed draws
                    token.type, token.tag, token.attrs, token.children = "html_inline", "", {}, None
                    token.content = _withheld_notice(resolution.path)
                else:
                    token.attrs.pop(attr, None)
                    token.attrSet("class", "withheld")
                    token.attrSet("title", WITHHELD_NOTE)
                return
            token.attrSet(attr, self.urls.file(resolution.path))
            return
        note = self.vault.notes.get(resolution.path)
        token.attrSet(attr, self.urls.note(resolution.path) + self._fragment(note, target))
        if attr == "href":
            token.attrSet("class", "wikilink")
            token.attrSet("data-path", resolution.path)


def unwrap_lone_embeds(tokens: Sequence[Token]) -> None:
    """A paragraph that holds nothing but note embeds is drawn as the embeds alone."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or not token.children or not index:
            continue
        if tokens[index - 1].type == "paragraph_open" and _only_note_embeds(token):
            tokens[index - 1].hidden = True
            tokens[index + 1].hidden = True


def _only_note_embeds(inline: Token) -> bool:
    """A paragraph that holds nothing but note embeds renders as the embeds alone."""
    found = False
    for child in inline.children or ():
        if child.type == "embed" and not is_image(child.meta["target"]):
            found = True
        elif child.type not in ("softbreak", "hardbreak") and not (
            child.type == "text" and not child.content.strip()
        ):
            return False
    return found


def section_tokens(tokens: list[Token], target: WikiTarget) -> list[Token]:
    """The tokens an embed shows: the heading's section, the block's paragraph, or the body.

    A whole-note embed leaves out the note's first ``# Title`` (the embed shows it already).
    """
    if target.block is not None:
        return _block_tokens(tokens, target.block)
    if target.headings:
        return _heading_tokens(tokens, target.headings[-1])
    if len(tokens) > 2 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        return tokens[3:]
    return tokens


def _heading_tokens(tokens: list[Token], heading: str) -> list[Token]:
    wanted = slugify(heading)
    start = -1
    level = 0
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        if start >= 0 and int(token.tag[1]) <= level:
            return tokens[start:index]
        if start < 0 and wanted in (token.attrGet("id"), slugify(str(token.meta.get("text", "")))):
            start, level = index, int(token.tag[1])
    return tokens[start:] if start >= 0 else []


def _block_tokens(tokens: list[Token], block: str) -> list[Token]:
    """The smallest enclosing block (paragraph, list item, …) that carries ``^block``."""
    for index, token in enumerate(tokens):
        if token.type != "inline" or not any(
            c.type == "block_id" and c.meta.get("id") == block for c in token.children or ()
        ):
            continue
        start = index
        while start > 0 and tokens[start].nesting != 1:
            start -= 1
        opener = tokens[start]
        if opener.type == "paragraph_open" and opener.hidden and start > 0:
            start -= 1  # a tight list item's paragraph: take the whole item
            opener = tokens[start]
        depth = 0
        for end in range(start, len(tokens)):
            depth += tokens[end].nesting
            if depth == 0:
                return tokens[start : end + 1]
    return []


WITHHELD_NOTE = ("withheld from the site: a browser would run script in it "
                 "([build] copy_active_attachments = true in kgwiki.toml publishes it)")


def _withheld_notice(path: str) -> str:
    """An embedded picture the build did not copy (an SVG or page that could run script)."""
    name = escape(path.rpartition("/")[2])
    return (f'<span class="embed-withheld" title="{WITHHELD_NOTE}"><strong>{name}</strong> '
            "is withheld from the site: a browser would run script in it.</span>")


def _base_notice(path: str) -> str:
    """An Obsidian Base (``![[People.base]]``): a table Obsidian draws from the base's filters.
    kgwiki does not evaluate Bases; linking the file would download its YAML, so the page says
    what stood there and where the notes that name this one are listed."""
    name = posixpath.splitext(posixpath.basename(path))[0]
    return (f'<div class="embed-base"><strong>{escape(name)}</strong> — an Obsidian Base (a table '
            "of notes Obsidian draws from its filters; not drawn here). Notes that link to this "
            "page are listed under “Linked from”.</div>")
