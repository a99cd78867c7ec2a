"""Changelogs: recent changes, per-note history with git, changelog lint, ``kgwiki changelog``."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from dates import BUNDLED_VAULT_DAY

from kgwiki import clock
from kgwiki.changelog import note_history, problems, recent_changes
from kgwiki.changelog.git import git_log, git_log_all
from kgwiki.cli.main import main
from kgwiki.types import NotePath
from kgwiki.vault import Vault

TODAY = dt.date(2026, 11, 23)
HAS_GIT = shutil.which("git") is not None


def _note(title: str, rows: list[tuple[str, str]]) -> str:
    table = "\n".join(f"| {date} | {text} |" for date, text in rows)
    return (f"---\ntitle: {title}\n---\n# {title}\n\n본문.\n\n## 🕓 Changelog\n"
            f"| 날짜 | 변경 |\n|---|---|\n{table}\n")  # fmt: skip


@pytest.fixture(scope="module")
def bundled(bundled_vault_dir: Path) -> Vault:
    return Vault.load(bundled_vault_dir, use_cache=False)


def test_recent_changes_are_newest_first_and_only_valid_rows(bundled: Vault) -> None:
    changes = recent_changes(bundled, limit=None, today=TODAY)
    dated = [e for n in bundled.notes.values() for e in n.changelog if e.date and e.date <= TODAY]
    assert len(changes) == len(dated) > 0
    assert [c.date for c in changes] == sorted((c.date for c in changes), reverse=True)
    for change in changes:
        note = bundled.notes[change.path]
        # (a flattened note has every row on line 1, so match the text too)
        assert any(e.line == change.line and e.date == change.date and e.text == change.text
                   for e in note.changelog)  # fmt: skip
    assert len(recent_changes(bundled, limit=5, today=TODAY)) == 5
    since = changes[len(changes) // 2].date
    assert all(c.date >= since for c in recent_changes(bundled, None, since, today=TODAY))
    assert len({c.uid for c in changes}) == len(changes)


def test_bad_dates_are_reported_by_the_core(bundled: Vault) -> None:
    bad = [(n.path, e.line) for n in bundled.notes.values() for e in n.changelog if not e.valid]
    assert bad, "the bundled vault has one malformed changelog date"
    reported = {(d.path, d.line) for d in bundled.diagnostics() if d.code == "changelog-bad-date"}
    assert set(bad) == reported
    shown = {(c.path, c.line) for c in recent_changes(bundled, None, today=TODAY)}
    assert not shown & set(bad)


def test_rows_out_of_order_and_in_the_future(tmp_path: Path) -> None:
    rows = [("2026-01-05", "first"), ("2026-03-01", "second"), ("2026-02-01", "moved"),
            ("2026-04-01", "third"), ("2031-01-01", "typo year")]  # fmt: skip
    (tmp_path / "a.md").write_text(_note("A", rows), encoding="utf-8")
    newest_first = [("2026-05-01", "b"), ("2026-04-01", "a"), ("2026-03-01", "start")]
    (tmp_path / "b.md").write_text(_note("B", newest_first), encoding="utf-8")
    vault = Vault.load(tmp_path, use_cache=False)
    found = problems(vault, today=TODAY)
    lines = {e.text: e.line for e in vault.notes[NotePath("a.md")].changelog}
    assert {(d.path, d.code, d.line) for d in found} == {
        ("a.md", "changelog-out-of-order", lines["moved"]),
        ("a.md", "changelog-future-date", lines["typo year"]),
    }
    assert all(d.severity == "info" for d in found)
    texts = [c.text for c in recent_changes(vault, None, today=TODAY)]
    assert "typo year" not in texts
    assert texts[:3] == ["b", "third", "a"]  # newest first; the same day by title


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}  # fmt: skip
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_note_history_follows_git_renames(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    (root / "notes").mkdir(parents=True)
    _git(root, "init", "-q")
    (root / "notes" / "old.md").write_text(_note("Topic", [("2026-01-01", "made")]), "utf-8")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "add topic")
    _git(root, "mv", "notes/old.md", "notes/노트.md")
    _git(root, "commit", "-q", "-m", "rename topic")
    vault = Vault.load(root, use_cache=False)
    path = NotePath("notes/노트.md")
    history = note_history(vault, path)
    assert [c.subject for c in history.commits] == ["rename topic", "add topic"]
    assert [c.path for c in history.commits] == ["notes/노트.md", "notes/old.md"]
    assert [c.source for c in history.changes] == ["git", "git", "changelog"]
    assert git_log_all(root)[path][0].subject == "rename topic"
    assert note_history(vault, path, git=False).commits == ()


def test_no_repository_or_no_git_gives_empty_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.md").write_text(_note("A", [("2026-01-01", "x")]), encoding="utf-8")
    vault = Vault.load(tmp_path, use_cache=False)
    if HAS_GIT:
        assert note_history(vault, NotePath("a.md")).commits == ()
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    assert git_log(tmp_path, NotePath("a.md")) == ()
    assert git_log_all(tmp_path) == {}
    assert [c.text for c in note_history(vault, NotePath("a.md")).changes] == ["x"]


def test_changelog_cli(bundled_vault_dir: Path, capsys: pytest.CaptureFixture[str],
                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv(clock.ENV, BUNDLED_VAULT_DAY.isoformat())  # rows after tomorrow are left out
    assert main(["changelog", "--vault", str(bundled_vault_dir), "--limit", "3", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 3 and rows[0]["date"] >= rows[1]["date"] >= rows[2]["date"]
    assert main(["changelog", "--vault", str(bundled_vault_dir), "--since", rows[1]["date"],
                 "--json"]) == 0  # fmt: skip
    assert all(r["date"] >= rows[1]["date"] for r in json.loads(capsys.readouterr().out))
    assert main(["changelog", "--vault", str(bundled_vault_dir), "--note", "Microservices"]) == 0
    out = capsys.readouterr().out
    assert "Microservices" in out and out.strip().endswith("changes")
    assert main(["changelog", "--vault", str(bundled_vault_dir), "--since", "yesterday"]) == 2


def _repo_with_notes(root: Path, *titles: str) -> Path:
    """A new git repository at ``root`` with one committed note per title (commit "first")."""
    root.mkdir()
    _git(root, "init", "-q")
    for day, title in enumerate(titles, start=1):
        (root / f"{title.lower()}.md").write_text(_note(title, [(f"2026-01-0{day}", "made")]),
                                                  "utf-8")  # fmt: skip
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first")
    return root


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_site_history_asks_git_once_per_head(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Note pages read one vault-wide log, asked again only when HEAD moves."""
    from kgwiki import site as site_module
    from kgwiki.site import Site

    root = _repo_with_notes(tmp_path / "vault", "A", "B")
    monkeypatch.setattr(site_module, "HEAD_CHECK_SECONDS", 3600.0)
    site = Site.load(root, with_search=False, with_duplicates=False)
    a, b = NotePath("a.md"), NotePath("b.md")
    assert [c.subject for c in site.history(a).commits] == ["first"]
    first = site.commits()
    assert site.commits() is first, "same HEAD: the log is not asked for again"
    (root / "b.md").write_text(_note("B", [("2026-01-03", "changed")]), "utf-8")
    _git(root, "commit", "-q", "-am", "second")
    assert site.commits() is first, "HEAD is looked at again only after HEAD_CHECK_SECONDS"
    monkeypatch.setattr(site_module, "HEAD_CHECK_SECONDS", 0.0)
    assert [c.subject for c in site.history(b).commits] == ["second", "first"]
    assert [c.subject for c in site.history(a).commits] == ["first"]
    assert site.commits() is not first


@pytest.mark.skipif(not HAS_GIT, reason="git is not installed")
def test_site_history_follows_commits_in_a_linked_worktree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a `git worktree`, branches live in the main repository's folder: HEAD still moves."""
    from kgwiki import site as site_module
    from kgwiki.changelog import git_head, head_commit
    from kgwiki.site import Site

    main_repo = _repo_with_notes(tmp_path / "main", "A")
    worktree = tmp_path / "wt"
    _git(main_repo, "worktree", "add", "-q", "-b", "feat", str(worktree))
    monkeypatch.setattr(site_module, "HEAD_CHECK_SECONDS", 0.0)
    site = Site.load(worktree, with_search=False, with_duplicates=False)
    a = NotePath("a.md")
    assert [c.subject for c in site.history(a).commits] == ["first"]
    before = git_head(worktree)
    (worktree / "a.md").write_text(_note("A", [("2026-01-02", "changed")]), "utf-8")
    _git(worktree, "commit", "-q", "-am", "second")
    assert git_head(worktree) != before and not git_head(worktree).startswith("ref:")
    assert head_commit(worktree) == git_head(worktree)
    assert [c.subject for c in site.history(a).commits] == ["second", "first"]
