"""The graph layout a build computes in a forked process while it draws the site pages.

The layout must be the one the build's own process would compute (``data/graph.js`` byte
for byte), it must be left in the vault's layout cache for the next run, and a process that
cannot write the cache only means the build lays out itself.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from build_support import REPO, copy_of, edit, files

from kgwiki.graph.layout import CACHE_FILE
from kgwiki.web.build import build

pytestmark = pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)

GRAPH = "data/graph.js"


def _graph_js(site: Path) -> bytes:
    return (site / GRAPH).read_bytes()


def test_background_layout_is_the_one_process_layout(tmp_path: Path) -> None:
    vault = copy_of(REPO / "vault", tmp_path / "a")
    alone = copy_of(REPO / "vault", tmp_path / "b")
    build(vault, tmp_path / "site-two", jobs=2)
    layout = vault / ".kgwiki" / CACHE_FILE
    assert layout.is_file()  # left by the forked process for the next run
    build(alone, tmp_path / "site-one", jobs=1)  # no background process: lays out itself
    assert _graph_js(tmp_path / "site-two") == _graph_js(tmp_path / "site-one")
    two = {k: v[0] for k, v in files(tmp_path / "site-two").items()}
    one = {k: v[0] for k, v in files(tmp_path / "site-one").items()}
    assert two == one


def test_a_link_edit_is_laid_out_again_in_the_background(tmp_path: Path) -> None:
    vault = copy_of(REPO / "vault", tmp_path / "a")
    site = tmp_path / "site"
    build(vault, site, jobs=2)
    before = _graph_js(site)
    layout = vault / ".kgwiki" / CACHE_FILE
    stored = layout.read_bytes()
    note = vault / "10_Wiki" / "Topics" / "helm.md"
    text = note.read_text(encoding="utf-8")
    start = text.index("[[", text.index("\n---", 3))
    end = text.index("]]", start)
    edit(note, text[start : end + 2], "[[Apache Kafka]]")
    build(vault, site, jobs=2)
    assert layout.read_bytes() != stored  # the new edge set's layout, kept
    assert _graph_js(site) != before
    clean = tmp_path / "clean"
    build(vault, clean, clean=True, jobs=1)
    assert _graph_js(site) == _graph_js(clean)


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path: Path) -> None:
    vault = copy_of(REPO / "vault", tmp_path / "a")
    (vault / ".kgwiki").mkdir()
    (vault / ".kgwiki" / CACHE_FILE).mkdir()  # a folder where the file should go
    site = tmp_path / "site"
    build(vault, site, jobs=2)
    clean = tmp_path / "clean"
    build(copy_of(REPO / "vault", tmp_path / "b"), clean, jobs=1)
    assert _graph_js(site) == _graph_js(clean)


def test_the_worker_leaves_only_the_layout_behind(tmp_path: Path) -> None:
    """The job handed to the layout worker goes through a file beside the cache: gone once
    the build is done, whether the worker laid out or found the layout cached."""
    vault = copy_of(REPO / "vault", tmp_path / "a")
    site = tmp_path / "site"
    build(vault, site, jobs=2)
    note = vault / "10_Wiki" / "Topics" / "helm.md"
    text = note.read_text(encoding="utf-8")
    start = text.index("[[", text.index("\n---", 3))
    edit(note, text[start : text.index("]]", start) + 2], "[[Apache Kafka]]")
    build(vault, site, jobs=2)  # laid out by the worker
    # a link to a note nobody wrote: a full build, the same note pairs, nothing to lay out
    edit(note, "[[Apache Kafka]]", "[[Apache Kafka]] and [[No Such Note Anywhere]]")
    assert build(vault, site, jobs=2).mode != "local"
    cache = vault / ".kgwiki"
    assert (cache / CACHE_FILE).is_file()
    assert not list(cache.glob(".layout-job-*"))
