"""A note file's git history, shown beside its changelog table when the vault is in git.

git is optional: no git, no repository, an untracked file or a slow git all give an empty
history, never an error. Each call is one ``git log`` subprocess with a timeout; a static
build should call :func:`git_log_all` once instead of :func:`git_log` per note.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgwiki.types import NotePath
from kgwiki.vault import normalise_path

_RECORD, _FIELD = "\x1e", "\x1f"
_FORMAT = f"--format={_RECORD}%H{_FIELD}%aI{_FIELD}%an{_FIELD}%s"
# No pager, no prompts, no locale-dependent or quoted (octal-escaped) Korean file names.
_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C.UTF-8"}


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit that touched a note file (``path`` as it was named in that commit)."""

    sha: str
    date: dt.datetime
    author: str
    subject: str
    path: str

    @property
    def short(self) -> str:
        return self.sha[:10]

    def to_json(self) -> dict[str, Any]:
        return {"sha": self.sha, "date": self.date.isoformat(), "author": self.author,
                "subject": self.subject, "path": self.path}  # fmt: skip


def git_log(root: Path, path: NotePath, *, limit: int = 100, timeout: float = 5.0
            ) -> tuple[Commit, ...]:  # fmt: skip
    """The commits of one note, newest first, following renames."""
    out = _run_git(root, ["log", "--follow", f"--max-count={limit}", _FORMAT, "--name-only",
                          "--relative", "--", path], timeout)  # fmt: skip
    return tuple(commit for commit, _ in _parse(out or "", path))


def git_log_all(root: Path, *, timeout: float = 30.0, limit: int = 100
                ) -> dict[NotePath, tuple[Commit, ...]]:  # fmt: skip
    """Every Markdown file's commits (newest ``limit``) from one ``git log``, no renames."""
    return read_git_log_all(root, timeout=timeout, limit=limit) or {}


def read_git_log_all(root: Path, *, timeout: float = 30.0, limit: int = 100
                     ) -> dict[NotePath, tuple[Commit, ...]] | None:  # fmt: skip
    """As :func:`git_log_all`, but None when git failed (missing, timed out, no repository)."""
    out = _run_git(root, ["log", _FORMAT, "--name-only", "--relative", "--", "."], timeout)
    if out is None:
        return None
    found: dict[NotePath, list[Commit]] = {}
    for commit, names in _parse(out, None):
        for name in names:
            if name.lower().endswith(".md"):
                commits = found.setdefault(normalise_path(name), [])
                if len(commits) < limit:
                    commits.append(_at(commit, name))
    return {path: tuple(commits) for path, commits in found.items()}


def _run_git(root: Path, args: list[str], timeout: float) -> str | None:
    command = ["git", "-c", "core.quotepath=off", "-C", str(root), *args]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False,
                              env={**os.environ, **_ENV}, stdin=subprocess.DEVNULL)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None  # git missing, not executable, or too slow
    if done.returncode != 0:
        return None  # not a repository (128), or a path git does not know
    return done.stdout.decode("utf-8", errors="replace")


def _parse(out: str, default_path: str | None) -> list[tuple[Commit, list[str]]]:
    parsed: list[tuple[Commit, list[str]]] = []
    for record in out.split(_RECORD)[1:]:
        head, _, rest = record.partition("\n")
        fields = head.split(_FIELD)
        if len(fields) != 4:
            continue
        sha, when, author, subject = fields
        try:
            date = dt.datetime.fromisoformat(when)
        except ValueError:
            continue
        names = [line.strip() for line in rest.split("\n") if line.strip()]
        path = names[0] if names else (default_path or "")
        parsed.append((Commit(sha, date, author, subject, path), names))
    return parsed


def _at(commit: Commit, name: str) -> Commit:
    return Commit(commit.sha, commit.date, commit.author, commit.subject, name)


def git_head(root: Path) -> str:
    """The commit a vault's git checkout is at ("" outside git): history changes with it."""
    for folder in (root.resolve(), *root.resolve().parents):
        dot_git = folder / ".git"
        if not dot_git.exists():
            continue
        try:
            if dot_git.is_file():  # a worktree: "gitdir: <path>"
                dot_git = (folder / dot_git.read_text().split(":", 1)[1].strip()).resolve()
            head = (dot_git / "HEAD").read_text().strip()
            if not head.startswith("ref:"):
                return head  # a detached HEAD names its commit
            ref = head[4:].strip()
            for folder_of_refs in (dot_git, _common_dir(dot_git)):
                ref_file = folder_of_refs / ref
                if ref_file.is_file():
                    return ref_file.read_text().strip()
                packed = _packed_ref(folder_of_refs, ref)
                if packed:
                    return packed
            return head  # refs git keeps elsewhere (reftable): see head_commit
        except OSError:
            return ""
    return ""


def head_commit(root: Path) -> str:
    """The commit HEAD is at: read from the files when they say, else asked of git."""
    head = git_head(root)
    if not head.startswith("ref:"):
        return head
    asked = _run_git(root, ["rev-parse", "HEAD"], 5.0)
    return asked.strip() if asked else head


def _common_dir(dot_git: Path) -> Path:
    """Where a linked worktree's branches live (its ``commondir``), else ``dot_git`` itself."""
    try:
        return (dot_git / (dot_git / "commondir").read_text().strip()).resolve()
    except OSError:
        return dot_git


def _packed_ref(dot_git: Path, ref: str) -> str | None:
    try:
        lines = (dot_git / "packed-refs").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        sha, _, name = line.partition(" ")
        if name == ref:
            return sha
    return None
