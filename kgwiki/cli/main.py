"""``kgwiki <command>``: find the command modules, parse the arguments, run, exit."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from kgwiki import __version__
from kgwiki.cli import common


def _command_modules() -> list[ModuleType]:
    import kgwiki.cli as package

    names = sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("cmd_")
    )
    return [importlib.import_module(f"kgwiki.cli.{name}") for name in names]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kgwiki",
        description="A knowledge-graph wiki for Markdown vaults: graph, search, trust, changelogs, "
        "duplicates, and a site to browse them (live or static).",
    )
    parser.add_argument("--version", action="version", version=f"kgwiki {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        module.register(sub, common.shared_options())
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
