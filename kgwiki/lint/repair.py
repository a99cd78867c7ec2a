"""``kgwiki lint --fix``: plan safe repairs, show them as diffs, apply them with a backup.

A fix is planned in memory from the bytes on disk (which must still be the bytes the vault
parsed), checked, and only then written: atomically, after the old file is copied to
``<vault>/.kgwiki/backup/<timestamp>/<path>``. What is fixed: flattened notes (line breaks
and frontmatter restored) and loosely written frontmatter (``repair_meta``). Nothing else.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from kgwiki import clock
from kgwiki.authoring import EditRefused, NoteRefused, TextFile, replace_if_unchanged, split_lines
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.lint.repair_flattened import repair_flattened
from kgwiki.lint.repair_meta import META_CODES, fix_meta, meta_problems, uses_ids
from kgwiki.note import Note, content_hash, parse_note
from kgwiki.types import NotePath
from kgwiki.util import atomic_write_bytes
from kgwiki.vault import Vault, disk_path

FIXABLE = frozenset({"flattened-note", *META_CODES})
BACKUP_FOLDER = "backup"


@dataclass(frozen=True, slots=True)
class Fix:
    """One file's repair: what it held, what it will hold, and which problems that clears."""

    path: NotePath
    codes: tuple[str, ...]
    before: bytes
    after: bytes

    def diff(self) -> str:
        """A unified diff, as ``git diff`` would show it."""
        old, new = _lines(self.before, self.path), _lines(self.after, self.path)
        return "".join(difflib.unified_diff(old, new, f"a/{self.path}", f"b/{self.path}"))

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "codes": list(self.codes), "diff": self.diff()}


@dataclass(frozen=True, slots=True)
class Applied:
    """What ``apply_fixes`` did: the files written, where the old ones are, what failed."""

    written: tuple[NotePath, ...]
    backup: Path | None
    failed: tuple[Diagnostic, ...]


def plan_fixes(vault: Vault, today: dt.date | None = None) -> tuple[list[Fix], list[Diagnostic]]:
    """Every safe repair for the vault, and a ``fix-skipped`` warning for each unsafe one."""
    day = today or clock.today()
    with_ids = uses_ids(vault)
    reserved: set[str] = set()
    fixes: list[Fix] = []
    skipped: list[Diagnostic] = []
    for path in sorted(vault.notes):
        note = vault.notes[path]
        if not note.flattened and not meta_problems(vault, note, with_ids):
            continue
        try:
            data = disk_path(vault.root, path).read_bytes()
            if content_hash(data) != note.content_hash:
                raise EditRefused(f"{path} changed since the vault was read; run lint again")
            after, codes = _fix_one(vault, note, data, with_ids, reserved, day)
        except (EditRefused, NoteRefused, OSError) as err:
            skipped.append(Diagnostic(path, 1, "fix-skipped", str(err), Severity.WARNING))
            continue
        if after != data:
            fixes.append(Fix(path, tuple(codes), data, after))
    return fixes, skipped


def _fix_one(vault: Vault, note: Note, data: bytes, with_ids: bool, reserved: set[str],
             day: dt.date) -> tuple[bytes, list[str]]:  # fmt: skip
    labels = vault.config.relation_labels
    file = TextFile.decode(data, note.path)
    codes: list[str] = []
    if note.flattened:
        file = repair_flattened(file, note, note.path, labels)
        codes.append("flattened-note")
        note = parse_note(note.path, file.encode(note.path), labels)
    codes += fix_meta(file, note, vault, with_ids, reserved, day)
    return file.encode(note.path), codes


def apply_fixes(vault: Vault, fixes: list[Fix], now: dt.datetime | None = None) -> Applied:
    """Back up each file, then write its repair atomically and refresh it in the vault."""
    if not fixes:
        return Applied((), None, ())
    backup = _backup_folder(vault, now or clock.now())
    written: list[NotePath] = []
    failed: list[Diagnostic] = []
    for fix in fixes:
        target = disk_path(vault.root, fix.path)
        try:
            atomic_write_bytes(backup / fix.path, fix.before)
            replace_if_unchanged(target, fix.before, fix.after)
        except (EditRefused, OSError) as err:
            failed.append(Diagnostic(fix.path, 1, "fix-failed", str(err), Severity.ERROR))
            continue
        written.append(fix.path)
        vault.refresh_file(fix.path)
    return Applied(tuple(written), backup, tuple(failed))


def _backup_folder(vault: Vault, now: dt.datetime) -> Path:
    """A new folder for this run's backups (never shared with an earlier run)."""
    base = vault.root / vault.config.cache_dir / BACKUP_FOLDER
    stamp = now.strftime("%Y%m%dT%H%M%S")
    for number in range(1, 1000):
        folder = base / (stamp if number == 1 else f"{stamp}-{number}")
        try:
            folder.mkdir(parents=True)
        except FileExistsError:
            continue
        return folder
    raise OSError(f"no free backup folder under {base}")


def _lines(data: bytes, path: str) -> list[str]:
    try:
        text = TextFile.decode(data, path).text
    except EditRefused:
        text = data.decode("utf-8", errors="replace")
    lines = split_lines(text.replace("\r\n", "\n"))
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
