"""Diagnostics: problems found in a vault, each naming a file and a line."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kgwiki.types import pickled_by_fields


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: where it is, a stable machine-readable code and a sentence for people."""

    path: str
    line: int
    code: str
    message: str
    severity: Severity = Severity.WARNING

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "code": self.code,
            "message": self.message,
            "severity": str(self.severity),
        }
