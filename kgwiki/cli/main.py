"""``kgwiki <command>``: find the command modules, parse the arguments, run, exit."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from kgwiki import __version__
from kgwiki.cli import common

# The module that registers each command, so that ``kgwiki search …`` imports and sets up
# one command module rather than all nine (a sixth of a one-shot search's time); the full
# parser (top-level help, a mistyped command) still finds every ``cmd_*`` module.
# tests/cli/test_command_modules.py checks this against what the modules register.
COMMAND_MODULES = {
    "add": "cmd_author", "new": "cmd_author", "reinforce": "cmd_author", "build": "cmd_build",
    "graph": "cmd_graph", "info": "cmd_info", "lint": "cmd_lint", "mcp": "cmd_mcp",
    "index": "cmd_search", "search": "cmd_search", "serve": "cmd_serve",
    "changelog": "cmd_trust", "dupes": "cmd_trust", "trust": "cmd_trust",
}  # fmt: skip


def _command_modules(command: str | None = None) -> list[ModuleType]:
    """Every ``cmd_*`` module, or only the one that registers ``command`` when it is known."""
    if command in COMMAND_MODULES:
        return [importlib.import_module(f"kgwiki.cli.{COMMAND_MODULES[command]}")]
    import kgwiki.cli as package

    names = sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("cmd_")
    )
    return [importlib.import_module(f"kgwiki.cli.{name}") for name in names]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command``'s module alone (the one about to run)."""
    parser = argparse.ArgumentParser(
        prog="kgwiki",
        description="A knowledge-graph wiki for Markdown vaults: graph, search, trust, changelogs, "
        "duplicates, and a site to browse them (live or static).",
    )
    parser.add_argument("--version", action="version", version=f"kgwiki {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules(command):
        module.register(sub, common.shared_options())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(args_list[0] if args_list else None)
    args = parser.parse_args(args_list)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return int(handler(args) or 0)
    except common.CommandError as err:
        print(f"kgwiki {args.command}: {err}", file=sys.stderr)
        return err.status
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


def entry() -> NoReturn:
    """The ``kgwiki`` command: ``main``, then end the process at once.

    A command that loaded a vault would otherwise free it object by object, then the
    interpreter its modules (together about half a second after a build at 10,000 notes)
    before the prompt came back: the system takes the memory back whole. Output is flushed
    first. No exit handler is skipped that matters: kgwiki registers none, and a command
    ends the processes it started before it returns.
    """
    common.HELD = []
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed pipe (``| head``): nothing to flush
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
