"""Running one query: parse, correct, search (AND, then OR), rank by trust, cut snippets.

The flow a wiki reader expects: every word must match; when no note has them all, notes
with any of them are better than nothing (``any_word``); a word the index has never seen is
probably a typo, so the corrected query is suggested, and searched when the original finds
nothing (``corrected``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kgwiki.search.compile import Compiled, compile_query
from kgwiki.search.query import AllOf, Not, QueryError, parse_query, positive_text
from kgwiki.search.results import Hit, SearchResults
from kgwiki.search.snippet import Highlighter, highlighter, snippet
from kgwiki.search.spell import corrected_query, corrections
from kgwiki.search.topk import names_bonus, top_documents
from kgwiki.types import NotePath


def run_query(
    searcher: Any,
    text: str,
    limit: int,
    factors: Sequence[float],
    levels: Sequence[str],
) -> SearchResults:
    """Search ``text``; a malformed query gives ``error``, never an exception.

    ``factors`` are the documents' trust multipliers (:func:`search_rank.trust_factors`).
    """
    try:
        tree = parse_query(text, levels)
    except QueryError as err:
        return SearchResults(error=str(err), query=text)
    if not tree.nodes or not searcher.doc_count():
        return SearchResults(query=text)  # (whoosh's IDF is undefined on an empty index)
    limit = max(1, limit)
    fixes = corrections(searcher.reader(), tree)
    suggestion = corrected_query(text, fixes) if fixes else None
    ranked, total = _ranked(searcher, compile_query(tree), limit, factors)
    used, corrected, any_word = tree, False, False
    if not ranked and suggestion is not None:
        fixed = parse_query(suggestion, levels)
        ranked, total = _ranked(searcher, compile_query(fixed), limit, factors)
        used, corrected = fixed, bool(ranked)
    if not ranked and _positive_count(used) > 1:
        ranked, total = _ranked(searcher, compile_query(used, any_word=True), limit, factors)
        any_word = bool(ranked)
    marks = highlighter(positive_text(used))
    hits = [_hit(searcher.stored_fields(docnum), score, marks) for score, docnum in ranked]
    return SearchResults(hits, total, suggestion, None, text, corrected, any_word)


def _hit(fields: dict[str, Any], score: float, marks: Highlighter) -> Hit:
    meta = fields.get("meta", {})
    sections = fields.get("text") or ("",)
    body = sections[-1]
    return Hit(
        path=NotePath(fields["path"]), title=meta.get("title") or fields["path"],
        snippet_html=snippet(body, marks.spans(body)), score=score,
        trust_level=meta.get("trust"), tags=tuple(meta.get("tags", ())),
        confidence=meta.get("confidence"), verification=meta.get("verification"),
        status=meta.get("status"), category=meta.get("category"),
        aliases=tuple(meta.get("aliases", ())),
    )  # fmt: skip


def _positive_count(tree: AllOf) -> int:
    return sum(1 for node in tree.nodes if not isinstance(node, Not))


def _ranked(
    searcher: Any, compiled: Compiled, limit: int, factors: Sequence[float]
) -> tuple[list[tuple[float, int]], int]:
    bonus = names_bonus(searcher, compiled.names)
    return top_documents(searcher, compiled.query, compiled.filter, limit, bonus, factors)
