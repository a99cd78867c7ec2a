"""What a note's inline content points at: wiki-links, embeds, Markdown links, tags, block ids."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from kgwiki.markdown import Token
from kgwiki.note.records import Link, LinkKind
from kgwiki.note.schema import normalise_tag
from kgwiki.wikilink import WikiTarget

CONTEXT_CHARS = 240  # of the line a link stands on, kept as its context (backlinks show it)

# The inline token types collect() looks at; every other child is skipped by one set lookup.
COLLECTED = frozenset({"wikilink", "embed", "tag", "block_id", "link_open"})


@dataclass(slots=True)
class Collected:
    links: list[Link] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    block_ids: list[str] = field(default_factory=list)


def collect(
    out: Collected, inline: Token, lines: list[str], block_line: int, line_base: int | None,
    relation: str | None,
) -> None:
    """Add what the ``inline`` token of the block at ``block_line`` (0-based, in the body)
    points at. Link lines are ``line_base + line in body + 1``; ``None`` puts them all on line 1
    (a flattened note). A link's context is its line, or, where the line holds a ``%%``
    comment, the block's text with comments already cut out (a comment is never shown)."""
    children = inline.children or []
    for child in children:
        ctype = child.type
        if ctype not in COLLECTED:
            continue  # text, breaks, emphasis: by far the most children
        if ctype == "wikilink" or ctype == "embed":
            line_in_body = block_line + int(child.meta.get("line_offset", 0))
            context = _context(lines, line_in_body, inline)
            out.links.append(Link(
                child.meta["target"],
                LinkKind.EMBED if ctype == "embed" else LinkKind.WIKI,
                1 if line_base is None else line_base + line_in_body + 1,
                relation if ctype == "wikilink" else None,
                context,
            ))  # fmt: skip
        elif ctype == "tag":
            tag = normalise_tag(str(child.meta.get("tag", child.content)))
            if tag:
                out.tags.append(tag)
        elif ctype == "block_id":
            out.block_ids.append(str(child.meta.get("id", "")))
        elif ctype == "link_open":
            target = markdown_link_target(str(child.attrGet("href") or ""))
            if target is not None:
                context = _context(lines, block_line, inline)
                out.links.append(Link(
                    target, LinkKind.MARKDOWN,
                    1 if line_base is None else line_base + block_line + 1,
                    relation, context,
                ))  # fmt: skip


def _context(lines: list[str], line: int, inline: Token) -> str:
    text = lines[line].strip() if line < len(lines) else ""
    if "%%" in text:
        text = " ".join(inline.content.split())
    return text[:CONTEXT_CHARS]


def markdown_link_target(href: str) -> WikiTarget | None:
    """``[x](other.md#h)`` is a link to a note; URLs and non-Markdown files are not."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    file = unquote(parts.path)
    if not file.lower().endswith(".md"):
        return None
    fragment = unquote(parts.fragment)
    if fragment.startswith("^"):
        return WikiTarget(file, (), fragment[1:])
    return WikiTarget(file, (fragment,) if fragment else ())
