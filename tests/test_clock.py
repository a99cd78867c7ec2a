"""One clock: nothing in kgwiki reads the calendar except ``kgwiki.clock``, which tests can set."""

from __future__ import annotations

import ast
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from paths import REPO, TESTS

from kgwiki import clock

PACKAGE = REPO / "kgwiki"

# Calls that ask the system "what day (or time of day) is it".
CALENDAR_READS = {
    ("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
    ("time", "localtime"),
    ("time", "gmtime"), ("time", "ctime"), ("time", "strftime"),
}  # fmt: skip


def _calendar_reads(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in CALENDAR_READS:
                found.append((node.lineno, f"{name}.{node.func.attr}()"))
    return found


def test_the_checker_sees_a_calendar_read() -> None:
    assert _calendar_reads("import datetime as dt\nx = dt.date.today()\n") == [(2, "date.today()")]
    assert _calendar_reads("from datetime import datetime\nx = datetime.now()\n") == [
        (2, "datetime.now()")]
    assert _calendar_reads("import time\nx = time.perf_counter()\n") == []


def test_no_module_but_the_clock_reads_the_calendar() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "clock.py":
            continue
        offenders += [f"{path.relative_to(PACKAGE)}:{line}: {call}"
                      for line, call in _calendar_reads(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_no_test_reads_the_calendar() -> None:
    """A test that asks the system for the day breaks when the suite runs under KGWIKI_TODAY."""
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        if path == Path(__file__).resolve():
            continue
        offenders += [f"{path.relative_to(TESTS)}:{line}: {call}"
                      for line, call in _calendar_reads(path.read_text(encoding="utf-8"))]
    assert offenders == []


def pattern_free(line: str) -> str:
    """A line without the calls that measure durations, not the calendar."""
    return line.replace("Date.now", "").replace("performance.now", "")


def test_no_template_reads_the_calendar() -> None:
    """kgwiki's own templates and scripts (libraries shipped under static/vendor/ are not ours)."""
    pattern = re.compile(r"\b(now|today|utcnow)\s*\(")
    vendor = PACKAGE / "web" / "static" / "vendor"
    offenders = [f"{path.relative_to(PACKAGE)}:{number}"
                 for path in sorted(PACKAGE.rglob("*"))
                 if path.suffix in {".html", ".xml", ".md", ".js"}
                 and not path.is_relative_to(vendor)
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if pattern.search(pattern_free(line))]  # fmt: skip
    assert offenders == []


def test_environment_fixes_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2031-02-03")
    assert clock.today() == dt.date(2031, 2, 3)
    assert clock.now() == dt.datetime(2031, 2, 3, 12, 0)
    monkeypatch.setenv(clock.ENV, "2031-02-03T08:15")
    assert clock.now() == dt.datetime(2031, 2, 3, 8, 15)


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "next tuesday")
    with pytest.raises(clock.ClockError, match="KGWIKI_TODAY='next tuesday'"):
        clock.today()


def test_fixed_block_wins_over_the_environment_and_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2031-02-03")
    with clock.fixed(dt.date(2020, 1, 1)):
        assert clock.today() == dt.date(2020, 1, 1)
        with clock.fixed("2021-05-06T07:08"):
            assert clock.now() == dt.datetime(2021, 5, 6, 7, 8)
        assert clock.today() == dt.date(2020, 1, 1)
    assert clock.today() == dt.date(2031, 2, 3)


def test_the_cli_reads_the_fixed_day(bundled_vault_dir: Path) -> None:
    """The trust report of the bundled vault counts staleness from ``KGWIKI_TODAY``."""

    def stale_on(day: str) -> int:
        out = subprocess.run(
            [sys.executable, "-m", "kgwiki.cli.main", "trust", "--vault", str(bundled_vault_dir),
             "--json"], capture_output=True, text=True, check=True,
            env={"KGWIKI_TODAY": day, "PATH": "/usr/bin:/bin"})  # fmt: skip
        return out.stdout.count('"stale": true')

    # Most reinforcement dates in the bundled vault lie between these two days.
    early, late = stale_on("2026-01-01"), stale_on("2036-01-01")
    assert late > early + 10
