"""Multi-term words and phrases: one flat intersection of posting lists, positions checked here.

A Korean word is several bigrams and a phrase several terms. whoosh would build a tree of
intersection matchers and score every term, or for a phrase go through its generic span
machinery (0.4 s for a common Korean phrase on the 10k vault). ``AllTerms`` intersects the
lists rarest first and scores the word by its rarest term (a word counts once, however many
bigrams it has); ``OffsetPhrase`` also checks that each term sits at its offset from the
first. A phrase keeps only the bigrams needed to cover every character (``설계하고`` →
``설계 _ 하고``), with their true offsets, so it reads about half the posting lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import matching
from whoosh.matching import mcore
from whoosh.query import qcore

from kgwiki.search.analysis import spans


def phrase_terms(text: str) -> list[tuple[str, int]]:
    """(term, offset) pairs that pin the phrase down: every character covered, fewest terms."""
    found = list(spans(text, tail_unigrams=False))
    kept: list[tuple[str, int]] = []
    covered = -1
    for i, (term, pos, start, end) in enumerate(found):
        following = found[i + 1] if i + 1 < len(found) else None
        # Keep a term that starts past what is covered, or that alone covers the end of a run.
        if start >= covered or (end > covered and (following is None or following[2] >= end)):
            kept.append((term, pos))
            covered = max(covered, end)
    base = kept[0][1] if kept else 0
    return [(term, pos - base) for term, pos in kept]


class OffsetPhrase(qcore.Query):  # type: ignore[misc]  # whoosh is untyped
    """Documents where each term occurs at its offset from the first; ``offsets=None``: anywhere.

    Scored as the sum of its terms for a phrase, as its rarest term for a plain conjunction.
    """

    def __init__(self, fieldname: str, pairs: list[tuple[str, int]], positional: bool = True,
                 boost: float = 1.0) -> None:  # fmt: skip
        self.fieldname = fieldname
        self.pairs = pairs
        self.positional = positional
        self.boost = boost

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.fieldname!r}, {self.pairs!r}, {self.positional})"

    def __unicode__(self) -> str:
        words = " ".join(term for term, _offset in self.pairs)
        return f'{self.fieldname}:"{words}"' if self.positional else f"{self.fieldname}:({words})"

    __str__ = __unicode__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, OffsetPhrase) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))

    def has_terms(self) -> bool:
        return True

    def terms(self, phrases: bool = True) -> Iterator[tuple[str, str]]:
        for term, _offset in self.pairs:
            yield self.fieldname, term

    def estimate_size(self, ixreader: Any) -> int:
        """At most as many documents as the rarest term has (whoosh orders ORs by this)."""
        return min(
            (ixreader.doc_frequency(self.fieldname, term) for term, _offset in self.pairs),
            default=0,
        )

    def estimate_min_size(self, ixreader: Any) -> int:
        return 0

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        field = searcher.schema[self.fieldname]
        weighting = searcher.weighting if context is None else context.weighting
        reader = searcher.reader()
        found: list[tuple[int, Any, int]] = []
        for term, offset in self.pairs:
            btext = field.to_bytes(term)
            if (self.fieldname, btext) not in reader:
                return matching.NullMatcher()
            postings = searcher.postings(self.fieldname, btext, weighting=weighting)
            found.append((reader.doc_frequency(self.fieldname, btext), postings, offset))
        if not found:
            return matching.NullMatcher()
        found.sort(key=lambda item: item[0])  # the rarest list leads the intersection
        leaves = [postings for _df, postings, _offset in found]
        offsets = [offset for _df, _postings, offset in found] if self.positional else None
        both = _Conjunction(leaves, offsets)
        return matching.WrappingMatcher(both, self.boost) if self.boost != 1.0 else both


def all_terms(fieldname: str, terms: list[str]) -> OffsetPhrase:
    """Documents with every one of ``terms``, in any order and place."""
    return OffsetPhrase(fieldname, [(term, 0) for term in terms], positional=False)


class _Conjunction(mcore.Matcher):  # type: ignore[misc]  # whoosh is untyped
    def __init__(self, leaves: list[Any], offsets: list[int] | None) -> None:
        self._leaves = leaves
        self._offsets = offsets
        self._active = True
        self._find()

    def _aligned(self) -> bool:
        """Move every leaf to the same document; False when one runs out."""
        leaves = self._leaves
        while True:
            if not all(leaf.is_active() for leaf in leaves):
                return False
            target = max(leaf.id() for leaf in leaves)
            if all(leaf.id() == target for leaf in leaves):
                return True
            for leaf in leaves:
                if leaf.id() < target:
                    leaf.skip_to(target)

    def _in_place(self) -> bool:
        if self._offsets is None:
            return True
        first, *rest = self._leaves
        base = self._offsets[0]
        # Plain lists: a bigram occurs once or twice in a note, so a set would cost more.
        wanted = [(offset - base, leaf.value_as("positions"))
                  for offset, leaf in zip(self._offsets[1:], rest, strict=True)]  # fmt: skip
        return any(
            all(pos + offset in have for offset, have in wanted)
            for pos in first.value_as("positions")
        )

    def _find(self) -> None:
        while self._aligned():
            if self._in_place():
                return
            self._leaves[0].next()
        self._active = False

    def is_active(self) -> bool:
        return self._active

    def id(self) -> int:
        return int(self._leaves[0].id())

    def next(self) -> bool:
        if not self._active:
            raise mcore.ReadTooFar
        self._leaves[0].next()
        self._find()
        return False

    def skip_to(self, target: int) -> bool:
        if not self._active:
            raise mcore.ReadTooFar
        for leaf in self._leaves:
            if leaf.is_active() and leaf.id() < target:
                leaf.skip_to(target)
        self._find()
        return False

    def weight(self) -> float:
        return float(sum(leaf.weight() for leaf in self._leaves))

    def score(self) -> float:
        if self._offsets is None:
            return float(self._leaves[0].score())
        return float(sum(leaf.score() for leaf in self._leaves))

    def supports_block_quality(self) -> bool:
        return False

    def replace(self, minquality: float = 0) -> Any:
        return self if self._active else matching.NullMatcher()

    def copy(self) -> _Conjunction:
        return _Conjunction([leaf.copy() for leaf in self._leaves], self._offsets)

    def reset(self) -> None:
        for leaf in self._leaves:
            leaf.reset()
        self._active = True
        self._find()

    def supports(self, astype: str) -> bool:
        return False
