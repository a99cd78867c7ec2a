"""Which vault a command works on, and the folders it refuses to take for one by guess."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from kgwiki.cli.main import main
from kgwiki.config import VaultNotFoundError, find_vault


@pytest.fixture(autouse=True)
def _no_vault_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KGWIKI_VAULT", raising=False)


def _note(folder: Path, name: str = "hello.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("# Hello\n\nA note.\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", [["info"], ["search", "foo"], ["lint"], ["build"]])
def test_a_folder_without_notes_is_refused_and_left_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:  # fmt: skip
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    (empty / "sub" / "deep.md").write_text("# Deep\n", encoding="utf-8")  # not top level
    monkeypatch.chdir(empty)
    assert main(command) == 2
    err = capsys.readouterr().err
    assert "no Markdown notes" in err and "--vault" in err
    assert sorted(p.name for p in empty.iterdir()) == ["sub"], "no .kgwiki/, no site/"


def test_the_temporary_folder_is_never_guessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    scratch = _note(tmp_path / "scratch")  # Markdown lying around, as /tmp often has
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.chdir(scratch)
    assert main(["search", "hello"]) == 2
    assert "--vault" in capsys.readouterr().err
    assert not (scratch / ".kgwiki").exists()


def test_the_home_folder_is_never_guessed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = _note(tmp_path / "home")
    monkeypatch.setenv("HOME", str(home))
    with pytest.raises(VaultNotFoundError):
        find_vault(None, cwd=home)


def test_the_root_folder_is_never_guessed() -> None:
    if Path("/vault").is_dir() or Path("/kgwiki.toml").is_file():
        pytest.skip("this machine has a vault at /")
    with pytest.raises(VaultNotFoundError):
        find_vault(None, cwd=Path("/"))


def test_a_folder_with_notes_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = _note(tmp_path / "notes")
    monkeypatch.chdir(notes)
    assert main(["info", "--json", "-q"]) == 0
    assert '"notes": 1' in capsys.readouterr().out


@pytest.mark.parametrize("marker", [".obsidian", "kgwiki.toml"])
def test_a_vault_marker_makes_the_folder_a_vault(tmp_path: Path, marker: str) -> None:
    folder = tmp_path / "vault-without-top-notes"
    _note(folder / "sub")
    if marker == ".obsidian":
        (folder / marker).mkdir()
    else:
        (folder / marker).write_text("", encoding="utf-8")
    assert find_vault(None, cwd=folder) == folder.resolve()


def test_named_vaults_and_the_vault_subfolder_come_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert find_vault(str(empty), cwd=empty) == empty.resolve()  # --vault: taken as said
    monkeypatch.setenv("KGWIKI_VAULT", str(empty))
    assert find_vault(None, cwd=tmp_path) == empty.resolve()
    monkeypatch.delenv("KGWIKI_VAULT")
    (empty / "vault").mkdir()
    assert find_vault(None, cwd=empty) == (empty / "vault").resolve()
