"""A note added or removed changes the client search index where it must and nowhere else.

Document ids are places in a hash table of the note paths (``search_writer.doc_ids``), so an
addition gives the new note an id and moves the few notes after it in its run. The shards
that change are exactly those holding a term of the new note or of a note that moved; the
rest keep their bytes, and the folder equals a clean build's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from build_support import files, generated_vault, same_as_clean_build

from kgwiki.types import NotePath
from kgwiki.vault import Vault
from kgwiki.web.build import build
from kgwiki.web.build.search_docs import fnv1a, read_script, search_doc
from kgwiki.web.build.search_postings import doc_ids


def _shards_of(vault: Path, paths: set[str], shards: int) -> set[str]:
    """The shard files that hold a term of one of ``paths``."""
    loaded = Vault.load(vault, use_cache=False)
    notes = [loaded.notes[NotePath(p)] for p in paths]
    terms = {t for note in notes for t in search_doc(note, loaded.config).counts}
    return {f"data/search/t/{fnv1a(t) % shards}.js" for t in terms}


def _changed(before: dict[str, tuple[bytes, int]], after: dict[str, tuple[bytes, int]],
             prefix: str) -> set[str]:  # fmt: skip
    names = {n for n in {*before, *after} if n.startswith(prefix)}
    return {n for n in names if before.get(n, (b"",))[0] != after.get(n, (b"",))[0]}


@pytest.mark.parametrize("moves", [False, True], ids=["into a free place", "into a run"])
def test_a_note_added_then_removed_rewrites_only_the_shards_of_its_terms_and_of_moved_notes(
    tmp_path: Path, moves: bool
) -> None:
    vault = generated_vault(tmp_path / "gen", 300)
    site = tmp_path / "site"
    build(vault, site)
    before = files(site)
    shards = read_script(site / "data/search/meta.js")["shards"]
    assert shards >= 64
    old = doc_ids(sorted(p.relative_to(vault).as_posix() for p in vault.rglob("*.md")
                         if ".kgwiki" not in p.parts))  # fmt: skip
    # a name whose home place is free, or one that moves the notes after it in its run
    added = next(name for n in range(1000) for name in (f"30_Inbox/added {n}.md",)
                 if bool(_moved(old, name)) == moves)  # fmt: skip
    (vault / added).parent.mkdir(exist_ok=True)
    text = "---\ntitle: A note added\n---\n# A note added\n\nZorblax quintessence, partitions.\n"
    (vault / added).write_text(text, encoding="utf-8")
    build(vault, site)
    after = files(site)
    assert read_script(site / "data/search/meta.js")["shards"] == shards
    expected = _shards_of(vault, _moved(old, added) | {added}, shards)
    changed = _changed(before, after, "data/search/t/")
    assert changed == expected
    assert len(changed) < shards  # not the whole index
    same_as_clean_build(vault, site, tmp_path)

    (vault / added).unlink()
    build(vault, site)
    assert _changed(before, files(site), "data/search/") == set()  # the same bytes again
    same_as_clean_build(vault, site, tmp_path)


def _moved(old: dict[str, int], added: str) -> set[str]:
    new = doc_ids([*old, added])
    return {p for p in old if new[p] != old[p]}
