"""Text analysis for search: Hangul/Han/Kana runs as overlapping bigrams, Latin words stemmed.

One tokenizer pass (:func:`spans`) serves the index, the queries, the highlighter and the
static site's client-side index, so the server and the browser agree on every term. The rules, which
``docs/search.md`` spells out for the JavaScript side:

- A *CJK run* is a maximal run of Hangul, Han or Kana characters. A run of n ≥ 2 characters
  gives the n-1 overlapping bigrams (``아키텍처`` → ``아키 키텍 텍처``); a run of one character
  gives that character. At index time a run of n ≥ 2 also gives its last character alone (the
  *tail unigram*, at the position of the last bigram), so that every character of the text starts
  some indexed term and a one-character query can be a prefix query over the terms.
- A *word* is a maximal run of other letters and digits (``_`` and punctuation split words):
  NFKC-normalised, case-folded and stemmed with the Porter2 (English Snowball) stemmer.
- Positions count words and bigrams; the tail unigram shares its run's last bigram position,
  so phrases that span runs line up the same way in the index and in the query.

Because a bigram is a literal substring of the text, ``아키텍처`` (three bigrams in a row) finds
``아키텍처란`` and ``아키텍처는`` without any dictionary: particles only add bigrams at the end.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain
from typing import Any

from whoosh.analysis import Analyzer, Token
from whoosh.lang.porter2 import stem as _porter2

# Hangul (syllables, jamo, compatibility jamo), Kana (but not the ・ middle dot), Han (with
# the 々 iteration mark and the astral extension planes), half-width Katakana.
_CJK = (
    "\u1100-\u11ff\u3005\u3040-\u30fa\u30fc-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff\uf900-\ufaff\uff66-\uff9f"
    "\U00020000-\U0003134f"
)
LETTER = f"[^\\W_{_CJK}]"
"""A regex class for the characters of a (non-CJK) word."""
TOKEN = re.compile(f"(?P<cjk>[{_CJK}]+)|(?P<word>{LETTER}+)")
"""A CJK run or a word: the units the analyzer splits text into."""

# Bare query words that are too common to require (phrases keep them; the index keeps all).
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "is", "it",
    "of", "on", "or", "the", "to", "was", "what", "when", "where", "which", "who", "why", "with",
})  # fmt: skip


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    """A Latin word as indexed: NFKC, case-folded, Porter2-stemmed."""
    folded = unicodedata.normalize("NFKC", word).casefold()
    return _porter2(folded) if folded.isascii() else folded


def fold_word(word: str) -> str:
    """A word NFKC-normalised and case-folded but not stemmed (prefixes, spelling)."""
    return unicodedata.normalize("NFKC", word).casefold()


Span = tuple[str, int, int, int]
"""One term of the token stream: (text, position, start char, end char)."""


def spans(text: str, tail_unigrams: bool = True) -> Iterator[Span]:
    """Every term of ``text`` in order; ``tail_unigrams=False`` is the query form.

    Plain tuples, not records: this loop is the hot path of cold indexing.
    """
    pos = 0
    for match in TOKEN.finditer(text):
        start = match.start()
        run = match.group("cjk")
        if run is None:
            yield normalise_word(match.group()), pos, start, match.end()
            pos += 1
            continue
        n = len(run)
        if n == 1:
            yield run, pos, start, start + 1
            pos += 1
            continue
        for k in range(n - 1):
            yield run[k : k + 2], pos + k, start + k, start + k + 2
        if tail_unigrams:
            yield run[-1], pos + n - 2, start + n - 1, start + n
        pos += n - 1


def terms(text: str) -> list[str]:
    """Exactly the terms the index holds for ``text``, in order (for the static site's index).

    The terms of ``spans(text)`` without their positions. The static build takes the terms of
    every note, so each distinct word or CJK run is analysed once per process
    (:func:`_unit_terms`) and the text is cut with one ``findall``.
    """
    return list(chain.from_iterable(map(_unit_terms, _UNIT.findall(text))))


# The units of TOKEN as plain strings: a CJK run or a word (a unit is a run iff it starts
# with a CJK character, as the two classes never overlap).
_UNIT = re.compile(f"[{_CJK}]+|{LETTER}+")
_STARTS_CJK = re.compile(f"[{_CJK}]").match


@lru_cache(maxsize=65_536)
def _unit_terms(unit: str) -> tuple[str, ...]:
    """The terms of one unit: a stemmed word, or a CJK run's bigrams and tail unigram."""
    if _STARTS_CJK(unit) is None:
        return (normalise_word(unit),)
    if len(unit) == 1:
        return (unit,)
    return (*[unit[k : k + 2] for k in range(len(unit) - 1)], unit[-1])


def query_terms(word: str) -> list[str]:
    """The terms a query word must match, in order (no tail unigrams)."""
    return [span[0] for span in spans(word, tail_unigrams=False)]


def is_cjk(text: str) -> bool:
    """True when ``text`` is made only of CJK characters (one run)."""
    match = TOKEN.fullmatch(text)
    return match is not None and match.group("cjk") is not None


class KoreanAnalyzer(Analyzer):  # type: ignore[misc]  # whoosh is untyped
    """The whoosh analyzer over :func:`iter_terms`; module-level so multiprocessing can pickle it.

    It is written as one loop rather than a tokenizer and filters because cold indexing of a
    large vault spends most of its time here, and whoosh reuses one Token object per stream.
    """

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            token.text = fold_word(value)
            token.original = value
            if positions:
                token.pos = start_pos
            if chars:
                token.startchar, token.endchar = start_char, start_char + len(value)
            yield token
            return
        for text, pos, start, end in spans(value, tail_unigrams=mode != "query"):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


class WordAnalyzer(Analyzer):  # type: ignore[misc]  # whoosh is untyped
    """Whole words, case-folded, never split or stemmed: the did-you-mean vocabulary."""

    def __call__(self, value: str, mode: str = "", **kwargs: Any) -> Iterator[Token]:
        token = Token(mode=mode, **kwargs)
        for match in TOKEN.finditer(value):
            word = fold_word(match.group())
            if len(word) > 1:
                token.text = word
                token.boost = 1.0
                token.stopped = False
                yield token


def korean_analyzer() -> KoreanAnalyzer:
    """The default analyzer for every text field of the search index."""
    return KoreanAnalyzer()


def word_analyzer() -> WordAnalyzer:
    return WordAnalyzer()
