"""``kgwiki lint [VAULT]``: every problem as ``path:line: code message``."""

from __future__ import annotations

import argparse

from kgwiki.cli import common


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser) -> None:
    parser = sub.add_parser("lint", parents=[shared], help="report problems; non-zero exit on errors")
    common.add_vault_positional(parser)
    parser.add_argument("--severity", choices=["error", "warning", "info"], default="info",
                        help="the least severe problems to show (default: all)")  # fmt: skip
    parser.set_defaults(handler=run)


_ORDER = {"error": 0, "warning": 1, "info": 2}


def run(args: argparse.Namespace) -> int:
    from kgwiki.diagnostics import Severity
    from kgwiki.lint import lint_vault

    vault = common.load_vault(args)
    found = [d for d in lint_vault(vault) if _ORDER[d.severity] <= _ORDER[args.severity]]
    if args.json:
        common.print_json([d.to_json() for d in found])
    else:
        for diagnostic in found:
            print(diagnostic.format())
        errors = sum(d.severity is Severity.ERROR for d in found)
        print(f"{len(found)} problems ({errors} errors) in {len(vault)} notes")
    return 1 if any(d.severity is Severity.ERROR for d in found) else 0
