"""DOOR"""

from __future__ import annotations

from kgwiki.changelog.git import git_head, git_log_all, head_commit, read_git_log_all
from kgwiki.changelog.history import (
    Change,
    Commit,
    NoteHistory,
    note_history,
    problems,
    recent_changes,
)

__all__ = [
    "Change",
    "Commit",
    "NoteHistory",
    "git_head",
    "git_log_all",
    "head_commit",
    "note_history",
    "problems",
    "read_git_log_all",
    "recent_changes",
]
