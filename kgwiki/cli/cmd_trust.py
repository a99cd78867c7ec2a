"""``kgwiki trust``, ``kgwiki changelog`` and ``kgwiki dupes``: the derived views, as tables."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TYPE_CHECKING

from kgwiki.cli import common
from kgwiki.util import counted

if TYPE_CHECKING:
    from kgwiki.duplicates import DuplicatePair
    from kgwiki.trust import NoteTrust


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    trust = sub.add_parser("trust", parents=[shared], help="notes with their trust level, "
                           "confidence, verification, age and score")  # fmt: skip
    common.add_vault_positional(trust)
    trust.add_argument("--below", metavar="LEVEL", help="only notes below this level (e.g. B)")
    trust.add_argument("--stale", metavar="AGE", help="only notes not reinforced for AGE "
                       "(90d, 12w, 6m, 1y)")  # fmt: skip
    trust.set_defaults(handler=run_trust)

    log = sub.add_parser("changelog", parents=[shared], help="recent changes from the notes' "
                         "changelog tables, newest first")  # fmt: skip
    common.add_vault_positional(log)
    log.add_argument("--since", metavar="DATE", help="only changes on or after YYYY-MM-DD")
    log.add_argument("--note", metavar="NOTE", help="one note's history (with its git log)")
    log.add_argument("--limit", type=int, default=50, metavar="N", help="at most N (default 50)")
    log.set_defaults(handler=run_changelog)

    dupes = sub.add_parser("dupes", parents=[shared], help="declared and near-duplicate notes, "
                           "with which one to keep and why")  # fmt: skip
    common.add_vault_positional(dupes)
    dupes.add_argument("--threshold", type=float, metavar="T", help="least Jaccard similarity "
                       "of near-duplicates (default: [duplicates] threshold)")  # fmt: skip
    dupes.set_defaults(handler=run_dupes)


def run(args: argparse.Namespace) -> int:
    """Dispatch on the subcommand (the handlers are set per subparser)."""
    handlers = {"trust": run_trust, "changelog": run_changelog, "dupes": run_dupes}
    return handlers[args.command](args)


def run_trust(args: argparse.Namespace) -> int:
    from kgwiki import trust

    vault = common.load_vault(args)
    try:
        stale = None if args.stale is None else trust.parse_days(args.stale)
        rows = trust.select(vault, below=args.below, stale_after=stale)
    except (ValueError, trust.TrustLevelError) as err:
        raise common.CommandError(str(err), 2) from err
    if args.json:
        common.print_json([row.to_json() for row in rows])
        return 0
    _print_trust(rows)
    return 0


def _print_trust(rows: list[NoteTrust]) -> None:
    table: list[tuple[str, ...]] = [
        ("level", "conf", "verification", "age", "score", "flags", "note")
    ]
    for row in rows:
        t = row.trust
        table.append((t.level or "-", "-" if t.confidence is None else f"{t.confidence:.2f}",
                      t.verification or "-", "-" if t.age_days is None else f"{t.age_days}d",
                      f"{t.score:.2f}", ",".join(t.flags) or "-",
                      f"{row.title} ({row.path})"))  # fmt: skip
    _print_table(table)
    print(counted(len(rows), "note"))


def run_changelog(args: argparse.Namespace) -> int:
    from kgwiki import changelog

    vault = common.load_vault(args)
    since = _date(args.since) if args.since else None
    if args.note:
        path = common.note_path(vault, args.note)
        history = changelog.note_history(vault, path)
        changes = [c for c in history.changes if since is None or c.date >= since][: args.limit]
    else:
        changes = changelog.recent_changes(vault, args.limit, since)
    if args.json:
        common.print_json([change.to_json() for change in changes])
        return 0
    for change in changes:
        where = f"{change.path}:{change.line}" if change.line else f"{change.path} (git)"
        print(f"{change.date}  {change.title} — {change.text}  [{where}]")
    print(counted(len(changes), "change"))
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as err:
        raise common.CommandError(f"--since {text!r} is not a YYYY-MM-DD date", 2) from err


def run_dupes(args: argparse.Namespace) -> int:
    from kgwiki.duplicates import MIN_THRESHOLD, DuplicateDetector, find_duplicates
    from kgwiki.util import wants_progress

    vault = common.load_vault(args)
    if args.threshold is not None and not MIN_THRESHOLD <= args.threshold <= 1.0:
        raise common.CommandError(f"--threshold must be between {MIN_THRESHOLD} and 1", 2)
    try:
        detector = DuplicateDetector(vault, threshold=args.threshold,
                                     show_progress=wants_progress(args.quiet))  # fmt: skip
    except ValueError as err:  # a threshold from kgwiki.toml outside the range
        raise common.CommandError(str(err), 2) from err
    pairs = find_duplicates(vault, args.threshold, detector=detector)
    if args.json:
        common.print_json([pair.to_json() for pair in pairs])
        return 0
    _print_dupes(pairs, detector.threshold)
    return 0


def _print_dupes(pairs: list[DuplicatePair], threshold: float) -> None:
    for pair in pairs:
        print(f"{pair.similarity:.2f}  {pair.kind:<8}  keep {pair.keep}")
        print(f"{'':16}drop {pair.drop}")
        print(f"{'':16}why: {pair.reason}; found by {pair.evidence}")
    kinds = {kind: sum(pair.kind == kind for pair in pairs) for kind in ("declared", "content",
                                                                        "name")}  # fmt: skip
    print(f"{counted(len(pairs), 'pair')}: {kinds['declared']} declared, {kinds['content']} "
          f"near-duplicate text (similarity ≥ {threshold:.2f}), "
          f"{counted(kinds['name'], 'colliding name')}")


def _print_table(rows: list[tuple[str, ...]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]))
