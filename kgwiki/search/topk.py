"""The top hits of a query: every match found set at a time, whoosh's scores where it matters.

1. **Match** (search_matches.py): the exact set of matching documents, set at a time, each
   with its final score (``(bm25f + bonus) × trust``); the set gives the exact total. The
   rarest part of an intersection (or the filter) goes first, and the posting lists of the
   others are read only in the blocks that can hold what it matched.
2. When those scores are whoosh's own (the same float operations in the same order: terms,
   Korean words, phrases, particles, two words, ``-word``), the top ``limit`` are taken
   from them, ties to the lower document number as whoosh's collector breaks them.
3. Otherwise (three or more parts added up, which whoosh does in a tree shaped by list
   sizes: ``a OR b OR c``, prefixes, three words) the scores are off by a few units in the
   last place. Every document more than a margin (1e-9 relative) below the ``limit``-th
   best cannot reach the top, whatever the order of addition; whoosh's own matcher skips
   straight to each of the remaining few and scores it, so the hits are still whoosh's, bit
   for bit.

A query shape the matcher does not know (a filter-only query, ``Every``) goes to whoosh's
exhaustive collector (search_rank.py), which remains the reference the tests compare with.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from typing import Any

from kgwiki.search.matches import SegmentMatches, Unsupported
from kgwiki.search.rank import HEADINGS_BONUS, NAMES_BONUS, NameBoost
from kgwiki.search.rank import names_bonus as exhaustive_names_bonus
from kgwiki.search.rank import top_documents as exhaustive_top_documents
from kgwiki.util import collector_off

# How far below the limit-th score a candidate may be and still be verified: relative to the
# score, plus an absolute floor for scores near zero. Orders of addition differ by a few
# units in the last place (~1e-16 relative).
MARGIN = 1e-9
_FLOOR = 1e-12

Ranked = tuple[list[tuple[float, int]], int]


def top_documents(
    searcher: Any,
    query: Any,
    filter_query: Any | None,
    limit: int,
    bonus: dict[int, float],
    factors: Sequence[float],
) -> Ranked:
    """The best ``limit`` (score, document number) pairs and how many documents matched.

    The same answer as :func:`search_rank.top_documents` (whoosh scoring every match).
    """
    try:
        with collector_off():
            scores, total, exact = match_all(searcher, query, filter_query, limit, bonus,
                                             factors)  # fmt: skip
    except Unsupported:
        return exhaustive_top_documents(searcher, query, filter_query, limit, bonus, factors)
    if not exact:
        verified = verify(searcher, query, candidates(scores, limit), bonus, factors)
        if verified is None:  # whoosh disagrees on a match: trust whoosh
            return exhaustive_top_documents(searcher, query, filter_query, limit, bonus,
                                            factors)  # fmt: skip
        scores = verified
    best = heapq.nsmallest(limit, scores.items(), key=lambda item: (-item[1], item[0]))
    return [(score, docnum) for docnum, score in best], total


def names_bonus(searcher: Any, boosts: Sequence[NameBoost]) -> dict[int, float]:
    """:func:`search_rank.names_bonus` with the documents found set at a time: document
    number → the bonus for the query words in its title, aliases or headings."""
    if not boosts:
        return {}
    try:
        segments = [(SegmentMatches(searcher, sub.reader(), *_parameters(searcher)), offset)
                    for sub, offset in searcher.leaf_searchers() if sub.reader().doc_count_all()]
        bonus: dict[int, float] = {}
        for boost in boosts:
            # the additions to one document come in search_rank's order: the same sums
            idf = max((searcher.idf("text", term) for term in boost.terms), default=1.0)
            for query, weight in ((boost.query, NAMES_BONUS), (boost.heads, HEADINGS_BONUS)):
                if query is None:
                    continue
                for matches, offset in segments:
                    for docnum in matches.docs(query):
                        number = docnum + offset
                        bonus[number] = bonus.get(number, 0.0) + weight * idf
        return bonus
    except Unsupported:
        return exhaustive_names_bonus(searcher, boosts)


def _parameters(searcher: Any) -> tuple[float, float]:
    """BM25F's ``B`` and ``K1``; another weighting is not supported."""
    b, k1 = getattr(searcher.weighting, "B", None), getattr(searcher.weighting, "K1", None)
    if not isinstance(b, float) or not isinstance(k1, float):
        raise Unsupported(type(searcher.weighting).__name__)
    return b, k1


def match_all(
    searcher: Any,
    query: Any,
    filter_query: Any | None,
    limit: int,
    bonus: dict[int, float],
    factors: Sequence[float],
) -> tuple[dict[int, float], int, bool]:
    """The final scores of every document that can be in the top ``limit``, how many
    documents match (filtered, not deleted), and whether the scores are whoosh's to the bit.

    First every match is found with the optional parts of the query left unread (a lower
    bound of each score, and how much more it could get); the documents whose best possible
    score stays below the ``limit``-th lower bound are out; the rest are scored in full.
    """
    b, k1 = _parameters(searcher)
    allow = None if filter_query is None else frozenset(searcher.docs_for_query(filter_query))
    segments: list[tuple[SegmentMatches, int, int]] = []
    low: dict[int, float] = {}
    high: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        count = reader.doc_count_all()
        if not count:
            continue
        within = None
        if allow is not None:
            within = frozenset(d - offset for d in allow if offset <= d < offset + count)
            if not within:
                continue
        matches = SegmentMatches(searcher, reader, b, k1)
        matches.deferring = True
        deferred = matches.deferred
        for docnum, score in matches.evaluate(query, within).items():
            number = docnum + offset
            low[number] = (score + bonus.get(number, 0.0)) * factors[number]
            if docnum in deferred:
                high[number] = (score + deferred[docnum] + bonus.get(number, 0.0)) * factors[number]
        segments.append((matches, offset, count))
    total = len(low)
    if not high:
        return low, total, all(matches.exact for matches, _o, _c in segments)
    chosen = candidates(low, limit, high)
    final: dict[int, float] = {}
    for matches, offset, count in segments:
        mine = frozenset(d - offset for d in chosen if offset <= d < offset + count)
        if not mine:
            continue
        matches.deferring = False
        for docnum, score in matches.evaluate(query, mine).items():
            number = docnum + offset
            final[number] = (score + bonus.get(number, 0.0)) * factors[number]
    return final, total, all(matches.exact for matches, _o, _c in segments)


def candidates(scores: dict[int, float], limit: int,
               better: dict[int, float] | None = None) -> list[int]:  # fmt: skip
    """The documents that may be in the top ``limit``, ascending: whose score (or its upper
    bound in ``better``) is within the margin of the ``limit``-th best score."""
    if len(scores) <= limit:
        return sorted(scores)
    kth = heapq.nlargest(limit, scores.values())[-1]
    cut = kth - abs(kth) * MARGIN - _FLOOR
    high = better or {}
    return sorted(d for d, score in scores.items() if high.get(d, score) >= cut)


def verify(
    searcher: Any,
    query: Any,
    chosen: list[int],
    bonus: dict[int, float],
    factors: Sequence[float],
) -> dict[int, float] | None:
    """Final scores of ``chosen`` (ascending) from whoosh's matchers; None if whoosh does not
    match one of them."""
    context = searcher.context()
    exact: dict[int, float] = {}
    at = 0
    for sub, offset in searcher.leaf_searchers():
        end = offset + sub.reader().doc_count_all()
        mine = []
        while at < len(chosen) and chosen[at] < end:
            mine.append(chosen[at])
            at += 1
        if not mine:
            continue
        matcher = query.matcher(sub, context)
        for number in mine:
            docnum = number - offset
            if matcher.is_active() and matcher.id() < docnum:
                matcher.skip_to(docnum)
            if not matcher.is_active() or matcher.id() != docnum:
                return None
            exact[number] = (matcher.score() + bonus.get(number, 0.0)) * factors[number]
    return exact if at == len(chosen) else None
