"""Duplicate notes: declared ones, colliding names, and near-duplicate text, in one list.

Near-duplicates come from :class:`DuplicateDetector` (MinHash LSH over word shingles, see
:mod:`kgwiki.duplicates.detector` and docs/duplicates.md); declarations and names from
:mod:`kgwiki.duplicates.declared`; the keep decision from :mod:`kgwiki.duplicates.keep`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kgwiki import clock
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.duplicates.declared import (
    DeclaredDuplicate,
    canonical_of,
    declared,
    declared_problems,
    name_collisions,
)
from kgwiki.duplicates.detector import (
    MIN_THRESHOLD,
    DuplicateDetector,
    band_params,
    exact_shingles,
)
from kgwiki.duplicates.keep import DuplicatePair, choose_keep
from kgwiki.duplicates.shingles import jaccard
from kgwiki.trust import assess_all, key_line
from kgwiki.types import NotePath
from kgwiki.vault import Vault, note_key

__all__ = [
    "MIN_THRESHOLD", "DeclaredDuplicate", "DuplicateDetector", "DuplicatePair", "band_params",
    "canonical_of", "declared", "find_duplicates", "problems",
]  # fmt: skip

# A pair found several ways is listed under the strongest kind.
_RANK = {"declared": 0, "content": 1, "name": 2}


def find_duplicates(
    vault: Vault,
    threshold: float | None = None,
    *,
    detector: DuplicateDetector | None = None,
    today: dt.date | None = None,
) -> list[DuplicatePair]:
    """All duplicate pairs: declared, colliding names and near-duplicate text, merged.

    A pair found several ways is listed once, under the strongest kind (declared, then
    content, then name), with every piece of evidence.
    """
    day = today or clock.today()
    found: dict[tuple[NotePath, NotePath], tuple[str, list[str], float | None]] = {}

    def note_pair(a: NotePath, b: NotePath, kind: str, evidence: str, sim: float | None) -> None:
        key = (min(a, b), max(a, b))
        old_kind, old_evidence, old_sim = found.get(key, (kind, [], None))
        best = kind if _RANK[kind] < _RANK[old_kind] else old_kind
        found[key] = (best, [*old_evidence, evidence], sim if sim is not None else old_sim)

    for item in declared(vault):
        if item.target is not None:
            note_pair(item.path, item.target, "declared", f"{item.key}: {item.written}", None)
    for a, b, name in name_collisions(vault):
        note_pair(a, b, "name", f"both are called {name!r}", None)
    if detector is None:
        detector = DuplicateDetector(vault, threshold=threshold)
    for pair in detector.find(threshold, today=day):
        note_pair(pair.a, pair.b, "content", pair.evidence, pair.similarity)
    missing = {p for key, (_, _, sim) in found.items() if sim is None for p in key}
    sets = exact_shingles(vault, missing, detector.params.shingle_size)
    trusts = assess_all(vault, today=day)
    pairs = []
    for (a, b), (kind, evidence, sim) in found.items():
        similarity = sim if sim is not None else jaccard(sets[a], sets[b])
        keep, reason = choose_keep(vault, a, b, trusts=trusts, today=day)
        pairs.append(DuplicatePair(a, b, similarity, keep, reason, kind, "; ".join(evidence)))
    return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))


def problems(vault: Vault, pairs: Iterable[DuplicatePair] = ()) -> list[Diagnostic]:
    """Broken declarations, colliding names, and undeclared near-duplicates (from ``pairs``)."""
    found = declared_problems(vault)
    for a, b, name in name_collisions(vault):
        note = vault.notes[a]
        key = "title" if note_key(name) == note_key(note.title) else "aliases"
        message = f"{name!r} also names {b}; links by that name are ambiguous"
        found.append(Diagnostic(a, key_line(note, key), "duplicate-name", message))
    for pair in pairs:
        if pair.kind == "content":
            found.append(Diagnostic(pair.drop, 1, "duplicate-suspected",
                                    f"near-duplicate of {pair.keep} (similarity "
                                    f"{pair.similarity:.2f}); keep {pair.keep}: {pair.reason}",
                                    Severity.INFO))  # fmt: skip
    return sorted(found, key=lambda d: (d.path, d.line, d.code))
