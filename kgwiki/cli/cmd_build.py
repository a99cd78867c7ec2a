"""``kgwiki build [VAULT] [-o site/]``: write the site as static files (see docs/build.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kgwiki.cli import common
from kgwiki.util import counted


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "build", parents=[shared], help="write the site as static files",
        description="Write every page as files (works from disk and any sub-path); "
        "only pages whose inputs changed are rewritten.",
    )  # fmt: skip
    common.add_vault_positional(parser)
    parser.add_argument("-o", "--out", metavar="DIR", default="site",
                        help="output folder (default: ./site)")  # fmt: skip
    parser.add_argument("--base-url", metavar="URL", default=None,
                        help="public URL of the site, for the feed, sitemap and canonical links "
                        "(default: [site] base_url of kgwiki.toml when absolute)")  # fmt: skip
    parser.add_argument("--strict", action="store_true",
                        help="fail on broken, ambiguous or case-mismatched links in the notes")
    parser.add_argument("--clean", action="store_true", help="empty the output folder first")
    parser.add_argument("--no-near-duplicates", action="store_true",
                        help="skip near-duplicate detection (declared duplicates are still shown)")
    parser.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                        help="worker processes (default: one per core)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kgwiki.config import ConfigError, config_for_vault
    from kgwiki.util import wants_progress
    from kgwiki.vault import VaultPathError
    from kgwiki.web.build import BuildError, build

    root = common.vault_dir(args)
    try:
        config = config_for_vault(root)
        base_url = args.base_url if args.base_url is not None else _config_base(config.base_url)
        result = build(root, Path(args.out), base_url=base_url, clean=args.clean,
                       near_duplicates=not args.no_near_duplicates, config=config,
                       show_progress=wants_progress(args.quiet), jobs=args.jobs,
                       hold=common.HELD)  # fmt: skip
    except (BuildError, ConfigError, VaultPathError) as err:
        raise common.CommandError(str(err)) from err
    failed = result.failed(args.strict)
    if args.json:
        common.print_json({**result.to_json(), "strict": args.strict, "ok": not failed})
        return 1 if failed else 0
    shown = result.broken + (result.problems if args.strict else [])
    for line in shown:
        print(line, file=sys.stderr)
    if not args.quiet:
        state = "up to date" if result.unchanged else f"{result.written} files written"
        extra = f", {result.removed} removed" if result.removed else ""
        how = " (text edits patched in)" if result.mode == "local" else ""
        print(f"{result.out}: {result.pages} pages for {result.notes} notes, {state}{extra} "
              f"in {result.seconds:.1f} s{how}")  # fmt: skip
        if result.problems and not args.strict:
            _list_problems(result.problems)
        if result.withheld:
            print(f"Withheld from the site, as a browser could run script in "
                  f"{'it' if len(result.withheld) == 1 else 'them'} (an HTML or XML file, or an "
                  f"SVG kgwiki cannot read as plain XML; [build] copy_active_attachments = true "
                  f"in kgwiki.toml copies them): {', '.join(result.withheld)}")  # fmt: skip
    if failed:
        print(f"kgwiki build: {counted(len(result.broken), 'broken link')} in the site"
              + (f", {counted(len(result.problems), 'link problem')} in the notes"
                 if args.strict else ""), file=sys.stderr)  # fmt: skip
    return 1 if failed else 0


SHOWN_PROBLEMS = 10


def _list_problems(problems: list[str]) -> None:
    """The first link problems as lint prints them, then how many more and where to see all."""
    for line in problems[:SHOWN_PROBLEMS]:
        print(f"  {line}")
    more = len(problems) - SHOWN_PROBLEMS
    tail = f"… and {more} more; " if more > 0 else ""
    print(f"{counted(len(problems), 'link problem')} in the notes ({tail}`kgwiki lint` lists "
          "every problem; --strict fails the build on them)")


def _config_base(base: str) -> str:
    """kgwiki.toml's base_url counts for the build only when it is an absolute URL."""
    return base if base.startswith(("http://", "https://")) else ""
