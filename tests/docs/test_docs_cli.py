"""Every command line in README.md and docs/ is one the CLI takes, the examples run, and the
ones that show their output or the note they write print and write exactly that."""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dates import BUNDLED_VAULT_DAY
from doc_blocks import Block, blocks, commands, options, without_optional
from paths import REPO

from kgwiki import clock
from kgwiki.cli.main import build_parser, main

ALL = blocks()
SHELL = [b for b in ALL if b.lang in ("", "sh", "bash", "console")]
LINES = [(b, words) for b in SHELL for words in commands(b)]
# Long-running or needing files outside the vault: parsed, not run.
NOT_RUN = {"serve", "mcp", "add"}
PLACEHOLDER = re.compile(r"[A-Z][A-Z_]+…?|[A-Z]…")  # VAULT, QUERY…; not a value like B
AUTHORING_DAY = dt.date(2026, 11, 23)  # the day the documented new notes were written


def _id(item: tuple[Block, list[str]]) -> str:
    return f"{item[0].where}:{' '.join(item[1][1:3])}"


def _parser_for(words: list[str]) -> tuple[argparse.ArgumentParser, int]:
    """The (sub)parser a command line reaches, and how many words named it."""
    parser, used = build_parser(), 1
    while used < len(words):
        sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
        if sub is None or words[used] not in sub.choices:
            break
        parser, used = sub.choices[words[used]], used + 1
    return parser, used


def runnable(words: list[str]) -> list[str]:
    """A synopsis made runnable: optional parts dropped, placeholders given plain values."""
    return ["x" if PLACEHOLDER.fullmatch(w) else w for w in without_optional(words)][1:]


def test_the_docs_have_command_lines() -> None:
    assert len(LINES) >= 15, [b.where for b, _ in LINES]


@pytest.mark.parametrize("item", LINES, ids=[_id(i) for i in LINES])
def test_every_documented_option_exists(item: tuple[Block, list[str]]) -> None:
    block, words = item
    parser, used = _parser_for(words)
    assert used >= 2, f"{block.where}: {words[1]!r} is no kgwiki command"
    unknown = [o for o in options(words[used:]) if o not in parser._option_string_actions]
    assert not unknown, f"{block.where}: {' '.join(words)} names unknown options {unknown}"


@pytest.mark.parametrize("item", LINES, ids=[_id(i) for i in LINES])
def test_every_documented_line_parses(item: tuple[Block, list[str]],
                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    block, words = item
    try:
        build_parser().parse_args(runnable(words))
    except SystemExit as exit_:
        pytest.fail(f"{block.where}: {' '.join(words)} → {capsys.readouterr().err} ({exit_})")


@pytest.fixture()
def vault_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled vault as ./vault (how the docs' examples find it)."""
    shutil.copytree(REPO / "vault", tmp_path / "vault", ignore=shutil.ignore_patterns(".kgwiki"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KGWIKI_VAULT", raising=False)
    return tmp_path / "vault"


RUN = [(b, w) for b, w in LINES if w[1] not in NOT_RUN and not b.text.lstrip().startswith("$")]


@pytest.mark.parametrize("item", RUN, ids=[_id(i) for i in RUN])
def test_every_documented_line_runs(item: tuple[Block, list[str]], vault_here: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    block, words = item
    argv = runnable(words)
    if argv[0] in ("search",) and argv[-1] == "x":
        argv[-1] = "architecture"
    with clock.fixed(BUNDLED_VAULT_DAY):
        status = main(argv)
    err = capsys.readouterr().err
    assert status in (0, 1), f"{block.where}: kgwiki {' '.join(argv)} → {status}: {err}"


def _sessions(block: Block) -> list[tuple[list[str], list[str]]]:
    """``$ kgwiki …`` lines of a block with the output shown under each."""
    shown: list[tuple[list[str], list[str]]] = []
    for line in block.text.splitlines():
        if line.startswith("$ "):
            shown.append(((commands(Block("", 0, "", line)) or [[]])[0], []))
        elif shown:
            shown[-1][1].append(line.rstrip())
    return shown


SESSIONS = [(b, words, out) for b in SHELL for words, out in _sessions(b) if words]


@pytest.mark.parametrize("session", SESSIONS, ids=[f"{s[0].where}:{s[1][1:3]}" for s in SESSIONS])
def test_documented_output_is_what_kgwiki_prints(
    session: tuple[Block, list[str], list[str]], vault_here: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    block, words, documented = session
    with clock.fixed(BUNDLED_VAULT_DAY):
        assert main(words[1:]) == 0
    printed = [line.rstrip() for line in capsys.readouterr().out.splitlines()]
    # Lines cut short with … in the docs are compared up to the cut; the order must hold.
    at = 0
    for line in filter(str.strip, documented):
        head = line.split("…")[0].rstrip()
        while at < len(printed) and not printed[at].startswith(head):
            at += 1
        assert at < len(printed), f"{block.where}: {line!r} is not (in order) in:\n" + "\n".join(
            printed)
        at += 1


def _followed_by_markdown(file: str) -> list[tuple[list[str], Block]]:
    same = [b for b in ALL if b.file == file]
    return [(words, after) for before, after in itertools.pairwise(same)
            if after.lang == "markdown" for words in commands(before)
            if words[1] == "new"]  # fmt: skip


NEW_EXAMPLES = [pair for file in {b.file for b in ALL} for pair in _followed_by_markdown(file)]


@pytest.mark.parametrize("example", NEW_EXAMPLES, ids=[e[1].where for e in NEW_EXAMPLES])
def test_the_documented_new_note_is_the_file_written(
    example: tuple[list[str], Block], vault_here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    words, written = example
    with clock.fixed(AUTHORING_DAY):
        assert main(runnable(words)) == 0
    created = capsys.readouterr().out.strip().removeprefix("created ")
    assert (vault_here / created).read_text(encoding="utf-8") == written.text


def test_the_new_note_example_is_checked() -> None:
    assert [e[1].file for e in NEW_EXAMPLES] == ["docs/authoring.md"]


SCRIPT_LINES = [(b, line) for b in SHELL for line in b.text.replace("\\\n", " ").splitlines()
                if re.search(r"scripts/\w+\.py", line)]  # fmt: skip


@pytest.mark.parametrize("item", SCRIPT_LINES, ids=[b.where for b, _ in SCRIPT_LINES])
def test_documented_script_options_exist(item: tuple[Block, str]) -> None:
    block, line = item
    script = re.search(r"scripts/\w+\.py", line)
    assert script
    path = REPO / script[0]
    assert path.is_file(), f"{block.where}: {script[0]} does not exist"
    named = options(line[script.end():].split("#")[0].split())
    helped = subprocess.run([sys.executable, str(path), "--help"], capture_output=True,
                            text=True, cwd=REPO, timeout=120, check=True).stdout  # fmt: skip
    missing = [o for o in named if not re.search(rf"(?<![-\w]){re.escape(o)}\b", helped)]
    assert not missing, f"{block.where}: {script[0]} has no {missing}"
