"""The benchmark's search queries, drawn from the vault the way people type them.

A fixed list misses what hurts: the words the vault uses most (a query that matches half the
notes is the slow one), two of them together, phrases lifted from notes, prefixes and filters
over the vault's own tags and folders. Drawn with a seeded generator, so every run of one
vault asks the same queries.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kgwiki.vault import Vault

_WORD = re.compile(r"^[\W_]+|[\W_]+$")
_STOP = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "is", "it", "of",
    "on", "or", "the", "to", "was", "what", "when", "where", "which", "who", "why", "with", "this",
    "that",
})  # fmt: skip
SAMPLE = 600  # notes read to count words: enough for the commonest, cheap on 10k notes


def _words(text: str) -> list[str]:
    out = []
    for raw in text.split():
        word = _WORD.sub("", raw)
        if len(word) >= 2 and word.isalnum() and not word.isdigit() and word.lower() not in _STOP:
            out.append(word)
    return out


def draw_queries(vault: Vault, seed: int) -> dict[str, tuple[str, ...]]:
    """Queries by kind: ``common`` (the most frequent words), ``two-word``, ``rare`` (words in
    a handful of notes), ``phrase`` (two words in a row from a note), ``prefix``, ``filter``."""
    rng = random.Random(f"bench-query:{seed}")
    paths = sorted(vault.notes)
    sample = rng.sample(paths, min(SAMPLE, len(paths)))
    df: Counter[str] = Counter()
    texts = {}
    for path in sample:
        words = _words(vault.notes[path].text)
        texts[path] = words
        df.update(list(dict.fromkeys(w.casefold() for w in words)))  # ordered: same draw each run
    ranked = [w for w, _n in df.most_common()]
    common = ranked[:8]
    pool = ranked[:40]
    pairs = [" ".join(rng.sample(pool, 2)) for _ in range(8)] if len(pool) >= 2 else []
    rare = [w for w in ranked if 2 <= df[w] <= max(2, len(sample) // 100)]
    rare = rng.sample(rare, min(6, len(rare)))
    phrases: list[str] = []
    for path in rng.sample(sample, min(20, len(sample))):
        words = texts[path]
        if len(words) >= 2 and len(phrases) < 6:
            k = rng.randrange(len(words) - 1)
            phrases.append(f'"{words[k]} {words[k + 1]}"')
    latin = [w for w in pool if w.isascii() and len(w) >= 5][:4]
    prefixes = [w[:4] + "*" for w in latin] + [w[:1] + "*" for w in pool if not w.isascii()][:2]
    tags = Counter(tag for path in sample for tag in vault.notes[path].tags)
    folders = Counter(path.split("/")[0] for path in sample if "/" in path)
    filters = [f"tag:{tag} {rng.choice(pool)}" for tag, _n in tags.most_common(3)]
    filters += [f"path:{folder} {rng.choice(pool)}" for folder, _n in folders.most_common(2)]
    filters += [f"trust:>=B {common[0]}"] if common else []
    drawn = {"common": common, "two-word": pairs, "rare": rare, "phrase": phrases,
             "prefix": prefixes, "filter": filters}  # fmt: skip
    return {kind: tuple(dict.fromkeys(qs)) for kind, qs in drawn.items() if qs}
