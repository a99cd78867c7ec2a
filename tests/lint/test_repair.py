"""Repairs: flattened notes back to Markdown, loose frontmatter normalised, with backups."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from markdown_it.token import Token
from paths import ROOTS

from kgwiki.lint import apply_fixes, plan_fixes
from kgwiki.lint.repair_flattened import unflatten_text
from kgwiki.markdown import parse
from kgwiki.note import recover_frontmatter
from kgwiki.types import NotePath
from kgwiki.vault import Vault

TODAY = dt.date(2026, 11, 23)
SEED = NotePath("server-architecture.md")


def _structure(tokens: Sequence[Token]) -> dict[str, Any]:
    """What a reader sees of a note's layout: headings, code fences, table rows and cells."""
    headings: list[tuple[int, str]] = []
    fences: list[str] = []
    rows: list[list[str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append((int(token.tag[1]), tokens[index + 1].content))
        elif token.type == "fence":
            fences.append(token.info.strip())
        elif token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
            rows[-1].append(token.content)
    return {"headings": headings, "fences": fences, "rows": rows}


def _vault_with(tmp_path: Path, files: dict[str, bytes]) -> Vault:
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    return Vault.load(tmp_path, use_cache=False)


def test_the_repaired_seed_reads_like_the_hand_formatted_note(
    shared_dir: Path, repo_dir: Path, tmp_path: Path
) -> None:
    original = (shared_dir / "seeds/server-architecture.md").read_bytes()
    vault = _vault_with(tmp_path, {SEED: original})
    fixes, skipped = plan_fixes(vault, TODAY)
    assert skipped == [] and [(f.path, f.codes) for f in fixes] == [(SEED, ("flattened-note",))]
    applied = apply_fixes(vault, fixes, dt.datetime(2026, 11, 23, 9, 30))
    assert applied.written == (SEED,) and applied.failed == ()
    assert applied.backup == tmp_path / ".kgwiki/backup/20261123T093000"
    assert (applied.backup / SEED).read_bytes() == original

    repaired = vault.notes[SEED]  # refreshed by apply_fixes
    hand = Vault.load(ROOTS / "repair", use_cache=False).notes[SEED]
    assert not repaired.flattened
    assert not [d for d in repaired.diagnostics if d.code.startswith(("flattened", "frontmatter"))]
    assert dict(repaired.meta.raw) == dict(hand.meta.raw)
    assert repaired.meta.raw["tech_stack"] == {"language": "polyglot", "framework": "cloud-native"}
    ours, theirs = _structure(parse(repaired.body)), _structure(parse(hand.body))
    assert ours["headings"] == theirs["headings"] and len(ours["headings"]) == 20
    assert ours["fences"] == theirs["fences"] == ["yaml", "typescript", "typescript", "sql", "go",
                                                  "", "yaml"]  # fmt: skip
    assert ours["rows"] == theirs["rows"] and len(ours["rows"]) == 10
    assert ours["rows"][0] == ["상황", "Approach"]
    assert ours["rows"][-1] == ["2026-05-10", "Manual cleanup — server architecture archetypes & "
                                "patterns (2026 cloud-native)"]  # fmt: skip
    assert sorted(str(link.target.file) for link in repaired.links) == sorted(
        str(link.target.file) for link in hand.links
    )
    assert [(e.date_text, e.text) for e in repaired.changelog] == [
        (e.date_text, e.text) for e in hand.changelog
    ]
    # A second run has nothing left to do.
    assert plan_fixes(vault, TODAY) == ([], [])


def test_crlf_bom_and_the_lines_after_the_first_are_kept() -> None:
    flat = ("\ufeff--- title: Partly tags: [a] --- # Partly ## One - x - y\r\n"
            "## Two\r\n\r\n  indented line kept\r\n").removeprefix("\ufeff")  # fmt: skip
    assert unflatten_text(flat) == (
        "---\r\ntitle: Partly\r\ntags: [a]\r\n---\r\n# Partly\r\n\r\n## One\r\n\r\n- x\r\n- y\r\n"
        "## Two\r\n\r\n  indented line kept\r\n")  # fmt: skip
    assert unflatten_text("---\ntitle: Not flat\n---\n# Body\n") is None


def test_a_flattened_note_with_a_bom_keeps_it_on_disk(tmp_path: Path) -> None:
    data = "\ufeff--- title: Bommed --- # Bommed ## Part - one".encode()
    vault = _vault_with(tmp_path, {"bom.md": data})
    applied = apply_fixes(vault, plan_fixes(vault, TODAY)[0])
    assert applied.written == ("bom.md",)
    assert (tmp_path / "bom.md").read_bytes() == (
        "\ufeff---\ntitle: Bommed\n---\n# Bommed\n\n## Part\n\n- one\n".encode()
    )


def test_block_lists_joined_onto_their_key_become_lists_again(tmp_path: Path) -> None:
    assert recover_frontmatter('title: X tags: - sre - cloud raw_sources: - "Book - 2nd ed" '
                               "- https://x.y/a-b meta: inner: - a - b") == (
        'title: X\ntags:\n  - sre\n  - cloud\nraw_sources:\n  - "Book - 2nd ed"\n'
        "  - https://x.y/a-b\nmeta:\n  inner:\n    - a\n    - b\n")  # fmt: skip
    data = b"--- title: Listed tags: - sre - cloud --- # Listed ## Part - one [[Listed]]"
    vault = _vault_with(tmp_path, {"listed.md": data})
    shown = vault.notes[NotePath("listed.md")]  # parse time recovers the list as --fix will
    assert {d.code for d in shown.diagnostics} == {"flattened-note"}
    assert shown.meta.tags == ("sre", "cloud")
    apply_fixes(vault, plan_fixes(vault, TODAY)[0])
    note = vault.notes[NotePath("listed.md")]
    assert note.meta.raw == {"title": "Listed", "tags": ["sre", "cloud"]}
    assert not note.flattened and not note.diagnostics


def test_an_unsafe_repair_is_skipped_and_reported(tmp_path: Path) -> None:
    data = b"--- title: [oops tags: x --- # Broken ## Part - one"
    vault = _vault_with(tmp_path, {"broken.md": data})
    fixes, skipped = plan_fixes(vault, TODAY)
    assert fixes == []
    assert [(d.path, d.code) for d in skipped] == [("broken.md", "fix-skipped")]
    assert "frontmatter does not load" in skipped[0].message
    assert (tmp_path / "broken.md").read_bytes() == data


def test_a_file_changed_since_it_was_read_is_not_fixed(tmp_path: Path) -> None:
    vault = _vault_with(tmp_path, {"flat.md": b"--- title: Flat --- # Flat ## A - b"})
    (tmp_path / "flat.md").write_bytes(b"--- title: Flat --- # Flat ## A - b - c")
    fixes, skipped = plan_fixes(vault, TODAY)
    assert fixes == [] and "changed since the vault was read" in skipped[0].message


def test_loose_frontmatter_is_normalised_line_by_line(tmp_path: Path) -> None:
    ids = b"---\nid: wiki-2026-0101-other\n---\n# Other\n"
    loose = ("---\r\n# kept comment\r\ntitle: Loose Note\r\naliases: \"Loose\"  # one alias\r\n"
             "tags: a, b #c\r\nsource_trust_level: b\r\nzz_unknown: {x: 1}\r\n---\r\n"
             "# Loose Note\r\n\r\n## Changelog\r\n| 날짜 | 변경 |\r\n|---|---|\r\n"
             "| 2025-02-03 | made |\r\n")  # fmt: skip
    vault = _vault_with(tmp_path, {"other.md": ids, "notes/Loose Note.md": loose.encode()})
    codes = {d.code for d in vault.diagnostics()}
    assert "flattened-note" not in codes
    fixes, skipped = plan_fixes(vault, TODAY)
    assert skipped == []
    (fix,) = fixes
    assert fix.codes == ("aliases-not-list", "tags-not-list", "trust-level-case", "missing-id")
    assert fix.after.decode() == (
        "---\r\n# kept comment\r\ntitle: Loose Note\r\naliases: [Loose]  # one alias\r\n"
        "tags: [a, b] #c\r\nsource_trust_level: B\r\nzz_unknown: {x: 1}\r\n"
        "id: wiki-2025-0203-loose-note\r\n---\r\n"
        "# Loose Note\r\n\r\n## Changelog\r\n| 날짜 | 변경 |\r\n|---|---|\r\n"
        "| 2025-02-03 | made |\r\n")  # fmt: skip
    assert "\n-source_trust_level: b\n" in fix.diff() and "\n+source_trust_level: B\n" in fix.diff()
    assert fix.diff().startswith("--- a/notes/Loose Note.md\n+++ b/notes/Loose Note.md\n")
    apply_fixes(vault, fixes)
    note = vault.notes[NotePath("notes/Loose Note.md")]
    assert note.meta.aliases == ("Loose",) and note.meta.tags == ("a", "b")
    assert note.meta.raw["tags"] == ["a", "b"]  # " #c" was and is a YAML comment
    assert plan_fixes(vault, TODAY) == ([], [])


def test_ids_handed_out_in_one_run_are_unique(tmp_path: Path) -> None:
    vault = _vault_with(tmp_path, {
        "has-id.md": b"---\nid: x-1\n---\n",
        "a/twin.md": b"---\ndate: 2026-01-01\n---\n",
        "b/twin.md": b"---\ndate: 2026-01-01\n---\n",
        "no-frontmatter.md": b"# Left alone\n",
    })  # fmt: skip
    fixes, _ = plan_fixes(vault, TODAY)
    assert [f.path for f in fixes] == ["a/twin.md", "b/twin.md"]
    assert [f.after for f in fixes] == [
        b"---\ndate: 2026-01-01\nid: wiki-2026-0101-twin\n---\n",
        b"---\ndate: 2026-01-01\nid: wiki-2026-0101-twin-2\n---\n",
    ]


def test_without_ids_in_the_vault_none_are_added(tmp_path: Path) -> None:
    vault = _vault_with(tmp_path, {"a.md": b"---\ntitle: A\n---\n", "b.md": b"---\ntags: x\n---\n"})
    fixes, _ = plan_fixes(vault, TODAY)
    assert [(f.path, f.codes) for f in fixes] == [("b.md", ("tags-not-list",))]


def test_a_write_that_fails_leaves_the_note_and_reports_it(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = (shared_dir / "seeds/server-architecture.md").read_bytes()
    vault = _vault_with(tmp_path, {SEED: original})
    fixes, _ = plan_fixes(vault, TODAY)
    real_replace = os.replace

    def replace(src: str, dst: str) -> None:
        if Path(dst) == tmp_path / SEED:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr("os.replace", replace)
    applied = apply_fixes(vault, fixes)
    monkeypatch.undo()
    assert applied.written == ()
    assert [(d.code, d.severity) for d in applied.failed] == [("fix-failed", "error")]
    assert (tmp_path / SEED).read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [".kgwiki", SEED]
    assert vault.notes[SEED].flattened
