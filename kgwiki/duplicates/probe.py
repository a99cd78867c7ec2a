"""One note's near duplicates from kept sketches, without loading the vault.

``DuplicateDetector.find`` proposes a pair when two sketches agree on a whole LSH band and
their MinHash estimate reaches the threshold less ``ESTIMATE_SLACK``, and keeps it when the
exact Jaccard similarity of their shingle sets reaches the threshold. ``partners`` applies the
same three tests to one note against every other, so it names exactly the notes ``find``
would pair it with; a build that changed one note's text uses it to learn whether the
duplicates changed (``kgwiki.web.build.local``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from kgwiki.duplicates.detector import ESTIMATE_SLACK, band_params
from kgwiki.duplicates.minhash import MIN_SHINGLES, Sketch
from kgwiki.duplicates.shingles import Hashes, jaccard, without
from kgwiki.types import NotePath


def partners(
    sketch: Sketch,
    shingles: Hashes,
    rivals: Sequence[tuple[NotePath, Sketch]],
    shingles_of: Callable[[NotePath], Hashes],
    threshold: float,
    common: Hashes | None = None,
) -> list[tuple[NotePath, float]]:
    """The rivals the detector would pair with this note, with their similarity.

    ``shingles_of`` gives a rival's shingle set; it is asked only for proposed pairs.
    ``common``: the shingles the detector leaves out as common to many notes (none if not
    given; then a note of a template-made vault may be paired where ``find`` would not).
    """
    if not rivals:
        return []
    num_perm = sketch.size
    bands, rows = band_params(threshold, num_perm)
    width = bands * rows
    matrix = np.stack([s for _, s in rivals])
    same_band = (matrix[:, :width].reshape(len(rivals), bands, rows)
                 == sketch[:width].reshape(bands, rows)).all(axis=2).any(axis=1)  # fmt: skip
    estimate = (matrix == sketch).mean(axis=1)
    proposed = np.flatnonzero(same_band & (estimate >= threshold - ESTIMATE_SLACK))
    found = []
    mine = shingles if common is None else without(shingles, common)
    for index in proposed:
        path = rivals[int(index)][0]
        theirs = shingles_of(path) if common is None else without(shingles_of(path), common)
        if mine.size < MIN_SHINGLES or theirs.size < MIN_SHINGLES:
            continue
        similarity = jaccard(mine, theirs)
        if similarity >= threshold:
            found.append((path, similarity))
    return found
