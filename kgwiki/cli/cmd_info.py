"""``kgwiki info [VAULT]``: what is in a vault, in numbers."""

from __future__ import annotations

import argparse

from kgwiki.cli import common


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "info", parents=[shared], help="count notes, links, unresolved links, diagnostics"
    )
    common.add_vault_positional(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kgwiki.vault import vault_stats

    vault = common.load_vault(args)
    stats = vault_stats(vault)
    if args.json:
        common.print_json({"vault": str(vault.root), **stats.to_json()})
        return 0
    rows = [
        ("vault", str(vault.root)),
        ("notes", f"{stats.notes} ({stats.bytes / 1e6:.1f} MB)"),
        ("attachments", str(stats.attachments)),
        ("links", str(stats.links)),
        ("resolved", str(stats.resolved)),
        ("unresolved", f"{stats.unresolved} (to {stats.wanted_targets} wanted notes)"),
        ("ambiguous", str(stats.ambiguous)),
        ("tags", str(stats.tags)),
        ("diagnostics", f"{stats.errors} errors, {stats.warnings} warnings, {stats.infos} notices"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    return 0
