"""The small records a note is made of: its links (with their kind) and its headings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kgwiki.types import Slug, pickled_by_fields
from kgwiki.wikilink import WikiTarget


class LinkKind(StrEnum):
    WIKI = "wikilink"
    EMBED = "embed"
    MARKDOWN = "markdown"
    FRONTMATTER = "frontmatter"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Link:
    """One outgoing reference, where it stands, and its relation kind when typed."""

    target: WikiTarget
    kind: LinkKind
    line: int
    relation: str | None = None
    context: str = ""


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str
    slug: Slug
    line: int
