"""Frontmatter that means the right thing but is written loosely, and its safe rewrite.

Each problem is reported (``meta_problems``) and fixed (``fix_meta``) by a targeted line edit:
``aliases: "x"`` → ``aliases: [x]``, ``tags: a, b`` → ``tags: [a, b]``, a trust level in the
scale's spelling (``b`` → ``B``), and a missing ``id`` in a vault whose notes have ids. The
fixed frontmatter must load to exactly the old mapping plus these changes.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePosixPath
from typing import Any

from kgwiki.authoring import TextFile, check_meta, new_id, readable_meta, set_key, yaml_value
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.note import Note
from kgwiki.trust import canonical_level, key_line
from kgwiki.vault import Vault

META_CODES = ("aliases-not-list", "tags-not-list", "trust-level-case", "missing-id")


def uses_ids(vault: Vault) -> bool:
    """Whether the vault's schema has ids (some note has one), so a note without one lacks it."""
    return any(note.meta.id for note in vault.notes.values())


def _changes(vault: Vault, note: Note, with_ids: bool) -> dict[str, tuple[str, Any, str]]:
    """key → (code, new value, sentence) for every loosely written key of a note."""
    if note.flattened or note.frontmatter_raw is None:
        return {}
    raw = note.meta.raw
    found: dict[str, tuple[str, Any, str]] = {}
    aliases = raw.get("aliases")
    if isinstance(aliases, str) and aliases.strip():
        found["aliases"] = ("aliases-not-list", [aliases],
                            f"aliases is the text {aliases!r}; write it as a list")  # fmt: skip
    tags = raw.get("tags")
    if isinstance(tags, str) and tags.strip():
        parts = [p for p in re.split(r"[,\s]+", tags) if p]
        found["tags"] = ("tags-not-list", parts, f"tags is the text {tags!r}; write it as a list")
    level = raw.get("source_trust_level")
    if isinstance(level, str):
        spelled = canonical_level(level, vault.config)
        if spelled is not None and spelled != level:
            found["source_trust_level"] = ("trust-level-case", spelled,
                                           f"source_trust_level {level!r} is spelled "
                                           f"{spelled!r} in the trust scale")  # fmt: skip
    if with_ids and note.meta.id is None and "id" not in raw:
        found["id"] = ("missing-id", None, "the note has no id (other notes of the vault do)")
    return found


def meta_problems(vault: Vault, note: Note, with_ids: bool) -> list[Diagnostic]:
    """The loosely written keys of one note, as notices that ``kgwiki lint --fix`` clears."""
    return [Diagnostic(note.path, key_line(note, key) if key != "id" else 1, code, sentence,
                       Severity.INFO)
            for key, (code, _, sentence) in _changes(vault, note, with_ids).items()]  # fmt: skip


def fix_meta(file: TextFile, note: Note, vault: Vault, with_ids: bool, reserved: set[str],
             today: dt.date) -> list[str]:  # fmt: skip
    """Rewrite ``file`` (which ``note`` was parsed from) in place; return the codes fixed.

    ``reserved`` holds ids handed out earlier in the same run, so two notes never get one id.
    """
    wanted = _changes(vault, note, with_ids)
    if not wanted:
        return []
    before = readable_meta(file, note.path)
    changes: dict[str, Any] = {}
    for key, (_, value, _) in wanted.items():
        if key == "id":
            value = new_id(vault, PurePosixPath(note.path).stem, _id_day(note, today), reserved)
            reserved.add(value)
        changes[key] = value
        set_key(file, key, yaml_value(value))
    check_meta(before, file, changes, note.path)
    return [code for code, _, _ in wanted.values()]


def _id_day(note: Note, today: dt.date) -> dt.date:
    """The note's own date for its id: ``date``, else its first changelog row, else today."""
    dated = sorted(e.date for e in note.changelog if e.date is not None)
    return note.meta.date or (dated[0] if dated else None) or note.meta.last_reinforced or today
