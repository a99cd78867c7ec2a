"""What ``kgwiki build`` reports: counts, problems found in the notes, broken links, timings.

Link problems in the notes are the vault's own diagnostics (resolution happens once, in the
core); broken links in the written site are found as each page is rendered
(``build_pages.broken_targets``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kgwiki.diagnostics import Diagnostic
    from kgwiki.site import Site

# Link problems in the Markdown that `kgwiki build --strict` fails on.
STRICT_CODES = frozenset(
    {"unresolved-link", "ambiguous-link", "case-mismatch", "missing-heading", "missing-block"}
)


class BuildError(Exception):
    """A build that cannot start (a bad output folder, say); the message is for people."""


@dataclass(slots=True)
class BuildResult:
    """What a build did and what it found wrong.

    ``problems`` are link problems written in the notes (``path:line: code message``);
    ``broken`` are links in the written site that point at no written file; ``withheld`` are
    the attachments not copied because a browser could run script in them (``build_assets.
    active_attachment``), said by the build that withheld them.
    """

    out: Path
    notes: int = 0
    pages: int = 0
    written: int = 0
    removed: int = 0
    unchanged: bool = False
    mode: str = "full"  # "unchanged", "local" (build_local) or "full" (build_run)
    why_full: str = ""  # why a build was not local (``build_local.NotLocal``)
    problems: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def failed(self, strict: bool) -> bool:
        """Only --strict turns problems into a failure (a CI gate); a plain build warns."""
        return strict and bool(self.broken or self.problems)

    def to_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "notes": self.notes, "pages": self.pages,
                "written": self.written, "removed": self.removed, "unchanged": self.unchanged,
                "mode": self.mode, "why_full": self.why_full,
                "problems": self.problems, "broken_links": self.broken,
                "withheld": self.withheld,
                "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}  # fmt: skip


def note_problems(site: Site) -> list[Diagnostic]:
    """Broken, ambiguous and case-mismatched links written in the notes."""
    return [d for d in site.diagnostics() if d.code in STRICT_CODES]
