"""Changelogs: each note's table as dated changes, the vault's recent changes, and their lint.

The core parses the tables (``Note.changelog``) and reports rows whose date is not a date
(``changelog-bad-date``); this module orders them, merges them across the vault (the
recent-changes page and the Atom feed) and adds what the parser cannot see alone: rows out
of order and dates in the future.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kgwiki import clock
from kgwiki.changelog.git import Commit, git_log
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.note import ChangelogEntry, Note
from kgwiki.types import NotePath
from kgwiki.vault import Vault

__all__ = ["Change", "Commit", "NoteHistory", "note_history", "problems", "recent_changes"]

# A row dated tomorrow is a time zone, not a typo: only later dates count as the future.
FUTURE_GRACE_DAYS = 1


@dataclass(frozen=True, slots=True)
class Change:
    """One dated change of one note: a changelog row, or a commit (``source="git"``)."""

    date: dt.date
    path: NotePath
    title: str
    text: str
    line: int
    source: str = "changelog"

    @property
    def uid(self) -> str:
        """A stable id for feeds: the same row keeps it when other rows move."""
        key = f"{self.source}\x1f{self.path}\x1f{self.date.isoformat()}\x1f{self.text}"
        return hashlib.blake2b(key.encode("utf-8"), digest_size=10).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "path": self.path, "title": self.title,
                "text": self.text, "line": self.line, "source": self.source,
                "uid": self.uid}  # fmt: skip


@dataclass(frozen=True, slots=True)
class NoteHistory:
    """A note's changelog table (as written) beside its git history (empty without git)."""

    path: NotePath
    title: str
    entries: tuple[ChangelogEntry, ...]
    commits: tuple[Commit, ...]

    @property
    def changes(self) -> list[Change]:
        """The table's dated rows and the commits in one timeline, newest first."""
        rows = [_change(self.path, self.title, entry) for entry in self.entries if entry.date]
        rows += [Change(c.date.date(), self.path, self.title, c.subject, 0, "git")
                 for c in self.commits]  # fmt: skip
        return sorted(rows, key=lambda c: (c.date, c.source == "changelog", c.line), reverse=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "title": self.title,
            "entries": [{"date": e.date.isoformat() if e.date else None, "date_text": e.date_text,
                         "text": e.text, "line": e.line, "valid": e.valid} for e in self.entries],
            "commits": [c.to_json() for c in self.commits],
        }  # fmt: skip


def _change(path: NotePath, title: str, entry: ChangelogEntry) -> Change:
    assert entry.date is not None
    return Change(entry.date, path, title, entry.text, entry.line)


def note_changes(note: Note) -> list[Change]:
    """A note's dated changelog rows, newest first (later rows first within a day)."""
    rows = [_change(note.path, note.title, e) for e in note.changelog if e.date is not None]
    return sorted(rows, key=lambda c: (c.date, c.line), reverse=True)


def recent_changes(
    vault: Vault,
    limit: int | None = 50,
    since: dt.date | None = None,
    *,
    note: NotePath | None = None,
    today: dt.date | None = None,
) -> list[Change]:
    """Changelog rows across the vault (or of one note), newest first.

    Rows dated after tomorrow are left out: a typo such as 2062 must not pin itself to the
    top of the feed (``problems`` reports it instead).
    """
    latest = (today or clock.today()) + dt.timedelta(days=FUTURE_GRACE_DAYS)
    notes = [vault.notes[note]] if note is not None else list(vault.notes.values())
    found = [
        change
        for item in notes
        for change in note_changes(item)
        if change.date <= latest and (since is None or change.date >= since)
    ]
    found.sort(key=lambda c: (-c.date.toordinal(), c.title.casefold(), c.path, -c.line))
    return found if limit is None else found[:limit]


def note_history(vault: Vault, path: NotePath, *, git: bool = True) -> NoteHistory:
    """A note's table rows and, when the vault is in a git repository, its commits."""
    note = vault.notes[path]
    commits = git_log(vault.root, path) if git else ()
    return NoteHistory(path, note.title, note.changelog, commits)


def problems(vault: Vault, today: dt.date | None = None) -> list[Diagnostic]:
    """Rows out of order and rows dated in the future (both notices, not errors)."""
    latest = (today or clock.today()) + dt.timedelta(days=FUTURE_GRACE_DAYS)
    found: list[Diagnostic] = []
    for note in vault.notes.values():
        found.extend(_order_problems(note))
        for entry in note.changelog:
            if entry.date is not None and entry.date > latest:
                found.append(Diagnostic(note.path, entry.line, "changelog-future-date",
                                        f"changelog row dated {entry.date_text} is in the "
                                        "future", Severity.INFO))  # fmt: skip
    return sorted(found, key=lambda d: (d.path, d.line, d.code))


def _order_problems(note: Note) -> Iterator[Diagnostic]:
    """Rows against the table's own direction (oldest-first or newest-first, by its ends)."""
    dated = [entry for entry in note.changelog if entry.date is not None]
    if len(dated) < 3:
        # Two rows define the direction themselves; nothing can be out of it.
        return
    first, last = dated[0].date, dated[-1].date
    assert first is not None and last is not None
    ascending = first <= last
    previous = first
    for entry in dated[1:]:
        assert entry.date is not None
        wrong = entry.date < previous if ascending else entry.date > previous
        if wrong:
            order = "oldest first" if ascending else "newest first"
            yield Diagnostic(note.path, entry.line, "changelog-out-of-order",
                             f"changelog row {entry.date_text} breaks the table's order "
                             f"({order}; previous row {previous.isoformat()})",
                             Severity.INFO)  # fmt: skip
        else:
            previous = entry.date
