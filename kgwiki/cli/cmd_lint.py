"""``kgwiki lint [VAULT] [--fix] [--dry-run] [--max N]``: every problem as ``path:line: code
message``, then how many of each code.

``--fix`` repairs what is safe to repair (see docs/authoring.md), keeping a backup and printing
a unified diff; ``--dry-run`` prints the diff only. ``--max N`` prints the first N problems
(most severe first) and says how many more there are; the counts cover all of them. The exit
status is 1 when errors remain.
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import TYPE_CHECKING, Any

from kgwiki.cli import common
from kgwiki.util import counted

if TYPE_CHECKING:
    from kgwiki.diagnostics import Diagnostic
    from kgwiki.lint import Applied, Fix
    from kgwiki.vault import Vault

_ORDER = {"error": 0, "warning": 1, "info": 2}


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("lint", parents=[shared],
                            help="report problems (--fix repairs the safe ones); "
                                 "non-zero exit on errors")  # fmt: skip
    common.add_vault_positional(parser)
    parser.add_argument("--severity", choices=["error", "warning", "info"], default="info",
                        help="the least severe problems to show (default: all)")  # fmt: skip
    parser.add_argument(
        "--fix",
        action="store_true",
        help="repair flattened notes and loose frontmatter; back up, show diffs",
    )
    parser.add_argument("--dry-run", action="store_true",
                        help="show what --fix would change, change nothing")  # fmt: skip
    parser.add_argument("--max", type=_count, default=None, metavar="N",
                        help="show at most N problems, the most severe first (the counts "
                             "and the exit status still cover all)")  # fmt: skip
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kgwiki.diagnostics import Severity
    from kgwiki.lint import apply_fixes, count, lint_vault, plan_fixes

    vault = common.load_vault(args)
    fixes: list[Fix] = []
    skipped: list[Diagnostic] = []
    applied: Applied | None = None
    if args.fix or args.dry_run:
        fixes, skipped = plan_fixes(vault)
        if args.fix and not args.dry_run:
            applied = apply_fixes(vault, fixes)
    # after repairs the vault differs from the one the kept graph was caught up to
    graph = None if applied is not None and applied.written else common.load_graph(vault)
    found = [*skipped, *(applied.failed if applied else ()), *lint_vault(vault, graph=graph)]
    selected = [d for d in found if _ORDER[d.severity] <= _ORDER[args.severity]]
    shown = _capped(selected, args.max)
    errors = sum(d.severity is Severity.ERROR for d in found)
    by_code = Counter(d.code for d in selected)
    if args.json:
        mode = "dry-run" if args.dry_run else "fix" if args.fix else "report"
        data = _json(vault, mode, fixes, applied, shown, count(found))
        data["by_code"] = dict(sorted(by_code.items()))
        data["omitted"] = len(selected) - len(shown)
        common.print_json(data)
        return 1 if errors else 0
    for fix in fixes:
        print(fix.diff(), end="")
    if fixes or args.fix or args.dry_run:
        print(_fix_summary(fixes, applied))
    for diagnostic in shown:
        print(diagnostic.format())
    if len(shown) < len(selected):
        print(f"… and {len(selected) - len(shown)} more (--max {args.max})")
    if by_code:
        ranked = sorted(by_code.items(), key=lambda item: (-item[1], item[0]))
        print("by code: " + ", ".join(f"{code} {n}" for code, n in ranked))
    print(f"{counted(len(selected), 'problem')} ({counted(errors, 'error')}) "
          f"in {counted(len(vault), 'note')}")
    return 1 if errors else 0


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("--max must be 0 or more")
    return value


def _capped(found: list[Diagnostic], limit: int | None) -> list[Diagnostic]:
    """The first ``limit`` problems, the most severe first, in their order otherwise."""
    if limit is None or len(found) <= limit:
        return found
    worst = sorted(range(len(found)), key=lambda i: (_ORDER[found[i].severity], i))[:limit]
    return [found[i] for i in sorted(worst)]


def _fix_summary(fixes: list[Fix], applied: Applied | None) -> str:
    if applied is None:
        return f"would fix {counted(len(fixes), 'file')} (dry run: nothing written)"
    if not applied.written:
        return "nothing to fix" if not fixes else "no file could be fixed"
    written = counted(len(applied.written), "file")
    return f"fixed {written}; the old versions are in {applied.backup}"


def _json(vault: Vault, mode: str, fixes: list[Fix], applied: Applied | None,
          shown: list[Diagnostic], totals: dict[str, int]) -> dict[str, Any]:  # fmt: skip
    return {
        "vault": str(vault.root), "notes": len(vault), "counts": totals, "mode": mode,
        "fixes": [fix.to_json() for fix in fixes],
        "written": list(applied.written) if applied else [],
        "backup": str(applied.backup) if applied and applied.backup else None,
        "diagnostics": [d.to_json() for d in shown],
    }  # fmt: skip
