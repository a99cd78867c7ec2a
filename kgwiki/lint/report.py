"""Everything wrong with a vault, gathered from the parts that know.

Parsing and links come from the vault, trust from ``trust``, dated rows from ``changelog``,
declared and near duplicates from ``duplicates``, orphans from the graph; loosely written
frontmatter and missing titles are found here. Codes that ``kgwiki lint --fix`` clears are
in ``kgwiki.lint.repair.FIXABLE``.

A report grows with the problems, not their square: near duplicates come one per cluster and
shared names one per name (``duplicates.problems``), and ambiguous links one per name written
(``ambiguous_names``), each listing its notes up to ``LISTED``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kgwiki import changelog, clock, duplicates, trust
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.graph import KnowledgeGraph
from kgwiki.lint.repair_meta import meta_problems, uses_ids
from kgwiki.note import Note
from kgwiki.types import NotePath
from kgwiki.vault import Vault, note_key

if TYPE_CHECKING:
    from kgwiki.duplicates import DuplicateDetector

# A near-duplicate is worth a look, not just a notice: one of the two usually has to go.
_RAISED_TO_WARNING = frozenset({"duplicate-suspected"})
LISTED = 5  # notes or places a grouped diagnostic names before "and N more"


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
    found = [d for d in vault.diagnostics() if d.code != "ambiguous-link"]
    found += ambiguous_names(vault)
    found += trust.problems(vault, today=day)
    found += changelog.problems(vault, today=day)
    pairs = (duplicates.find_duplicates(vault, detector=detector, today=day)
             if near_duplicates else [])  # fmt: skip
    found += [_raised(d) for d in duplicates.problems(vault, pairs, today=day)]
    found += orphans(vault, graph)
    with_ids = uses_ids(vault)
    titled = writes_titles(vault)
    for note in vault.notes.values():
        if titled:
            found += missing_title(note)
        found += meta_problems(vault, note, with_ids)
    return sorted(set(found), key=lambda d: (d.path, d.line, d.code, d.message))


def ambiguous_names(vault: Vault) -> list[Diagnostic]:
    """One ``ambiguous-link`` per name that links resolve to one of several notes, at its
    first use, naming the notes and the places it is written (the vault's own diagnostics
    have one per link)."""
    names: dict[str, tuple[str, list[tuple[NotePath, int]], dict[int, tuple[NotePath, ...]]]] = {}
    for item in vault.all_links():
        resolution = item.resolution
        if resolution.path is None or not resolution.ambiguous:
            continue
        written = item.link.target.file or ""
        _, places, candidates = names.setdefault(note_key(written), (written, [], {}))
        places.append((item.source, item.link.line))
        candidates.setdefault(id(resolution.candidates), resolution.candidates)  # shared
    found = []
    for written, places, candidates in names.values():
        places.sort()
        notes = sorted({path for group in candidates.values() for path in group})
        where = [f"{path}:{line}" for path, line in places]
        message = (f"[[{written}]] could mean {len(notes)} notes ({_listed(notes)}); written "
                   f"{len(places)} times ({_listed(where)}); each link goes to the one in its "
                   "own folder, else the shortest path")  # fmt: skip
        found.append(Diagnostic(places[0][0], places[0][1], "ambiguous-link", message))
    return found


def _listed(items: Sequence[str]) -> str:
    shown = ", ".join(items[:LISTED])
    return shown if len(items) <= LISTED else f"{shown} and {len(items) - LISTED} more"


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
