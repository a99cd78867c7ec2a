"""Trust lint: problems in the trust fields, and trusted notes that lean on untrusted ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from kgwiki import clock
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.note import LinkKind, Note
from kgwiki.trust.assessment import Trust, assess_all, key_line
from kgwiki.trust.levels import levels_best_first
from kgwiki.types import NotePath
from kgwiki.vault import Vault

# Relations through which a note leans on another: its parents and what it cites in prose.
# Children, variants and "adjacent" notes do not hold it up, so their trust is not its concern.
_LEANING = {None: "trust-weak-citation", "parent": "trust-weak-parent"}


def problems(vault: Vault, today: dt.date | None = None) -> list[Diagnostic]:
    """Every trust diagnostic of the vault, sorted by file and line."""
    day = today or clock.today()
    trusts = assess_all(vault, vault.config, day)
    top = levels_best_first(vault.config)[:1]
    found: list[Diagnostic] = []
    for path, note in vault.notes.items():
        trust = trusts[path]
        found.extend(_field_problems(note, trust, vault.config.trust.stale_days))
        if trust.verified or (trust.level is not None and trust.level in top):
            found.extend(_weak_support(vault, note, trust, trusts))
    return sorted(found, key=lambda d: (d.path, d.line, d.code))


def _field_problems(note: Note, trust: Trust, stale_days: int) -> Iterator[Diagnostic]:
    path, meta = note.path, note.meta
    flags = set(trust.flags)
    if "unknown-level" in flags:
        yield Diagnostic(path, key_line(note, "source_trust_level"), "trust-unknown-level",
                         f"source_trust_level {meta.source_trust_level!r} is not a configured "
                         "level (see [trust] levels in kgwiki.toml)")  # fmt: skip
    if "confidence-range" in flags:
        yield Diagnostic(path, key_line(note, "confidence_score"), "trust-confidence-range",
                         f"confidence_score {meta.confidence_score} is outside 0..1")  # fmt: skip
    if "no-sources" in flags:
        key = "raw_sources" if "raw_sources" in meta.raw else "verification_status"
        yield Diagnostic(path, key_line(note, key), "trust-no-sources",
                         f"verification_status is {meta.verification_status!r} but raw_sources "
                         "lists nothing to verify against")  # fmt: skip
    if trust.stale:
        if trust.age_days is not None and trust.age_days > stale_days:
            message = (f"not reinforced for {trust.age_days} days (last_reinforced "
                       f"{trust.last_reinforced}; stale after {stale_days})")  # fmt: skip
            line = key_line(note, "last_reinforced")
        else:
            message, line = "status says the note is stale", key_line(note, "status")
        yield Diagnostic(path, line, "trust-stale", message, Severity.INFO)
    if "future-reinforced" in flags:
        yield Diagnostic(path, key_line(note, "last_reinforced"), "trust-future-reinforced",
                         f"last_reinforced {trust.last_reinforced} is in the future",
                         Severity.INFO)  # fmt: skip


def _weak_support(
    vault: Vault, note: Note, trust: Trust, trusts: Mapping[NotePath, Trust]
) -> Iterator[Diagnostic]:
    why = "verified" if trust.verified else f"level {trust.level}"
    seen: set[tuple[str, NotePath]] = set()
    for item in vault.links_of(note.path):
        link, target = item.link, item.resolution.path
        code = _LEANING.get(link.relation)
        if code is None or target is None or target == note.path or target not in trusts:
            continue
        if link.kind is LinkKind.FRONTMATTER or not trusts[target].low or (code, target) in seen:
            continue
        if _declares_duplicate_of(vault, vault.notes[target], note.path):
            continue  # naming one's own declared duplicate is not leaning on it
        seen.add((code, target))
        other = trusts[target]
        role = "parent" if link.relation == "parent" else "cited note"
        yield Diagnostic(note.path, link.line, code,
                         f"{why} note relies on low-trust {role} {target} "
                         f"({other.label}, score {other.score:.2f})")  # fmt: skip


def _declares_duplicate_of(vault: Vault, note: Note, other: NotePath) -> bool:
    for name in (note.meta.duplicate_of, note.meta.canonical_id):
        if name is not None and vault.resolve(name, note.path).path == other:
            return True
    return False
