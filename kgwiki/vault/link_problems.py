"""Link diagnostics: links that resolve to nothing, to several notes, or to a missing anchor.

These are per link, for a note's own report (a page, ``build --strict``); an ambiguous name
lists its notes up to ``LISTED`` (a name shared by thousands of template-made notes would
otherwise write them all into every link's message). ``kgwiki lint`` groups ambiguous links
into one diagnostic per name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice

from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.note import LinkKind, Note
from kgwiki.slug import slugify
from kgwiki.types import NotePath
from kgwiki.vault.resolver import ResolvedLink

LISTED = 5  # candidates named in an ambiguous-link message before "and N more"


def link_problems(
    path: NotePath, links: Iterable[ResolvedLink], notes: Mapping[NotePath, Note]
) -> Iterator[Diagnostic]:
    """Every problem with the links of the note at ``path`` (already resolved)."""
    for item in links:
        link, res = item.link, item.resolution
        written = link.target.file or ""
        if res.path is None:
            yield Diagnostic(
                path,
                link.line,
                "unresolved-link",
                f"[[{written}]] matches no note or file",
                Severity.INFO,
            )
            continue
        if res.ambiguous:
            rest = len(res.candidates) - (res.path in res.candidates)
            others = ", ".join(islice((p for p in res.candidates if p != res.path), LISTED))
            if rest > LISTED:
                others += f" and {rest - LISTED} more"
            yield Diagnostic(
                path,
                link.line,
                "ambiguous-link",
                f"[[{written}]] could mean {len(res.candidates)} notes; "
                f"using {res.path} (also: {others})",
            )
        if not res.exact_case:
            yield Diagnostic(
                path,
                link.line,
                "case-mismatch",
                f"[[{written}]] differs in case from {res.path}",
                Severity.INFO,
            )
        target = notes.get(res.path)
        if target is None or link.kind is LinkKind.FRONTMATTER:
            continue
        if link.target.headings:
            wanted = slugify(link.target.headings[-1])
            if not any(h.slug == wanted or slugify(h.text) == wanted for h in target.headings):
                yield Diagnostic(
                    path,
                    link.line,
                    "missing-heading",
                    f"{target.path} has no heading {link.target.headings[-1]!r}",
                )
        if link.target.block is not None and link.target.block not in target.block_ids:
            yield Diagnostic(
                path,
                link.line,
                "missing-block",
                f"{target.path} has no block ^{link.target.block}",
            )
