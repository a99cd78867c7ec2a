"""``kgwiki index [VAULT] [--rebuild]`` and ``kgwiki search QUERY``: the full-text index.

``search`` answers from the index alone when no note or folder changed since the index was
last brought up to date (file times, compared without reading a note); otherwise it says so,
loads the vault and updates the index first (a comparison of content hashes), so a note
written by another tool is found at once. See docs/search.md for the query language.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kgwiki.cli import common

if TYPE_CHECKING:
    from kgwiki.search import Hit, IndexUpdate, SearchIndex, SearchResults
    from kgwiki.vault import Vault

_MARK = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)
_BOLD, _PLAIN = "\x1b[1m", "\x1b[0m"


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    index = sub.add_parser("index", parents=[shared], help="build or update the search index")
    common.add_vault_positional(index)
    index.add_argument("--rebuild", action="store_true", help="re-index every note")
    _index_dir_option(index)
    index.set_defaults(handler=run_index)

    search = sub.add_parser("search", parents=[shared], help="full-text search (Korean-aware)",
                            description='Words, "phrases", OR, NOT, prefix*, and filters '
                            "tag: trust:A trust:>=B status: category: path: "
                            "(see docs/search.md).")  # fmt: skip
    search.add_argument("query", nargs="+", help="the query (quote it in the shell)")
    search.add_argument("--limit", type=int, default=10, metavar="N", help="hits to show (10)")
    search.add_argument("--no-trust", action="store_true", help="rank by text alone")
    search.add_argument("--no-update", action="store_true",
                        help="skip the check for changed notes")  # fmt: skip
    _index_dir_option(search)
    search.set_defaults(handler=run_search)


def _index_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index-dir", metavar="DIR",
                        help="where the index lives (default: <vault>/.kgwiki/index)")  # fmt: skip


def _open(vault: Vault, args: argparse.Namespace, trust: bool = True) -> SearchIndex:
    from kgwiki.search import IndexLockedError, IndexUnavailableError, SearchIndex

    index_dir = Path(args.index_dir) if args.index_dir else None
    try:
        return SearchIndex.open(vault, index_dir, trust_weight=None if trust else 0.0)
    except (IndexLockedError, IndexUnavailableError) as err:
        raise common.CommandError(str(err)) from err


def _update(
    index: SearchIndex, vault: Vault, args: argparse.Namespace, rebuild: bool
) -> IndexUpdate:
    from kgwiki.search import IndexLockedError
    from kgwiki.util import wants_progress

    try:
        return index.update(vault, show_progress=wants_progress(args.quiet), rebuild=rebuild)
    except IndexLockedError as err:
        raise common.CommandError(str(err)) from err


def run_index(args: argparse.Namespace) -> int:
    vault = common.load_vault(args)
    started = time.perf_counter()
    with _open(vault, args) as index:
        done = _update(index, vault, args, args.rebuild)
        _mark_checked(index.folder)
        seconds = time.perf_counter() - started
        if args.json:
            common.print_json({"index": str(index.folder), "notes": len(index),
                               "seconds": round(seconds, 3), **done.to_json()})  # fmt: skip
            return 0
        print(f"{'rebuilt' if args.rebuild else 'updated'} {index.folder}: "
              f"{_summary(done)}; {len(index)} notes indexed in {seconds:.1f} s")  # fmt: skip
    return 0


def _summary(done: IndexUpdate) -> str:
    if not done:
        return "nothing changed"
    return f"{len(done.added)} added, {len(done.changed)} changed, {len(done.removed)} removed"


CHECKED = ".kgwiki-checked"  # in the index folder: touched when the index was last made current


def run_search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    results = _search_index_alone(args, query)
    if results is None:
        vault = common.load_vault(args)
        with _open(vault, args, trust=not args.no_trust) as index:
            if not args.no_update:
                _update(index, vault, args, rebuild=False)
                _mark_checked(index.folder)
            results = index.search(query, limit=max(1, args.limit))
    if results.error is not None:
        raise common.CommandError(f"cannot read the query: {results.error}", status=2)
    if args.json:
        common.print_json(results.to_json())
        return 0
    _print(results, bold=sys.stdout.isatty())
    return 0 if results.hits else 1


def _search_index_alone(args: argparse.Namespace, query: str) -> SearchResults | None:
    """The results from the index without loading the vault, or None when the index is
    missing or older than a note (then the caller loads the vault and updates it)."""
    from kgwiki.config import ConfigError, config_for_vault
    from kgwiki.search import IndexUnavailableError, SearchIndex

    root = common.vault_dir(args)
    try:
        config = config_for_vault(root)
    except ConfigError as err:
        raise common.CommandError(str(err)) from err
    folder = Path(args.index_dir) if args.index_dir else root / config.cache_dir / "index"
    if not args.no_update:
        checked = _newest_time(folder, files_only=True)
        if checked is None or _newest_note_time(root, config.ignore) > checked:
            if checked is not None and not args.quiet:
                print("notes changed since the index was updated: updating it first",
                      file=sys.stderr)  # fmt: skip
            return None
    try:
        index = SearchIndex.open_dir(folder, config, trust_weight=0.0 if args.no_trust else None)
    except IndexUnavailableError:
        return None
    with index:
        return index.search(query, limit=max(1, args.limit))


def _newest_time(folder: Path, files_only: bool = False) -> int | None:
    """The newest modification time (ns) among a folder's entries; None if it has none."""
    try:
        times = [e.stat().st_mtime_ns for e in os.scandir(folder)
                 if not files_only or e.is_file()]  # fmt: skip
    except OSError:
        return None
    return max(times, default=None)


def _newest_note_time(root: Path, ignore: tuple[str, ...]) -> int:
    """The newest time any note or folder of the vault changed (a deleted or renamed note
    changes its folder's time), by walking the tree without reading a file (``scandir``:
    the entries' types come with the listing, so only notes and folders are looked at)."""
    ignored = set(ignore)
    try:
        newest = os.stat(root).st_mtime_ns
    except OSError:
        return 0
    folders = [os.fspath(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    name = entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if name.startswith(".") or name in ignored:
                            continue
                        folders.append(entry.path)
                    elif not name.lower().endswith((".md", ".markdown")):
                        continue
                    newest = max(newest, entry.stat().st_mtime_ns)
        except OSError:
            continue
    return newest


def _mark_checked(folder: Path) -> None:
    """Record that the index is current with the notes as they are now."""
    with contextlib.suppress(OSError):  # a read-only index: the next search checks again
        (folder / CHECKED).touch()


def _print(results: SearchResults, bold: bool) -> None:
    if results.corrected:
        print(f"No results for {results.query!r}; showing {results.suggestion!r}.")
    elif results.suggestion:
        print(f"Did you mean: {results.suggestion}")
    if results.any_word:
        print("No note has every word; showing notes with any of them.")
    for rank, hit in enumerate(results.hits, 1):
        print(f"{rank:>2}. {hit.title}  ({hit.path})  {_badge(hit)}  score {hit.score:.2f}")
        print(f"    {_terminal(hit.snippet_html, bold)}")
    shown = len(results.hits)
    print(f"{shown} of {results.total} matching notes" if shown else "no matching notes")


def _badge(hit: Hit) -> str:
    if hit.trust_level is None and hit.confidence is None:
        return "trust ?"
    parts = [f"trust {hit.trust_level or '?'}"]
    if hit.confidence is not None:
        parts.append(f"{hit.confidence:.2f}")
    if hit.verification:
        parts.append(hit.verification)
    return " ".join(parts)


def _terminal(snippet_html: str, bold: bool) -> str:
    """``<mark>`` as bold on a terminal, as [brackets] in a pipe; entities decoded."""
    marked = _MARK.sub(
        (lambda m: f"{_BOLD}{m.group(1)}{_PLAIN}") if bold else (lambda m: f"[{m.group(1)}]"),
        snippet_html,
    )
    return html.unescape(marked)
