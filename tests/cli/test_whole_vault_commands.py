"""Whole-vault commands take the vault as ``VAULT`` (as the README says), count in proper
English, and ``kgwiki build`` lists the first link problems it found, as ``kgwiki lint`` does."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import REPO

from kgwiki.cli.main import main

BUNDLED = REPO / "vault"


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from a folder that is not a vault, so only the argument can name one."""
    monkeypatch.delenv("KGWIKI_VAULT", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="module")
def vault_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("whole") / "vault"
    shutil.copytree(BUNDLED, copy, ignore=shutil.ignore_patterns(".kgwiki"))
    return copy


@pytest.mark.parametrize("command", [
    ["trust"], ["changelog", "--limit", "3"], ["dupes"], ["graph", "hubs", "--limit", "3"],
    ["graph", "orphans"], ["graph", "dead-ends"], ["graph", "wanted"],
    ["graph", "communities"], ["info"], ["lint", "--max", "1"],
])  # fmt: skip
def test_the_vault_as_a_positional_argument(
    vault_copy: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    positional = main([*command, str(vault_copy), "--json"])
    by_option = capsys.readouterr().out
    assert main([*command, "--vault", str(vault_copy), "--json"]) == positional
    assert capsys.readouterr().out == by_option and by_option.strip()


def test_graph_export_takes_the_vault_too(vault_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    assert main(["graph", "export", str(vault_copy), "--format", "json", "-o", str(out)]) == 0
    assert '"nodes"' in out.read_text(encoding="utf-8")


def _one_note_vault(root: Path, body: str) -> Path:
    root.mkdir()
    (root / "only.md").write_text(body, encoding="utf-8")
    return root


def test_counts_are_singular_for_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = _one_note_vault(tmp_path / "one", "---\ntitle: Only\n---\n# Only\n\nSee [[Nowhere]].\n")
    main(["lint", str(vault)])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "1 problem (0 errors) in 1 note", last
    main(["trust", str(vault)])
    assert capsys.readouterr().out.strip().splitlines()[-1] == "1 note"
    main(["dupes", str(vault)])
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("0 pairs: ")


def test_build_lists_the_first_link_problems(
    vault_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", str(vault_copy), "--json", "-q"]) in (0, 1)
    capsys.readouterr()
    assert main(["build", str(vault_copy), "-o", str(tmp_path / "site")]) == 0
    out = capsys.readouterr().out
    listed = [line.strip() for line in out.splitlines() if line.startswith("  ")]
    assert 0 < len(listed) <= 10
    assert all(": unresolved-link " in line or ": case-mismatch " in line for line in listed)
    # Each listed line is one lint prints for the same note and line.
    main(["lint", str(vault_copy)])
    lint_lines = set(capsys.readouterr().out.splitlines())
    assert set(listed) <= lint_lines
    summary = out.strip().splitlines()[-1]
    assert "link problems in the notes" in summary and "kgwiki lint" in summary


def test_the_kinds_the_help_lists_are_the_graph_edge_kinds() -> None:
    from kgwiki.cli.cmd_graph import KIND_NAMES
    from kgwiki.graph import EDGE_KINDS

    assert KIND_NAMES == EDGE_KINDS
