"""Set-at-a-time matching: every document of a segment that matches a query, with its score.

whoosh walks a query one document at a time through a tree of Python matchers: for a word in
half the notes of a 10k vault that is some 5,000 ``next``/``skip_to``/``score`` calls per
posting list, and a two-word Korean query (four bigram lists) took 190 ms. Here the query is
evaluated over sets and dicts, whose loops run in C: the exact set of matching documents (so
the total is exact) and, for each, its BM25F score. The rarest part of an intersection is
evaluated first and the others only where it matched, so their posting lists are read only
in the blocks that can hold those documents (search_postings.py): on a common word that
is every block, on a rare word or a phrase with one rare term a handful.

Scores are whoosh's formulas, the same float operations in the same order, except where
whoosh adds up three or more parts in a tree whose shape depends on posting-list sizes
(``Or``, prefixes, ``And`` of three words): then :attr:`SegmentMatches.exact` is False and
search_topk.py has whoosh score the candidates for the top. A query shape this module
does not know raises :class:`Unsupported` (whoosh's collector handles it).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from whoosh import query as wq

from kgwiki.search.phrase import OffsetPhrase
from kgwiki.search.postings import Postings, field_lengths, read_postings

SCORED_FIELD = "text"
# whoosh 2.7.5's ``Or``: at 1,024 parts or more, or in a segment of at most 5,000 documents
# with more than two parts, it preloads the matches into an array instead of a tree of unions.
_MANY_CLAUSES = 1024
_PRELOAD_UP_TO = 5000

# Upper bounds are raised by this much against rounding.
_BOUND_MARGIN = 1e-9

Scores = dict[int, float]


class Unsupported(Exception):
    """A query this module cannot evaluate; whoosh's own collector handles it."""


class SegmentMatches:
    """Evaluates queries over one segment: document number (in the segment) → score."""

    def __init__(self, searcher: Any, reader: Any, b: float, k1: float) -> None:
        self.searcher = searcher  # the top-level searcher: IDF and average length are global
        self.reader = reader
        self.lengths = field_lengths(reader, SCORED_FIELD)
        self.avgfl = searcher.avg_field_length(SCORED_FIELD) or 1
        self.b, self.k1 = b, k1
        self.exact = True  # False once a sum was made in another order than whoosh's
        # While deferring, the optional part of ``AndMaybe`` (the exact form of a Korean word
        # with its particle) is not read; ``deferred`` holds, per document, the most it
        # could add. The scores are then lower bounds, and the matches exact.
        self.deferring = False
        self.deferred: Scores = {}
        self.to_bytes = searcher.schema[SCORED_FIELD].to_bytes
        self.positions: Callable[[bytes], list[int]] = (
            searcher.schema[SCORED_FIELD].format.decode_positions)
        # (field, term) → (the documents it was read for, None for all; its postings)
        self._read: dict[tuple[str, bytes], tuple[frozenset[int] | None, Postings | None]] = {}

    def evaluate(self, query: Any, within: frozenset[int] | None = None,
                 weighted: bool = True) -> Scores:  # fmt: skip
        """Matches of ``query`` among ``within`` (None: all documents).

        ``weighted=False``: inside a constant-score prefix (whoosh drops the weighting).
        """
        if getattr(query, "boost", 1.0) != 1.0:
            raise Unsupported("boost")
        if isinstance(query, wq.Term):
            return self._term(query.fieldname, query.text, within)
        if isinstance(query, OffsetPhrase):
            return self._phrase(query, within)
        if isinstance(query, wq.AndMaybe | wq.AndNot):
            first = self.evaluate(query.a, within, weighted)
            if isinstance(query, wq.AndMaybe) and self.deferring and first:
                bounds = self._bounds(query.b, frozenset(first))
                if bounds is not None:  # only raises the score: settled for the candidates
                    deferred = self.deferred
                    for docnum, bound in bounds.items():
                        deferred[docnum] = deferred.get(docnum, 0.0) + bound
                    return first
            other = self.evaluate(query.b, frozenset(first), weighted) if first else {}
            if isinstance(query, wq.AndNot):
                return {d: s for d, s in first.items() if d not in other}
            return {d: s + other[d] if d in other else s for d, s in first.items()}
        if isinstance(query, wq.Prefix):
            field = query.fieldname
            parts = [self._term(field, t, within)
                     for t in self.reader.expand_prefix(field, query.text)]  # fmt: skip
            return self._union(parts, weighted and not query.constantscore)
        if isinstance(query, wq.And | wq.Or) and query.subqueries:
            if isinstance(query, wq.Or):
                return self._union([self.evaluate(q, within, weighted)
                                    for q in query.subqueries], weighted)  # fmt: skip
            return self._intersection(query.subqueries, within, weighted)
        raise Unsupported(type(query).__name__)

    def docs(self, query: Any) -> frozenset[int]:
        """The documents matching ``query`` in any field, unscored (for the names bonus)."""
        if isinstance(query, wq.Term):
            _b, postings = self._postings(query.text, None, query.fieldname)
            return frozenset(() if postings is None else postings.ids)
        if isinstance(query, OffsetPhrase):
            return frozenset(self._phrase(query, None, scored=False))
        if isinstance(query, wq.Prefix):
            field = query.fieldname
            return frozenset().union(*(self.docs(wq.Term(field, t))
                                       for t in self.reader.expand_prefix(field, query.text)))
        if isinstance(query, wq.Or):
            return frozenset().union(*(self.docs(q) for q in query.subqueries))
        raise Unsupported(type(query).__name__)

    def _intersection(self, queries: list[Any], within: frozenset[int] | None,
                      weighted: bool) -> Scores:  # fmt: skip
        """Every part, the rarest first; the others are read where it matched."""
        order = sorted(range(len(queries)), key=lambda i: self._size(queries[i]))
        parts: list[Scores | None] = [None] * len(queries)
        for i in order:
            found = self.evaluate(queries[i], within, weighted)
            if not found:
                return {}
            parts[i] = found
            within = frozenset(found) if within is None else within.intersection(found)
        if within is None or not within:
            return {}
        if len(parts) > 2:
            self.exact = False  # whoosh adds three or more in a tree shaped by list sizes
        done = [part for part in parts if part is not None]
        if len(done) == 2:  # whoosh's ``a + b``, in either order the same float
            first, second = done
            return {d: first[d] + second[d] for d in within}
        return {d: sum(part[d] for part in done) for d in within}

    def _size(self, query: Any) -> float:
        """How many documents ``query`` may match, for ordering an intersection."""
        if isinstance(query, wq.Term):
            return float(self.reader.doc_frequency(query.fieldname, self.to_bytes(query.text)))
        if isinstance(query, OffsetPhrase):
            return float(query.estimate_size(self.reader))
        if isinstance(query, wq.AndMaybe | wq.AndNot):
            return self._size(query.a)
        return float("inf")

    def _bounds(self, query: Any, docs: frozenset[int]) -> Scores | None:
        """More than ``query`` can score in each of ``docs`` (left out: it does not match
        there), without reading the lists not read yet; None when not known.

        A word's exact form scores as its rarest term: when that list was read already (the
        bare word shares it: ``처리`` of ``처리하는``), its BM25 is the very score, else
        BM25's ceiling for each term serves.
        """
        if isinstance(query, OffsetPhrase) and not query.positional:
            field = query.fieldname
            to_bytes = self.searcher.schema[field].to_bytes
            leader = to_bytes(min(query.pairs, key=lambda pair: self.reader.doc_frequency(
                field, to_bytes(pair[0])))[0])  # fmt: skip
            cached = self._read.get((field, leader))
            if field == SCORED_FIELD and cached is not None and (
                    cached[0] is None or docs <= cached[0]):  # fmt: skip
                if cached[1] is None:
                    return {}
                scores = self._bm25(leader, cached[1], docs)
                return {d: score * (1 + _BOUND_MARGIN) for d, score in scores.items()}
        bound = self._bound(query)
        return None if bound is None else dict.fromkeys(docs, bound)

    def _bound(self, query: Any) -> float | None:
        """More than ``query`` can score in any document (None: not known)."""
        if isinstance(query, wq.Term | OffsetPhrase) and query.fieldname == SCORED_FIELD:
            terms = [query.text] if isinstance(query, wq.Term) else [t for t, _o in query.pairs]
            # BM25 stays below IDF × (K1 + 1): tf / (tf + K1 × norm) < 1.
            tops = [float(self.searcher.idf(SCORED_FIELD, term)) * (self.k1 + 1)
                    for term in terms]  # fmt: skip
            positional = isinstance(query, OffsetPhrase) and query.positional
            return (sum(tops) if positional else max(tops)) * (1 + _BOUND_MARGIN)
        return None

    def _union(self, parts: list[Scores], weighted: bool) -> Scores:
        """Any of ``parts``, scored as whoosh 2.7.5's ``Or`` picks its matcher in a segment.

        A tree of union matchers (two parts, or a segment of more than 5,000 documents) adds
        the parts' scores; otherwise the parts are preloaded into an array, which adds them
        too, unless the weighting was dropped (a prefix of several terms): then every match
        scores 1. One part is that part.
        """
        if not parts:
            return {}
        if len(parts) == 1:
            return parts[0]
        tree = len(parts) < _MANY_CLAUSES and (
            len(parts) == 2 or self.reader.doc_count_all() > _PRELOAD_UP_TO)
        out: Scores = {}
        if not weighted and not tree:
            for part in parts:
                out.update(dict.fromkeys(part, 1.0))
            return out
        if len(parts) > 2:
            self.exact = False
        for part in parts:
            for docnum, score in part.items():
                out[docnum] = out.get(docnum, 0.0) + score
        return out

    def _postings(self, text: str | bytes, within: frozenset[int] | None,
                  field: str = SCORED_FIELD) -> tuple[bytes, Postings | None]:  # fmt: skip
        """A term's postings: all of them, or those in the blocks that may hold ``within``."""
        btext = text if isinstance(text, bytes) else self.searcher.schema[field].to_bytes(text)
        cached = self._read.get((field, btext))
        if cached is not None and (cached[0] is None or (within is not None
                                                         and within <= cached[0])):
            return btext, cached[1]
        wanted = None if within is None else sorted(within)
        postings = read_postings(self.reader, field, btext, wanted)
        self._read[field, btext] = (within, postings)
        return btext, postings

    def _bm25(self, btext: bytes, postings: Postings, docs: Collection[int] | None) -> Scores:
        """BM25 of the postings of ``docs`` (None: all), whoosh's ``scoring.bm25`` to the bit."""
        idf = self.searcher.idf(SCORED_FIELD, btext)
        k1, b, avgfl, lengths = self.k1, self.b, self.avgfl, self.lengths
        k1_plus, one_minus_b = k1 + 1, 1 - b
        pairs = zip(postings.ids, postings.weights, strict=True)
        if docs is None:
            return {d: idf * ((w * k1_plus) / (w + k1 * (one_minus_b + b * lengths[d] / avgfl)))
                    for d, w in pairs}  # fmt: skip
        return {d: idf * ((w * k1_plus) / (w + k1 * (one_minus_b + b * lengths[d] / avgfl)))
                for d, w in pairs if d in docs}  # fmt: skip

    def _term(self, field: str, text: str | bytes, within: frozenset[int] | None) -> Scores:
        if field != SCORED_FIELD:
            raise Unsupported(f"scored field {field}")
        btext, postings = self._postings(text, within)
        return {} if postings is None else self._bm25(btext, postings, within)

    def _phrase(self, query: OffsetPhrase, within: frozenset[int] | None,
                scored: bool = True) -> Scores:  # fmt: skip
        """Every term (at its offset); scored as the rarest term, or the sum for a phrase
        (``scored=False``: every score 0, in any field)."""
        field = query.fieldname
        if scored and field != SCORED_FIELD:
            raise Unsupported(f"scored field {field}")
        # search_phrase.py orders the lists by the segment's document frequency (stable).
        to_bytes = self.searcher.schema[field].to_bytes
        pairs = sorted(query.pairs, key=lambda pair: self.reader.doc_frequency(
            field, to_bytes(pair[0])))  # fmt: skip
        found: list[tuple[bytes, Postings, int]] = []
        for term, offset in pairs:
            btext, postings = self._postings(term, within, field)
            if postings is None:
                return {}
            within = (frozenset(postings.ids) if within is None
                      else within.intersection(postings.ids))  # fmt: skip
            if not within:
                return {}
            found.append((btext, postings, offset))
        assert within is not None
        if not query.positional:
            return self._bm25(*found[0][:2], within) if scored else dict.fromkeys(within, 0.0)
        kept = self._in_place(within, [(postings, offset) for _b, postings, offset in found])
        if not scored:
            return dict.fromkeys(kept, 0.0)
        parts = [self._bm25(btext, postings, kept) for btext, postings, _o in found]
        return {d: sum(part[d] for part in parts) for d in kept}

    def _in_place(self, docs: frozenset[int], lists: list[tuple[Postings, int]]) -> set[int]:
        """The documents where each term sits at its offset from the first (as search_phrase):
        the first term's positions that the next terms keep, list by list.

        A document at a time, so one whose second term is out of place reads no third; most
        postings hold one position (a bigram once in a note), compared without a list.
        """
        decode = self.positions
        (first, base), rest = lists[0], lists[1:]
        head = dict(zip(first.ids, first.values, strict=True))
        others = [(dict(zip(postings.ids, postings.values, strict=True)), offset - base)
                  for postings, offset in rest]  # fmt: skip
        kept: set[int] = set()
        for docnum in docs:
            starts = decode(head[docnum])
            for values, shift in others:
                have = decode(values[docnum])
                if len(have) == 1:
                    at = have[0] - shift
                    starts = [at] if at in starts else []
                else:
                    starts = [pos for pos in starts if pos + shift in have]
                if not starts:
                    break
            else:
                kept.add(docnum)
        return kept
