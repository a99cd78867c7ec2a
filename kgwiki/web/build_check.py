"""What ``kgwiki build --strict`` fails on in the notes (link problems a vault's CI gates on).

Resolution happens once, in the core; these are its diagnostics. Broken links in the
written site are found while each page is rendered (``build_pages.broken_targets``).
"""

from __future__ import annotations

from kgwiki.diagnostics import Diagnostic
from kgwiki.web.site import Site

# Link problems in the Markdown that `kgwiki build --strict` fails on.
STRICT_CODES = frozenset(
    {"unresolved-link", "ambiguous-link", "case-mismatch", "missing-heading", "missing-block"}
)


def note_problems(site: Site) -> list[Diagnostic]:
    """Broken, ambiguous and case-mismatched links written in the notes."""
    return [d for d in site.diagnostics() if d.code in STRICT_CODES]
