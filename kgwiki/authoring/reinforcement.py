"""``reinforce``: record that a note was checked again — ``last_reinforced`` and a changelog row."""

from __future__ import annotations

import datetime as dt
import re

from kgwiki import clock
from kgwiki.authoring.edit import (
    EditRefused,
    TextFile,
    add_frontmatter,
    check_meta,
    content,
    frontmatter_span,
    readable_meta,
    replace_if_unchanged,
    set_key,
)
from kgwiki.authoring.names import NoteRefused
from kgwiki.note import Note, SectionKind, is_flattened, parse_note, section_kind
from kgwiki.types import NotePath
from kgwiki.vault import NoteLookupError, Vault, disk_path, find_note

DEFAULT_MESSAGE = "Reinforced"
CHANGELOG_HEADING = "## 🕓 Changelog"
CHANGELOG_HEADER = ("날짜", "변경")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_SEPARATOR = re.compile(r"\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*")


def reinforce(
    vault: Vault, note: str, *, message: str | None = None, today: dt.date | None = None
) -> NotePath:
    """Set ``last_reinforced`` to today and add a changelog row; return the note's path."""
    day = today or clock.today()
    try:
        path = find_note(vault, note)
    except NoteLookupError as err:
        raise NoteRefused(str(err)) from err
    target = disk_path(vault.root, path)
    try:
        data = target.read_bytes()
    except OSError as err:
        raise NoteRefused(f"{path}: cannot read it: {err.strerror or err}") from err
    try:
        file = TextFile.decode(data, path)
        if is_flattened(file.text):
            raise NoteRefused(f"{path} is flattened; repair it first with `kgwiki lint --fix`")
        before = readable_meta(file, path)
        parsed = parse_note(path, data, vault.config.relation_labels)
        add_changelog_row(file, parsed, day, message or DEFAULT_MESSAGE)
        stamp = day.isoformat()
        if frontmatter_span(file.lines) is None:
            add_frontmatter(file, [("last_reinforced", stamp)])
        else:
            set_key(file, "last_reinforced", stamp)
        check_meta(before, file, {"last_reinforced": stamp}, path)
        replace_if_unchanged(target, data, file.encode(path))
    except EditRefused as err:
        raise NoteRefused(str(err)) from err
    vault.refresh_file(path)
    return path


def add_changelog_row(file: TextFile, note: Note, day: dt.date, message: str) -> None:
    """Add ``| day | message |`` to the Changelog table, in the table's own date order.

    ``note`` is ``file`` parsed, for the section's and rows' lines. A section without a table
    gets one; a note without the section gets it at the end.
    """
    text = " ".join(message.split()).replace("|", "\\|") or DEFAULT_MESSAGE
    newline = file.newline
    heading = next((h for h in note.headings if section_kind(h.text) is SectionKind.CHANGELOG),
                   None)  # fmt: skip
    if heading is None:
        file.ensure_final_newline()
        if file.lines and content(file.lines[-1]).strip():
            file.lines.append(newline)
        file.lines += [CHANGELOG_HEADING + newline, *_new_table(day, text, newline)]
        return
    level, start = heading.level, heading.line
    later = [h.line - 1 for h in note.headings if h.line > start and h.level <= level]
    end = later[0] if later else len(file.lines)
    rows = [e for e in note.changelog if heading.line < e.line <= end]
    if rows:
        width = _width(file.lines[rows[0].line - 2])
        dated = [e.date for e in rows if e.date is not None]
        newest_first = len(dated) >= 2 and dated[0] > dated[-1]
        at = rows[0].line - 1 if newest_first else rows[-1].line
        line = _row(day.isoformat(), text, width) + newline
        if at == len(file.lines):
            file.ensure_final_newline()
        file.lines.insert(at, line)
        return
    separator = next((i for i in range(heading.line, end) if "|" in file.lines[i]
                      and _SEPARATOR.fullmatch(content(file.lines[i]))), None)  # fmt: skip
    if separator is not None:
        if separator + 1 == len(file.lines):
            file.ensure_final_newline()
        file.lines.insert(separator + 1, _row(day.isoformat(), text,
                                              _width(file.lines[separator])) + newline)  # fmt: skip
        return
    _table_at_section_end(file, heading.line, end, _new_table(day, text, newline))


def _table_at_section_end(file: TextFile, start: int, end: int, table: list[str]) -> None:
    at = end
    while at > start and not content(file.lines[at - 1]).strip():
        at -= 1
    if at == len(file.lines):
        file.ensure_final_newline()
    block = list(table)
    if at > start:  # text above: a blank line keeps the table from joining its paragraph
        block.insert(0, file.newline)
    if at < len(file.lines) and at == end and content(file.lines[at]).strip():
        block.append(file.newline)
    file.lines[at:at] = block


def _new_table(day: dt.date, text: str, newline: str) -> list[str]:
    header = "| " + " | ".join(CHANGELOG_HEADER) + " |"
    return [header + newline, "|---|---|" + newline, _row(day.isoformat(), text, 2) + newline]


def _width(line: str) -> int:
    """How many cells a table line has (leading and trailing pipes are optional)."""
    cells = _CELL_SPLIT.split(content(line).strip())
    if cells and not cells[0].strip():
        cells = cells[1:]
    if cells and not cells[-1].strip():
        cells = cells[:-1]
    return max(2, len(cells))


def _row(date: str, text: str, width: int) -> str:
    cells = [date, text] + [""] * (width - 2)
    return "| " + " | ".join(cells) + " |"
