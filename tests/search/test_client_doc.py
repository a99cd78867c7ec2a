"""``client_doc`` counts every note as the whoosh document does, term by term and in order."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

from kgwiki.note import Note
from kgwiki.search import ClientDoc, client_doc
from kgwiki.search.analysis import spans, terms
from kgwiki.search.schema import SECTION_WEIGHTS, note_document, stored_length
from kgwiki.vault import Vault


def reference_doc(note: Note) -> ClientDoc:
    """The figures read straight off ``note_document``: each field analysed on its own."""
    document = note_document(note)
    weights: defaultdict[str, float] = defaultdict(float)
    length = 0
    for text, weight in zip(document["text"], SECTION_WEIGHTS, strict=True):
        found = [span[0] for span in spans(text)]
        length += len(found)
        for term in found:
            weights[term] += weight
    names = frozenset(span[0] for span in spans(document.get("names", "")))
    heads = frozenset(span[0] for span in spans(document.get("heads", "")))
    factor = client_doc(note).factor
    return ClientDoc({t: int(w) for t, w in weights.items()}, names, heads, length,
                     stored_length(length), factor)  # fmt: skip


def _notes(*roots: Path) -> list[Note]:
    return [note for root in roots for note in Vault.load(root, use_cache=False).notes.values()]


def _check(notes: list[Note]) -> None:
    for note in notes:
        doc, expected = client_doc(note), reference_doc(note)
        assert doc == expected, note.path
        assert list(doc.weights) == list(expected.weights), note.path  # first occurrence order
        assert terms(note.text) == [span[0] for span in spans(note.text)], note.path


EDGES = """---
title: 캐시 전략 Caching
aliases: [Cache, 캐시]
id: C-7
tags: [perf/cache, 캐시]
category: Systems/Storage_Layer
description: 캐시란 무엇인가 — what caches are for
---
# 캐시 전략 Caching

## 캐시 전략 Caching

## Cache invalidation 캐시 무효화

Caching caches cached things: 캐시는 캐시다. 日本語のテキスト Ｋ８ｓ 1.24 a_b
"""


def test_client_doc_counts_as_the_index_does(bundled_vault_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "edge-cases.md").write_text(EDGES, encoding="utf-8")
    notes = _notes(bundled_vault_dir, tmp_path)
    assert len(notes) > 20
    edge = next(note for note in notes if note.path == "edge-cases.md")
    assert edge.aliases and edge.id and edge.meta.description and edge.meta.category
    _check(notes)


def test_client_doc_on_real_vaults(shared_dir: Path, tmp_path: Path) -> None:
    corpora = sorted(p for p in (shared_dir / "corpora").iterdir() if p.is_dir())
    assert corpora
    copies = [shutil.copytree(p, tmp_path / p.name, ignore=shutil.ignore_patterns(".kgwiki"))
              for p in corpora]  # fmt: skip
    _check(_notes(*copies))
