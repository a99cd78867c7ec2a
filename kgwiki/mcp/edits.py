"""Line edits for agent writes, on the authoring layer's ``TextFile`` (endings, encoding and
BOM kept; everything not changed stays byte for byte).

``add_row`` adds a changelog row with the authoring layer's ``add_changelog_row`` (the row
``kgwiki reinforce`` writes, in the table's own date order) without touching
``last_reinforced``: an agent's edit is not a person checking the note again. ``append_text``
puts Markdown at the end of a section, or of the prose before the Graph and Changelog
sections.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from kgwiki.authoring import EditRefused, TextFile, add_changelog_row, split_lines
from kgwiki.note import Heading, Note, section_kind


def _bare(line: str) -> str:
    return line.rstrip("\r\n")


def _section_end(note: Note, heading: Heading, total: int) -> int:
    """The index of the first line after ``heading``'s section."""
    later = [h.line - 1 for h in note.headings
             if h.line > heading.line and h.level <= heading.level]  # fmt: skip
    return later[0] if later else total


def _trim(file: TextFile, start: int, end: int) -> int:
    """``end`` moved up past blank lines, not above ``start``."""
    while end > start and not _bare(file.lines[end - 1]).strip():
        end -= 1
    return end


def _insert_block(file: TextFile, at: int, block: list[str]) -> None:
    """Insert lines at ``at`` with a blank line either side where text would touch them."""
    newline = file.newline
    if at == len(file.lines):
        file.ensure_final_newline()
    if at > 0 and _bare(file.lines[at - 1]).strip():
        block = [newline, *block]
    if at < len(file.lines) and _bare(file.lines[at]).strip():
        block = [*block, newline]
    file.lines[at:at] = block


def add_row(file: TextFile, note: Note, day: dt.date, message: str) -> None:
    """Add ``| day | message |`` to the note's changelog (``note`` is ``file`` parsed)."""
    add_changelog_row(file, note, day, message)


def _same(a: str, b: str) -> bool:
    def key(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return key(a) == key(b)


def append_text(file: TextFile, note: Note, markdown: str, section: str | None = None) -> None:
    """Put ``markdown`` at the end of ``section`` (a heading's text), else at the end of the
    prose: before the first Graph or Changelog section, else at the end of the file."""
    lines = split_lines(markdown.replace("\r\n", "\n").strip("\n") + "\n")
    block = [line.replace("\n", file.newline) for line in lines]
    if section is not None:
        heading = next((h for h in note.headings if _same(h.text, section)), None)
        if heading is None:
            known = ", ".join(repr(h.text) for h in note.headings) or "none"
            raise EditRefused(f"{note.path} has no section {section!r} (its headings: {known})")
        end = _section_end(note, heading, len(file.lines))
        _insert_block(file, _trim(file, heading.line, end), block)
        return
    tail = next((h for h in note.headings if section_kind(h.text) is not None), None)
    end = tail.line - 1 if tail is not None else len(file.lines)
    _insert_block(file, _trim(file, 0, end), block)
