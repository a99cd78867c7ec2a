"""Pages that show a note whose links resolve differently now, though its file did not change.

A note that comes back (or a new one under a name others already link by) turns the wanted
links to that name into links to it. The writers of those links are drawn again — and so
must be every page that shows one of them: a breadcrumb runs through a note's parents, so a
grandchild's crumbs change when its grandparent link resolves again.
"""

from __future__ import annotations

from pathlib import Path

from build_support import REPO, bump_mtime, copy_of, same_as_clean_build

from kgwiki.web.build import build

INDEX = "index.md"
GRANDCHILD = "n/10_Wiki/Patterns/event-sourcing/index.html"


def test_a_note_back_redraws_the_pages_whose_crumbs_run_through_it(tmp_path: Path) -> None:
    vault = copy_of(REPO / "vault", tmp_path)
    site = tmp_path / "site"
    build(vault, site)
    with_index = (site / GRANDCHILD).read_text(encoding="utf-8")
    assert "Welcome to kgwiki" in with_index  # first crumb: the front note, two parents up
    index = vault / INDEX
    original = index.read_bytes()
    index.unlink()
    build(vault, site)
    assert "Welcome to kgwiki" not in (site / GRANDCHILD).read_text(encoding="utf-8")
    index.write_bytes(original)
    bump_mtime(index)
    build(vault, site)
    assert (site / GRANDCHILD).read_text(encoding="utf-8") == with_index
    same_as_clean_build(vault, site, tmp_path)


def test_a_retitled_note_redraws_the_crumbs_of_its_grandchildren(tmp_path: Path) -> None:
    vault = copy_of(REPO / "vault", tmp_path)
    site = tmp_path / "site"
    index = vault / INDEX
    text = index.read_text(encoding="utf-8")
    index.write_text(text.replace("title: Welcome to kgwiki", "title: Front Door", 1),
                     encoding="utf-8")  # fmt: skip
    build(vault, site)
    assert "Welcome to kgwiki" not in (site / GRANDCHILD).read_text(encoding="utf-8")
    index.write_text(text, encoding="utf-8")  # the title the parents' links are written with
    bump_mtime(index)
    build(vault, site)
    assert "Welcome to kgwiki" in (site / GRANDCHILD).read_text(encoding="utf-8")
    same_as_clean_build(vault, site, tmp_path)
