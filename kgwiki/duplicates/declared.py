"""Duplicates the notes say themselves: ``duplicate_of`` / ``canonical_id``, and colliding names.

``duplicate_of: Microservices`` (a title, alias, id or path) and ``canonical_id: wiki-…``
(usually an id) both point at the note to keep; they are resolved the way links are.
Following them from note to note ends at the canonical note, unless they loop or point at
nothing, which :func:`declared_problems` reports.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.note import Note
from kgwiki.trust import key_line
from kgwiki.types import NotePath
from kgwiki.vault import Vault, note_key

_KEYS = ("canonical_id", "duplicate_of")


@dataclass(frozen=True, slots=True)
class DeclaredDuplicate:
    """One note's declaration: which key, the name as written, and the note it resolves to."""

    path: NotePath
    key: str
    written: str
    target: NotePath | None
    line: int

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "key": self.key, "written": self.written,
                "target": self.target, "line": self.line}  # fmt: skip


def declarations(vault: Vault, note: Note) -> list[DeclaredDuplicate]:
    """A note's non-trivial declarations (``canonical_id`` first: it names the end point)."""
    found: list[DeclaredDuplicate] = []
    for key in _KEYS:
        written = getattr(note.meta, key)
        if written is None:
            continue
        resolution = vault.resolve(written, note.path)
        target = None if resolution.is_attachment else resolution.path
        if key == "canonical_id" and target == note.path:
            continue  # canonical_id naming the note's own id means "I am canonical"
        found.append(DeclaredDuplicate(note.path, key, written, target, key_line(note, key)))
    return found


def declared(vault: Vault) -> list[DeclaredDuplicate]:
    """Every declaration in the vault whose target is another note (missing ones included)."""
    return [d for note in vault.notes.values() for d in declarations(vault, note)
            if d.target != d.path]  # fmt: skip


def _next(vault: Vault, path: NotePath) -> NotePath | None:
    """The note this one declares itself a duplicate of (the first that resolves)."""
    for item in declarations(vault, vault.notes[path]):
        if item.target is not None and item.target != path:
            return item.target
    return None


def chain(vault: Vault, path: NotePath) -> tuple[list[NotePath], bool]:
    """The declared path from a note onwards, and whether it loops back on itself."""
    seen = [path]
    current = _next(vault, path)
    while current is not None:
        if current in seen:
            return seen, True
        seen.append(current)
        current = _next(vault, current) if current in vault.notes else None
    return seen, False


def canonical_of(vault: Vault, path: NotePath) -> NotePath | None:
    """The note a declared duplicate points to in the end; None for a canonical note or a loop."""
    steps, loops = chain(vault, path)
    if loops or len(steps) < 2:
        return None
    return steps[-1]


def declared_problems(vault: Vault) -> list[Diagnostic]:
    """Declarations that name no note, that loop, or whose two keys disagree."""
    found: list[Diagnostic] = []
    for path, note in vault.notes.items():
        items = declarations(vault, note)
        for item in items:
            if item.target is None:
                message = f"{item.key} {item.written!r} matches no note"
                found.append(Diagnostic(path, item.line, "duplicate-target-missing", message))
            elif item.target == path and item.key == "duplicate_of":
                found.append(Diagnostic(path, item.line, "duplicate-self",
                                        f"duplicate_of {item.written!r} names this note itself",
                                        Severity.INFO))  # fmt: skip
        steps, loops = chain(vault, path)
        if loops:
            back = _next(vault, steps[-1]) or steps[0]
            message = "declared duplicates loop: " + " → ".join([*steps, back])
            line = items[0].line if items else 1
            found.append(Diagnostic(path, line, "duplicate-cycle", message))
        targets = {item.key: item.target for item in items if item.target not in (None, path)}
        if len(targets) == 2 and not loops:
            ends = {key: canonical_of(vault, target) or target for key, target in targets.items()
                    if target is not None}  # fmt: skip
            if len(set(ends.values())) == 2:
                found.append(Diagnostic(path, key_line(note, "duplicate_of"), "duplicate-conflict",
                                        f"duplicate_of leads to {ends['duplicate_of']} but "
                                        f"canonical_id to {ends['canonical_id']}"))  # fmt: skip
    return sorted(found, key=lambda d: (d.path, d.line, d.code))


# A name held by more notes than this is a label they share (``aliases: [Person]`` from a
# template), not a sign that they are copies: it is reported once, but gives no pairs.
NAME_PAIRS_MAX = 8


def name_groups(vault: Vault) -> list[tuple[str, list[NotePath]]]:
    """Each title or alias that several notes share once normalised, with its notes (sorted).

    Names the resolver does not take (empty, or an unrendered ``{{…}}`` / ``<% … %>``
    placeholder) are no one's name.
    """
    owners: defaultdict[str, dict[NotePath, str]] = defaultdict(dict)
    for path, note in vault.notes.items():
        names = [("alias", alias) for alias in note.aliases]
        if _explicit_title(note):
            names.insert(0, ("title", note.title))
        for kind, name in names:
            key = note_key(name)
            if key and vault.index.holds(kind, name, path):
                owners[key].setdefault(path, name)
    groups = [(holders[min(holders)], sorted(holders)) for holders in owners.values()
              if len(holders) > 1]  # fmt: skip
    return sorted(groups, key=lambda group: (group[1], group[0]))


def name_collisions(vault: Vault) -> list[tuple[NotePath, NotePath, str]]:
    """Pairs of notes whose titles or aliases are the same name once normalised (names of
    more than ``NAME_PAIRS_MAX`` notes left out)."""
    pairs: dict[tuple[NotePath, NotePath], str] = {}
    for name, holders in name_groups(vault):
        if len(holders) > NAME_PAIRS_MAX:
            continue
        for i, a in enumerate(holders):
            for b in holders[i + 1 :]:
                pairs.setdefault((a, b), name)
    return [(a, b, name) for (a, b), name in sorted(pairs.items())]


def _explicit_title(note: Note) -> bool:
    """A title someone wrote (frontmatter or H1), not one made from the file name.

    Two ``index.md`` in different folders are two notes, not duplicates.
    """
    return note.meta.title is not None or any(
        h.level == 1 and h.text.strip() == note.title for h in note.headings
    )
