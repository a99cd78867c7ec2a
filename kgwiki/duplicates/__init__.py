"""DOOR"""

from __future__ import annotations

from kgwiki.duplicates.detector import NUM_PERM
from kgwiki.duplicates.find import (
    MIN_THRESHOLD,
    DuplicateDetector,
    DuplicatePair,
    find_duplicates,
    problems,
)
from kgwiki.duplicates.minhash import Sketch, SketchCache, SketchParams, sketch_of
from kgwiki.duplicates.probe import partners
from kgwiki.duplicates.shingles import Hashes, shingle_sets
from kgwiki.duplicates.text import content_text

__all__ = [
    "MIN_THRESHOLD",
    "NUM_PERM",
    "DuplicateDetector",
    "DuplicatePair",
    "Hashes",
    "Sketch",
    "SketchCache",
    "SketchParams",
    "content_text",
    "find_duplicates",
    "partners",
    "problems",
    "shingle_sets",
    "sketch_of",
]
