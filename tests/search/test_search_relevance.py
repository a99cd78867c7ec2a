"""Relevance: known-item queries over the bundled vault and the shared corpora.

Each query in tests/data/search/relevance.json names the one note a person typing it is
looking for. The suite prints MRR and recall@5 (by kind of query, too) and fails below an MRR
of 0.85. The figures are quoted in docs/search.md.

Heading queries are made from the vaults themselves: every heading that only one note has
(and that is not its title), typed as people type it — numbering, emoji and punctuation
dropped, Korean particles stripped (``시스템 아키텍처란?`` → ``시스템 아키텍처``) — should find
that note; they fail below an MRR of 0.90.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from paths import DATA

from kgwiki.search import SearchIndex
from kgwiki.search.analysis import STOP_WORDS, is_cjk
from kgwiki.search.compile import strip_particle
from kgwiki.vault import Vault

RELEVANCE = DATA / "search" / "relevance.json"
QUERIES: list[dict[str, Any]] = json.loads(RELEVANCE.read_text(encoding="utf-8"))["queries"]
MIN_MRR = 0.85
MIN_HEADING_MRR = 0.90
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")


@dataclass(frozen=True, slots=True)
class Outcome:
    kind: str
    query: str
    rank: int | None  # 1-based; None when not in the first ten hits


class Indexes:
    """One index per vault, built on first use in a temporary folder."""

    def __init__(self, folder: Path, roots: dict[str, Path]) -> None:
        self.folder, self.roots = folder, roots
        self.open: dict[str, SearchIndex] = {}
        self.vaults: dict[str, Vault] = {}

    def __getitem__(self, name: str) -> SearchIndex:
        if name not in self.open:
            vault = Vault.load(self.roots[name], use_cache=False)
            index = SearchIndex.open(vault, self.folder / name)
            index.update(vault)
            self.open[name], self.vaults[name] = index, vault
        return self.open[name]

    def vault(self, name: str) -> Vault:
        self[name]
        return self.vaults[name]

    def close(self) -> None:
        for index in self.open.values():
            index.close()


@pytest.fixture(scope="module")
def indexes(
    tmp_path_factory: pytest.TempPathFactory,
    bundled_vault_dir: Path,
    request: pytest.FixtureRequest,
) -> Iterator[Indexes]:
    roots = {"bundled": bundled_vault_dir}
    corpora = {q["vault"] for q in QUERIES} - {"bundled"}
    if corpora:
        try:
            shared: Path = request.getfixturevalue("shared_dir")
        except pytest.skip.Exception:
            shared = Path("/nonexistent")
        roots |= {name: shared / "corpora" / name for name in corpora}
    built = Indexes(tmp_path_factory.mktemp("relevance"), roots)
    yield built
    built.close()


def _run(indexes: Indexes, queries: list[dict[str, Any]]) -> list[Outcome]:
    outcomes = []
    for q in queries:
        paths = [hit.path for hit in indexes[q["vault"]].search(q["query"], limit=10).hits]
        rank = paths.index(q["expect"]) + 1 if q["expect"] in paths else None
        outcomes.append(Outcome(q["kind"], q["query"], rank))
    return outcomes


def typed(heading: str) -> str:
    """A heading as a person types it: words, no particles (``아키텍처란?`` → ``아키텍처``)."""
    words = []
    for raw in heading.split():
        word = _EDGE.sub("", raw)
        if not word or word.isdigit() or word.casefold() in STOP_WORDS:
            continue
        stem = strip_particle(word) if is_cjk(word[-1]) else None
        words.append(stem or word)
    return " ".join(words)


def heading_queries(indexes: Indexes, name: str) -> list[dict[str, Any]]:
    """Known-item queries from the headings only one note has (two words or more)."""
    vault = indexes.vault(name)
    typed_by_note = {path: {typed(h.text) for h in note.headings if h.text != note.title}
                     for path, note in vault.notes.items()}  # fmt: skip
    seen = Counter(q for queries in typed_by_note.values() for q in queries)
    return [{"vault": name, "kind": "heading", "query": q, "expect": path}
            for path in sorted(typed_by_note) for q in sorted(typed_by_note[path])
            if seen[q] == 1 and len(q.split()) >= 2]  # fmt: skip


def _mrr(outcomes: list[Outcome]) -> float:
    return sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)


def _recall5(outcomes: list[Outcome]) -> float:
    return sum(1 for o in outcomes if o.rank and o.rank <= 5) / len(outcomes)


def _report(title: str, outcomes: list[Outcome]) -> str:
    lines = [f"{title}: MRR {_mrr(outcomes):.3f}, recall@5 {_recall5(outcomes):.3f} "
             f"over {len(outcomes)} queries"]  # fmt: skip
    by_kind: defaultdict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    for kind, group in sorted(by_kind.items()):
        lines.append(f"  {kind:<16} MRR {_mrr(group):.3f}  recall@5 {_recall5(group):.3f}  "
                     f"({len(group)})")  # fmt: skip
    lines += [f"  missed at rank {o.rank}: {o.query!r}" for o in outcomes if o.rank != 1]
    return "\n".join(lines)


def test_bundled_vault_relevance(indexes: Indexes, capsys: pytest.CaptureFixture[str]) -> None:
    outcomes = _run(indexes, [q for q in QUERIES if q["vault"] == "bundled"])
    with capsys.disabled():
        print("\n" + _report("search relevance, bundled vault", outcomes))
    assert len(outcomes) >= 40
    assert _mrr(outcomes) >= MIN_MRR


def test_all_vaults_relevance(
    indexes: Indexes, shared_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outcomes = _run(indexes, QUERIES)
    with capsys.disabled():
        print("\n" + _report("search relevance, bundled vault + corpora", outcomes))
    assert _mrr(outcomes) >= MIN_MRR


def test_every_expected_note_exists(indexes: Indexes) -> None:
    """A renamed note must fail here, not silently lower the figures."""
    for q in QUERIES:
        if q["vault"] != "bundled" and not indexes.roots[q["vault"]].is_dir():
            continue
        assert (indexes.roots[q["vault"]] / q["expect"]).is_file(), q


def test_heading_queries(indexes: Indexes, capsys: pytest.CaptureFixture[str]) -> None:
    names = ["bundled"] + [n for n in sorted(indexes.roots) if n != "bundled"
                           and indexes.roots[n].is_dir()]  # fmt: skip
    queries = [q for name in names for q in heading_queries(indexes, name)]
    outcomes = _run(indexes, queries)
    by_vault = defaultdict(list)
    for q, outcome in zip(queries, outcomes, strict=True):
        by_vault[q["vault"]].append(outcome)
    with capsys.disabled():
        for name, group in by_vault.items():
            print(f"\nheading queries, {name}: MRR {_mrr(group):.3f}, "
                  f"recall@5 {_recall5(group):.3f} over {len(group)}")
        print("\n".join(f"  missed at rank {o.rank}: {o.query!r}"
                        for o in outcomes if o.rank != 1))  # fmt: skip
    assert len(by_vault["bundled"]) >= 50
    assert _mrr(outcomes) >= MIN_HEADING_MRR
