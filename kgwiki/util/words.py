"""Counts in words: ``counted(1, "problem")`` is "1 problem", ``counted(2, "problem")`` is
"2 problems"."""

from __future__ import annotations

_IRREGULAR = {"match": "matches", "fix": "fixes", "is": "are", "was": "were", "this": "these",
              "entry": "entries", "child": "children", "index": "indexes"}  # fmt: skip


def plural(word: str) -> str:
    """The English plural of one of the nouns kgwiki counts (regular ``s`` unless listed)."""
    head, _, last = word.rpartition(" ")
    form = _IRREGULAR.get(last) or (last[:-1] + "ies" if last.endswith("y") and last[-2:-1]
                                    not in tuple("aeiou") else last + "s")  # fmt: skip
    return f"{head} {form}" if head else form


def counted(n: int, word: str, plural_form: str | None = None) -> str:
    """``n`` and the word, singular for exactly one: "1 note", "0 notes", "2345 notes"."""
    return f"{n} {word if n == 1 else plural_form or plural(word)}"
