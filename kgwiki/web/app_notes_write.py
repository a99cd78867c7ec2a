"""Create a note from the browser or the API: validate, refuse clashes, write atomically.

A stand-in for ``kgwiki.authoring.new_note`` until that lands; same rules: the file name is the
title, a title that names an existing note (title, alias, file name or id) is refused, and the
file can never land outside the vault.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath

from kgwiki.atomic import atomic_write_text
from kgwiki.resolver import normalise_path
from kgwiki.schema import normalise_tag
from kgwiki.types import NotePath
from kgwiki.vault import Vault, VaultPathError
from kgwiki.web.security import UnsafePath, contained, title_problem

_LOCAL = threading.Lock()
MAX_TAGS = 32


class NoteInputError(ValueError):
    """The title, tags or trust level cannot be used; the message says why."""


class NoteExists(Exception):
    """A note already answers to this title."""

    def __init__(self, path: NotePath) -> None:
        super().__init__(f"a note with this name already exists: {path}")
        self.path = path


def clean_tags(raw: str | Sequence[object]) -> list[str]:
    """Tags from a form field (``a, b #c``) or a JSON list; refuse ones with spaces."""
    items = raw.replace(",", " ").split() if isinstance(raw, str) else list(raw)
    tags: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise NoteInputError("tags must be strings")
        tag = normalise_tag(item)
        if not tag:
            continue
        if any(c.isspace() for c in tag) or tag.startswith("/") or ".." in tag.split("/"):
            raise NoteInputError(f"tag {tag!r} may not contain spaces or empty parts")
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise NoteInputError(f"at most {MAX_TAGS} tags")
    return tags


def note_text(title: str, tags: Sequence[str], trust: str, body: str, today: dt.date) -> str:
    """The Markdown file: frontmatter (JSON-quoted strings are valid YAML) and the body."""
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}"]
    if tags:
        lines.append(f"tags: [{', '.join(json.dumps(t, ensure_ascii=False) for t in tags)}]")
    if trust:
        lines.append(f"source_trust_level: {trust}")
    lines += [f"date: {today.isoformat()}", "---", ""]
    text = body.replace("\r\n", "\n").strip("\n")
    if not text.lstrip().startswith("# "):
        lines += [f"# {title}", ""]
    if text:
        lines.append(text)
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def _write_lock(vault: Vault) -> Iterator[None]:
    """One creator at a time, in this process and (on POSIX) across worker processes."""
    with _LOCAL:
        folder = vault.root / vault.config.cache_dir
        try:
            import fcntl

            folder.mkdir(parents=True, exist_ok=True)
            handle = (folder / "write.lock").open("a")
        except (ImportError, OSError):
            yield
            return
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def create_note(vault: Vault, title: str, tags: Sequence[str], trust: str, body: str,
                today: dt.date | None = None) -> NotePath:  # fmt: skip
    """Write a new note named after ``title`` at the vault root and return its path."""
    problem = title_problem(title)
    if problem:
        raise NoteInputError(problem)
    title = title.strip()
    levels = vault.config.trust.levels
    if trust and trust not in levels:
        raise NoteInputError(f"trust must be one of {', '.join(levels)} (or empty)")
    existing = vault.resolve(title)
    if existing.path is not None and not existing.is_attachment:
        raise NoteExists(existing.path)
    name = PurePosixPath(f"{title}.md")
    try:
        target = contained(vault.root, name)
        rel = vault.relative(str(target))
    except (UnsafePath, VaultPathError) as err:
        raise NoteInputError("the title would place the note outside the vault") from err
    with _write_lock(vault):
        if _exists_any_case(target):
            raise NoteExists(normalise_path(rel))
        atomic_write_text(target, note_text(title, tags, trust, body, today or dt.date.today()))
    return rel


def _exists_any_case(target: Path) -> bool:
    # Case-insensitive file systems (macOS, Windows) would otherwise overwrite "note.md".
    if target.exists():
        return True
    wanted = target.name.casefold()
    try:
        return any(p.name.casefold() == wanted for p in target.parent.iterdir())
    except OSError:
        return False
