"""The known frontmatter schema: typed, normalised, unknown keys kept as they are."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.types import pickled_by_fields

_NONE_WORDS = frozenset({"", "none", "null", "self", "no", "false", "-"})
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
KNOWN_KEYS = frozenset(
    {
        "id",
        "title",
        "category",
        "aliases",
        "alias",
        "tags",
        "tag",
        "status",
        "canonical_id",
        "duplicate_of",
        "source_trust_level",
        "confidence_score",
        "verification_status",
        "raw_sources",
        "last_reinforced",
        "date",
        "created",
        "updated",
        "description",
    }
)


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class NoteMeta:
    """A note's frontmatter: the known keys typed, everything as written in ``raw``."""

    id: str | None = None
    title: str | None = None
    category: str | None = None
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    status: str | None = None
    canonical_id: str | None = None
    duplicate_of: str | None = None
    source_trust_level: str | None = None
    confidence_score: float | None = None
    verification_status: str | None = None
    raw_sources: tuple[str, ...] = ()
    last_reinforced: dt.date | None = None
    date: dt.date | None = None
    description: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {key: jsonable(value) for key, value in self.raw.items()}


def jsonable(value: Any) -> Any:
    """Make a YAML value safe for JSON (dates become ISO strings)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def parse_date(value: Any) -> dt.date | None:
    """A date from a YAML value (``2026-05-10``, ``"2026-05-10T09:00"``), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _DATE.match(value.strip())
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or None
    text = str(value).strip()
    return text or None


def _reference(value: Any) -> str | None:
    """``canonical_id: self`` and ``duplicate_of: none`` mean "no"."""
    text = _text(value)
    if text is None or text.casefold() in _NONE_WORDS:
        return None
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2].split("|", 1)[0].strip()
    return text or None


def _string_list(value: Any, split_commas: bool) -> tuple[str, ...]:
    if value is None:
        return ()
    items: list[Any]
    if isinstance(value, list | tuple | set):
        items = list(value)
    elif isinstance(value, str) and split_commas:
        items = [part for part in re.split(r"[,\s]+", value) if part]
    else:
        items = [value]
    out: list[str] = []
    for item in items:
        text = _text(item)
        if text and text not in out:
            out.append(text)
    return tuple(out)


def normalise_tag(tag: str) -> str:
    return tag.strip().lstrip("#").strip()


def normalise_meta(
    raw: Mapping[str, Any], path: str, line: int = 2
) -> tuple[NoteMeta, list[Diagnostic]]:
    """Type the known keys of a frontmatter mapping; report values that cannot be typed."""
    diagnostics: list[Diagnostic] = []

    def warn(code: str, message: str) -> None:
        diagnostics.append(Diagnostic(path, line, code, message, Severity.WARNING))

    confidence: float | None = None
    if raw.get("confidence_score") is not None:
        try:
            confidence = float(raw["confidence_score"])
        except (TypeError, ValueError):
            warn(
                "confidence-invalid",
                f"confidence_score {raw['confidence_score']!r} is not a number",
            )
    level = _text(raw.get("source_trust_level"))
    tags = tuple(
        normalise_tag(t) for t in _string_list(raw.get("tags", raw.get("tag")), split_commas=True)
    )
    reinforced = parse_date(raw.get("last_reinforced"))
    if raw.get("last_reinforced") not in (None, "") and reinforced is None:
        warn("date-invalid", f"last_reinforced {raw['last_reinforced']!r} is not a date")
    meta = NoteMeta(
        id=_text(raw.get("id")),
        title=_text(raw.get("title")),
        category=_text(raw.get("category")),
        aliases=_string_list(raw.get("aliases", raw.get("alias")), split_commas=False),
        tags=tuple(t for t in tags if t),
        status=_text(raw.get("status")),
        canonical_id=_reference(raw.get("canonical_id")),
        duplicate_of=_reference(raw.get("duplicate_of")),
        source_trust_level=level.upper() if level and len(level) == 1 else level,
        confidence_score=confidence,
        verification_status=_text(raw.get("verification_status")),
        raw_sources=_string_list(raw.get("raw_sources"), split_commas=False),
        last_reinforced=reinforced,
        date=parse_date(raw.get("date", raw.get("created"))),
        description=_text(raw.get("description")),
        raw=dict(raw),
    )
    return meta, diagnostics
