"""Find a note by the name a person types: title, alias, id, file name or path."""

from __future__ import annotations

import difflib

from kgwiki.types import NotePath
from kgwiki.vault.model import Vault
from kgwiki.vault.resolver import note_key


class NoteLookupError(LookupError):
    """No note, or more than one, answers to a name; the message says what to type instead."""


def find_note(vault: Vault, name: str) -> NotePath:
    """The one note ``name`` designates; raise NoteLookupError with suggestions otherwise."""
    wanted = name.strip()
    if wanted in vault.notes:
        return NotePath(wanted)
    resolution = vault.resolve(wanted)
    if resolution.path is not None and not resolution.is_attachment:
        if resolution.ambiguous and resolution.via != "path":
            options = "; ".join(resolution.candidates)
            raise NoteLookupError(f"{name!r} is ambiguous: it names {options}. Give the path.")
        return resolution.path
    suggestions = suggest(vault, wanted)
    hint = f" Did you mean: {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    raise NoteLookupError(f"no note is called {name!r}.{hint}")


def suggest(vault: Vault, name: str, limit: int = 5) -> list[str]:
    """Titles and aliases close to ``name`` (spelling, case, a missing word)."""
    names: dict[str, str] = {}
    for note in vault:
        for candidate in (note.title, *note.aliases):
            names.setdefault(note_key(candidate), candidate)
    key = note_key(name)
    contains = [shown for k, shown in names.items() if key and key in k]
    close = difflib.get_close_matches(key, list(names), n=limit, cutoff=0.6)
    ordered = [names[k] for k in close] + contains
    return list(dict.fromkeys(ordered))[:limit]
