"""Everything wrong with a vault, gathered from the parts that know.

Parsing and links come from the vault, trust from ``trust``, dated rows from ``changelog``,
declared and near duplicates from ``duplicates``, orphans from the graph; loosely written
frontmatter and missing titles are found here. Codes that ``kgwiki lint --fix`` clears are
in ``kgwiki.lint.repair.FIXABLE``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from kgwiki import changelog, clock, duplicates, trust
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.graph import KnowledgeGraph
from kgwiki.lint.repair_meta import meta_problems, uses_ids
from kgwiki.note import Note
from kgwiki.vault import Vault

if TYPE_CHECKING:
    from kgwiki.duplicates import DuplicateDetector

# A near-duplicate is worth a look, not just a notice: one of the two usually has to go.
_RAISED_TO_WARNING = frozenset({"duplicate-suspected"})


def lint_vault(
    vault: Vault,
    *,
    graph: KnowledgeGraph | None = None,
    detector: DuplicateDetector | None = None,
    near_duplicates: bool = True,
    today: dt.date | None = None,
) -> list[Diagnostic]:
    """All diagnostics, each once, sorted by file, line and code.

    Pass the ``graph`` and duplicate ``detector`` you already hold (the site does) to save
    building them; ``near_duplicates=False`` skips the text comparison.
    """
    day = today or clock.today()
    found: list[Diagnostic] = list(vault.diagnostics())
    found += trust.problems(vault, today=day)
    found += changelog.problems(vault, today=day)
    pairs = (duplicates.find_duplicates(vault, detector=detector, today=day)
             if near_duplicates else [])  # fmt: skip
    found += [_raised(d) for d in duplicates.problems(vault, pairs)]
    found += orphans(vault, graph)
    with_ids = uses_ids(vault)
    titled = writes_titles(vault)
    for note in vault.notes.values():
        if titled:
            found += missing_title(note)
        found += meta_problems(vault, note, with_ids)
    return sorted(set(found), key=lambda d: (d.path, d.line, d.code, d.message))


def orphans(vault: Vault, graph: KnowledgeGraph | None = None) -> list[Diagnostic]:
    """Notes that no note links to and that link to nothing (not even a wanted note)."""
    if graph is None:
        graph = KnowledgeGraph.build(vault)
    return [Diagnostic(path, 1, "orphan-note", "no note links here and it links to none",
                       Severity.INFO) for path in graph.orphans()]  # fmt: skip


def _has_own_title(note: Note) -> bool:
    return note.meta.title is not None or any(h.level == 1 for h in note.headings)


def writes_titles(vault: Vault) -> bool:
    """Whether the vault's convention is a title in each note (``title:`` or a ``# heading``).

    In an Obsidian vault the file name is the title, and "no title" would be said of nearly
    every note: noise that hides the real problems. So ``missing-title`` is reported only where
    at least three notes in four write their own title (the others are then the exceptions).
    """
    notes = vault.notes.values()
    return bool(notes) and 4 * sum(_has_own_title(n) for n in notes) >= 3 * len(notes)


def missing_title(note: Note) -> Iterable[Diagnostic]:
    """A note titled only by its file name: no ``title:`` and no ``# heading``."""
    if not _has_own_title(note):
        yield Diagnostic(note.path, 1, "missing-title", "no title: key and no # heading; "
                         f"shown as {note.title!r} (its file name)", Severity.INFO)  # fmt: skip


def count(found: Iterable[Diagnostic]) -> dict[str, int]:
    """How many diagnostics of each severity."""
    totals = {str(s): 0 for s in Severity}
    for diagnostic in found:
        totals[str(diagnostic.severity)] += 1
    return totals


def _raised(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.code in _RAISED_TO_WARNING and diagnostic.severity is Severity.INFO:
        return dataclasses.replace(diagnostic, severity=Severity.WARNING)
    return diagnostic
