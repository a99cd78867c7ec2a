"""Trust: the score, level filters, trust lint, the overview, and ``kgwiki trust``."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from kgwiki.cli.main import main
from kgwiki.config import TrustConfig, load_config
from kgwiki.diagnostics import Severity
from kgwiki.trust import (
    TrustLevelError,
    assess,
    assess_all,
    key_line,
    level_at_least,
    overview,
    parse_days,
    problems,
    select,
)
from kgwiki.types import NotePath
from kgwiki.vault import Vault

TODAY = dt.date(2026, 11, 23)


def _write(root: Path, name: str, frontmatter: str, body: str = "# Note\n\n본문.\n") -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{frontmatter}\n---\n{body}", encoding="utf-8")


def _frontmatter_date(path: Path, key: str) -> dt.date | None:
    """Read a date straight from the file (flattened or not), independently of the parser."""
    pattern = rf"\b{key}:\s*['\"]?(\d{{4}}-\d{{2}}-\d{{2}})"
    match = re.search(pattern, path.read_text(encoding="utf-8"))
    return dt.date.fromisoformat(match[1]) if match else None


@pytest.fixture(scope="module")
def bundled(bundled_vault_dir: Path) -> Vault:
    return Vault.load(bundled_vault_dir, use_cache=False)


# -- the score ---------------------------------------------------------------------------------


def test_score_is_the_documented_weighted_mean(tmp_path: Path) -> None:
    _write(tmp_path, "n.md", "source_trust_level: B\nconfidence_score: 0.5\n"
           "verification_status: verified\nraw_sources: [a]\n"
           "last_reinforced: 2026-11-01")  # fmt: skip
    note = Vault.load(tmp_path, use_cache=False).notes[NotePath("n.md")]
    config = TrustConfig(level_weight=2.0, confidence_weight=1.0, verification_weight=1.0)
    trust = assess(note, config, TODAY)
    assert trust.score == pytest.approx((2 * 0.8 + 1 * 0.5 + 1 * 1.0) / 4)
    assert trust.age_days == 22 and not trust.stale and trust.verified
    only_level = TrustConfig(level_weight=1.0, confidence_weight=0.0, verification_weight=0.0)
    assert assess(note, only_level, TODAY).score == pytest.approx(0.8)


def test_missing_and_odd_values(tmp_path: Path) -> None:
    _write(tmp_path, "bare.md", "title: Bare")
    _write(tmp_path, "odd.md", "source_trust_level: Z\nconfidence_score: 1.7\n"
           "verification_status: disputed\nlast_reinforced: 2027-02-01")  # fmt: skip
    _write(tmp_path, "levelonly.md", "source_trust_level: a")
    vault = Vault.load(tmp_path, use_cache=False)
    config = vault.config.trust
    bare = assess(vault.notes[NotePath("bare.md")], config, TODAY)
    assert not bare.rated and bare.label == "unrated" and "low-trust" not in bare.flags
    odd = assess(vault.notes[NotePath("odd.md")], config, TODAY)
    assert {"unknown-level", "confidence-range", "disputed", "future-reinforced"} <= set(odd.flags)
    # Unknown level counts as unknown_level_score; confidence is clamped to 1.
    assert odd.score == pytest.approx(0.5 * config.unknown_level_score + 0.3 * 1.0)
    # No confidence: it takes the level's value, so a bare "A" is A all through but unverified.
    only = assess(vault.notes[NotePath("levelonly.md")], config, TODAY)
    assert only.level == "A" and only.score == pytest.approx(0.8)


def test_level_filters_follow_the_configured_scale(tmp_path: Path) -> None:
    default = TrustConfig()
    assert level_at_least("A", "B", default) and level_at_least("b", "B", default)
    assert not level_at_least("C", "B", default)
    assert not level_at_least(None, "E", default) and not level_at_least("Q", "E", default)
    with pytest.raises(TrustLevelError):
        level_at_least("A", "Z", default)
    toml = tmp_path / "kgwiki.toml"
    toml.write_text("[trust]\nlevels = { gold = 1.0, silver = 0.7, tin = 0.2 }\n", encoding="utf-8")
    custom = load_config(toml)
    assert level_at_least("Silver", "silver", custom)
    assert not level_at_least("tin", "silver", custom)
    assert not level_at_least("A", "tin", custom)


def test_parse_days() -> None:
    assert [parse_days(t) for t in ("90d", "12w", "6m", "1y", "30")] == [90, 84, 180, 365, 30]
    with pytest.raises(ValueError):
        parse_days("soon")


# -- the bundled vault -------------------------------------------------------------------------


def test_bundled_vault_has_stale_and_low_trust_notes(bundled: Vault) -> None:
    view = overview(bundled, bundled.config, TODAY)
    assert sum(view.counts.values()) == view.total == len(bundled)
    assert view.stale and view.low
    stale_days = bundled.config.trust.stale_days
    for row in view.stale:
        written = _frontmatter_date(bundled.root / row.path, "last_reinforced")
        explicit = (bundled.notes[row.path].meta.status or "").casefold() == "stale"
        assert explicit or (written is not None and (TODAY - written).days > stale_days)
    duplicate = bundled.resolve("Microservice Architecture").path
    assert duplicate in {row.path for row in view.low}
    assert all(row.trust.score < 0.5 and row.trust.rated for row in view.low)
    canonical = bundled.resolve("Microservices").path
    assert canonical is not None and not assess(bundled.notes[canonical], bundled.config, TODAY).low


def test_trust_lint_on_the_bundled_vault(bundled: Vault) -> None:
    found = problems(bundled, today=TODAY)
    codes = {d.code for d in found}
    assert "trust-stale" in codes
    for item in found:
        assert item.path in bundled.notes and item.line >= 1
        if item.code == "trust-stale":
            assert item.severity is Severity.INFO
            note = bundled.notes[NotePath(item.path)]
            assert note.flattened or item.line == key_line(note, "last_reinforced") or \
                item.line == key_line(note, "status")  # fmt: skip


def test_weak_support_and_field_problems_point_at_lines(tmp_path: Path) -> None:
    _write(tmp_path, "shaky.md", "title: Shaky\nsource_trust_level: E\nconfidence_score: 0.2\n"
           "verification_status: unverified\nlast_reinforced: 2026-11-01")  # fmt: skip
    _write(tmp_path, "copy.md", "title: Copy\nsource_trust_level: E\nconfidence_score: 0.1\n"
           "duplicate_of: Solid")  # fmt: skip
    _write(tmp_path, "solid.md", "title: Solid\nsource_trust_level: A\nconfidence_score: 1.4\n"
           "verification_status: verified\nraw_sources: []\nlast_reinforced: 2026-01-02",
           "# Solid\n\nAs [[Shaky]] says, and [[Copy]] repeats.\n\n## Graph\n- 부모: [[Shaky]]\n"
           "- 관련: [[Shaky]]\n")  # fmt: skip
    vault = Vault.load(tmp_path, use_cache=False)
    found = {(d.code, d.line) for d in problems(vault, today=TODAY) if d.path == "solid.md"}
    lines = (tmp_path / "solid.md").read_text(encoding="utf-8").split("\n")

    def line_of(start: str) -> int:
        return next(i + 1 for i, line in enumerate(lines) if line.startswith(start))

    assert ("trust-weak-citation", line_of("As [[Shaky]]")) in found
    assert ("trust-weak-parent", line_of("- 부모")) in found
    assert not any(line == line_of("- 관련") for _, line in found)  # adjacent: not leaned on
    assert ("trust-confidence-range", line_of("confidence_score")) in found
    assert ("trust-no-sources", line_of("raw_sources")) in found
    assert ("trust-stale", line_of("last_reinforced")) in found
    # Copy is cited on the same line but declares itself Solid's duplicate: one warning only.
    assert sum(code == "trust-weak-citation" for code, _ in found) == 1
    assert all(d.path != "shaky.md" or d.code != "trust-weak-citation"
               for d in problems(vault, today=TODAY))  # fmt: skip


def test_select_below_and_stale(bundled: Vault) -> None:
    below = select(bundled, today=TODAY, below="B")
    assert below and all(not level_at_least(r.trust.level, "B", bundled.config) for r in below)
    assert all(r.trust.rated for r in below)
    stale = select(bundled, today=TODAY, stale_after=365)
    assert all(r.trust.age_days is None or r.trust.age_days > 365 for r in stale)
    assert [r.trust.score for r in below] == sorted(r.trust.score for r in below)


def test_trust_cli(bundled_vault_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trust", "--vault", str(bundled_vault_dir), "--below", "B", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(row["level"] not in ("A", "B") for row in rows)
    wanted = {"path", "level", "confidence", "verification", "age_days", "score", "flags"}
    assert wanted <= set(rows[0])
    assert main(["trust", "--vault", str(bundled_vault_dir), "--stale", "90d"]) == 0
    out = capsys.readouterr().out
    assert "stale" in out and out.strip().endswith("notes")
    assert main(["trust", "--vault", str(bundled_vault_dir), "--below", "Z"]) == 2
    assert "unknown trust level" in capsys.readouterr().err


def test_assessments_follow_edits_even_one_made_while_assessing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """assess_all is kept per vault version; an edit landing mid-assessment is not hidden."""
    import importlib

    trust_module = importlib.import_module("kgwiki.trust.assessment")

    _write(tmp_path, "a.md", "source_trust_level: A\nconfidence_score: 0.9")
    _write(tmp_path, "b.md", "source_trust_level: B")
    vault = Vault.load(tmp_path, use_cache=False)
    day = dt.date(2026, 11, 23)
    first = assess_all(vault, today=day)
    assert first["a.md"].level == "A"
    assert assess_all(vault, today=day) == first  # the kept answer, equal

    real_assess = trust_module._assess  # what assess_all runs for each distinct set of fields
    edited = []

    def assess_during_an_edit(*args: object, **kwargs: object) -> object:
        if not edited:  # a writer thread changes a.md while this assessment runs
            edited.append(True)
            _write(tmp_path, "a.md", "source_trust_level: E")
            vault.refresh_file("a.md")
        return real_assess(*args, **kwargs)  # type: ignore[arg-type]

    _write(tmp_path, "b.md", "source_trust_level: C")
    vault.refresh_file("b.md")  # a new version: the next call assesses again
    monkeypatch.setattr(trust_module, "_assess", assess_during_an_edit)
    during = assess_all(vault, today=day)  # sees a.md before or after the edit
    monkeypatch.setattr(trust_module, "_assess", real_assess)
    assert edited and during["b.md"].level == "C"
    assert assess_all(vault, today=day)["a.md"].level == "E"
