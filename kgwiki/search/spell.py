"""Did-you-mean: replace query words the index has never seen with the nearest known word.

The vocabulary is the ``spell`` field: the unstemmed words of titles, aliases, headings and
tags, so a suggestion reads like something a person wrote (``kubernetes``, ``쿠버네티스``), not a
stem (``kubernet``). Candidates come from whoosh's Levenshtein automaton over that field,
closest first, then the most frequent.
"""

from __future__ import annotations

import re
from typing import Any

from kgwiki.search.analysis import STOP_WORDS, fold_word, query_terms
from kgwiki.search.compile import strip_particle
from kgwiki.search.query import AllOf, Word, positive_text
from kgwiki.search.schema import nfc

_MIN_LENGTH = 4


def is_known(reader: Any, word: str) -> bool:
    """True when every term of ``word`` occurs in the index."""
    terms = query_terms(nfc(word))
    return all(("text", term) in reader for term in terms)


def nearest(reader: Any, word: str) -> str | None:
    """The known word closest to ``word``: one edit, a swap of neighbours, then two edits.

    whoosh's automaton counts a swap (``kafak``) as two edits, so swaps are tried on their
    own before allowing two edits, which only words of five letters or more get.
    """
    folded = fold_word(nfc(word))
    if len(folded) < _MIN_LENGTH:
        return None
    found = _within(reader, folded, 1)
    if not found:
        swaps = {folded[:i] + folded[i + 1] + folded[i] + folded[i + 2 :]
                 for i in range(len(folded) - 1)} - {folded}  # fmt: skip
        found = [w for w in swaps if ("spell", w) in reader]
    if not found and len(folded) >= 5:
        found = _within(reader, folded, 2)
    if not found:
        return None
    best: str = max(found, key=lambda w: (reader.doc_frequency("spell", w), w))
    return best


def _within(reader: Any, word: str, distance: int) -> list[str]:
    # The first letter is taken as typed: it keeps the automaton's walk short.
    return [w for w in reader.terms_within("spell", word, distance, prefix=1) if w != word]


def corrections(reader: Any, tree: AllOf) -> dict[str, str]:
    """Unknown words of the query → their suggested replacements."""
    out: dict[str, str] = {}
    for part in positive_text(tree):
        if not isinstance(part, Word) or part.prefix or fold_word(part.text) in STOP_WORDS:
            continue
        if part.text in out or is_known(reader, part.text):
            continue
        bare = strip_particle(part.text)
        if bare is not None and is_known(reader, bare):
            continue
        suggestion = nearest(reader, bare) if bare is not None else None
        if suggestion is not None:
            suggestion += part.text[len(bare or "") :]
        else:
            suggestion = nearest(reader, part.text)
        if suggestion is not None:
            out[part.text] = suggestion
    return out


def corrected_query(text: str, fixes: dict[str, str]) -> str:
    """The query as typed, with each unknown word replaced (everything else kept)."""
    for wrong, right in fixes.items():
        pattern = re.compile(rf"(?<![\w:]){re.escape(wrong)}(?!\w)")
        text = pattern.sub(right.replace("\\", "\\\\"), text, count=1)
    return text
