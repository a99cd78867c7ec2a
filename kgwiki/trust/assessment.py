"""How far a note can be trusted: its frontmatter read as one record and one score in 0..1.

The score (docs/trust.md) is a weighted mean of the source level, the confidence and
whether the note was verified; staleness and other problems are flags beside it, so a
ranking can use the score alone and a page can show why.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kgwiki import clock
from kgwiki.config import Config, TrustConfig
from kgwiki.note import Note
from kgwiki.trust.levels import (
    LOW_TRUST_SCORE,
    TrustLevelError,
    canonical_level,
    is_disputed,
    is_verified,
    level_at_least,
    level_value,
    levels_best_first,
    trust_config,
)
from kgwiki.types import NotePath

if TYPE_CHECKING:
    from kgwiki.vault import Vault

__all__ = [
    "NoteTrust", "Trust", "TrustLevelError", "TrustOverview", "assess", "assess_all", "key_line",
    "level_at_least", "level_value", "overview", "parse_days", "select",
]  # fmt: skip

# Keys whose presence means the author rated the note; a note with none is "unrated".
TRUST_KEYS = ("source_trust_level", "confidence_score", "verification_status", "last_reinforced",
              "raw_sources")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Trust:
    """A note's trust fields, normalised, with the combined score and the flags that explain it."""

    level: str | None
    confidence: float | None
    verification: str | None
    status: str | None
    last_reinforced: dt.date | None
    age_days: int | None
    stale: bool
    score: float
    label: str
    rated: bool = True
    verified: bool = False
    sources: int = 0
    flags: tuple[str, ...] = ()

    @property
    def low(self) -> bool:
        return "low-trust" in self.flags

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level, "confidence": self.confidence, "verification": self.verification,
            "status": self.status,
            "last_reinforced": self.last_reinforced.isoformat() if self.last_reinforced else None,
            "age_days": self.age_days, "stale": self.stale, "score": round(self.score, 4),
            "label": self.label, "rated": self.rated, "verified": self.verified,
            "sources": self.sources, "flags": list(self.flags),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class NoteTrust:
    path: NotePath
    title: str
    trust: Trust

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "title": self.title, **self.trust.to_json()}


@dataclass(frozen=True, slots=True)
class TrustOverview:
    """What the trust page shows: notes per level, and the stale and low-trust ones."""

    counts: Mapping[str, int]
    stale: tuple[NoteTrust, ...]
    low: tuple[NoteTrust, ...]
    flagged: tuple[NoteTrust, ...]
    total: int
    rated: int
    mean_score: float | None

    def to_json(self) -> dict[str, Any]:
        return {
            "counts": dict(self.counts), "total": self.total, "rated": self.rated,
            "mean_score": None if self.mean_score is None else round(self.mean_score, 4),
            "stale": [n.to_json() for n in self.stale], "low": [n.to_json() for n in self.low],
            "flagged": [n.to_json() for n in self.flagged],
        }  # fmt: skip


# What a note's trust is computed from (``trust_inputs``): whether it rates itself at all, its
# level, confidence, verification, status, reinforcement date and number of sources.
TrustInputs = tuple[bool, str | None, float | None, str | None, str | None, dt.date | None, int]


def trust_inputs(note: Note) -> TrustInputs:
    """Everything of a note that ``assess`` reads: notes with equal inputs have equal trust."""
    meta = note.meta
    raw = meta.raw
    return (any(raw.get(key) not in (None, "", []) for key in TRUST_KEYS),
            meta.source_trust_level, meta.confidence_score, meta.verification_status,
            meta.status, meta.last_reinforced, len(meta.raw_sources))  # fmt: skip


def assess(note: Note, config: Config | TrustConfig, today: dt.date | None = None) -> Trust:
    """Read a note's trust fields and combine them into a score in 0..1 (docs/trust.md)."""
    return _assess(trust_inputs(note), trust_config(config), today or clock.today())


def _assess(inputs: TrustInputs, cfg: TrustConfig, today: dt.date) -> Trust:
    (rated, source_level, confidence, verification, status, last_reinforced,
     sources) = inputs  # fmt: skip
    flags: list[str] = []
    level = canonical_level(source_level, cfg)
    if level is None and source_level is not None:
        flags.append("unknown-level")
    level_score = level_value(level, cfg)
    base = cfg.unknown_level_score if level_score is None else level_score
    if confidence is not None and not 0.0 <= confidence <= 1.0:
        flags.append("confidence-range")
    # A missing confidence says nothing beyond the level, so it takes the level's value.
    conf_score = base if confidence is None else min(1.0, max(0.0, confidence))
    verified = is_verified(verification, cfg)
    weights = cfg.level_weight + cfg.confidence_weight + cfg.verification_weight
    if weights > 0:
        score = (cfg.level_weight * base + cfg.confidence_weight * conf_score
                 + cfg.verification_weight * (1.0 if verified else 0.0)) / weights  # fmt: skip
    else:
        score = base
    score = min(1.0, max(0.0, score))
    age = None if last_reinforced is None else (today - last_reinforced).days
    stale = (age is not None and age > cfg.stale_days) or (status or "").casefold() == "stale"
    if rated and not verified and not is_disputed(verification):
        flags.append("unverified")
    if is_disputed(verification):
        flags.append("disputed")
    if verified and not sources:
        flags.append("no-sources")
    if stale:
        flags.append("stale")
    if age is not None and age < 0:
        flags.append("future-reinforced")
    if (status or "").casefold() == "deprecated":
        flags.append("deprecated")
    if not rated:
        flags.append("unrated")
    elif score < LOW_TRUST_SCORE:
        flags.append("low-trust")
    return Trust(
        level=level or source_level, confidence=confidence, verification=verification,
        status=status, last_reinforced=last_reinforced, age_days=age, stale=stale, score=score,
        label=_label(rated, level or source_level, confidence, verification, stale),
        rated=rated, verified=verified, sources=sources, flags=tuple(flags),
    )  # fmt: skip


def _label(rated: bool, level: str | None, confidence: float | None, verification: str | None,
           stale: bool) -> str:  # fmt: skip
    if not rated:
        return "unrated"
    parts = [level or "?"]
    if confidence is not None:
        parts.append(f"{confidence:.2f}")
    parts.append(verification or "unverified")
    if stale:
        parts.append("stale")
    return " · ".join(parts)


def assess_all(
    vault: Vault, config: Config | TrustConfig | None = None, today: dt.date | None = None
) -> dict[NotePath, Trust]:
    """Every note's Trust, for ranking (search, hubs) or a table.

    Kept for the vault's current version, config and day: lint, the duplicate finder and the
    site's pages all ask for it, and a 10,000-note vault takes 0.2 s to assess.
    """
    cfg = config if config is not None else vault.config
    day = today or clock.today()
    version = vault.version  # read first: a change made meanwhile must not be stored under it
    hit = _ASSESSED.get(vault)
    if hit is not None and hit[0] == version and hit[1] is cfg and hit[2] == day:
        return dict(hit[3])
    tcfg = trust_config(cfg)
    # Most notes share their trust fields with many others (unrated, or one level and
    # status): each distinct set of inputs is assessed once.
    seen: dict[TrustInputs, Trust] = {}
    found: dict[NotePath, Trust] = {}
    for path, note in list(vault.notes.items()):
        inputs = trust_inputs(note)
        known = seen.get(inputs)
        if known is None:
            known = seen[inputs] = _assess(inputs, tcfg, day)
        found[path] = known
    _ASSESSED[vault] = (version, cfg, day, found)
    return dict(found)


_ASSESSED: weakref.WeakKeyDictionary[
    Vault, tuple[int, Config | TrustConfig, dt.date, dict[NotePath, Trust]]
] = weakref.WeakKeyDictionary()


def select(
    vault: Vault,
    config: Config | TrustConfig | None = None,
    today: dt.date | None = None,
    *,
    below: str | None = None,
    stale_after: int | None = None,
) -> list[NoteTrust]:
    """Notes for ``kgwiki trust``: all, or those below a level / not reinforced for N days.

    Both filters look at rated notes only; the result is weakest first.
    """
    cfg = config if config is not None else vault.config
    rows: list[NoteTrust] = []
    for path, trust in assess_all(vault, cfg, today).items():
        if below is not None and (not trust.rated or level_at_least(trust.level, below, cfg)):
            continue
        if stale_after is not None and not (
            trust.rated and (trust.age_days is None or trust.age_days > stale_after)
        ):
            continue
        rows.append(NoteTrust(path, vault.notes[path].title, trust))
    return sorted(rows, key=lambda row: (row.trust.score, row.path))


def overview(vault: Vault, config: Config | TrustConfig | None = None,
             today: dt.date | None = None) -> TrustOverview:  # fmt: skip
    """Counts per level, the stale notes (oldest first) and the low-trust ones (weakest first)."""
    cfg = config if config is not None else vault.config
    rows = [NoteTrust(path, vault.notes[path].title, trust)
            for path, trust in assess_all(vault, cfg, today).items()]  # fmt: skip
    counts: dict[str, int] = dict.fromkeys(levels_best_first(cfg), 0)
    counts["unknown"] = counts["unrated"] = 0
    for row in rows:
        level = canonical_level(row.trust.level, cfg)
        key = level if level is not None else ("unrated" if not row.trust.rated else "unknown")
        counts[key] += 1
    rated = [row for row in rows if row.trust.rated]
    stale = sorted((r for r in rated if r.trust.stale),
                   key=lambda r: (-(r.trust.age_days or 0), r.path))  # fmt: skip
    low = sorted((r for r in rated if r.trust.low), key=lambda r: (r.trust.score, r.path))
    quiet = {"unrated", "unverified"}
    flagged = sorted((r for r in rated if set(r.trust.flags) - quiet),
                     key=lambda r: (r.trust.score, r.path))  # fmt: skip
    mean = sum(r.trust.score for r in rated) / len(rated) if rated else None
    return TrustOverview(counts, tuple(stale), tuple(low), tuple(flagged), len(rows), len(rated),
                         mean)  # fmt: skip


def key_line(note: Note, key: str) -> int:
    """The file line of a frontmatter key (1 for a flattened note or a key not found)."""
    if note.flattened or not note.frontmatter_raw:
        return 1
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    for number, line in enumerate(note.frontmatter_raw.split("\n")):
        if pattern.match(line):
            return number + 2  # the opening --- is line 1
    return 1


def parse_days(text: str) -> int:
    """``90d``, ``12w``, ``6m``, ``1y`` or a bare number of days."""
    match = re.fullmatch(r"\s*(\d+)\s*([dwmy]?)\s*", text.casefold())
    if match is None:
        raise ValueError(f"{text!r} is not a duration like 90d, 12w, 6m or 1y")
    factor = {"": 1, "d": 1, "w": 7, "m": 30, "y": 365}[match[2]]
    return int(match[1]) * factor
