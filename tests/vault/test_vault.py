"""The Vault on real vaults and on every kind of bad input: diagnostics, never lost text."""

from __future__ import annotations

import os
import shutil
import unicodedata
from pathlib import Path

import pytest

from kgwiki.cli.main import main
from kgwiki.note import LinkKind
from kgwiki.vault import Vault, VaultPathError


def _write(root: Path, name: str, data: bytes | str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _codes(vault: Vault, name: str) -> set[str]:
    return {d.code for d in vault.diagnostics() if d.path == name}


@pytest.fixture(scope="module")
def bad_vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp_path = tmp_path_factory.mktemp("bad")
    body = "# Body\n\nKeep this text [[good]].\n"
    _write(tmp_path, "good.md", "---\ntitle: Good\n---\n# Good\n\nlinks [[bom]]\n")
    _write(tmp_path, "bom.md", "\ufeff---\ntitle: With BOM\n---\n" + body)
    _write(tmp_path, "crlf.md", ("---\r\ntitle: With CRLF\r\n---\r\n" + body).replace("\n", "\r\n"))
    _write(tmp_path, "latin.md", b"---\ntitle: Bytes\n---\n# Caf\xe9 \xff\xfe\n\nKeep this text\n")
    _write(tmp_path, "invalid.md", "---\ntitle: [unclosed\n---\n" + body)
    _write(tmp_path, "scalar.md", "---\njust a sentence\n---\n" + body)
    _write(tmp_path, "dupkey.md", "---\ntitle: One\ntitle: Two\n---\n" + body)
    bomb = (
        "---\na: &a [x,x,x,x,x,x,x,x,x]\n"
        + "".join(
            f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n"
            for p, c in zip("abcdefgh", "bcdefghi", strict=True)
        )
        + "---\n"
        + body
    )
    _write(tmp_path, "bomb.md", bomb)
    _write(tmp_path, "empty.md", "")
    _write(
        tmp_path,
        "large.md",
        "# Large\n\n" + ("서버 아키텍처는 trade-off 의 명시화. [[good]]\n" * 120_000),
    )
    _write(tmp_path, "binary.md", bytes(range(256)) * 64)
    (tmp_path / "loop").mkdir()
    os.symlink(tmp_path / "loop", tmp_path / "loop" / "again")
    os.symlink("/etc", tmp_path / "outside")
    return tmp_path


@pytest.fixture(scope="module")
def loaded_bad_vault(bad_vault: Path) -> Vault:
    return Vault.load(bad_vault, use_cache=False)


def test_bad_input_gives_diagnostics_and_loads_the_rest(loaded_bad_vault: Vault) -> None:
    vault = loaded_bad_vault
    assert vault.notes["bom.md"].title == "With BOM"
    assert vault.notes["crlf.md"].title == "With CRLF"
    assert "Keep this text" in vault.notes["latin.md"].text
    assert _codes(vault, "latin.md") == {"encoding"}
    assert "frontmatter-yaml" in _codes(vault, "invalid.md")
    assert "frontmatter-not-mapping" in _codes(vault, "scalar.md")
    assert "frontmatter-duplicate-key" in _codes(vault, "dupkey.md")
    assert "frontmatter-yaml" in _codes(vault, "bomb.md")
    assert "binary-file" in _codes(vault, "binary.md")
    assert vault.notes["empty.md"].title == "empty"
    assert vault.notes["large.md"].size > 5_000_000
    assert "symlink-loop" in {d.code for d in vault.diagnostics()}
    assert "symlink-outside" in {d.code for d in vault.diagnostics()}
    for name in ("bom.md", "crlf.md", "invalid.md", "scalar.md", "dupkey.md", "bomb.md"):
        note = vault.notes[name]
        assert "Keep this text" in note.text, name
        assert [link.target.file for link in note.links] == ["good"], name
    for diagnostic in vault.diagnostics():
        assert diagnostic.line >= 1 and diagnostic.path


def test_no_body_text_is_dropped(bad_vault: Path, loaded_bad_vault: Vault) -> None:
    vault = loaded_bad_vault
    for name in ("invalid.md", "scalar.md", "dupkey.md", "bomb.md", "crlf.md", "bom.md"):
        raw = (bad_vault / name).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        assert vault.notes[name].body in raw
        assert vault.notes[name].body.strip().startswith("# Body")


def test_lint_exit_status_and_format(bad_vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["lint", str(bad_vault), "--severity", "error"])
    out = capsys.readouterr().out
    assert status == 1
    assert "invalid.md:2: frontmatter-yaml" in out
    assert "dupkey.md:3: frontmatter-duplicate-key" in out


def test_flattened_seed_is_recovered(shared_dir: Path, tmp_path: Path) -> None:
    shutil.copy(shared_dir / "seeds/server-architecture.md", tmp_path / "server-architecture.md")
    vault = Vault.load(tmp_path, use_cache=False)
    note = vault.notes["server-architecture.md"]
    assert note.flattened
    assert note.title == "Server Architecture"
    assert note.aliases == ("서버 아키텍처", "Backend Architecture")
    assert note.meta.source_trust_level == "A"
    assert note.meta.raw["tech_stack"] == {"language": "polyglot", "framework": "cloud-native"}
    assert ("flattened-note", 1) in {(d.code, d.line) for d in note.diagnostics}
    assert [h.text for h in note.headings if h.level == 2][:3] == ["매 한 줄", "매 핵심", "💻 패턴"]
    relations = {(link.target.file, link.relation) for link in note.links}
    assert ("Distributed Systems", "parent") in relations
    assert ("Serverless", "variant") in relations
    assert ("Kubernetes", "adjacent") in relations
    assert [e.date_text for e in note.changelog] == ["2026-05-08", "2026-05-10"]


def test_blog_seed_loads_its_own_schema(shared_dir: Path) -> None:
    vault = Vault.load(shared_dir / "seeds", use_cache=False)
    blog = vault.notes["system-architecture-blog.md"]
    assert blog.title == "📚[Backend Development] 시스템 아키텍처란?"
    assert blog.meta.tags == ("Backend Ddevelopment",)
    assert blog.meta.date is not None and blog.meta.date.isoformat() == "2025-03-14"
    assert blog.meta.raw["thumbnail"] == "/assets/img/thumbnail/BackendDevelopment.jpg"
    assert "확장성" in blog.text


@pytest.mark.parametrize("name", ["foam-docs", "kepano-obsidian", "silverbullet-docs"])
def test_corpora_load_and_resolve_most_links(shared_dir: Path, name: str) -> None:
    vault = Vault.load(shared_dir / "corpora" / name, use_cache=False)
    markdown_files = list((shared_dir / "corpora" / name).rglob("*.md"))
    assert len(vault.notes) == len(markdown_files)
    links = list(vault.all_links())
    resolved = [item for item in links if item.target is not None]
    assert len(resolved) / len(links) > 0.7
    for item in links:
        if item.target is None:
            assert item.link.line >= 1


def test_nfd_file_names_are_the_same_note(tmp_path: Path) -> None:
    _write(tmp_path, unicodedata.normalize("NFD", "분산 시스템.md"), "# 분산 시스템\n")
    _write(tmp_path, "a.md", "[[분산 시스템]]\n")
    vault = Vault.load(tmp_path, use_cache=False)
    (link,) = vault.links_of(next(p for p in vault.notes if p == "a.md"))
    assert link.target == unicodedata.normalize("NFC", "분산 시스템.md")


def test_incremental_updates_touch_only_what_changed(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "# A\n\n[[Beta]] and [[Gamma]]\n")
    _write(tmp_path, "b.md", "---\ntitle: Beta\n---\n# B\n")
    vault = Vault.load(tmp_path)
    assert [i.target for i in vault.links_of("a.md")] == ["b.md", None]  # type: ignore[arg-type]
    _write(tmp_path, "c.md", "---\ntitle: Gamma\n---\n")
    vault.refresh_file("c.md")
    assert [i.target for i in vault.links_of("a.md")] == ["b.md", "c.md"]  # type: ignore[arg-type]
    (tmp_path / "b.md").unlink()
    vault.refresh_file("b.md")
    assert "b.md" not in vault.notes
    assert [i.target for i in vault.links_of("a.md")] == [None, "c.md"]  # type: ignore[arg-type]
    reloaded = Vault.load(tmp_path)  # from the parse cache
    assert set(reloaded.notes) == {"a.md", "c.md"}


def test_paths_outside_the_vault_are_refused(tmp_path: Path) -> None:
    _write(tmp_path, "a.md", "# A\n")
    vault = Vault.load(tmp_path, use_cache=False)
    for bad in ("../x.md", "/etc/passwd", "a/../../x.md"):
        with pytest.raises(VaultPathError):
            vault.relative(bad)


def test_bundled_vault_links_and_kinds(bundled_vault_dir: Path) -> None:
    vault = Vault.load(bundled_vault_dir, use_cache=False)
    kinds = {item.link.kind for item in vault.all_links()}
    assert {LinkKind.WIKI, LinkKind.EMBED, LinkKind.MARKDOWN} <= kinds
    assert not [d for d in vault.diagnostics() if d.severity == "error"]
    wanted = {i.link.target.file for i in vault.all_links() if i.target is None}
    assert wanted, "the bundled vault keeps deliberate unresolved links"


def test_cached_and_parallel_loads_equal_a_fresh_serial_parse(
    bundled_vault_dir: Path, tmp_path: Path
) -> None:
    """The parse cache and worker processes hand back notes equal to parsing in place."""
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root)
    serial = Vault.load(root, use_cache=False, jobs=1)
    first = Vault.load(root)  # parses and writes the cache
    buckets = sorted((root / ".kgwiki" / "notes").glob("*.pickle"))
    assert len(buckets) == 64
    cached = Vault.load(root)  # reads every note back from the cache
    assert serial.notes == first.notes == cached.notes
    assert all(type(n.meta).__name__ == "NoteMeta" for n in cached.notes.values())
    links = [link for note in cached.notes.values() for link in note.links]
    assert links and all(isinstance(link.kind, LinkKind) for link in links)

    # One edited and one deleted note: only their buckets are written again.
    before = {b.name: b.stat().st_mtime_ns for b in buckets}
    edited, deleted = sorted(cached.notes)[:2]
    with (root / edited).open("a", encoding="utf-8") as handle:
        handle.write("\nAn added line about [[Kubernetes]].\n")
    (root / deleted).unlink()
    after_edit = Vault.load(root)
    rewritten = {b.name for b in buckets if b.stat().st_mtime_ns != before[b.name]}
    assert 1 <= len(rewritten) <= 2
    assert "An added line" in after_edit.notes[edited].body
    assert deleted not in after_edit.notes
    reloaded = Vault.load(root)
    assert reloaded.notes == after_edit.notes
    assert reloaded.notes == Vault.load(root, use_cache=False).notes


def test_parallel_parse_equals_serial(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes parse a corpus exactly as a serial parse does."""
    monkeypatch.setattr("kgwiki.vault.reading.PARALLEL_THRESHOLD", 50)
    root = shared_dir / "corpora" / "silverbullet-docs"
    serial = Vault.load(root, use_cache=False, jobs=1)
    parallel = Vault.load(root, use_cache=False, jobs=2)
    assert len(serial.notes) > 100
    assert serial.notes == parallel.notes


def test_notes_cross_processes_as_tuples_unchanged(bundled_vault_dir: Path,
                                                   loaded_bad_vault: Vault) -> None:  # fmt: skip
    """The wire form of a note names every field of Note and gives back an equal note."""
    import dataclasses
    import pickle

    from kgwiki.note import FIELDS, Note, from_wire, to_wire

    assert tuple(f.name for f in dataclasses.fields(Note)) == FIELDS
    notes = [*Vault.load(bundled_vault_dir, use_cache=False).notes.values(),
             *loaded_bad_vault.notes.values()]  # fmt: skip
    assert any(n.links for n in notes) and any(n.changelog for n in notes)
    assert any(n.diagnostics for n in notes) and any(n.headings for n in notes)
    for note in notes:
        wire = to_wire(note)
        assert len(wire) == len(FIELDS)
        assert from_wire(pickle.loads(pickle.dumps(wire))) == note, note.path


def test_scan_names_notes_by_their_path_in_the_vault(tmp_path: Path) -> None:
    """Nested and NFD-named folders: every note is named by its NFC path in the vault."""
    from kgwiki.vault import scan_vault

    root = tmp_path / "vault"
    _write(root, "top.md", "# Top\n")
    _write(root, "a/b/deep.md", "# Deep\n")
    _write(root, unicodedata.normalize("NFD", "한글 폴더/노트.md"), "# 노트\n")
    _write(root, "a/picture.png", b"\x89PNG")
    _write(root, ".obsidian/skip.md", "# hidden\n")
    found = scan_vault(root, ())
    assert found.notes == sorted(["top.md", "a/b/deep.md", "한글 폴더/노트.md"])
    assert found.attachments == ["a/picture.png"]
    assert all(unicodedata.is_normalized("NFC", name) for name in found.notes)


def test_parse_cache_fingerprint_covers_every_parser_module() -> None:
    """A change to any module the parse imports must invalidate the parse cache."""
    import subprocess
    import sys

    import kgwiki
    from kgwiki.vault.parse_cache import parser_sources

    listed = subprocess.run(
        [sys.executable, "-c", "import sys, kgwiki.note.parse, kgwiki.note.wire; "
         "print(' '.join(m.__file__ for n, m in sys.modules.items() if n.startswith('kgwiki.')))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    package = Path(kgwiki.__file__).parent
    # the version is in the fingerprint, and config's relation labels are in the cache version
    imported = {Path(name).relative_to(package).as_posix() for name in listed} - {"config.py"}
    covered = set(parser_sources(package))
    assert imported <= covered, imported - covered
    assert {"markdown/lists.py", "markdown/fastpath.py", "note/parse.py"} <= imported


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_notes_named_in_nfd_are_read(tmp_path: Path) -> None:
    """Files made on macOS are often named in NFD; the vault names notes in NFC and must
    still read, stat and re-read the file (whatever form each part of its path is in)."""
    from kgwiki.types import NotePath
    from kgwiki.vault import disk_path

    _write(tmp_path, _nfd("분산 시스템.md"), "# 분산 시스템\n\n합의 알고리즘 본문.\n")
    _write(tmp_path, "폴더/" + _nfd("노트.md"), "# 노트\n\n섞인 형태의 경로.\n")  # NFC folder
    vault = Vault.load(tmp_path)
    for path, words in (("분산 시스템.md", "합의 알고리즘"), ("폴더/노트.md", "섞인 형태")):
        note = vault.notes[NotePath(path)]
        assert words in note.text and not note.diagnostics, path
        assert disk_path(tmp_path, path).is_file()
    again = Vault.load(tmp_path)
    for path in ("분산 시스템.md", "폴더/노트.md"):  # their stats let the parse cache serve them
        assert again._stat(NotePath(path)) is not None, path
    _write(tmp_path, _nfd("분산 시스템.md"), "# 분산 시스템\n\n새 본문.\n")
    refreshed = again.refresh_file("분산 시스템.md")
    assert refreshed is not None and "새 본문" in refreshed.text
    assert disk_path(tmp_path, "없는/파일.md") == tmp_path / "없는/파일.md"
    _write(tmp_path, "둘/a.md", "# A\n")  # a folder in both forms: each holds its own file
    _write(tmp_path, _nfd("둘") + "/b.md", "# B\n\n다른 형태의 폴더.\n")
    assert disk_path(tmp_path, "둘/b.md").read_text(encoding="utf-8").endswith("폴더.\n")
    assert disk_path(tmp_path, "둘/a.md") == tmp_path / "둘/a.md"
    from kgwiki.authoring import reinforce

    reinforce(again, "분산 시스템", message="다시 확인")  # writes into the NFD-named file
    names = [p.name for p in tmp_path.glob("*.md")]
    assert names == [_nfd("분산 시스템.md")]
    assert "다시 확인" in (tmp_path / _nfd("분산 시스템.md")).read_text(encoding="utf-8")
