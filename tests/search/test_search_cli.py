"""``kgwiki index`` and ``kgwiki search`` from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from paths import ROOTS

from kgwiki.cli.main import main

MINI = ROOTS / "search-mini"


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(MINI, root)
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_index_then_rebuild(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "index", str(vault), "--json", "-q")
    report = json.loads(out)
    assert status == 0
    assert report["notes"] == len(report["added"]) == len(list(vault.rglob("*.md")))
    assert Path(report["index"]) == vault / ".kgwiki" / "index"
    status, out, _ = _run(capsys, "index", str(vault), "-q")
    assert status == 0 and "nothing changed" in out
    status, out, _ = _run(capsys, "index", str(vault), "--rebuild", "--json", "-q")
    assert len(json.loads(out)["changed"]) == report["notes"]


def test_search_json_has_the_hit_fields(vault: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "search", "--vault", str(vault), "아키텍처", "--json", "-q")
    results = json.loads(out)
    assert status == 0
    assert {h["path"] for h in results["hits"]} == {
        "Topics/architecture-intro.md", "Topics/layered-style.md"}  # fmt: skip
    for hit in results["hits"]:
        assert {"title", "path", "snippet", "score", "trust"} <= hit.keys()
        assert "<mark>" in hit["snippet"]
        assert set(hit["trust"]) == {"level", "confidence", "verification"}


def test_human_output_brackets_highlights_when_piped(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "search", "--vault", str(vault), "decouples", "--limit", "3")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith(" 1. Queues  (Topics/queues.md)  trust E")
    assert "[decouples]" in lines[1] and "<mark>" not in out and "\x1b[" not in out


def test_search_finds_a_note_added_since_the_last_index(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _run(capsys, "index", str(vault), "-q")
    note = vault / "Inbox" / "written-elsewhere.md"
    note.write_text("# Pelican\n\n펠리컨 관찰 기록.\n", "utf-8")
    status, out, _ = _run(capsys, "search", "--vault", str(vault), "펠리컨", "--json", "-q")
    assert status == 0
    assert [h["path"] for h in json.loads(out)["hits"]] == ["Inbox/written-elsewhere.md"]


def test_a_malformed_query_is_a_message_not_a_traceback(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "search", "--vault", str(vault), "trust:>=Q", "-q")
    assert status == 2
    assert err.startswith("kgwiki search: cannot read the query: trust:>=Q")
    assert "Traceback" not in err and out == ""


def test_no_hits_exit_status_one_and_typo_suggestion(
    vault: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "search", "--vault", str(vault), "xylophone", "-q")
    assert status == 1 and "no matching notes" in out
    status, out, _ = _run(capsys, "search", "--vault", str(vault), "queus", "-q")
    assert status == 0
    assert out.startswith("No results for 'queus'; showing 'queues'.")
    assert "[Queues]" in out


def test_search_answers_from_the_index_alone_until_a_note_changes(
    vault: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a current index, ``kgwiki search`` never loads the vault; after an edit it says so,
    updates the index and finds the new text."""
    import os

    from kgwiki.vault import Vault

    assert _run(capsys, "index", str(vault), "-q")[0] == 0
    real_load = Vault.load

    def no_load(*args: object, **kwargs: object) -> Vault:
        raise AssertionError("the vault was loaded")

    monkeypatch.setattr(Vault, "load", no_load)
    status, out, err = _run(capsys, "search", "architecture", "--vault", str(vault), "--json")
    assert status == 0 and json.loads(out)["hits"] and err == ""
    note = next(vault.rglob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\nzebracorn\n", encoding="utf-8")
    index_time = max(p.stat().st_mtime_ns for p in (vault / ".kgwiki" / "index").iterdir())
    later = index_time + 1_000_000  # newer than the index even on a coarse clock, not future
    os.utime(note, ns=(later, later))
    with pytest.raises(AssertionError, match="the vault was loaded"):
        main(["search", "zebracorn", "--vault", str(vault), "--json"])
    monkeypatch.setattr(Vault, "load", real_load)
    capsys.readouterr()
    status, out, err = _run(capsys, "search", "zebracorn", "--vault", str(vault), "--json")
    assert status == 0 and "updating it first" in err
    assert [hit["path"] for hit in json.loads(out)["hits"]] == [
        note.relative_to(vault).as_posix()]
    monkeypatch.setattr(Vault, "load", no_load)  # current again: the index alone answers
    status, out, _ = _run(capsys, "search", "zebracorn", "--vault", str(vault), "--json")
    assert status == 0 and len(json.loads(out)["hits"]) == 1
