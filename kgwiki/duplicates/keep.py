"""Which note of a duplicate pair to keep, and why, in words a person can check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kgwiki import clock
from kgwiki.duplicates.declared import canonical_of
from kgwiki.trust import Trust, assess
from kgwiki.types import NotePath
from kgwiki.vault import Vault

# Scores closer than this are a tie: 0.97 against 0.96 is noise in the author's numbers.
TRUST_MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two notes that say the same thing; ``a`` sorts before ``b``, ``keep`` is one of them.

    ``kind`` is ``declared`` (frontmatter says so), ``name`` (titles or aliases collide) or
    ``content`` (near-duplicate text); ``similarity`` is the exact Jaccard similarity of
    their shingle sets in every case; ``evidence`` says what made them a pair.
    """

    a: NotePath
    b: NotePath
    similarity: float
    keep: NotePath
    reason: str
    kind: str
    evidence: str = ""

    @property
    def drop(self) -> NotePath:
        return self.b if self.keep == self.a else self.a

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "similarity": round(self.similarity, 4),
                "keep": self.keep, "drop": self.drop, "reason": self.reason, "kind": self.kind,
                "evidence": self.evidence}  # fmt: skip


def backlink_count(vault: Vault, path: NotePath, ignore: NotePath | None = None) -> int:
    """How many other notes link to ``path`` (``ignore``: the pair's other note)."""
    count = 0
    for source in vault.sources_linking_to_names(vault.notes[path]):
        if source in (path, ignore) or source not in vault.notes:
            continue
        if any(item.resolution.path == path for item in vault.links_of(source)):
            count += 1
    return count


def choose_keep(
    vault: Vault,
    a: NotePath,
    b: NotePath,
    *,
    trusts: Mapping[NotePath, Trust] | None = None,
    today: dt.date | None = None,
) -> tuple[NotePath, str]:
    """The note to keep: the declared canonical, else higher trust, more backlinks, newer
    reinforcement, more content — the first that differs decides."""
    if canonical_of(vault, a) == b:
        return b, f"declared canonical ({a} says it duplicates {b})"
    if canonical_of(vault, b) == a:
        return a, f"declared canonical ({b} says it duplicates {a})"
    day = today or clock.today()
    ta = trusts[a] if trusts and a in trusts else assess(vault.notes[a], vault.config, day)
    tb = trusts[b] if trusts and b in trusts else assess(vault.notes[b], vault.config, day)
    if abs(ta.score - tb.score) >= TRUST_MARGIN:
        win, hi, lo = (a, ta, tb) if ta.score > tb.score else (b, tb, ta)
        return win, f"higher trust ({hi.label}, {hi.score:.2f} vs {lo.label}, {lo.score:.2f})"
    la, lb = backlink_count(vault, a, b), backlink_count(vault, b, a)
    if la != lb:
        return (a if la > lb else b), f"more backlinks ({max(la, lb)} vs {min(la, lb)})"
    ra, rb = ta.last_reinforced, tb.last_reinforced
    if ra != rb and ra is not None and rb is not None:
        return (a if ra > rb else b), f"reinforced more recently ({max(ra, rb)} vs {min(ra, rb)})"
    if (ra is None) != (rb is None):
        return (a if ra is not None else b), "only one of them was ever reinforced"
    sa, sb = vault.notes[a].size, vault.notes[b].size
    if sa != sb:
        return (a if sa > sb else b), f"more content ({max(sa, sb)} vs {min(sa, sb)} bytes)"
    return a, "no difference in trust, links, reinforcement or size; kept the first by path"
