"""The views a build has a forked copy of its site compute: the embed map, the near-duplicate
pairs, the lint report and the shingles common to many notes.

What the build adopts must be what its own process would compute, it must not compute them
again, and a copy that fails or is not started only means the build computes them itself.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import numpy as np
import pytest
from build_support import REPO, copy_of

import kgwiki.lint
from kgwiki.site import Site
from kgwiki.web.build import build, forked_views
from kgwiki.web.build.run import Builder

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)


def _site(tmp_path: Path) -> Site:
    vault = copy_of(REPO / "vault", tmp_path / "vault")
    topics = vault / "10_Wiki" / "Topics"  # a near duplicate: the same text under another name
    text = (topics / "kubernetes.md").read_text(encoding="utf-8")
    (topics / "kubernetes-again.md").write_text(text.replace("Kubernetes", "K8s"), "utf-8")
    return Site.load(vault, with_search=False)


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("computed again in the build's own process")


def test_the_build_adopts_what_the_fork_computed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    fresh = Site.load(site.vault.root, with_search=False)
    expected = fresh.diagnostics()
    forked = forked_views.start(site, jobs=2)
    assert forked is not None
    forked_views.take_early(forked, site)
    forked_views.take_late(forked, site)
    monkeypatch.setattr(kgwiki.lint, "lint_vault", _refuse)
    assert site.diagnostics() == expected  # adopted: lint_vault is not called here
    assert site.near_duplicates() == fresh.near_duplicates()
    assert site.near_duplicates(), "the bundled vault has near duplicates to compare"
    assert site.embedders() == fresh.embedders()
    assert fresh.dupes is not None and forked.common is not None
    assert np.array_equal(forked.common, fresh.dupes.common_shingles())
    assert not forked.process.is_alive()


def test_a_failing_fork_leaves_the_views_to_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    expected = Site.load(site.vault.root, with_search=False).diagnostics()
    with monkeypatch.context() as patch:  # the fork inherits the failure, the build does not
        patch.setattr(Site, "near_duplicates", _refuse)
        forked = forked_views.start(site, jobs=2)
    assert forked is not None
    forked_views.take_early(forked, site)  # the embed map came before the failure
    forked_views.take_late(forked, site)  # nothing more: returns, does not hang
    assert forked.common is None
    assert site.kept_views(["embedders"]), "the embed map was adopted"
    assert not site.kept_views(["near", "diagnostics"])
    assert site.diagnostics() == expected  # computed here instead


def test_one_job_forks_nothing(tmp_path: Path) -> None:
    site = _site(tmp_path)
    assert forked_views.start(site, jobs=1) is None
    forked_views.take_early(None, site)
    forked_views.take_late(None, site)
    assert not site.kept_views(["embedders", "near", "diagnostics"])


def test_views_of_another_version_are_not_adopted(tmp_path: Path) -> None:
    site = _site(tmp_path)
    forked = forked_views.start(site, jobs=2)
    site.version += 1  # the site changed after the fork: the copy's answers are stale
    forked_views.take_early(forked, site)
    forked_views.take_late(forked, site)
    assert not site.kept_views(["embedders", "near", "diagnostics"])


def test_a_build_that_fails_midway_leaves_no_process_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = copy_of(REPO / "vault", tmp_path / "vault")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    def slow(*args: object, **kwargs: object) -> list[object]:
        time.sleep(60)  # the forked copy is still at work when the build fails
        return []

    monkeypatch.setattr(Site, "near_duplicates", slow)
    monkeypatch.setattr(Builder, "_note_pages", broken)
    with pytest.raises(OSError, match="disk full"):
        build(vault, tmp_path / "site", jobs=2)
    assert multiprocessing.active_children() == []
