"""Lint on a template-made vault: the report grows with the problems, not their square, and
``kgwiki lint --max`` / the summary by code."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from paths import REPO

from kgwiki.cli.main import main
from kgwiki.lint import lint_vault
from kgwiki.vault import Vault

TEMPLATED = 3000


def _gen_vault() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_vault", REPO / "scripts" / "gen_vault.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_vault"] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def templated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,100 notes, 3,000 of them from one template, all of those with the alias ``Person``
    and a link to it (the shape of obsidian-hub's People notes)."""
    gen = _gen_vault()
    root = tmp_path_factory.mktemp("templated") / "vault"
    gen.generate(3100, root, seed=3, template_share=TEMPLATED / 3100)
    manifest = json.loads((root / gen.MANIFEST).read_text(encoding="utf-8"))
    assert len(manifest["templated"]) == TEMPLATED
    return root


def test_lint_of_3000_template_notes_is_small(
    templated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["lint", str(templated), "--json", "-q"])
    out = capsys.readouterr().out
    assert len(out.encode()) < 1_000_000, f"{len(out.encode())} bytes of JSON"
    report = json.loads(out)
    codes = report["by_code"]
    assert codes["duplicate-name"] == 1 and codes["ambiguous-link"] == 1
    # Only the planted copies (about 1% of the notes, half declared) are suspected.
    assert codes.get("duplicate-suspected", 0) < 40
    ambiguous = next(d for d in report["diagnostics"] if d["code"] == "ambiguous-link")
    assert f"could mean {TEMPLATED} notes" in ambiguous["message"]
    assert f"written {TEMPLATED} times" in ambiguous["message"]


def test_vault_diagnostics_cap_the_candidates_of_each_link(templated: Path) -> None:
    vault = Vault.load(templated)
    per_link = [d for d in vault.diagnostics() if d.code == "ambiguous-link"]
    assert len(per_link) == TEMPLATED  # the per-note view keeps one per link …
    assert all(len(d.message) < 1000 and "more)" in d.message for d in per_link)
    grouped = [d for d in lint_vault(vault, near_duplicates=False) if d.code == "ambiguous-link"]
    assert len(grouped) == 1  # … lint says it once


def test_max_caps_what_is_printed_and_the_summary_counts_all(
    tmp_path: Path, bundled_vault_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = Path(shutil.copytree(bundled_vault_dir, tmp_path / "vault",
                                ignore=shutil.ignore_patterns(".kgwiki")))  # fmt: skip
    main(["lint", str(root), "-q"])
    full = capsys.readouterr().out.splitlines()
    total = int(full[-1].split()[0])
    assert total > 3 and full[-2].startswith("by code: ")
    main(["lint", str(root), "-q", "--max", "2"])
    capped = capsys.readouterr().out.splitlines()
    assert len([line for line in capped if ": " in line and line.count(":") >= 2]) == 2
    assert f"… and {total - 2} more (--max 2)" in capped
    assert capped[-2:] == full[-2:]
    main(["lint", str(root), "-q", "--json", "--max", "1"])
    report = json.loads(capsys.readouterr().out)
    assert len(report["diagnostics"]) == 1 and report["omitted"] == total - 1
    assert sum(report["by_code"].values()) == total
