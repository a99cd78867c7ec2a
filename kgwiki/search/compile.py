"""Turn a parsed query into whoosh queries: which field, which terms, which bonuses.

A word is searched in the combined ``text`` field (title and aliases weigh most, then headings
and topics, then the body) with the analyzer the index used, so ``아키텍처`` becomes the bigrams
``아키 키텍 텍처``; a title or alias match earns the ``names`` bonus on top (search_rank.py).
Korean queries often carry a particle the note does not (``쿠버네티스의``), so a word ending in
one also matches without it. Filters go to a whoosh filter, which restricts without scoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from kgwiki.search.analysis import STOP_WORDS, fold_word, is_cjk, normalise_word, query_terms
from kgwiki.search.phrase import OffsetPhrase, all_terms, phrase_terms
from kgwiki.search.query import AllOf, AnyOf, Filter, Node, Not, Phrase, Word
from kgwiki.search.rank import NameBoost
from kgwiki.search.schema import nfc

# Josa (particles) and the copula endings people type after a noun, longest first so that
# ``에서`` wins over ``서``. Only stripped when at least two syllables remain.
_PARTICLE_TEXT = (
    "은 는 이 가 을 를 의 에 와 과 도 로 으로 에서 에게 한테 께 란 이란 라는 이라는 부터 까지 "
    "처럼 보다 만 랑 이랑 로서 로써 으로서 으로써 이다 입니다 이며 이고 에는 에도 와의 과의 "
    "들 들은 들이 들을 들의"
)
PARTICLES = tuple(sorted(_PARTICLE_TEXT.split(), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Compiled:
    """The whoosh query to score, the filter that restricts it, the title/alias bonuses."""

    query: Any
    filter: Any | None
    names: tuple[NameBoost, ...] = ()


def strip_particle(word: str) -> str | None:
    """``쿠버네티스의`` → ``쿠버네티스``; ``Kafka의`` → ``Kafka``; None when nothing to strip."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) > len(particle):
            rest = word[: -len(particle)]
            if not is_cjk(rest[-1]) or len(rest) >= 2:
                return rest
    return None


def compile_query(tree: AllOf, any_word: bool = False) -> Compiled:
    """Top-level filters become the filter, NOTs are subtracted, the rest is ANDed (or ORed)."""
    filters = [_filter(node) for node in tree.nodes if isinstance(node, Filter)]
    negative = [_node(node.node, []) for node in tree.nodes if isinstance(node, Not)]
    rest = [node for node in tree.nodes if not isinstance(node, Filter | Not)]
    words = [node for node in rest if isinstance(node, Word)]
    keep_stops = bool(words) and all(_is_stop(w) for w in words)  # "the who" still searches
    names: list[NameBoost] = []
    positive = [q for node in rest if (q := _node(node, names, keep_stops)) is not None]
    query: Any
    if not positive:
        query = wq.Every()
    elif len(positive) == 1:
        query = positive[0]
    else:
        query = wq.Or(positive) if any_word else wq.And(positive)
    negative = [q for q in negative if q is not None]
    if negative:
        query = wq.AndNot(query, wq.Or(negative))
    filter_query = None if not filters else filters[0] if len(filters) == 1 else wq.And(filters)
    return Compiled(query, filter_query, tuple(names))


def _is_stop(node: Node) -> bool:
    return isinstance(node, Word) and not node.prefix and fold_word(node.text) in STOP_WORDS


def _node(node: Node, names: list[NameBoost], keep_stops: bool = True) -> Any | None:
    """The whoosh query for ``node``; title/alias bonuses of its words go to ``names``."""
    if isinstance(node, Word):
        return None if (not keep_stops and _is_stop(node)) else _word(node, names)
    if isinstance(node, Phrase):
        return _phrase(nfc(node.text), names)
    if isinstance(node, Filter):
        return _filter(node)
    if isinstance(node, Not):
        inner = _node(node.node, [])
        return None if inner is None else wq.AndNot(wq.Every(), inner)
    parts = [q for child in node.nodes if (q := _node(child, names, keep_stops)) is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return wq.Or(parts) if isinstance(node, AnyOf) else wq.And(parts)


def _word(word: Word, names: list[NameBoost]) -> Any | None:
    text = nfc(word.text)
    if word.prefix and not (is_cjk(text) and len(text) > 1):
        return _prefix(text, names)
    terms = query_terms(text)
    if len(terms) == 1 and len(text) == 1 and is_cjk(text):
        return _prefix(text, names)  # one syllable: bigrams that start with it, tail unigrams
    stripped = strip_particle(text)
    bare_terms = query_terms(stripped) if stripped is not None else []
    if not bare_terms:
        return _terms(terms, names)
    # The note must have the stem; having the exact form (particle and all) ranks higher.
    bare = _terms(bare_terms, names)
    return wq.AndMaybe(bare, _match("text", terms))


def _terms(terms: list[str], names: list[NameBoost]) -> Any | None:
    """Match ``terms`` in ``text``, and note the ``names`` bonus for a title or alias match.

    A word that analyses to several terms (``아키텍처`` → three bigrams, ``event-driven`` → two
    words) asks for all of them, not for them in a row: reading positions costs several times
    more on a large vault, and the bigrams of one word are almost never apart. It scores as
    its rarest term (search_phrase.py). A quoted phrase does check positions.
    """
    if not terms:
        return None
    names.append(NameBoost(_match("names", terms), tuple(terms), _match("heads", terms)))
    return _match("text", terms)


def _phrase(text: str, names: list[NameBoost]) -> Any | None:
    """A quoted phrase: its terms at their offsets (search_phrase.py), in ``text``."""
    pairs = phrase_terms(text)
    if len(pairs) < 2:
        return _terms([term for term, _offset in pairs], names)
    names.append(NameBoost(OffsetPhrase("names", pairs), tuple(t for t, _o in pairs),
                           OffsetPhrase("heads", pairs)))
    return OffsetPhrase("text", pairs)


def _match(field: str, terms: list[str]) -> Any:
    if len(terms) == 1:
        return wq.Term(field, terms[0])
    return all_terms(field, _cover(terms))


def _cover(terms: list[str]) -> list[str]:
    """Every other bigram and the last: still covers each character, with half the lists.

    ``파이프라인`` → ``파이 프라 라인``. Only CJK words split into overlapping bigrams; a list
    of Latin words (``event-driven``) is kept whole.
    """
    if len(terms) < 3 or not all(len(t) == 2 and is_cjk(t) for t in terms):
        return terms
    chosen = terms[::2]
    return chosen if chosen[-1] == terms[-1] else [*chosen, terms[-1]]


def _prefix(text: str, names: list[NameBoost]) -> Any:
    folded = fold_word(text)
    stems = sorted({folded, normalise_word(folded)} if folded.isascii() else {folded})
    names.append(NameBoost(wq.Or([wq.Prefix("names", s) for s in stems]), (),
                           wq.Or([wq.Prefix("heads", s) for s in stems])))
    return wq.Or([wq.Prefix("text", s) for s in stems])


def _filter(node: Filter) -> Any:
    values = [nfc(v).strip().casefold() for v in node.values]
    if node.field == "trust":
        return wq.Or([wq.Term("trust", v.upper()) for v in values])
    value = values[0]
    if node.field == "path":
        # A folder, file name or stem matches exactly; ``path:10_Wiki/Pat*`` is a prefix of
        # the whole path (an exact term is one posting list; a prefix may be thousands).
        if value.endswith("*"):
            return wq.Prefix("pathlc", value.rstrip("*").lstrip("/"))
        return wq.Term("folder", value.strip("/"))
    if node.field in ("tag", "category"):
        return wq.Term(node.field, value.strip("/"))
    return wq.Term(node.field, value)
