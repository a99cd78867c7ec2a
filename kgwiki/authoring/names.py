"""Names for new notes: titles, aliases, folders and file names that are safe, free and unique.

A title becomes a file name and a link target, so it must be valid on Windows and macOS (no
``<>:"/\\|?*``, control characters, trailing dot or space, reserved names such as ``CON``,
leading dot, over 200 bytes) and linkable as ``[[…]]`` (no ``#^[]|``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import PurePosixPath

from kgwiki.authoring.edit import exists_any_case
from kgwiki.slug import slugify
from kgwiki.types import NotePath
from kgwiki.vault import Vault, normalise_path, note_key

MAX_NAME_BYTES = 200
_MAX_STEM_BYTES = MAX_NAME_BYTES - len("-99.md")
_FILE_CHARS = frozenset('<>:"/\\|?*')
_LINK_CHARS = frozenset("#^[]|")
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?", re.IGNORECASE)


class NoteRefused(ValueError):
    """A note that will not be written; ``existing`` is the note a name already belongs to."""

    def __init__(self, message: str, existing: NotePath | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.existing = existing


def _control(name: str) -> str | None:
    return next((c for c in name if unicodedata.category(c) == "Cc"), None)


def file_name_problem(name: str, what: str) -> str | None:
    """Why ``name`` cannot be a file or folder name on Windows or macOS, or None."""
    if not name.strip():
        return f"{what} is empty"
    if ".." in re.split(r"[/\\]", name):
        return f"{what} {name!r} would place the note outside the vault"
    bad = next((c for c in name if c in _FILE_CHARS), None)
    if bad is not None:
        return f"{what} {name!r} contains {bad!r}, which Windows or macOS refuse in file names"
    if _control(name) is not None:
        return f"{what} {name!r} contains a control character"
    if name.startswith("."):
        return f"{what} {name!r} starts with a dot (a hidden file)"
    if name != name.rstrip(". "):
        return f"{what} {name!r} ends with a dot or a space, which Windows drops"
    if _RESERVED.fullmatch(name):
        return f"{what} {name!r} is a name Windows reserves (CON, PRN, AUX, NUL, COM1-9, LPT1-9)"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"{what} is longer than {MAX_NAME_BYTES} bytes"
    return None


def link_name_problem(name: str, what: str) -> str | None:
    """Why ``name`` cannot be written as a ``[[link]]`` target, or None."""
    if not name.strip():
        return f"{what} is empty"
    bad = next((c for c in name if c in _LINK_CHARS), None)
    if bad is not None:
        return f"{what} {name!r} contains {bad!r}, which cannot be linked as [[…]]"
    if _control(name) is not None or "\n" in name:
        return f"{what} {name!r} contains a control character"
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        return f"{what} is longer than {MAX_NAME_BYTES} bytes"
    return None


def check_title(title: str) -> str:
    """The title, stripped; NoteRefused when it cannot name a file and a link."""
    clean = unicodedata.normalize("NFC", title.strip())
    problem = file_name_problem(clean, "title") or link_name_problem(clean, "title")
    if problem:
        raise NoteRefused(problem)
    return clean


def check_alias(alias: str) -> str:
    clean = unicodedata.normalize("NFC", alias.strip())
    problem = link_name_problem(clean, "alias")
    if problem:
        raise NoteRefused(problem)
    return clean


def refuse_taken(vault: Vault, names: list[str], own: NotePath | None = None) -> None:
    """Refuse a name that already names a note (title, alias, file name, id or path)."""
    for name in names:
        found = vault.resolve(name)
        if found.path is None or found.is_attachment or found.path == own:
            continue
        note = vault.notes.get(found.path)
        shown = f"{note.title!r} ({found.path})" if note else found.path
        raise NoteRefused(f"{name!r} already names the note {shown}", existing=found.path)


def check_folder(vault: Vault, folder: str) -> NotePath:
    """A vault-relative folder for a new note; refuse ones outside, hidden or ignored."""
    clean = unicodedata.normalize("NFC", folder.strip().replace("\\", "/").strip("/"))
    if not clean:
        return NotePath("")
    if folder.strip().startswith(("/", "\\")) or re.match(r"[A-Za-z]:", folder.strip()):
        raise NoteRefused(f"category {folder!r} must be a folder inside the vault, not absolute")
    for part in clean.split("/"):
        problem = file_name_problem(part, "category folder")
        if problem:
            raise NoteRefused(problem)
        if part in vault.config.ignore:
            raise NoteRefused(f"category folder {part!r} is ignored by kgwiki (see `ignore`)")
    full = vault.root / clean
    if not full.resolve().is_relative_to(vault.root):
        raise NoteRefused(f"category {folder!r} leads outside the vault")
    if full.exists() and not full.is_dir():
        raise NoteRefused(f"category {folder!r} is a file, not a folder")
    return normalise_path(clean)


def default_folder(vault: Vault, parent: NotePath | None) -> NotePath:
    """The parent's folder, else ``10_Wiki/Topics`` when the vault has it, else the root."""
    if parent is not None:
        folder = PurePosixPath(parent).parent.as_posix()
        return NotePath("" if folder == "." else folder)
    if (vault.root / "10_Wiki" / "Topics").is_dir():
        return NotePath("10_Wiki/Topics")
    return NotePath("")


def _taken(vault: Vault, name: str) -> bool:
    found = vault.resolve(name)
    return found.path is not None and not found.is_attachment


def free_stem(vault: Vault, folder: NotePath, stem: str) -> str:
    """``stem``, else ``stem-2``, ``stem-3``…: free as a file and as a link name."""
    directory = vault.root / folder
    for number in range(1, 10_000):
        candidate = stem if number == 1 else f"{stem}-{number}"
        existing = directory / f"{candidate}.md"
        if not exists_any_case(existing) and not _taken(vault, candidate):
            return candidate
    raise NoteRefused(f"no free file name for {stem!r} in {folder or 'the vault root'}")


def id_stem(name: str) -> str:
    """A kebab-case stem from a title or file name; Unicode letters kept (``서버-아키텍처``)."""
    stem = str(slugify(name))
    while len(stem.encode("utf-8")) > _MAX_STEM_BYTES:
        stem = stem[:-1]
    return stem.strip("-") or "note"


def title_stem(title: str) -> str:
    """The file stem for a new note's title; refuse one that Windows reserves."""
    stem = id_stem(title)
    if _RESERVED.fullmatch(stem):
        raise NoteRefused(f"title {title!r} gives the file name {stem!r}, which Windows reserves")
    return stem


def new_id(vault: Vault, stem: str, day: dt.date, reserved: set[str] | None = None) -> str:
    """``wiki-YYYY-MMDD-stem``, with ``-2``… when another note (or ``reserved``) has it."""
    base = f"wiki-{day:%Y}-{day:%m%d}-{id_stem(stem)}"
    taken = {note_key(i) for i in reserved or ()}
    taken |= {note_key(n.id) for n in vault.notes.values() if n.id}
    for number in range(1, 10_000):
        candidate = base if number == 1 else f"{base}-{number}"
        if note_key(candidate) not in taken and not _taken(vault, candidate):
            return candidate
    raise NoteRefused(f"no free id for {base!r}")
