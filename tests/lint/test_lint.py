"""Lint: every part's problems in one report, and ``kgwiki lint --fix / --dry-run``."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from kgwiki.cli.main import main
from kgwiki.diagnostics import Severity
from kgwiki.lint import lint_vault
from kgwiki.lint.report import writes_titles
from kgwiki.vault import Vault

TODAY = dt.date(2026, 11, 23)
SEED = "10_Wiki/Topics/server-architecture.md"
BLOG = "20_Blog/system-architecture-blog.md"

EXTRA = {
    "30_Inbox/lonely.md": "---\nid: wiki-2026-1101-lonely\ntitle: Lonely\n---\nNo links at all.\n",
    "30_Inbox/untitled-thing.md": "---\nid: wiki-2026-1101-untitled\n---\nSee [[Helm]].\n",
    "30_Inbox/points-nowhere.md": "---\nid: wiki-2026-1101-nowhere\ntitle: Points Nowhere\n"
                                  "duplicate_of: \"[[No Such Original]]\"\n---\n# Points Nowhere\n"
                                  "[[Helm]]\n",
    "30_Inbox/shuffled.md": "---\nid: wiki-2026-1101-shuffled\ntitle: Shuffled\n---\n[[Helm]]\n\n"
                            "## Changelog\n| d | c |\n|---|---|\n| 2026-01-01 | a |\n"
                            "| 2026-03-01 | c |\n| 2026-02-01 | b |\n| 2026-04-01 | d |\n",
    "30_Inbox/loose.md": "---\nid: wiki-2026-1101-loose\ntitle: Loose\naliases: \"Slack\"\n---\n"
                         "[[Helm]]\n",
    "30_Inbox/broken.md": "---\ntitle: [unclosed\n---\n# Broken\n[[Helm]]\n",
}  # fmt: skip


@pytest.fixture
def vault_dir(tmp_path: Path, bundled_vault_dir: Path) -> Path:
    return Path(shutil.copytree(bundled_vault_dir, tmp_path / "vault",
                                ignore=shutil.ignore_patterns(".kgwiki")))  # fmt: skip


@pytest.fixture
def messy_dir(vault_dir: Path) -> Path:
    for name, text in EXTRA.items():
        (vault_dir / name).write_text(text, encoding="utf-8")
    helm = (vault_dir / "10_Wiki/Topics/helm.md").read_text(encoding="utf-8")
    body = helm.split("\n---\n", 1)[1]
    copy = "---\nid: wiki-2026-1101-helm-copy\ntitle: Helm Copy\n---\n" + body
    (vault_dir / "30_Inbox/helm-copy.md").write_text(copy, encoding="utf-8")
    return vault_dir


def test_lint_gathers_the_problems_of_every_part(messy_dir: Path) -> None:
    found = lint_vault(Vault.load(messy_dir, use_cache=False), today=TODAY)
    where = {(d.path, d.code): d for d in found}
    expected = {
        (SEED, "flattened-note"),  # parsing
        ("10_Wiki/Topics/service-mesh.md", "changelog-bad-date"),
        ("30_Inbox/broken.md", "frontmatter-yaml"),
        ("index.md", "unresolved-link"),  # links
        ("10_Wiki/Topics/event-driven-architecture.md", "case-mismatch"),
        ("10_Wiki/Topics/service-discovery.md", "trust-stale"),  # trust
        ("10_Wiki/Topics/serverless.md", "trust-weak-citation"),
        ("30_Inbox/shuffled.md", "changelog-out-of-order"),  # changelogs
        ("30_Inbox/points-nowhere.md", "duplicate-target-missing"),  # duplicates
        ("30_Inbox/helm-copy.md", "duplicate-suspected"),
        ("30_Inbox/lonely.md", "orphan-note"),  # the graph
        ("30_Inbox/untitled-thing.md", "missing-title"),  # lint itself
        (BLOG, "missing-id"),
        ("30_Inbox/loose.md", "aliases-not-list"),
    }
    assert expected <= set(where), sorted(expected - set(where))
    assert where[("30_Inbox/helm-copy.md", "duplicate-suspected")].severity is Severity.WARNING
    assert where[("30_Inbox/broken.md", "frontmatter-yaml")].severity is Severity.ERROR
    assert where[("30_Inbox/shuffled.md", "changelog-out-of-order")].line == 12
    assert where[("30_Inbox/loose.md", "aliases-not-list")].line == 4
    assert "helm.md" in where[("30_Inbox/helm-copy.md", "duplicate-suspected")].message
    # Only the notes that really are orphans, untitled or unidentified are named.
    assert {d.path for d in found if d.code == "orphan-note"} == {"30_Inbox/lonely.md"}
    assert {d.path for d in found if d.code == "missing-title"} == {"30_Inbox/untitled-thing.md"}
    assert {d.path for d in found if d.code == "missing-id"} == {BLOG, "30_Inbox/broken.md"}
    assert found == sorted(found, key=lambda d: (d.path, d.line, d.code, d.message))
    assert not [d for d, n in Counter(found).items() if n > 1]


def test_near_duplicates_can_be_left_out(messy_dir: Path) -> None:
    found = lint_vault(Vault.load(messy_dir, use_cache=False), near_duplicates=False, today=TODAY)
    codes = {d.code for d in found}
    assert "duplicate-suspected" not in codes and "duplicate-target-missing" in codes


def test_exit_status_follows_errors(vault_dir: Path, messy_dir: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    assert main(["lint", str(messy_dir), "--severity", "error"]) == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("30_Inbox/broken.md:2: frontmatter-yaml")
    assert "warning" not in out and "orphan-note" not in out
    (messy_dir / "30_Inbox/broken.md").unlink()
    assert main(["lint", str(messy_dir), "--severity", "warning"]) == 0
    out = capsys.readouterr().out
    assert "duplicate-suspected" in out and "orphan-note" not in out


def test_dry_run_shows_the_diff_and_writes_nothing(
    vault_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = {p: p.read_bytes() for p in vault_dir.rglob("*.md")}
    assert main(["lint", str(vault_dir), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"--- a/{SEED}\n+++ b/{SEED}\n" in out
    assert "+## 🕓 Changelog\n" in out and "+| 2026-05-08 | Phase 1 |\n" in out
    assert f"--- a/{BLOG}\n" in out and "+id: wiki-2025-0314-system-architecture-blog\n" in out
    assert "would fix 2 files (dry run: nothing written)" in out
    assert {p: p.read_bytes() for p in vault_dir.rglob("*.md")} == before
    assert not (vault_dir / ".kgwiki/backup").exists()


def test_fix_repairs_backs_up_and_relints(vault_dir: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    seed_before = (vault_dir / SEED).read_bytes()
    others = {p: p.read_bytes() for p in vault_dir.rglob("*.md")
              if p.relative_to(vault_dir).as_posix() not in (SEED, BLOG)}  # fmt: skip
    assert main(["lint", str(vault_dir), "--fix"]) == 0
    out = capsys.readouterr().out
    assert f"+++ b/{SEED}\n" in out and "fixed 2 files; the old versions are in" in out
    (backup,) = (vault_dir / ".kgwiki/backup").iterdir()
    assert (backup / SEED).read_bytes() == seed_before
    assert (
        (vault_dir / SEED)
        .read_text(encoding="utf-8")
        .startswith("---\nid: wiki-2026-0508-server-architecture\ntitle: Server Architecture\n")
    )
    relinted = out.split("the old versions are in", 1)[1]
    assert "flattened-note" not in relinted and "missing-id" not in relinted
    assert {p: p.read_bytes() for p in others} == others  # nothing else was touched
    assert main(["lint", str(vault_dir), "--fix"]) == 0
    assert "nothing to fix" in capsys.readouterr().out


def test_fix_exits_non_zero_when_errors_remain(
    messy_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", str(messy_dir), "--fix", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["mode"] == "fix"
    assert sorted(report["written"]) == [SEED, BLOG, "30_Inbox/loose.md"]
    assert report["counts"]["error"] == 1
    codes = {(d["path"], d["code"]) for d in report["diagnostics"]}
    assert ("30_Inbox/broken.md", "frontmatter-yaml") in codes
    assert ("30_Inbox/broken.md", "fix-skipped") in codes  # its id cannot be added safely
    assert (SEED, "flattened-note") not in codes
    fix = next(f for f in report["fixes"] if f["path"] == "30_Inbox/loose.md")
    assert fix["codes"] == ["aliases-not-list"]
    assert '-aliases: "Slack"\n+aliases: [Slack]\n' in fix["diff"]
    assert (
        (messy_dir / "30_Inbox/loose.md")
        .read_text(encoding="utf-8")
        .startswith("---\nid: wiki-2026-1101-loose\ntitle: Loose\naliases: [Slack]\n---\n")
    )


@pytest.mark.parametrize(("corpus", "titled"), [
    ("kepano-obsidian", False), ("silverbullet-docs", False), ("foam-docs", True)])
def test_vaults_titled_by_file_name_get_no_missing_title(
    shared_dir: Path, corpus: str, titled: bool
) -> None:
    """Where the file name is the title (Obsidian), saying so of every note is noise."""
    vault = Vault.load(shared_dir / "corpora" / corpus, use_cache=False)
    assert writes_titles(vault) is titled  # foam's notes each open with a # heading
    assert [d for d in lint_vault(vault, near_duplicates=False) if d.code == "missing-title"] == []
