"""DOOR"""

from __future__ import annotations

from kgwiki.trust.assessment import (
    NoteTrust,
    Trust,
    TrustOverview,
    assess,
    assess_all,
    key_line,
    level_at_least,
    overview,
    parse_days,
    select,
)
from kgwiki.trust.levels import (
    TrustLevelError,
    canonical_level,
    level_value,
    levels_best_first,
)
from kgwiki.trust.lint import problems

__all__ = [
    "NoteTrust",
    "Trust",
    "TrustLevelError",
    "TrustOverview",
    "assess",
    "assess_all",
    "canonical_level",
    "key_line",
    "level_at_least",
    "level_value",
    "levels_best_first",
    "overview",
    "parse_days",
    "problems",
    "select",
]
