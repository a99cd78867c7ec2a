"""Shared test fixtures: where the repository, the bundled vault and ../shared/ are."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def bundled_vault_dir() -> Path:
    return REPO / "vault"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared/``: skip when a clone has none, fail instead under KGWIKI_REQUIRE_SHARED=1."""
    if not SHARED.is_dir():
        if os.environ.get("KGWIKI_REQUIRE_SHARED") == "1":
            pytest.fail(f"KGWIKI_REQUIRE_SHARED=1 but {SHARED} is missing")
        pytest.skip(f"{SHARED} is absent (a clone without ../shared/)")
    return SHARED


def pytest_sessionfinish(session: pytest.Session) -> None:
    """../shared/ is test data: remove any cache a test left there (root ignores read-only).

    Only the process that runs the whole session cleans: under pytest-xdist each worker
    finishes on its own, and a worker that finished early must not delete a cache another
    worker is still writing.
    """
    if hasattr(session.config, "workerinput") or not SHARED.is_dir():
        return
    for cache in SHARED.rglob(".kgwiki"):
        if cache.is_dir():
            shutil.rmtree(cache, ignore_errors=True)
