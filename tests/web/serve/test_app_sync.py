"""Several workers, one writer: the lock, a reader that leaves the index alone, promotion."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgwiki.site import Site
from kgwiki.web.serve.sync import ReaderSync, WriterLock, load_site, refresh_files, writer_lock

NOTE = "---\ntitle: Sync Note\n---\n# Sync Note\n\nAardvark 개미핥기 notes.\n"


@pytest.fixture()
def vault(tmp_path: Path, bundled_vault_dir: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    return root


def test_only_one_holder_of_the_writer_lock(tmp_path: Path) -> None:
    first, second = WriterLock(tmp_path / "w.lock"), WriterLock(tmp_path / "w.lock")
    assert first.try_acquire()
    assert not second.try_acquire()
    first.release()
    assert second.try_acquire()
    assert second.held
    second.release()


def _found(site: Site, query: str) -> list[str]:
    assert site.search is not None
    return [hit.path for hit in site.search.search(query).hits]


def test_a_reader_reads_notes_but_waits_for_the_writer_to_index(vault: Path) -> None:
    writer_site = load_site(vault, writer=True)
    reader_site = load_site(vault, writer=False)
    (vault / "Sync Note.md").write_text(NOTE, encoding="utf-8")

    _, changed = refresh_files(reader_site, ["Sync Note.md"], writer=False)
    assert "Sync Note.md" in changed
    assert "Sync Note.md" in reader_site.vault.notes, "the reader's pages show the note"
    assert reader_site.search is not None, "the reader keeps its searcher"
    assert _found(reader_site, "aardvark") == [], "but it did not write the index"

    refresh_files(writer_site, ["Sync Note.md"], writer=True)
    assert _found(writer_site, "aardvark") == ["Sync Note.md"]

    lock = writer_lock(vault)
    holder = writer_lock(vault)
    assert holder.try_acquire()
    promoted: list[bool] = []
    sync = ReaderSync(reader_site, lock, 1.0, on_promote=lambda: promoted.append(True))
    sync.tick()
    assert not promoted, "the writer still holds the lock"
    assert _found(reader_site, "개미핥기") == ["Sync Note.md"], "the searcher saw the new segment"

    holder.release()
    sync.tick()
    assert promoted == [True]
    assert lock.held
    lock.release()
    for site in (writer_site, reader_site):
        assert site.search is not None
        site.search.close()
