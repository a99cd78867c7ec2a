"""Commands that read the whole vault start from the link tables and graph the last build or
server kept (put up to date with the notes edited, added or removed since), and answer
exactly as from a fresh load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from paths import REPO

from kgwiki.cli.main import main
from kgwiki.graph import KnowledgeGraph
from kgwiki.web.build import build

COMMANDS = [
    ["lint", "--max", "400"], ["graph", "hubs", "--limit", "20"], ["graph", "orphans"],
    ["graph", "wanted"], ["graph", "dead-ends"], ["graph", "neighbours", "Kafka", "--depth", "2"],
    ["info"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KGWIKI_VAULT", raising=False)
    monkeypatch.chdir(tmp_path)


def _answers(vault: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[int, str]]:
    found = []
    for command in COMMANDS:
        status = main([*command, "--vault", str(vault), "--json"])
        found.append((status, capsys.readouterr().out.replace(str(vault), "<vault>")))
    return found


def test_kept_state_gives_the_answers_of_a_fresh_load(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    vault = Path(shutil.copytree(REPO / "vault", tmp_path / "kept" / "vault",
                                 ignore=shutil.ignore_patterns(".kgwiki")))  # fmt: skip
    build(vault, tmp_path / "site")  # keeps the link tables and the graph in .kgwiki/
    assert (vault / ".kgwiki" / "graph.pickle").is_file()
    # Since then: a link repointed, a note added, one removed.
    helm = vault / "10_Wiki/Topics/helm.md"
    helm.write_text(helm.read_text(encoding="utf-8").replace("[[Kubernetes]]", "[[Kafka]]", 1),
                    encoding="utf-8")  # fmt: skip
    (vault / "30_Inbox" / "argo-cd.md").write_text(
        "---\ntitle: Argo CD\ntags: [gitops]\n---\n# Argo CD\n\nSyncs [[Helm]] charts; see "
        "[[Kafka#Nowhere]] and [[Not Written Yet]].\n", encoding="utf-8")  # fmt: skip
    (vault / "10_Wiki/Topics/service-mesh.md").unlink()
    fresh = Path(shutil.copytree(vault, tmp_path / "fresh" / "vault",
                                 ignore=shutil.ignore_patterns(".kgwiki")))  # fmt: skip
    expected = _answers(fresh, capsys)

    def refuse(*args: object) -> None:
        raise AssertionError("built the graph although the kept one could be caught up")

    monkeypatch.setattr(KnowledgeGraph, "build", refuse)
    assert _answers(vault, capsys) == expected
    assert all(out.strip() for _, out in expected)
