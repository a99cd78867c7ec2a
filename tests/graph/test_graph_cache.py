"""The graph and link tables kept between runs: read back only for the same files, equal to
a fresh build, and as good as one for incremental updates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import ROOTS
from test_graph_incremental import snapshot

from kgwiki.graph import KnowledgeGraph
from kgwiki.vault import Vault


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(ROOTS / "graph", folder)
    return folder


def _kept(root: Path) -> tuple[Vault, KnowledgeGraph]:
    """A first run: load, build, keep both for the next."""
    vault = Vault.load(root, keep_links=True)
    graph = KnowledgeGraph.from_cache(vault)
    assert graph is None, "nothing kept yet"
    graph = KnowledgeGraph.build(vault)
    assert vault.save_links() and graph.save_cache(vault)
    return vault, graph


def _links(vault: Vault) -> list[object]:
    """Every link with its resolution and who writes each note's names, by note."""
    links = {path: vault.links_of(path) for path in sorted(vault.notes)}
    names = {p: sorted(vault.sources_linking_to_names(n)) for p, n in sorted(vault.notes.items())}
    return [links, names, vault.resolve("Ghost"), vault.resolve("beta")]


def test_the_next_load_reads_back_what_a_build_makes(root: Path) -> None:
    vault, graph = _kept(root)
    again = Vault.load(root, keep_links=True)
    assert again.state_key == vault.state_key
    kept = KnowledgeGraph.from_cache(again)
    assert kept is not None
    assert list(again.notes) == list(vault.notes)
    assert _links(again) == _links(vault)
    assert snapshot(kept) == snapshot(graph)
    assert [b for p in again.notes for b in kept.backlinks(p)] == [
        b for p in vault.notes for b in graph.backlinks(p)]  # fmt: skip
    assert kept.wanted() == graph.wanted()
    assert kept.hubs(50) == graph.hubs(50)


def test_a_read_back_graph_takes_changes_like_a_built_one(root: Path) -> None:
    _kept(root)
    vault = Vault.load(root, keep_links=True)
    graph = KnowledgeGraph.from_cache(vault)
    assert graph is not None
    (root / "ghost.md").write_text("# Ghost\n\nFinally written, see [[Beta]].\n", "utf-8")
    vault.refresh_file("ghost.md")
    graph.update_note(vault, "ghost.md")
    (root / "alpha.md").unlink()
    vault.refresh_file("alpha.md")
    graph.update_note(vault, "alpha.md")
    assert not graph.save_cache(vault), "a changed graph is not kept under the old key"
    fresh = Vault.load(root, use_cache=False)
    assert snapshot(graph) == snapshot(KnowledgeGraph.build(fresh))
    assert _links(vault) == _links(fresh)


@pytest.mark.parametrize("change", ["edit", "add", "delete", "attachment", "config"])
def test_any_change_to_the_files_means_a_build_or_a_catch_up(root: Path, change: str) -> None:
    """Notes edited, added or removed are put in again (test_graph_kept_changes.py has
    more); another set of attachments or another config: built again."""
    vault, _ = _kept(root)
    if change == "edit":
        (root / "beta.md").write_text("# Beta\n\nNo links any more.\n", encoding="utf-8")
    elif change == "add":
        (root / "new.md").write_text("# New\n\n[[Alpha]]\n", encoding="utf-8")
    elif change == "delete":
        (root / "beta.md").unlink()
    elif change == "attachment":
        (root / "picture.png").write_bytes(b"\x89PNG")
    else:
        (root / "kgwiki.toml").write_text('[relations]\n"Mentor" = "parent"\n', "utf-8")
    again = Vault.load(root, keep_links=True)
    assert again.state_key is not None and again.state_key != vault.state_key
    kept = KnowledgeGraph.from_cache(again)
    fresh = Vault.load(root, use_cache=False)
    assert _links(again) == _links(fresh)
    if change in ("attachment", "config"):
        assert kept is None
    else:
        assert kept is not None and snapshot(kept) == snapshot(KnowledgeGraph.build(fresh))


def test_a_load_without_keep_links_neither_reads_nor_keeps(root: Path) -> None:
    _kept(root)
    vault = Vault.load(root)
    assert vault.state_key is None
    assert KnowledgeGraph.from_cache(vault) is None
    assert not vault.save_links()
