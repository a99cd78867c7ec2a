"""The Korean-aware analyzer: bigram rules from a case file, offsets, positions, and that
``terms()`` is exactly what the index holds."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from paths import DATA
from whoosh import fields
from whoosh.filedb.filestore import RamStorage

from kgwiki.search.analysis import (
    KoreanAnalyzer,
    is_cjk,
    korean_analyzer,
    normalise_word,
    query_terms,
    spans,
    terms,
)

CASES = json.loads(
    (DATA / "search" / "analysis_cases.json").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_terms_follow_the_documented_rules(case: dict[str, Any]) -> None:
    assert terms(case["text"]) == case["terms"]
    assert query_terms(case["text"]) == case["query"]


def test_character_offsets_point_at_the_term_in_the_text() -> None:
    text = "서버 아키텍처란? Event-Driven 設計"
    for term, _pos, start, end in spans(text):
        original = text[start:end]
        assert original == term or normalise_word(original) == term


def test_query_word_bigrams_are_a_substring_of_the_particle_forms() -> None:
    """Why ``아키텍처`` finds ``아키텍처란`` and ``아키텍처는``: its terms are in theirs."""
    wanted = query_terms("아키텍처")
    for form in ("아키텍처란", "아키텍처는", "소프트웨어 아키텍처의"):
        assert set(wanted) <= set(terms(form))


def test_positions_line_up_for_phrases_across_runs() -> None:
    """The tail unigram shares the last bigram's position, so the next run is one step on."""
    index = [(t, p) for t, p, _s, _e in spans("서버 아키텍처")]
    query = [(t, p) for t, p, _s, _e in spans("서버 아키텍처", tail_unigrams=False)]
    assert index == [("서버", 0), ("버", 0), ("아키", 1), ("키텍", 2), ("텍처", 3), ("처", 3)]
    assert [p for _t, p in query] == [0, 1, 2, 3]


def test_every_character_of_a_run_starts_some_index_term() -> None:
    """What makes a one-syllable query (a prefix over the terms) find every occurrence."""
    text = "데드락을 피하는 락"
    starts = {start for _t, _p, start, _e in spans(text)}
    cjk_chars = {i for i, ch in enumerate(text) if is_cjk(ch)}
    assert cjk_chars <= starts


def test_whoosh_analyzer_gives_the_same_tokens_with_offsets() -> None:
    text = "쿠버네티스는 K8s 이다"
    analysed = korean_analyzer()(text, positions=True, chars=True, mode="index")
    tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in analysed]
    assert tokens == list(spans(text))
    query = [t.text for t in korean_analyzer()(text, mode="query")]
    assert query == query_terms(text)


def test_terms_are_exactly_what_an_index_stores() -> None:
    text = "아키텍처란 무엇인가? Architectures of 日本語 systems, k8s 1.24"
    schema = fields.Schema(body=fields.TEXT(analyzer=korean_analyzer()))
    ix = RamStorage().create_index(schema)
    with ix.writer() as writer:
        writer.add_document(body=text)
    with ix.reader() as reader:
        stored = {term.decode("utf-8") for term in reader.lexicon("body")}
    assert stored == set(terms(text))


def test_terms_are_the_span_terms_in_order(bundled_vault_dir: Path) -> None:
    """``terms`` is built without spans; it must list exactly their terms, on real notes too."""
    texts = ["", "가", "가나", "a 가 b", "日本語のテキスト 한국어 mixed_words K8s 1.24 Ⅻ ＡＢＣ"]
    texts += [path.read_text(encoding="utf-8") for path in sorted(bundled_vault_dir.rglob("*.md"))]
    assert len(texts) > 30
    for text in texts:
        assert terms(text) == [span[0] for span in spans(text)]


def test_analyzer_pickles_for_multiprocessing_and_the_schema() -> None:
    analyzer = korean_analyzer()
    copy = pickle.loads(pickle.dumps(analyzer))
    assert isinstance(copy, KoreanAnalyzer)
    assert copy == analyzer
    assert [t.text for t in copy("캐시 cache")] == terms("캐시 cache")


def test_unanalysed_value_is_one_folded_token() -> None:
    tokens = [t.text for t in korean_analyzer()("Kube*", tokenize=False)]
    assert tokens == ["kube*"]
