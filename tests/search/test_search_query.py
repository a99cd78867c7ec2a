"""The query language: what parses to what, and malformed queries explained, not raised."""

from __future__ import annotations

import pytest

from kgwiki.search.compile import compile_query, strip_particle
from kgwiki.search.query import (
    AllOf,
    AnyOf,
    Filter,
    Not,
    Phrase,
    QueryError,
    Word,
    parse_query,
    positive_text,
)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("아키텍처 cache", AllOf((Word("아키텍처"), Word("cache")))),
        ('"service mesh" sidecar', AllOf((Phrase("service mesh"), Word("sidecar")))),
        ("kube* -helm", AllOf((Word("kube", prefix=True), Not(Word("helm"))))),
        ("cqrs OR outbox saga", AllOf((AnyOf((Word("cqrs"), Word("outbox"))), Word("saga")))),
        ("NOT draft (a OR b)", AllOf((Not(Word("draft")), AnyOf((Word("a"), Word("b")))))),
        (
            "tag:#kubernetes status:Verified",
            AllOf((Filter("tag", ("kubernetes",)), Filter("status", ("Verified",)))),
        ),
        (
            'category:"10_Wiki/Topics" path:Patterns',
            AllOf((Filter("category", ("10_Wiki/Topics",)), Filter("path", ("Patterns",)))),
        ),
        (
            "http://example.com event-driven",
            AllOf((Word("http://example.com"), Word("event-driven"))),
        ),
        ("a AND b", AllOf((Word("a"), Word("b")))),
        ("   ", AllOf(())),
    ],
)
def test_parse(text: str, tree: AllOf) -> None:
    assert parse_query(text) == tree


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        ("trust:A", ("A",)),
        ("trust:=b", ("B",)),
        ("trust:>=B", ("A", "B")),
        ("trust:>C", ("A", "B")),
        ("trust:<=D", ("D", "E")),
        ("trust:<D", ("E",)),
        ("trust:A,C", ("A", "C")),
    ],
)
def test_trust_comparisons_admit_the_right_levels(text: str, levels: tuple[str, ...]) -> None:
    """A is the best level, E the worst: ``>=B`` means A or B."""
    assert parse_query(text) == AllOf((Filter("trust", levels),))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"unclosed phrase', "unclosed quote at column 1"),
        ("cache OR", "OR at column 7 needs something after it"),
        ("OR cache", "OR at column 1 needs something before it"),
        ("cache NOT", "NOT at column 7 needs something after it"),
        ("(cache OR queue", "unclosed ( at column 1"),
        ("cache)", "unmatched ) at column 6"),
        ("tag:", "tag: needs a value at column 1"),
        ("trust:Z", "levels are A, B, C, D, E"),
        ("trust:<E", "admits no level"),
        ("* cache", "needs a letter before it"),
    ],
)
def test_malformed_queries_say_where_and_why(text: str, message: str) -> None:
    with pytest.raises(QueryError) as err:
        parse_query(text)
    assert message in str(err.value)


def test_positive_text_skips_negated_words() -> None:
    tree = parse_query('cache -redis "write through" NOT (memcached OR ttl)')
    assert positive_text(tree) == [Word("cache"), Phrase("write through")]


@pytest.mark.parametrize(
    ("word", "stem"),
    [("쿠버네티스의", "쿠버네티스"), ("아키텍처는", "아키텍처"), ("서버에서", "서버"),
     ("Kafka의", "Kafka"), ("평가", None), ("카프카", None), ("cache", None)],
)  # fmt: skip
def test_particles_are_stripped_only_when_a_real_stem_remains(word: str, stem: str | None) -> None:
    assert strip_particle(word) == stem


def test_filters_restrict_without_scoring_and_stop_words_are_dropped() -> None:
    compiled = compile_query(parse_query("the cache tag:caching trust:>=B"))
    assert compiled.filter is not None
    assert "the" not in str(compiled.query)
    assert "cach" in str(compiled.query)
    only_stops = compile_query(parse_query("the who"))
    assert "the" in str(only_stops.query) and "who" in str(only_stops.query)


def test_any_word_fallback_keeps_filters_and_negations() -> None:
    tree = parse_query("cache queue -redis status:draft")
    strict, loose = compile_query(tree), compile_query(tree, any_word=True)
    assert str(strict.filter) == str(loose.filter)
    assert "AND" in str(strict.query).upper() and "OR" in str(loose.query).upper()
    assert "ANDNOT (text:redi)" in str(loose.query)  # "redis", stemmed
