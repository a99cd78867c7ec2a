"""The text inside ``[[ ]]``: which note, which section or block, which label."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from urllib.parse import unquote

from kgwiki.types import pickled_by_fields


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class WikiTarget:
    """A parsed wiki-link target.

    ``[[Note#H1#H2|label]]`` → file="Note", headings=("H1", "H2"), label="label".
    ``[[Note#^blk]]`` → file="Note", block="blk". ``[[#H]]`` → file=None (the same note).
    """

    file: str | None
    headings: tuple[str, ...] = ()
    block: str | None = None
    label: str | None = None

    @property
    def section(self) -> str | None:
        """The section part as written after the first ``#`` (``H1#H2`` or ``^blk``)."""
        if self.block is not None:
            return "#".join((*self.headings, "^" + self.block))
        return "#".join(self.headings) or None

    def display(self) -> str:
        """The text a reader sees for the link when it has no label (Obsidian: ``Note > H``)."""
        if self.label:
            return self.label
        parts = [p for p in (self.file, *self.headings) if p]
        if self.block is not None:
            parts.append("^" + self.block)
        return " > ".join(parts)


@functools.lru_cache(maxsize=65536)  # the same targets are linked from many notes
def parse_inner(text: str) -> WikiTarget:
    """Parse the text between ``[[`` and ``]]`` the way Obsidian reads it.

    The label starts after the first ``|``; a ``\\|`` (how tables escape the pipe) counts as
    that separator too. The rest splits at ``#``: the file (empty means this note), then
    headings, or a block id for a part starting with ``^``. Each part is stripped of
    surrounding whitespace, as Obsidian does (``[[ foo ]]`` links to ``foo``).
    """
    path, bar, label = text.partition("|")
    if bar and path.endswith("\\"):
        path = path[:-1]
    file, *sections = path.split("#")
    headings: list[str] = []
    block: str | None = None
    for raw in sections:
        part = raw.strip()
        if part.startswith("^"):
            block = part[1:].strip() or block
        elif part:
            headings.append(part)
    return WikiTarget(
        file=file.strip() or None,
        headings=tuple(headings),
        block=block,
        label=label.strip() or None,
    )


_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


def parse_href(href: str, label: str | None = None) -> WikiTarget | None:
    """Read a Markdown link destination as a note target; ``None`` for an external URL.

    ``note.md#My%20Section`` → file="note.md", headings=("My Section",); ``#^blk`` → block.
    The split at ``#`` comes before percent-decoding, so an encoded ``%23`` stays in the name.
    """
    if _URL_SCHEME.match(href):
        return None
    path, _, fragment = href.partition("#")
    section = unquote(fragment).strip()
    headings: tuple[str, ...] = ()
    block: str | None = None
    if section.startswith("^"):
        block = section[1:] or None
    elif section:
        headings = (section,)
    return WikiTarget(
        file=unquote(path).strip() or None, headings=headings, block=block, label=label or None
    )
