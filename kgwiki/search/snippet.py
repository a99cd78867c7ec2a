"""Highlighted snippets: the best window of a note's text, HTML-escaped, matches in ``<mark>``.

Re-tokenising a whole note per hit would cost milliseconds, so matches are found with regexes
built once per query from the analyzer's own rules: a CJK run of the query matches literally
(a bigram phrase *is* a substring), a Latin word matches any word with the same stem, and a
prefix matches words that start with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from kgwiki.search.analysis import LETTER, STOP_WORDS, TOKEN, fold_word, normalise_word
from kgwiki.search.compile import strip_particle
from kgwiki.search.query import Phrase, Word
from kgwiki.search.schema import nfc

WIDTH = 200
_LEAD = 60
_MAX_SPANS = 400
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Highlighter:
    """Finds the query's matches in a text; ``key`` tells which query part each one is."""

    literal: re.Pattern[str] | None
    latin: re.Pattern[str] | None
    stems: frozenset[str]
    prefixes: tuple[str, ...]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        found: list[tuple[int, int, str]] = []
        if self.literal is not None:
            found += [(m.start(), m.end(), m.group()) for m in self.literal.finditer(text)]
        if self.latin is not None:
            for m in self.latin.finditer(text):
                word = fold_word(m.group())
                key = normalise_word(word)
                if key in self.stems:
                    found.append((m.start(), m.end(), key))
                else:
                    prefix = next((p for p in self.prefixes if word.startswith(p)), None)
                    if prefix is not None:
                        found.append((m.start(), m.end(), prefix))
            found.sort()
        return found[:_MAX_SPANS]


def highlighter(parts: list[Word | Phrase]) -> Highlighter:
    """What to mark for the positive words and phrases of a query."""
    literals: set[str] = set()
    stems: set[str] = set()
    prefixes: set[str] = set()
    content = [p for p in parts if not (isinstance(p, Word) and fold_word(p.text) in STOP_WORDS)]
    for part in content or parts:
        text = nfc(part.text)
        prefix = isinstance(part, Word) and part.prefix
        for match in TOKEN.finditer(text):
            token = match.group()
            if match.group("cjk") is not None:
                literals.add(token)
                bare = strip_particle(token)
                if bare is not None:
                    literals.add(bare)
            elif prefix:
                prefixes.add(fold_word(token))
            else:
                stems.add(normalise_word(token))
    literal = None
    if literals:
        # Longest first, so 아키텍처는 is marked whole rather than as 아키텍처 + 는.
        options = "|".join(re.escape(x) for x in sorted(literals, key=len, reverse=True))
        literal = re.compile(options)
    latin = None
    heads = {s[: max(1, len(s) - 1)] for s in stems} | prefixes
    if heads:
        # A Porter2 stem may end differently from the word (happy → happi), so match on the
        # stem minus its last letter and check the candidate's real stem in ``spans``.
        options = "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
        latin = re.compile(f"(?<!{LETTER})(?:{options}){LETTER}*", re.IGNORECASE)
    return Highlighter(literal, latin, frozenset(stems), tuple(sorted(prefixes, key=len)))


def snippet(text: str, spans: list[tuple[int, int, str]], width: int = WIDTH) -> str:
    """The window of ``text`` with the most distinct matches, as safe HTML."""
    if not spans:
        end = _cut(text, width)
        return _html(text, 0, end, [])
    start = _word_start(text, _best_window(spans, width))
    end = _cut(text, start + width)
    inside = [(s, e) for s, e, _k in spans if s >= start and e <= end]
    return _html(text, start, end, inside)


def _best_window(spans: list[tuple[int, int, str]], width: int) -> int:
    """Where the window with the most distinct keys starts (two pointers: linear)."""
    counts: dict[str, int] = {}
    left = right = 0
    best, best_start = -1, 0
    for start, _end, _key in spans:
        lo = max(0, start - _LEAD)
        while right < len(spans) and spans[right][1] <= lo + width:
            counts[spans[right][2]] = counts.get(spans[right][2], 0) + 1
            right += 1
        while left < right and spans[left][0] < lo:
            key = spans[left][2]
            counts[key] -= 1
            if not counts[key]:
                del counts[key]
            left += 1
        if len(counts) > best:
            best, best_start = len(counts), lo
    return best_start


def _word_start(text: str, at: int) -> int:
    """Move a window start back to the beginning of a word (at most 20 characters)."""
    if at == 0:
        return 0
    space = max(text.rfind(" ", max(0, at - 20), at), text.rfind("\n", max(0, at - 20), at))
    return space + 1 if space >= 0 else at


def _cut(text: str, end: int) -> int:
    """End a window at a space when one is near, never beyond the text."""
    if end >= len(text):
        return len(text)
    space = text.rfind(" ", end - 20, end)
    return space if space > 0 else end


def _html(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    out: list[str] = ["…" if start > 0 else ""]
    at = start
    for s, e in _merge(spans):
        out.append(_plain(text[at:s]))
        out.append(f"<mark>{_plain(text[s:e])}</mark>")
        at = e
    out.append(_plain(text[at:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out).strip()


def _plain(text: str) -> str:
    return escape(_SPACE.sub(" ", text))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged
