"""Link resolution against obsidian-export's cases and Obsidian's documented rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fake_notes import FakeNote

from kgwiki.types import NotePath
from kgwiki.vault import is_note_file
from kgwiki.vault.resolver import LinkIndex, normalise_path


def _index(files: list[str], titles: dict[str, str] | None = None) -> LinkIndex:
    index = LinkIndex()
    for file in files:
        path = normalise_path(file)
        if is_note_file(file):
            stem = Path(file).stem
            index.add(FakeNote(path, (titles or {}).get(file, stem)))
        else:
            index.add_attachment(path)
    return index


def _resolve_cases(shared: Path) -> list[dict[str, Any]]:
    data = json.loads((shared / "fixtures/peer/obsidian_export.json").read_text(encoding="utf-8"))
    return [case for case in data["cases"] if case["kind"] == "resolve"]


def test_obsidian_export_resolve_cases(shared_dir: Path) -> None:
    cases = _resolve_cases(shared_dir)
    assert len(cases) >= 19
    failures = []
    for case in cases:
        index = _index(case["vault_files"])
        got = index.resolve(case["input"]).path
        if got != normalise_path(case["expected"]):
            failures.append((case["id"], got, case["expected"]))
    assert failures == []


def test_title_alias_and_id_resolve_in_that_order() -> None:
    index = LinkIndex()
    index.add(
        FakeNote(
            NotePath("t/server-architecture.md"),
            "Server Architecture",
            ("서버 아키텍처",),
            "wiki-2026-0508-server-architecture",
        )
    )
    index.add(FakeNote(NotePath("t/other.md"), "Other", ("Server Architecture",)))
    assert index.resolve("Server Architecture").via == "title"
    assert index.resolve("Server Architecture").path == "t/server-architecture.md"
    assert index.resolve("서버 아키텍처").path == "t/server-architecture.md"
    assert index.resolve("WIKI-2026-0508-SERVER-ARCHITECTURE").via == "id"
    assert index.resolve("server-architecture").via == "name"


def test_nfd_hangul_matches_nfc() -> None:
    import unicodedata

    index = LinkIndex()
    index.add(FakeNote(NotePath("분산 시스템.md"), "분산 시스템"))
    assert index.resolve(unicodedata.normalize("NFD", "분산 시스템")).path == "분산 시스템.md"


def test_ambiguous_names_prefer_same_folder_then_shortest_path() -> None:
    index = _index(["a/index.md", "b/c/index.md", "index.md"])
    assert index.resolve("index").path == "index.md"
    assert not index.resolve("index").ambiguous  # the full path of one candidate
    assert index.resolve("index", NotePath("b/c/note.md")).path == "b/c/index.md"
    assert not index.resolve("index", NotePath("b/c/note.md")).ambiguous  # same folder
    assert index.resolve("c/index").path == "b/c/index.md"
    assert not index.resolve("c/index").ambiguous
    two = _index(["a/index.md", "b/index.md"])
    assert two.resolve("index").path == "a/index.md"
    assert two.resolve("index").candidates == ("a/index.md", "b/index.md")
    assert two.resolve("index", NotePath("b/x.md")).path == "b/index.md"


def test_relative_markdown_paths_never_leave_the_vault() -> None:
    index = _index(["notes/a.md", "other/b.md"])
    assert index.resolve("../other/b.md", NotePath("notes/a.md")).path == "other/b.md"
    assert index.resolve("../../etc/passwd", NotePath("notes/a.md")).path is None


@pytest.mark.parametrize("missing", ["Chaos Engineering", "", "nested/"])
def test_unknown_names_are_unresolved(missing: str) -> None:
    assert _index(["NoteA.md"]).resolve(missing).path is None
