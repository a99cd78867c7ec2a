"""Find a vault's notes and attachments, without leaving the vault or looping forever."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.types import NotePath

NOTE_SUFFIXES = (".md", ".markdown")


@dataclass(slots=True)
class ScanResult:
    notes: list[NotePath] = field(default_factory=list)
    attachments: list[NotePath] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def disk_path(root: Path, rel: str) -> Path:
    """Where vault path ``rel`` lives on disk.

    Vault paths are NFC, but a file made on macOS is usually named
    in NFD, and Linux keeps names as they were written: ``root / rel`` then names no file.
    This finds the file whatever form each part of its name is in (a folder may even exist
    in both forms); with no such file it is ``root / rel`` (so a new file gets the NFC name).
    """
    direct = root / rel
    if rel.isascii() or os.path.lexists(direct):
        return direct
    return _find(root, rel.split("/")) or direct


def _find(folder: Path, parts: list[str]) -> Path | None:
    """The entry under ``folder`` whose parts equal ``parts`` in NFC, if there is one."""
    if not parts:
        return folder
    wanted = unicodedata.normalize("NFC", parts[0])
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    for name in names:
        if unicodedata.normalize("NFC", name) == wanted:
            found = _find(folder / name, parts[1:])
            if found is not None and os.path.lexists(found):
                return found
    return None


def is_note_file(name: str) -> bool:
    return name.lower().endswith(NOTE_SUFFIXES)


def scan_vault(root: Path, ignore: tuple[str, ...]) -> ScanResult:
    """Walk ``root``: Markdown files are notes, other files attachments; hidden folders skipped.

    Symlinked folders are followed only when they stay inside the vault; a folder reached
    twice (a symlink loop) is reported once and not entered again.
    """
    result = ScanResult()
    real_root = root.resolve()
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[tuple[Path, str]] = [(real_root, "")]  # a folder and its path in the vault
    ignored = set(ignore)
    while stack:
        folder, prefix = stack.pop()
        try:
            info = folder.stat()
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as err:
            result.diagnostics.append(
                _diag(root, folder, "unreadable", f"cannot read folder: {err}")
            )
            continue
        ident = (info.st_dev, info.st_ino)
        if ident in seen_dirs:
            continue
        seen_dirs.add(ident)
        for entry in entries:
            name = entry.name
            if name.startswith(".") or name in ignored:
                continue
            try:
                is_link = entry.is_symlink()
                is_dir = entry.is_dir(follow_symlinks=True)
            except OSError as err:
                result.diagnostics.append(_diag(root, Path(entry.path), "unreadable", str(err)))
                continue
            if is_link:
                path = Path(entry.path)
                problem = _symlink_problem(path, real_root, seen_dirs if is_dir else None)
                if problem:
                    result.diagnostics.append(_diag(root, path, problem[0], problem[1]))
                    continue
            if is_dir:
                stack.append((Path(entry.path), f"{prefix}{name}/"))
            elif entry.is_file(follow_symlinks=True):
                rel = prefix + name
                if not rel.isascii():
                    rel = unicodedata.normalize("NFC", rel)
                (result.notes if is_note_file(name) else result.attachments).append(NotePath(rel))
    result.notes.sort()
    result.attachments.sort()
    return result


def _symlink_problem(
    path: Path, real_root: Path, seen_dirs: set[tuple[int, int]] | None
) -> tuple[str, str] | None:
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return ("symlink-loop", "symbolic link is broken or loops; skipped")
    if not target.is_relative_to(real_root):
        return ("symlink-outside", f"symbolic link leads outside the vault ({target}); skipped")
    if seen_dirs is not None:
        info = target.stat()
        if (info.st_dev, info.st_ino) in seen_dirs or path.parent.resolve().is_relative_to(target):
            return (
                "symlink-loop",
                "symbolic link leads back into a folder already scanned; skipped",
            )
    return None


def _diag(root: Path, path: Path, code: str, message: str) -> Diagnostic:
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = str(path)
    return Diagnostic(rel, 1, code, message, Severity.WARNING)
