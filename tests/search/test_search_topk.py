"""The set-at-a-time top hits (search_topk.py) are whoosh's exhaustive ones, bit for bit.

For every query, limit and mode (all words, any word), ``topk.top_documents`` must return
the very (score, document number) list and total that ``rank.top_documents`` (whoosh's
collector scoring every match) returns, and ``topk.names_bonus`` the very bonuses of
``rank.names_bonus``. Checked on the bundled vault, the three corpora and a generated vault
where every query matches hundreds of notes, with duplicate notes (equal scores: ties go to
the lower document number) and deleted documents in an older segment.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kgwiki.search import SearchIndex, rank, topk
from kgwiki.search.compile import compile_query
from kgwiki.search.query import parse_query
from kgwiki.vault import Vault

LIMITS = (1, 3, 10, 40)
# Every shape the compiler makes: words, Korean words and particles, phrases, prefixes,
# OR, NOT, groups, filters, three or more parts (summed by whoosh in a tree: verified).
FIXED = (
    "아키텍처", "아키텍처는", "시스템 아키텍처란", "쿠버네티스의 프로브 설정", "캐시 무효화 전략",
    "kafka", "event-driven", "Event-Driven Architecture", "partition", "the", "the who",
    '"graceful shutdown"', '"설계하고 구성하는"', '"circuit breaker"', "kube*", "아*", "락",
    "a*", "s*", "con*", "cache OR kafka", "cache OR kafka OR redis", "(cache OR 캐시) trust",
    "cache -redis", "NOT draft", "캐시 -Redis", "tag:pattern", "trust:>=B cache",
    "trust:A,C note", "path:10_Wiki cache", "category:Topics 시스템", "idempot* consumer",
    "consistency OR 일관성 OR 정합성", "note links markdown", "zzzzunknownword",
)  # fmt: skip


def drawn_queries(vault: Vault, count: int = 30) -> list[str]:
    """The vault's own commonest words, pairs and triples of them, and titles."""
    words: Counter[str] = Counter()
    for note in vault.notes.values():
        words.update({w.strip(".,:;()[]#*`'\"!?") for w in note.text.split()})
    common = [w for w, _n in words.most_common(count * 2) if len(w) > 1][:count]
    rng = random.Random(7)
    pairs = [" ".join(rng.sample(common, 2)) for _ in range(count // 2)]
    triples = [" ".join(rng.sample(common, 3)) for _ in range(count // 4)]
    titles = [note.title for _path, note in sorted(vault.notes.items())][:count]
    return [*common, *pairs, *triples, *titles, *(w[:3] + "*" for w in common[:8])]


def assert_same_as_exhaustive(index: SearchIndex, queries: list[str]) -> int:
    """Compare both rankings for every query; return how many compared."""
    searcher = index._searcher
    factors = index._factors()
    compared = 0
    for text in dict.fromkeys([*FIXED, *queries]):
        tree = parse_query(text)
        if not tree.nodes:
            continue
        for any_word in (False, True):
            compiled = compile_query(tree, any_word=any_word)
            bonus = rank.names_bonus(searcher, compiled.names)
            assert topk.names_bonus(searcher, compiled.names) == bonus, text
            for limit in LIMITS:
                args = (searcher, compiled.query, compiled.filter, limit, bonus, factors)
                assert topk.top_documents(*args) == rank.top_documents(*args), (text, limit)
                compared += 1
    return compared


def _indexed(vault: Vault, folder: Path) -> SearchIndex:
    index = SearchIndex.open(vault, folder)
    index.update(vault)
    return index


def test_same_top_hits_on_the_bundled_vault(bundled_vault_dir: Path, tmp_path: Path) -> None:
    vault = Vault.load(bundled_vault_dir, use_cache=False)
    with _indexed(vault, tmp_path / "index") as index:
        assert assert_same_as_exhaustive(index, drawn_queries(vault)) > 500


@pytest.mark.parametrize("name", ["foam-docs", "kepano-obsidian", "silverbullet-docs"])
def test_same_top_hits_on_the_corpora(shared_dir: Path, tmp_path: Path, name: str) -> None:
    vault = Vault.load(shared_dir / "corpora" / name, use_cache=False)
    with _indexed(vault, tmp_path / "index") as index:
        assert assert_same_as_exhaustive(index, drawn_queries(vault)) > 500


# -- a vault where every query matches hundreds of notes ---------------------------------

WORDS = ("cache", "kafka", "partition", "consistency", "latency", "replica", "shutdown",
         "아키텍처", "캐시는", "캐시를", "분산", "트랜잭션의", "설계하고", "구성하는",
         "데이터베이스", "모니터링", "장애", "복제", "확장성")  # fmt: skip
LEVELS = ("A", "B", "C", "D", "E", None)


def _note(rng: random.Random, number: int) -> str:
    title = " ".join(rng.sample(WORDS, rng.randint(1, 2))).title()
    level = rng.choice(LEVELS)
    front = [f"title: {title} {number}", f"tags: [{rng.choice(['pattern', 'ops', 'db'])}]"]
    if level:
        front.append(f"source_trust_level: {level}")
    if rng.random() < 0.3:
        front.append(f"confidence_score: {rng.choice([0.2, 0.5, 0.9])}")
    body = [f"## {rng.choice(WORDS)} {rng.choice(WORDS)}"]
    body += [" ".join(rng.choices(WORDS, k=rng.randint(3, 40))) for _ in range(rng.randint(1, 6))]
    body.append("설계하고 구성하는 circuit breaker " * rng.randint(0, 2))
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"


@pytest.fixture(scope="module")
def crowded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[SearchIndex, Vault]]:
    """320 notes (20 of them twins: equal scores), indexed, then edited: two segments, the
    older with deleted documents."""
    root = tmp_path_factory.mktemp("crowded") / "vault"
    root.mkdir()
    rng = random.Random(20)
    texts = [_note(rng, n) for n in range(300)]
    for n, text in enumerate(texts):
        (root / f"note-{n:03d}.md").write_text(text, encoding="utf-8")
    for n in range(20):  # twins: same text, other file name
        (root / f"twin-{n:03d}.md").write_text(texts[n * 7], encoding="utf-8")
    vault = Vault.load(root, use_cache=False)
    index = _indexed(vault, tmp_path_factory.mktemp("crowded-index"))
    for n in range(0, 300, 25):
        (root / f"note-{n:03d}.md").write_text(_note(rng, 1000 + n), encoding="utf-8")
    for n in range(3, 300, 40):
        (root / f"note-{n:03d}.md").unlink()
    vault = Vault.load(root, use_cache=False)
    index.update(vault)
    yield index, vault
    index.close()


def test_crowded_vault_has_deletions_and_segments(crowded: tuple[SearchIndex, Any]) -> None:
    index, vault = crowded
    reader = index._searcher.reader()
    assert index.segment_count >= 2 and reader.has_deletions()
    assert len(index) == len(vault.notes)


def test_same_top_hits_with_many_matches_ties_and_deletions(
    crowded: tuple[SearchIndex, Vault],
) -> None:
    index, vault = crowded
    extra = [*WORDS, *(f"{a} {b}" for a in WORDS[:6] for b in WORDS[6:12]),
             "cache OR kafka OR latency OR 분산", "캐시 아키텍처 분산", "캐* 분산"]  # fmt: skip
    assert assert_same_as_exhaustive(index, [*extra, *drawn_queries(vault)]) > 900


def test_totals_count_every_match(crowded: tuple[SearchIndex, Vault]) -> None:
    """The total is exact: every note whose text has the word, as the vault says."""
    index, vault = crowded
    for word in ("kafka", "latency", "replica"):
        having = sum(1 for note in vault.notes.values() if word in note.text.casefold()
                     or word in note.title.casefold())  # fmt: skip
        results = index.search(word, limit=5)
        assert results.total == having > 100
        assert len(results.hits) == 5


def test_ties_go_to_the_lower_document_number(crowded: tuple[SearchIndex, Vault]) -> None:
    index, _vault = crowded
    searcher, factors = index._searcher, index._factors()
    compiled = compile_query(parse_query("circuit breaker"))
    bonus = topk.names_bonus(searcher, compiled.names)
    ranked, _total = topk.top_documents(searcher, compiled.query, None, 200, bonus, factors)
    scores = [score for score, _docnum in ranked]
    assert len(scores) > len(set(scores))  # the twins tie
    assert ranked == sorted(ranked, key=lambda pair: (-pair[0], pair[1]))


def test_both_passes_are_used(crowded: tuple[SearchIndex, Vault]) -> None:
    """Sums of three parts are verified by whoosh; particles are deferred, then settled."""
    index, _vault = crowded
    searcher, factors = index._searcher, index._factors()
    for text, exact in (("cache", True), ("캐시는 분산", True), ("cache OR kafka OR 분산", False),
                        ("cache latency replica", False)):  # fmt: skip
        compiled = compile_query(parse_query(text))
        bonus = topk.names_bonus(searcher, compiled.names)
        _scores, total, whole = topk.match_all(searcher, compiled.query, None, 10, bonus,
                                               factors)  # fmt: skip
        assert whole is exact, text
        assert total > 10
