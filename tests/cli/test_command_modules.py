"""``kgwiki COMMAND`` sets up only the module of COMMAND: the map must name every command."""

from __future__ import annotations

import argparse
import subprocess
import sys

from kgwiki.cli import common
from kgwiki.cli.main import COMMAND_MODULES, _command_modules, build_parser


def _registered(module: object) -> list[str]:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    module.register(sub, common.shared_options())  # type: ignore[attr-defined]
    return sorted(sub.choices)


def test_the_map_names_each_command_with_the_module_that_registers_it() -> None:
    found = {command: module.__name__.rsplit(".", 1)[1]
             for module in _command_modules() for command in _registered(module)}  # fmt: skip
    assert found == COMMAND_MODULES


def test_a_known_command_parses_as_with_the_full_parser() -> None:
    argv = ["search", "partition", "--json", "--limit", "3"]
    assert vars(build_parser("search").parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_a_command_imports_no_other_command_module() -> None:
    code = ("import sys; from kgwiki.cli.main import build_parser; build_parser('search'); "
            "print(sorted(m for m in sys.modules if m.startswith('kgwiki.cli.cmd_')))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['kgwiki.cli.cmd_search']"


def test_help_and_a_mistyped_command_still_list_every_command() -> None:
    out = subprocess.run([sys.executable, "-m", "kgwiki.cli.main", "serach"],
                         capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 2
    for command in COMMAND_MODULES:
        assert command in out.stderr
