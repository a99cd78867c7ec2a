"""The rows of a Changelog section's table, read token by token as the note is walked."""

from __future__ import annotations

from dataclasses import dataclass, field

from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.markdown import Token
from kgwiki.note.sections import ChangelogEntry, changelog_entry
from kgwiki.types import NotePath


@dataclass(slots=True)
class ChangelogTable:
    """A state machine over table tokens: header rows are skipped, each body row is an entry.

    ``block`` sees every block-level token inside the section and ``cell`` the inline content of
    each cell; a row whose date is not YYYY-MM-DD is kept (marked invalid) and reported.
    """

    path: NotePath
    entries: list[ChangelogEntry] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _row: list[str] = field(default_factory=list)
    _row_line: int = 0
    _in_header: bool = False

    def block(self, token: Token, line: int) -> None:
        """Follow one block token of the section; ``line`` is where it stands in the file."""
        kind = token.type
        if kind == "thead_open":
            self._in_header = True
        elif kind == "thead_close":
            self._in_header = False
        elif kind == "tr_open":
            self._row, self._row_line = [], line
        elif kind == "tr_close" and not self._in_header and self._row:
            self._end_row()

    def cell(self, content: str) -> None:
        """The text of one table cell of the current row."""
        self._row.append(content)

    def _end_row(self) -> None:
        row = self._row
        entry = changelog_entry(row[0], " | ".join(row[1:]), self._row_line)
        self.entries.append(entry)
        if not entry.valid:
            self.diagnostics.append(Diagnostic(
                self.path, self._row_line, "changelog-bad-date",
                f"changelog row date {entry.date_text!r} is not a valid YYYY-MM-DD date",
                Severity.WARNING,
            ))  # fmt: skip
