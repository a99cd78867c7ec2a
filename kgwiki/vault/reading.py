"""Reading notes from disk and parsing them: one at a time, or many in worker processes."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

from kgwiki.config import Config
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.markdown import Token
from kgwiki.note import Note, Wire, from_wire, parse_note, parse_note_tokens, to_wire
from kgwiki.types import NotePath
from kgwiki.util import collector_paused, progress
from kgwiki.vault.scan import disk_path

PARALLEL_THRESHOLD = 400  # fewer notes than this are parsed in this process

Derive = Callable[[Note, list[Token]], object]
"""Something made from a freshly parsed note and its body's tokens (see ``Vault.load``)."""


def parse_many(
    root: Path, paths: list[NotePath], labels: dict[str, str], derive: Derive | None, *,
    show: bool, jobs: int | None,
) -> Iterator[tuple[Note, object]]:
    """Each note read and parsed (with what ``derive`` made of it), in worker processes when
    there are many."""
    workers = jobs or os.cpu_count() or 1
    if len(paths) < PARALLEL_THRESHOLD or workers == 1:
        for path in progress(paths, len(paths), "parsing", show):
            yield read_parse_derive(root, path, labels, derive)
        return
    chunk = max(16, min(200, len(paths) // (workers * 8)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        batches = _batches(root, paths, labels, derive, chunk)
        results = pool.map(_parse_batch, batches)
        for batch in progress(results, -(-len(paths) // chunk), "parsing", show):
            for wire, derived in batch:
                yield from_wire(wire), derived


def read_note(
    root: Path, path: NotePath, config: Config, derive: Derive | None = None
) -> tuple[Note, object]:
    """One note read and parsed as ``Vault.load`` would, with what ``derive`` made of it."""
    return read_parse_derive(root, path, dict(config.relation_labels), derive)


def read_and_parse(root: Path, path: NotePath, labels: dict[str, str]) -> Note:
    return read_parse_derive(root, path, labels, None)[0]


def read_parse_derive(
    root: Path, path: NotePath, labels: dict[str, str], derive: Derive | None
) -> tuple[Note, object]:
    try:
        data = _read_bytes(root, path)
    except OSError as err:
        note = parse_note(path, b"", labels)
        problem = Diagnostic(path, 1, "unreadable", f"cannot read file: {err}", Severity.ERROR)
        return _with_diagnostic(note, problem), None
    if derive is None:
        return parse_note(path, data, labels), None
    note, tokens = parse_note_tokens(path, data, labels)
    try:
        return note, derive(note, tokens)
    except Exception:  # what is derived is an extra: the note itself must load
        return note, None


def _read_bytes(root: Path, path: NotePath) -> bytes:
    try:
        return (root / path).read_bytes()
    except FileNotFoundError:
        return disk_path(root, path).read_bytes()  # a name in another Unicode form


def _with_diagnostic(note: Note, diagnostic: Diagnostic) -> Note:
    return replace(note, diagnostics=(*note.diagnostics, diagnostic))


Batch = tuple[Path, list[NotePath], dict[str, str], Derive | None]


def _batches(
    root: Path, paths: list[NotePath], labels: dict[str, str], derive: Derive | None, size: int
) -> Iterator[Batch]:
    for start in range(0, len(paths), size):
        yield root, paths[start : start + size], labels, derive


def _parse_batch(args: Batch) -> list[tuple[Wire, object]]:
    """Parse a batch in a worker, with the cycle collector paused.

    A note's parse allocates hundreds of short-lived, acyclic tokens, which set off a
    collection every few notes that finds nothing to free (a tenth of the parse time).
    Workers forked from a loading vault inherit the paused collector and keep it paused.
    """
    root, paths, labels, derive = args
    with collector_paused():
        out: list[tuple[Wire, object]] = []
        for path in paths:
            note, derived = read_parse_derive(root, path, labels, derive)
            out.append((to_wire(note), derived))
        return out
