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
from kgwiki.types import NotePath
from kgwiki.vault.anchors import HeadingAnchors
from kgwiki.vault.resolver import ResolvedLink

LISTED = 5  # candidates named in an ambiguous-link message before "and N more"


def link_problems(
    path: NotePath,
    links: Iterable[ResolvedLink],
    notes: Mapping[NotePath, Note],
    anchors: HeadingAnchors | None = None,
) -> Iterator[Diagnostic]:
    """Every problem with the links of the note at ``path`` (already resolved); ``anchors``
    can be shared by the calls for a whole vault, so each note's headings are read once."""
    if anchors is None:
        anchors = HeadingAnchors()
    for _, link, res in links:
        if res.path is None:
            yield Diagnostic(
                path,
                link.line,
                "unresolved-link",
                f"[[{link.target.file or ''}]] matches no note or file",
                Severity.INFO,
            )
            continue
        if len(res.candidates) > 1:  # res.ambiguous
            rest = len(res.candidates) - (res.path in res.candidates)
            others = ", ".join(islice((p for p in res.candidates if p != res.path), LISTED))
            if rest > LISTED:
                others += f" and {rest - LISTED} more"
            yield Diagnostic(
                path,
                link.line,
                "ambiguous-link",
                f"[[{link.target.file or ''}]] could mean {len(res.candidates)} notes; "
                f"using {res.path} (also: {others})",
            )
        if not res.exact_case:
            yield Diagnostic(
                path,
                link.line,
                "case-mismatch",
                f"[[{link.target.file or ''}]] differs in case from {res.path}",
                Severity.INFO,
            )
        headings, block = link.target.headings, link.target.block
        if not headings and block is None:
            continue  # most links: nothing past the note to check
        target = notes.get(res.path)
        if target is None or link.kind is LinkKind.FRONTMATTER:
            continue
        if headings and not anchors.has(target, headings[-1]):
            yield Diagnostic(
                path,
                link.line,
                "missing-heading",
                f"{target.path} has no heading {headings[-1]!r}",
            )
        if block is not None and block not in target.block_ids:
            yield Diagnostic(
                path,
                link.line,
                "missing-block",
                f"{target.path} has no block ^{block}",
            )
