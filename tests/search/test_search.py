"""SearchIndex on small real vaults: Korean and English matching, filters, snippets, ranking,
incremental updates, locking and recovery from a corrupt index."""

from __future__ import annotations

import pickle
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import ROOTS

from kgwiki.search.index import IndexLockedError, SearchIndex, default_index_dir
from kgwiki.search.store import acquire_writer
from kgwiki.vault import Vault

MINI = ROOTS / "search-mini"
_TAG = re.compile(r"<[^>]*>")


def _load(root: Path) -> Vault:
    return Vault.load(root, use_cache=False)


@pytest.fixture
def mini(tmp_path: Path) -> Iterator[tuple[Vault, SearchIndex]]:
    root = tmp_path / "vault"
    shutil.copytree(MINI, root)
    vault = _load(root)
    with SearchIndex.open(vault, tmp_path / "index") as index:
        index.update(vault)
        yield vault, index


def _paths(index: SearchIndex, query: str) -> list[str]:
    return [hit.path for hit in index.search(query).hits]


def test_a_korean_word_finds_notes_that_only_have_it_with_a_particle(
    mini: tuple[Vault, SearchIndex],
) -> None:
    _vault, index = mini
    results = index.search("아키텍처")
    assert {h.path for h in results.hits} == {
        "Topics/architecture-intro.md",  # only "아키텍처란"
        "Topics/layered-style.md",  # only "아키텍처는"
    }
    for hit in results.hits:
        assert "<mark>아키텍처</mark>" in hit.snippet_html


def test_a_query_word_with_a_particle_finds_the_bare_word(mini: tuple[Vault, SearchIndex]) -> None:
    _vault, index = mini
    assert _paths(index, "계층형 아키텍처의 구조는")[0] == "Topics/layered-style.md"


def test_english_words_match_by_stem(mini: tuple[Vault, SearchIndex]) -> None:
    _vault, index = mini
    assert _paths(index, "queueing")[0] == "Topics/queues.md"
    assert _paths(index, "decoupled")[0] == "Topics/queues.md"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("큐", "Topics/queues.md"), ("설", "Topics/architecture-intro.md"),
     ("층", "Topics/layered-style.md")],
)  # fmt: skip
def test_one_syllable_queries_work(
    mini: tuple[Vault, SearchIndex], query: str, expected: str
) -> None:
    """A syllable alone, at the start of a word, or inside one (계층형 → 층)."""
    _vault, index = mini
    assert expected in _paths(index, query)


def test_japanese_and_chinese_runs_are_searchable(mini: tuple[Vault, SearchIndex]) -> None:
    _vault, index = mini
    assert _paths(index, "日本語") == ["Inbox/japanese.md"]
    assert _paths(index, "東京の天気") == ["Inbox/japanese.md"]


def test_snippets_are_escaped_html_with_only_mark_tags(mini: tuple[Vault, SearchIndex]) -> None:
    _vault, index = mini
    [hit] = index.search("tokenizer readable").hits
    assert "&lt;script&gt;" in hit.snippet_html
    assert {tag for tag in _TAG.findall(hit.snippet_html)} == {"<mark>", "</mark>"}
    assert "<mark>tokenizer</mark>" in hit.snippet_html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag:architecture", {"Topics/architecture-intro.md", "Topics/layered-style.md"}),
        ("tag:guide", {"Topics/architecture-intro.md"}),  # a parent of the nested tag guide/intro
        ("trust:>=B", {"Topics/architecture-intro.md", "Inbox/japanese.md",
                       "Topics/trusted-cache.md"}),
        ("trust:E", {"Topics/queues.md", "Topics/untrusted-cache.md"}),
        ("status:draft", {"Topics/queues.md", "Inbox/escaping.md"}),
        ("category:messaging", {"Topics/queues.md"}),
        ("path:Inbox", {"Inbox/escaping.md", "Inbox/japanese.md"}),
        ("path:inbox/esc*", {"Inbox/escaping.md"}),
        ("cache trust:>=B", {"Topics/trusted-cache.md"}),
        ("tag:caching -trust:E", {"Topics/trusted-cache.md"}),
    ],
)  # fmt: skip
def test_filters(mini: tuple[Vault, SearchIndex], query: str, expected: set[str]) -> None:
    _vault, index = mini
    results = index.search(query, limit=50)
    assert {h.path for h in results.hits} == expected
    assert results.total == len(expected)


def test_trust_weighting_breaks_a_tie_and_can_be_turned_off(tmp_path: Path) -> None:
    vault = _load(MINI)
    with SearchIndex.open(vault, tmp_path / "index") as weighted:
        weighted.update(vault)
        hits = weighted.search("cache copy reader").hits
    assert [h.path for h in hits] == ["Topics/trusted-cache.md", "Topics/untrusted-cache.md"]
    assert hits[0].score > hits[1].score
    assert (hits[0].trust_level, hits[1].trust_level) == ("A", "E")
    with SearchIndex.open(vault, tmp_path / "index", trust_weight=0.0) as plain:
        scores = [h.score for h in plain.search("cache copy reader").hits]
    assert scores[0] == pytest.approx(scores[1])


def test_trust_weight_comes_from_kgwiki_toml(tmp_path: Path) -> None:
    """``[search] trust_weight = 0`` in kgwiki.toml turns trust out of the ranking."""
    from dataclasses import replace

    from kgwiki.config import ConfigError, load_config

    toml = tmp_path / "kgwiki.toml"
    toml.write_text("[search]\ntrust_weight = 0\n", encoding="utf-8")
    config = load_config(toml)
    assert config.search_trust_weight == 0.0
    vault = Vault.load(MINI, replace(config, source=None), use_cache=False)
    with SearchIndex.open(vault, tmp_path / "index") as plain:
        plain.update(vault)
        scores = [h.score for h in plain.search("cache copy reader").hits]
    assert len(scores) == 2 and scores[0] == pytest.approx(scores[1])
    for bad in ("trust_weight = 2", "weight = 0.1"):
        toml.write_text(f"[search]\n{bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"\[search\]"):
            load_config(toml)


def test_the_example_config_is_the_defaults(repo_dir: Path) -> None:
    """kgwiki.toml.example says its values are the defaults: they must be."""
    from dataclasses import replace

    from kgwiki.config import Config, load_config

    example = load_config(repo_dir / "kgwiki.toml.example")
    assert replace(example, source=None, vault=None) == Config()


def test_a_typo_is_corrected_and_searched(mini: tuple[Vault, SearchIndex]) -> None:
    _vault, index = mini
    results = index.search("cahce")
    assert results.suggestion == "cache"
    assert results.corrected
    assert {h.path for h in results.hits} >= {"Topics/trusted-cache.md"}
    assert index.search("cache").suggestion is None


def test_no_note_with_every_word_falls_back_to_any_word(mini: tuple[Vault, SearchIndex]) -> None:
    _vault, index = mini
    results = index.search("cache 東京")
    assert results.any_word
    assert "Inbox/japanese.md" in {h.path for h in results.hits}


def test_a_malformed_query_is_an_error_message(mini: tuple[Vault, SearchIndex]) -> None:
    _vault, index = mini
    results = index.search('"unclosed')
    assert results.error is not None and "quote" in results.error
    assert results.hits == []


def test_incremental_update_adds_changes_and_removes(mini: tuple[Vault, SearchIndex]) -> None:
    vault, index = mini
    root = vault.root
    (root / "Inbox" / "new.md").write_text("# Zebra Crossing\n\n얼룩말 횡단보도.\n", "utf-8")
    changed = root / "Topics" / "queues.md"
    changed.write_text(changed.read_text("utf-8") + "\nBackpressure keeps queues short.\n", "utf-8")
    (root / "Inbox" / "escaping.md").unlink()
    vault = _load(root)
    assert index.pending(vault).count == 3
    done = index.update(vault)
    assert (done.added, done.changed, done.removed) == (
        ("Inbox/new.md",), ("Topics/queues.md",), ("Inbox/escaping.md",))  # fmt: skip
    assert _paths(index, "얼룩말") == ["Inbox/new.md"]
    assert _paths(index, "backpressure") == ["Topics/queues.md"]
    assert _paths(index, "tokenizer") == []
    assert len(index) == len(vault.notes)
    assert not index.update(vault)  # the stored hashes now match: nothing to do


def test_a_changed_note_is_found_once(mini: tuple[Vault, SearchIndex]) -> None:
    """Regression: whoosh's own Searcher.refresh() kept old segments and found it twice."""
    vault, index = mini
    for round_ in range(3):
        note = vault.root / "Topics" / "layered-style.md"
        note.write_text(note.read_text("utf-8") + f"\nRevision marker {round_}.\n", "utf-8")
        vault = _load(vault.root)
        index.update(vault)
        assert _paths(index, "layered") == ["Topics/layered-style.md"]
        assert len(index) == len(vault.notes)


def test_a_reader_sees_another_writers_commit(tmp_path: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(MINI, root)
    vault = _load(root)
    with (SearchIndex.open(vault, tmp_path / "index") as reader,
          SearchIndex.open(vault, tmp_path / "index") as writer):  # fmt: skip
        assert _paths(reader, "日本語") == []
        writer.update(vault)
        assert _paths(reader, "日本語") == ["Inbox/japanese.md"]


def test_a_second_writer_waits_then_says_why(mini: tuple[Vault, SearchIndex]) -> None:
    vault, index = mini
    (vault.root / "Inbox" / "late.md").write_text("# Late\n", "utf-8")
    holder = acquire_writer(index._ix, procs=1)
    try:
        index.timeout = 0.3
        with pytest.raises(IndexLockedError, match="another process is writing"):
            index.update(_load(vault.root))
    finally:
        holder.cancel()
    assert index.update(_load(vault.root)).added == ("Inbox/late.md",)


@pytest.mark.parametrize("victims", ["*", "*.pst", "_MAIN_*.toc", "*.col"])
def test_a_corrupt_index_is_rebuilt_from_the_notes(
    mini: tuple[Vault, SearchIndex], victims: str
) -> None:
    vault, index = mini
    folder = index.folder
    index.close()
    for path in folder.glob(victims):
        if path.is_file():
            path.write_bytes(b"\x00garbage\xff" * max(1, path.stat().st_size // 9))
    with SearchIndex.open(vault, folder) as reopened:
        assert _paths(reopened, "아키텍처란")[0] == "Topics/architecture-intro.md"
        assert len(reopened) == len(vault.notes)


def test_a_missing_segment_file_is_rebuilt(mini: tuple[Vault, SearchIndex]) -> None:
    vault, index = mini
    folder = index.folder
    index.close()
    for path in folder.glob("*.trm"):
        path.unlink()
    with SearchIndex.open(vault, folder) as reopened:
        assert _paths(reopened, "queueing") == ["Topics/queues.md"]


def test_the_index_lives_in_the_vault_or_the_user_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "vault"
    shutil.copytree(MINI, root)
    vault = _load(root)
    with SearchIndex.open(vault) as index:
        assert index.folder == default_index_dir(vault) == root / ".kgwiki" / "index"
    # A vault where <vault>/.kgwiki cannot be a folder stands in for a read-only one.
    other = tmp_path / "other"
    shutil.copytree(MINI, other)
    (other / ".kgwiki").write_text("not a folder", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with SearchIndex.open(_load(other)) as fallback:
        assert fallback.folder.is_relative_to(tmp_path / "cache" / "kgwiki")


def test_the_bundled_vault_finds_every_note_that_writes_the_word(
    bundled_vault_dir: Path, tmp_path: Path
) -> None:
    vault = _load(bundled_vault_dir)
    with SearchIndex.open(vault, tmp_path / "index") as index:
        index.update(vault)
        for word in ("아키텍처", "서비스", "일관성"):
            writing = {p for p, note in vault.notes.items() if word in note.text}
            found = {h.path for h in index.search(word, limit=len(vault.notes)).hits}
            assert writing and writing <= found, word


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"keeps a copy"', {"Topics/trusted-cache.md", "Topics/untrusted-cache.md"}),
        ('"copy keeps"', set()),
        ('"계층형 아키텍처는"', {"Topics/layered-style.md"}),
        ('"아키텍처는 계층형"', set()),
        ('"시스템의 큰 구조"', {"Topics/architecture-intro.md"}),
    ],
)
def test_phrases_need_the_words_in_order(
    mini: tuple[Vault, SearchIndex], query: str, expected: set[str]
) -> None:
    _vault, index = mini
    assert set(_paths(index, query)) == expected


def test_phrase_matcher_agrees_with_whoosh_phrase(bundled_vault_dir: Path, tmp_path: Path) -> None:
    """The offset matcher (fewer terms, own position check) finds what whoosh's Phrase finds."""
    from whoosh import query as wq

    from kgwiki.search.analysis import query_terms
    from kgwiki.search.phrase import OffsetPhrase, phrase_terms

    vault = _load(bundled_vault_dir)
    with SearchIndex.open(vault, tmp_path / "index") as index:
        index.update(vault)
        searcher = index._searcher
        for text in ("graceful shutdown", "service mesh", "서비스 메시", "분산 시스템의",
                     "at least once", "모든 요청의 관문"):  # fmt: skip
            ours = set(searcher.docs_for_query(OffsetPhrase("text", phrase_terms(text))))
            theirs = set(searcher.docs_for_query(wq.Phrase("text", query_terms(text))))
            assert ours == theirs, text
            assert ours, text


@pytest.mark.parametrize("as_text", [True, False])
def test_open_takes_the_vault_folder_as_a_path(tmp_path: Path, as_text: bool) -> None:
    root = tmp_path / "vault"
    shutil.copytree(MINI, root)
    folder: str | Path = str(root) if as_text else root
    with SearchIndex.open(folder, tmp_path / "index") as index:
        done = index.update()
        assert len(done.added) == len(_load(root).notes) > 0
        assert _paths(index, "아키텍처")


def test_column_values_are_kept_beside_the_segments(
    mini: tuple[Vault, SearchIndex], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next process that opens the index reads columns.pickle, not every document's
    columns; answers are the same; a stale, damaged or foreign sidecar is read the long way."""
    from kgwiki.search import columns

    vault, index = mini
    folder = index.folder
    expected = [(h.path, h.score) for h in index.search("아키텍처 OR queueing", limit=10).hits]
    index.close()
    assert (folder / columns.SIDECAR).is_file()
    reads: list[int] = []
    real = columns._read_columns

    def counting(reader: object, count: int) -> columns.Raw:
        reads.append(count)
        return real(reader, count)

    monkeypatch.setattr(columns, "_read_columns", counting)

    def answers() -> list[tuple[str, float]]:
        with SearchIndex.open(vault, folder) as reopened:
            return [(h.path, h.score) for h in reopened.search("아키텍처 OR queueing",
                                                               limit=10).hits]  # fmt: skip

    assert answers() == expected and reads == [], "every segment's values came from the file"
    for damage in (b"not a pickle", pickle.dumps((99, {}))):
        (folder / columns.SIDECAR).write_bytes(damage)
        assert answers() == expected and sum(reads) == len(vault.notes)
        reads.clear()
    # A note changed: its new segment is read, the old ones come from the file.
    note = next(iter(vault.notes))
    file = vault.root / note
    file.write_text(file.read_text(encoding="utf-8") + "\nzebrafinch\n", encoding="utf-8")
    vault.refresh_file(note)
    with SearchIndex.open(vault, folder) as reopened:
        reopened.update(vault)
        assert [h.path for h in reopened.search("zebrafinch").hits] == [note]
    reads.clear()
    with SearchIndex.open(vault, folder) as reopened:
        assert [h.path for h in reopened.search("zebrafinch").hits] == [note]
    assert reads == [], "the new segment was kept too"
