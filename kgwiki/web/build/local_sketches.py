"""Local edits, the duplicate side: an edited note may take the local path only if the
near-duplicate detector would pair it with no other note now (its sketch, probed against the
sketches of the last build, less the shingles the last build found common to many notes:
the detector leaves those out, so a template-made vault is judged as ``find`` judges it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.config import Config
from kgwiki.duplicates import content_text
from kgwiki.note import Note
from kgwiki.types import NotePath
from kgwiki.util import atomic_write_bytes
from kgwiki.vault import read_note
from kgwiki.web.build.cache import CACHE_DIR, Manifest

if TYPE_CHECKING:
    from kgwiki.duplicates import DuplicateDetector, Hashes, Sketch, SketchCache

COMMON_FILE = "common-shingles.npy"  # in the build's cache folder


class NotLocal(Exception):
    """Why an edit is not local (the full build then runs; the reason is reported)."""


@dataclass(slots=True)
class Edit:
    """One edited note and its patched page, card and search entry."""

    path: NotePath
    note: Note
    file: str  # its page
    html: str  # the patched page
    card: dict[str, str]
    prose: str  # the hash of its prose (duplicates_text.content_text)


def new_sketches(root: Path, out: Path, config: Config, manifest: Manifest,
                 edits: Sequence[Edit], local: Mapping[str, Any]
                 ) -> dict[NotePath, Sketch | None]:  # fmt: skip
    """The sketches of the edited notes whose prose changed, if none has a near duplicate now.

    The vault's sketch cache holds a sketch for every note's content hash (a note too short
    to sketch has none: ``unsketched``). A note whose prose (``content_text``) is unchanged
    keeps its sketch, and so its pairs: the cache learns it under the new hash. The others
    are checked with ``duplicates_probe.partners``, which asks what the detector would.
    """
    from kgwiki.duplicates import NUM_PERM, SketchCache, SketchParams

    cache = SketchCache.open(root, config.cache_dir, SketchParams(config.shingle_size, NUM_PERM))
    unsketched = set(local.get("unsketched", ()))
    reworded: list[Note] = []
    for edit in edits:
        record = manifest.notes[edit.path]
        if edit.prose != record.get("prose"):
            reworded.append(edit.note)
            continue
        kept = cache.get(str(record.get("content")))
        if kept is not None:
            cache.put(edit.note.content_hash, kept)
        elif edit.path not in unsketched:
            raise NotLocal(f"{edit.path}: its sketch is not in the vault's cache")
    new = {}
    if reworded:
        common = load_common(out)
        if common is None:
            raise NotLocal("the last build kept no list of common shingles")
        new = _probe(root, config, manifest, reworded, unsketched, cache, common)
    for note in reworded:
        sketch = new[note.path]
        if sketch is not None:
            cache.put(note.content_hash, sketch)
    cache.save()
    return new


def _probe(
    root: Path, config: Config, manifest: Manifest, notes: Sequence[Note],
    unsketched: set[str], cache: SketchCache, common: Hashes,
) -> dict[NotePath, Sketch | None]:  # fmt: skip
    """New sketches of reworded notes, if the detector pairs none of them with another
    (``common``: the shingles it leaves out, as the last build counted them)."""
    from kgwiki.duplicates import partners, shingle_sets, sketch_of

    edited = {note.path: note for note in notes}
    size = cache.params.shingle_size

    def shingles_of(path: NotePath) -> Hashes:
        note = edited.get(path) or read_note(root, path, config)[0]
        return shingle_sets([content_text(note)], size)[0]

    shingles = {path: shingles_of(path) for path in edited}
    new = {path: sketch_of(shingles[path], cache.params) for path in edited}
    others: list[tuple[NotePath, Sketch]] = []
    for path, info in manifest.notes.items():
        if path in new:
            continue
        sketch = cache.get(str(info.get("content")))
        if sketch is None:
            if path in unsketched:
                continue
            raise NotLocal(f"{path}: its sketch is not in the vault's cache")
        others.append((NotePath(path), sketch))
    for path, sketch in new.items():
        if sketch is None:
            continue
        rivals = [*others, *((p, s) for p, s in new.items() if p != path and s is not None)]
        found = partners(sketch, shingles[path], rivals, shingles_of, config.duplicate_threshold,
                         common)  # fmt: skip
        if found:
            raise NotLocal(f"{path}: a near duplicate of {found[0][0]} now")
    return new


def keep_common(out: Path, detector: DuplicateDetector | None, common: Hashes | None = None
                ) -> None:  # fmt: skip
    """Keep the shingles ``detector`` found common to many notes, for the next local build
    (``common``: those shingles, when a forked copy of the detector counted them already).

    Without near-duplicate detection nothing is kept (and no local build probes).
    """
    import io

    import numpy as np

    file = out / CACHE_DIR / COMMON_FILE
    if detector is None:
        file.unlink(missing_ok=True)
        return
    buffer = io.BytesIO()
    if common is None:
        common = detector.common_shingles()
    np.save(buffer, np.asarray(common, dtype=np.uint64), allow_pickle=False)
    atomic_write_bytes(file, buffer.getvalue())


def load_common(out: Path) -> Hashes | None:
    """The common shingles the last full build kept (None: none kept, or unreadable)."""
    import numpy as np

    try:
        found = np.load(out / CACHE_DIR / COMMON_FILE, allow_pickle=False)
    except (OSError, ValueError):
        return None
    return found if found.dtype == np.uint64 and found.ndim == 1 else None
