"""Ranking: BM25F over ``text``, plus a bonus for title and alias matches, times trust.

    final = (bm25f + Σ bonuses of the words in the note's title, aliases or headings) × trust

Both adjustments are applied per document while whoosh collects the matches, so the top
``limit`` hits and the total are exact in one pass. Two whoosh 2.7.5 behaviours shape this:
its matcher ``replace()`` optimisation drops matching documents (top hits and counts come
out wrong), so it is switched off; and its block-quality skipping saves nothing here but
forces a second pass to count, so that is off too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import collectors


@dataclass(frozen=True, slots=True)
class NameBoost:
    """The ``names`` and ``heads`` queries of one query word; the text terms that set its weight."""

    query: Any
    terms: tuple[str, ...]
    heads: Any | None = None


# A title or alias match is worth this many times the word's rarest term's IDF: enough to put
# the note *named* by a query above notes that only mention it often. A heading match is worth
# half as much: with the heading's own BM25F weight (2) that puts a note with the query in a
# heading above notes that mention it in passing, below the one named by it. (3 × IDF for
# headings too lifted notes whose headings hold the words of a long query one by one above the
# note it describes: english-stem MRR 0.97 → 0.91; 1.5 keeps it and takes heading queries
# from 0.85 to 0.92.)
NAMES_BONUS = 3.0
HEADINGS_BONUS = 1.5


class _RankingCollector(collectors.TopCollector):  # type: ignore[misc]  # whoosh is untyped
    def __init__(self, limit: int, bonus: dict[int, float], factors: Sequence[float]) -> None:
        super().__init__(limit=limit, usequality=False, replace=0)
        self.bonus = bonus
        self.factors = factors

    def collect(self, sub_docnum: int) -> Any:
        docnum = self.offset + sub_docnum
        score = (self.matcher.score() + self.bonus.get(docnum, 0.0)) * self.factors[docnum]
        return self._collect(docnum, score)


def names_bonus(searcher: Any, boosts: Sequence[NameBoost]) -> dict[int, float]:
    """Document number → bonus for the query words found in its title, aliases or headings."""
    bonus: dict[int, float] = {}
    for boost in boosts:
        idf = max((searcher.idf("text", term) for term in boost.terms), default=1.0)
        for query, weight in ((boost.query, NAMES_BONUS), (boost.heads, HEADINGS_BONUS)):
            if query is not None:
                for docnum in searcher.docs_for_query(query):
                    bonus[docnum] = bonus.get(docnum, 0.0) + weight * idf
    return bonus


def top_documents(
    searcher: Any,
    query: Any,
    filter_query: Any | None,
    limit: int,
    bonus: dict[int, float],
    factors: Sequence[float],
) -> tuple[list[tuple[float, int]], int]:
    """The best ``limit`` (score, document number) pairs and how many documents matched."""
    collector: Any = _RankingCollector(limit, bonus, factors)
    if filter_query is not None:
        collector = collectors.FilterCollector(collector, allow=filter_query)
    searcher.search_with_collector(query, collector)
    results = collector.results()
    return [(hit.score, hit.docnum) for hit in results], int(collector.count())
