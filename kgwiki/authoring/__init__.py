"""DOOR"""

from __future__ import annotations

from kgwiki.authoring.create import add_note, new_note
from kgwiki.authoring.edit import (
    EditRefused,
    TextFile,
    check_meta,
    readable_meta,
    replace_if_unchanged,
    set_key,
    split_lines,
    yaml_value,
)
from kgwiki.authoring.names import NoteRefused, default_folder, new_id
from kgwiki.authoring.reinforcement import add_changelog_row, reinforce

__all__ = [
    "EditRefused",
    "NoteRefused",
    "TextFile",
    "add_changelog_row",
    "add_note",
    "check_meta",
    "default_folder",
    "new_id",
    "new_note",
    "readable_meta",
    "reinforce",
    "replace_if_unchanged",
    "set_key",
    "split_lines",
    "yaml_value",
]
