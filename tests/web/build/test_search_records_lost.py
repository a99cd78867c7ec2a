"""Term counts the build kept but cannot read any more are counted again from the notes.

The client search index is patched from each note's kept term counts
(``web/build/term_records.py``). When a record file is deleted or damaged, or the vocabulary
they are numbered against, the index must still end up exactly as a clean build writes it:
the notes are the source of truth, the records only a cache.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from build_support import HELM, append, copy_of, edit, same_as_clean_build

from kgwiki.web.build import build
from kgwiki.web.build.buckets import Buckets
from kgwiki.web.build.cache import CACHE_DIR
from kgwiki.web.build.term_records import VOCABULARY


@pytest.fixture()
def vault(bundled_vault_dir: Path, tmp_path: Path) -> Path:
    return copy_of(bundled_vault_dir, tmp_path)


def _terms(site: Path) -> Path:
    return site / CACHE_DIR / "terms"


def _shards(site: Path) -> str:
    return "".join(f.read_text(encoding="utf-8") for f in (site / "data/search/t").iterdir())


def test_an_edited_note_whose_record_is_lost_keeps_no_stale_word(
    vault: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    append(vault / HELM, "Zorblax quintessence.")
    build(vault, site)
    assert '"zorblax"' in _shards(site)
    Buckets(_terms(site)).file(HELM).unlink()  # Helm's record and its neighbours' are gone
    edit(vault / HELM, "Zorblax quintessence.", "Quibbleton quintessence.")
    result = build(vault, site)
    assert result.mode == "local"  # a prose edit: patched in, not rebuilt
    shards = _shards(site)
    assert '"zorblax"' not in shards and '"quibbleton"' in shards
    same_as_clean_build(vault, site, tmp_path)


def test_a_note_added_after_records_were_lost_indexes_every_note(
    vault: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    build(vault, site)
    for file in _terms(site).glob("*.pickle"):
        if file.name != VOCABULARY:
            file.unlink()
    (vault / "added.md").write_text("# Added\n\nA new note about [[helm]].\n", encoding="utf-8")
    build(vault, site)
    assert '"kubernet"' in _shards(site)  # a word of notes whose records were lost
    same_as_clean_build(vault, site, tmp_path)


def test_a_damaged_vocabulary_loses_no_note(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(vault, site)
    (_terms(site) / VOCABULARY).write_bytes(b"not a pickle")
    edit(vault / HELM, "[[", "[[kubernetes]] and [[")  # a link more: the full incremental build
    result = build(vault, site)
    assert result.mode != "local"
    same_as_clean_build(vault, site, tmp_path)
    # Every note is renumbered now, from the counts of every note: none may be missing.
    (vault / "added.md").write_text("# Added\n\nA new note about [[helm]].\n", encoding="utf-8")
    build(vault, site)
    same_as_clean_build(vault, site, tmp_path)
