"""Checks a vault's CI can gate on: broken links in the notes and in the written site.

Note problems come from the vault's diagnostics (resolution happens once, in the core);
site problems from the links each written page holds, recorded while it was rendered, so a
check never re-reads the output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kgwiki.diagnostics import Diagnostic
from kgwiki.web.site import Site

# Link problems in the Markdown that `kgwiki build --strict` fails on.
STRICT_CODES = frozenset(
    {"unresolved-link", "ambiguous-link", "case-mismatch", "missing-heading", "missing-block"}
)


def note_problems(site: Site) -> list[Diagnostic]:
    """Broken, ambiguous and case-mismatched links written in the notes."""
    return [d for d in site.diagnostics() if d.code in STRICT_CODES]


def broken_links(
    pages: Mapping[str, Iterable[str]], files: set[str], shared: Iterable[str] = ()
) -> list[str]:
    """``file:1: broken-link target`` for every link to a file the site does not have.

    ``shared`` are the links every page holds (layout, assets); they are checked once.
    """
    found: list[str] = []
    for target in sorted(set(shared) - files):
        found.append(f"(every page):1: broken-link {target} is linked by the layout but missing")
    for page in sorted(pages):
        for target in pages[page]:
            if target not in files:
                found.append(f"{page}:1: broken-link {target} does not exist in the site")
    return found
