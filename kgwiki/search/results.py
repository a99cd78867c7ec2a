"""What a search returns: hits with their trust badge data, and the result set around them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kgwiki.config import DEFAULT_TRUST_LEVELS, Config
from kgwiki.types import NotePath


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching note. ``snippet_html`` is escaped HTML whose only tags are ``<mark>``."""

    path: NotePath
    title: str
    snippet_html: str
    score: float
    trust_level: str | None
    tags: tuple[str, ...] = ()
    confidence: float | None = None
    verification: str | None = None
    status: str | None = None
    category: str | None = None
    aliases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "title": self.title, "snippet": self.snippet_html,
            "score": round(self.score, 4), "tags": list(self.tags), "aliases": list(self.aliases),
            "category": self.category, "status": self.status,
            "trust": {"level": self.trust_level, "confidence": self.confidence,
                      "verification": self.verification},
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class SearchResults:
    """The hits of one query, best first.

    ``suggestion`` is a corrected query when a word was unknown; ``corrected`` says the hits
    are for that suggestion because the query as typed found nothing. ``any_word`` says no
    note had every word, so the hits have at least one. ``error`` explains a malformed query.
    """

    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    suggestion: str | None = None
    error: str | None = None
    query: str = ""
    corrected: bool = False
    any_word: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query, "total": self.total, "suggestion": self.suggestion,
            "corrected": self.corrected, "any_word": self.any_word, "error": self.error,
            "hits": [hit.to_json() for hit in self.hits],
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class TrustWeighting:
    """Optional ranking by trust: ``final = bm25 × (1 - weight × (1 - quality))``.

    ``quality`` is the level's score (A 1.0 … E 0.2, from ``[trust] levels``), averaged with
    ``confidence_score`` when the note has one; notes without a level get ``unknown``. With
    the default weight 0.25 an E note keeps 80 % of its text score and an A note all of it, so
    trust breaks near-ties without burying a better textual match. ``weight=0`` turns it off.
    """

    weight: float = 0.25
    levels: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TRUST_LEVELS))
    unknown: float = 0.5

    @classmethod
    def from_config(cls, config: Config, weight: float | None = None) -> TrustWeighting:
        """The weighting a vault's kgwiki.toml asks for (``weight`` overrides its own)."""
        trust = config.trust
        chosen = config.search_trust_weight if weight is None else weight
        return cls(chosen, dict(trust.levels), trust.unknown_level_score)

    @property
    def active(self) -> bool:
        return self.weight > 0

    def multiplier(self, level: str | None, confidence: float | None) -> float:
        quality = self.levels.get(level or "", self.unknown)
        if confidence is not None and 0.0 <= confidence <= 1.0:
            quality = (quality + confidence) / 2
        return 1.0 - self.weight * (1.0 - min(1.0, max(0.0, quality)))
