"""Progress bars for long operations: on a terminal only, silent with --quiet or when piped."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def wants_progress(quiet: bool = False) -> bool:
    return not quiet and sys.stderr.isatty()


def progress(items: Iterable[T], total: int | None, desc: str, enabled: bool) -> Iterator[T]:
    """Wrap an iterable in a bar when enabled (and when it is worth showing)."""
    if not enabled or (total is not None and total < 50):
        yield from items
        return
    from tqdm import tqdm  # only when a bar is drawn: `kgwiki search` never pays for it

    yield from tqdm(
        items,
        total=total,
        desc=desc,
        unit="note",
        file=sys.stderr,
        leave=False,
        dynamic_ncols=True,
        mininterval=0.2,
    )
