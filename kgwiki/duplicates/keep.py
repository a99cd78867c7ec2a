"""Which note of a duplicate pair, or of a cluster of near duplicates, to keep, and why, in
words a person can check; and the clusters themselves (connected pairs).

The inputs a decision reads (trust, backlinks) are computed once for the vault and passed in:
asking the vault for one note's backlinks walks the notes linking to its names, and a vault of
template-made notes has millions of pairs.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterable, Mapping
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


Backlinks = Mapping[NotePath, frozenset[NotePath]]


_BACKLINKS: weakref.WeakKeyDictionary[Vault, tuple[int, dict[NotePath, frozenset[NotePath]]]] = (
    weakref.WeakKeyDictionary())


def backlink_sources(vault: Vault) -> Backlinks:
    """For every note that has any, the other notes linking to it (one pass over the links;
    kept until the vault changes, as lint asks once for declared and once for content pairs)."""
    kept = _BACKLINKS.get(vault)
    if kept is not None and kept[0] == vault.version:
        return kept[1]
    found: dict[NotePath, set[NotePath]] = {}
    for source in vault.notes:
        for item in vault.links_of(source):
            target = item.resolution.path
            if target is not None and target != source and not item.resolution.is_attachment:
                found.setdefault(target, set()).add(source)
    result = {path: frozenset(sources) for path, sources in found.items()}
    _BACKLINKS[vault] = (vault.version, result)
    return result


def backlink_count(vault: Vault, path: NotePath, ignore: NotePath | None = None,
                   backlinks: Backlinks | None = None) -> int:  # fmt: skip
    """How many other notes link to ``path`` (``ignore``: the pair's other note)."""
    if backlinks is not None:
        sources = backlinks.get(path, frozenset())
        return len(sources) - (ignore in sources)
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
    backlinks: Backlinks | None = None,
) -> tuple[NotePath, str]:
    """The note to keep: the declared canonical, else higher trust, more backlinks, newer
    reinforcement, more content — the first that differs decides.

    ``trusts`` and ``backlinks`` (:func:`backlink_sources`) are computed when not given; pass
    them when deciding for many pairs.
    """
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
    la, lb = backlink_count(vault, a, b, backlinks), backlink_count(vault, b, a, backlinks)
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


def clusters(pairs: Iterable[tuple[NotePath, NotePath]]) -> list[list[NotePath]]:
    """The connected groups of notes the pairs join (union-find), each sorted, largest first.

    A pair list grows with the square of a group's size; the groups grow with the notes.
    """
    parent: dict[NotePath, NotePath] = {}

    def root(path: NotePath) -> NotePath:
        parent.setdefault(path, path)
        while parent[path] != path:
            parent[path] = parent[parent[path]]  # path halving
            path = parent[path]
        return path

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[NotePath, list[NotePath]] = {}
    for path in parent:
        groups.setdefault(root(path), []).append(path)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: (-len(g), g[0]))


def cluster_keep(
    vault: Vault,
    members: list[NotePath],
    *,
    trusts: Mapping[NotePath, Trust],
    backlinks: Backlinks,
    today: dt.date | None = None,
) -> tuple[NotePath, str]:
    """The member to keep and why: it won :func:`choose_keep` against each challenger in turn
    (one decision per member, not per pair), the reason is that of its last win."""
    keep, reason = members[0], "the only note"
    for other in members[1:]:
        keep, reason = choose_keep(vault, keep, other, trusts=trusts, today=today,
                                   backlinks=backlinks)  # fmt: skip
    return keep, reason
