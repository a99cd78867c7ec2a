"""Trust levels and verification words, read against the configured scale (kgwiki.toml [trust])."""

from __future__ import annotations

from kgwiki.config import Config, TrustConfig

# Words that say a claim was checked and found wanting. Not configurable yet: they only
# raise a flag, the score treats them like any other unverified status (docs/trust.md).
DISPUTED_STATUSES = frozenset({"disputed", "rejected", "refuted", "retracted", "wrong"})

# Below this combined score a note that states its trust counts as low-trust (docs/trust.md).
LOW_TRUST_SCORE = 0.5


class TrustLevelError(ValueError):
    """A level that the configured scale does not know (e.g. ``trust:>=Z``)."""


def trust_config(config: Config | TrustConfig) -> TrustConfig:
    """Accept the whole Config or its [trust] table, so callers pass what they hold."""
    return config.trust if isinstance(config, Config) else config


def canonical_level(level: str | None, config: Config | TrustConfig) -> str | None:
    """The configured spelling of ``level`` (``b`` → ``B``), or None when the scale lacks it."""
    if level is None:
        return None
    wanted = level.strip().casefold()
    for name in trust_config(config).levels:
        if name.casefold() == wanted:
            return name
    return None


def level_value(level: str | None, config: Config | TrustConfig) -> float | None:
    """The score of a level on the configured scale (A → 1.0 by default), None if unknown."""
    name = canonical_level(level, config)
    return None if name is None else float(trust_config(config).levels[name])


def level_at_least(level: str | None, bound: str, config: Config | TrustConfig) -> bool:
    """Whether a note's level is ``bound`` or better (``trust:>=B`` keeps A and B).

    A note without a level, or with one the scale does not know, is never "at least"
    anything: a filter that asks for trust wants it stated. An unknown ``bound`` is the
    caller's mistake and raises TrustLevelError.
    """
    floor = level_value(bound, config)
    if floor is None:
        known = ", ".join(trust_config(config).levels)
        raise TrustLevelError(f"unknown trust level {bound!r} (known: {known})")
    value = level_value(level, config)
    return value is not None and value >= floor


def levels_best_first(config: Config | TrustConfig) -> list[str]:
    """The configured levels from the most to the least trusted."""
    levels = trust_config(config).levels
    return sorted(levels, key=lambda name: (-float(levels[name]), name))


def is_verified(verification: str | None, config: Config | TrustConfig) -> bool:
    if verification is None:
        return False
    verified = {word.casefold() for word in trust_config(config).verified_statuses}
    return verification.strip().casefold() in verified


def is_disputed(verification: str | None) -> bool:
    return verification is not None and verification.strip().casefold() in DISPUTED_STATUSES
