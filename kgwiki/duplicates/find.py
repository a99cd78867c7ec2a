"""Duplicate notes: declared ones, colliding names, and near-duplicate text, in one list.

Near-duplicates come from :class:`DuplicateDetector` (MinHash LSH over word shingles, see
:mod:`kgwiki.duplicates.detector` and docs/duplicates.md); declarations and names from
:mod:`kgwiki.duplicates.declared`; the keep decision from :mod:`kgwiki.duplicates.keep`.

The diagnostics grow with the problems, not with their square: one per cluster of near
duplicates (the notes the pairs connect) and one per shared name, each listing its notes up
to ``LISTED`` and saying how many more.
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
    name_groups,
)
from kgwiki.duplicates.detector import (
    MIN_THRESHOLD,
    DuplicateDetector,
    band_params,
    exact_shingles,
)
from kgwiki.duplicates.keep import (
    DuplicatePair,
    backlink_sources,
    choose_keep,
    cluster_keep,
    clusters,
)
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
# How many notes a diagnostic about a cluster or a shared name names before "and N more".
LISTED = 5


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
    backlinks = backlink_sources(vault) if found else {}
    pairs = []
    for (a, b), (kind, evidence, sim) in found.items():
        similarity = sim if sim is not None else jaccard(sets[a], sets[b])
        keep, reason = choose_keep(vault, a, b, trusts=trusts, today=day, backlinks=backlinks)
        pairs.append(DuplicatePair(a, b, similarity, keep, reason, kind, "; ".join(evidence)))
    return sorted(pairs, key=lambda p: (-p.similarity, p.a, p.b))


def problems(vault: Vault, pairs: Iterable[DuplicatePair] = (),
             today: dt.date | None = None) -> list[Diagnostic]:  # fmt: skip
    """Broken declarations, shared names (one per name) and undeclared near-duplicates (one
    per cluster of the content ``pairs``)."""
    found = declared_problems(vault)
    for name, holders in name_groups(vault):
        note = vault.notes[holders[0]]
        key = "title" if note_key(name) == note_key(note.title) else "aliases"
        if len(holders) == 2:
            message = f"{name!r} also names {holders[1]}; links by that name are ambiguous"
        else:
            message = (f"{name!r} names {len(holders)} notes: {listed(holders)}; links by that "
                       "name are ambiguous")  # fmt: skip
        found.append(Diagnostic(holders[0], key_line(note, key), "duplicate-name", message))
    found += suspected(vault, [p for p in pairs if p.kind == "content"], today)
    return sorted(found, key=lambda d: (d.path, d.line, d.code))


def suspected(vault: Vault, pairs: list[DuplicatePair], today: dt.date | None = None
              ) -> list[Diagnostic]:  # fmt: skip
    """One ``duplicate-suspected`` per cluster of near duplicates, on its first note to drop.

    A pair keeps the decision it was found with; a larger cluster's keeper is decided once,
    each member against the best so far, with trust and backlinks computed once.
    """
    if not pairs:
        return []
    by_pair = {(p.a, p.b): p for p in pairs}
    day = today or clock.today()
    trusts = backlinks = None
    groups = clusters(by_pair)
    group_of = {path: index for index, members in enumerate(groups) for path in members}
    lowest = [1.0] * len(groups)
    for (a, _), pair in by_pair.items():
        lowest[group_of[a]] = min(lowest[group_of[a]], pair.similarity)
    out = []
    for members, low in zip(groups, lowest, strict=True):
        if len(members) == 2:
            pair = by_pair[(members[0], members[1])]
            out.append(Diagnostic(pair.drop, 1, "duplicate-suspected",
                                  f"near-duplicate of {pair.keep} (similarity "
                                  f"{pair.similarity:.2f}); keep {pair.keep}: {pair.reason}",
                                  Severity.INFO))  # fmt: skip
            continue
        if trusts is None or backlinks is None:
            trusts, backlinks = assess_all(vault, today=day), backlink_sources(vault)
        keep, reason = cluster_keep(vault, members, trusts=trusts, backlinks=backlinks,
                                    today=day)  # fmt: skip
        others = [m for m in members if m != keep]
        out.append(Diagnostic(others[0], 1, "duplicate-suspected",
                              f"{len(members)} notes read alike (similarity {low:.2f} or more): "
                              f"{listed([keep, *others])}; keep {keep}: {reason}",
                              Severity.INFO))  # fmt: skip
    return out


def listed(paths: list[NotePath], limit: int = LISTED) -> str:
    """``a, b, c and 4 more``."""
    shown = ", ".join(paths[:limit])
    return shown if len(paths) <= limit else f"{shown} and {len(paths) - limit} more"
