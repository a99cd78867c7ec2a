"""Term counts the build kept but cannot read any more are counted again from the notes.

The client search index is patched from each note's kept term counts
(``web/build/term_records.py``). When a record file is deleted or damaged, or the vocabulary
they are numbered against, the index must still end up exactly as a clean build writes it:
the notes are the source of truth, the records only a cache.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from build_support import HELM, append, copy_of, edit, same_as_clean_build

from kgwiki.types import NotePath
from kgwiki.vault import Vault
from kgwiki.web.build import build
from kgwiki.web.build.buckets import Buckets
from kgwiki.web.build.cache import CACHE_DIR
from kgwiki.web.build.search_docs import TEXT_BUCKET, search_doc
from kgwiki.web.build.search_postings import doc_ids, id_places
from kgwiki.web.build.search_writer import SearchWriter
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


@pytest.mark.parametrize("growth", ["moves a note", "outgrows the id table"])
def test_notes_added_after_records_were_lost_index_every_note(
    vault: Path, tmp_path: Path, growth: str
) -> None:
    """An addition that moves a note whose record is lost, or that outgrows the id table,
    writes the whole index: every note is counted again from the vault."""
    site = tmp_path / "site"
    build(vault, site)
    for file in _terms(site).glob("*.pickle"):
        if file.name != VOCABULARY:
            file.unlink()
    notes = [p.relative_to(vault).as_posix() for p in vault.rglob("*.md")]
    if growth == "moves a note":  # a name whose place is taken: the notes after it move
        ids = doc_ids(notes)
        added = [next(name for n in range(1000) for name in (f"30_Inbox/added {n}.md",)
                      if any(doc_ids([*notes, name])[p] != ids[p] for p in notes))]  # fmt: skip
    else:
        count = next(n for n in range(1, 200)
                     if id_places(len(notes) + n) != id_places(len(notes)))  # fmt: skip
        added = [f"30_Inbox/added {n}.md" for n in range(count)]
    for name in added:
        (vault / name).write_text(f"# {name}\n\nA new note about [[helm]].\n", encoding="utf-8")
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
    # The records counted again serve the next patch: a note added, one removed.
    (vault / "added.md").write_text("# Added\n\nA new note about [[helm]].\n", encoding="utf-8")
    build(vault, site)
    same_as_clean_build(vault, site, tmp_path)
    (vault / HELM).unlink()
    build(vault, site)
    same_as_clean_build(vault, site, tmp_path)


def test_a_damaged_text_file_is_written_again_from_the_notes(vault: Path, tmp_path: Path) -> None:
    """The snippets' text file of an edited note, damaged: the texts are written afresh, the
    notes whose text it held read again."""
    site = tmp_path / "site"
    build(vault, site)
    ids = doc_ids(p.relative_to(vault).as_posix() for p in vault.rglob("*.md"))
    texts = site / "data/search/x" / f"{ids[HELM] // TEXT_BUCKET}.js"
    texts.write_text("kgwikiSearchData(", encoding="utf-8")
    append(vault / HELM, "One sentence more.")
    build(vault, site)
    same_as_clean_build(vault, site, tmp_path)


def test_a_text_file_the_state_does_not_name_is_never_read(bundled_vault_dir: Path,
                                                           tmp_path: Path) -> None:  # fmt: skip
    """A text file left on disk by an index written afresh without its old state (its one
    note gone) is not merged into the next patch: a note added in its place shows its own
    text only."""
    loaded = Vault.load(bundled_vault_dir, use_cache=False)
    notes = sorted(str(p) for p in loaded.notes)
    docs = {p: search_doc(loaded.notes[NotePath(p)], loaded.config) for p in notes}
    titles = {NotePath(p): (loaded.notes[NotePath(p)].title, p, "") for p in notes}
    out, clean = tmp_path / "out", tmp_path / "clean"
    SearchWriter(out, {}).update(docs.values(), {NotePath(p) for p in notes}, titles)
    ids = doc_ids(notes)
    alone = Counter(i // TEXT_BUCKET for i in ids.values())
    gone = next(p for p in notes if alone[ids[p] // TEXT_BUCKET] == 1)
    rest = [p for p in notes if p != gone]
    writer = SearchWriter(out, {})  # the state lost: the index written afresh
    writer.update([docs[p] for p in rest], {NotePath(p) for p in rest}, titles)
    stale = out / "data/search/x" / f"{ids[gone] // TEXT_BUCKET}.js"
    assert stale.is_file() and f'"{ids[gone]}":' in stale.read_text(encoding="utf-8")
    # a new note whose id falls in that file
    new = next(name for n in range(5000) for name in (f"new {n}.md",)
               if doc_ids([*rest, name])[name] // TEXT_BUCKET == ids[gone] // TEXT_BUCKET)
    note = replace(docs[rest[0]], path=NotePath(new), text="The new note's own text.")
    docs[new], titles[NotePath(new)] = note, ("New", new, "")
    live = [*rest, new]
    SearchWriter(out, writer.state()).update([note], {NotePath(p) for p in live}, titles)
    SearchWriter(clean, {}).update([docs[p] for p in live], {NotePath(p) for p in live}, titles)
    mine, theirs = out / "data/search", clean / "data/search"
    assert {f.relative_to(mine): f.read_bytes() for f in mine.rglob("*.js")} == {
        f.relative_to(theirs): f.read_bytes() for f in theirs.rglob("*.js")}
