"""Where the tests' inputs are: the repository, case files, small vaults and ``../shared/``."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
DATA = TESTS / "data"  # case files: Markdown fixtures, relevance judgements, word lists
ROOTS = TESTS / "roots"  # small vaults, one folder each
SHARED = REPO.parent / "shared"  # the real vaults, seeds and peer cases (absent in a clone)
