"""Is a text already in the vault? The near-duplicate detector's own tests, for one new text.

A note an agent is about to write is parsed as the note it would be, its prose
(``duplicates.content_text``) shingled and sketched with the vault's parameters, and probed
with ``duplicates.partners`` against every note's sketch: it names exactly the notes the
detector would pair the new note with once written, so an agent is told to extend one of
those instead of adding a copy.
"""

from __future__ import annotations

from kgwiki.duplicates import (
    NUM_PERM,
    Hashes,
    Sketch,
    SketchCache,
    SketchParams,
    content_text,
    partners,
    shingle_sets,
    sketch_of,
)
from kgwiki.note import parse_note
from kgwiki.types import NotePath
from kgwiki.vault import Vault

PROBE_PATH = NotePath("__kgwiki_mcp_probe__.md")


def similar_notes(vault: Vault, title: str, body: str) -> list[tuple[NotePath, float]]:
    """The notes a new note with this title and body would be a near duplicate of."""
    params = SketchParams(vault.config.shingle_size, NUM_PERM)
    text = f"# {title}\n\n{body}\n".encode()
    note = parse_note(PROBE_PATH, text, vault.config.relation_labels)
    size = params.shingle_size
    mine = shingle_sets([content_text(note)], size)[0]
    sketch = sketch_of(mine, params)
    if sketch is None:  # too short to be anyone's near duplicate
        return []
    cache = SketchCache.open(vault.root, vault.config.cache_dir, params)
    shingles: dict[NotePath, Hashes] = {}

    def shingles_of(path: NotePath) -> Hashes:
        if path not in shingles:
            shingles[path] = shingle_sets([content_text(vault.notes[path])], size)[0]
        return shingles[path]

    rivals: list[tuple[NotePath, Sketch]] = []
    for path, other in vault.notes.items():
        kept = cache.get(other.content_hash)
        if kept is None:  # written since the detector last saved its cache
            kept = sketch_of(shingles_of(path), params)
        if kept is not None:
            rivals.append((path, kept))
    found = partners(sketch, mine, rivals, shingles_of, vault.config.duplicate_threshold)
    return sorted(found, key=lambda item: -item[1])
