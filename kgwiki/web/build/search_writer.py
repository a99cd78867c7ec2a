"""Keeps ``data/search/`` of a built site current (the format is in ``build_search``).

A document's id is its rank among the note paths, so the index is a function of the vault
alone and an incremental build writes the same bytes as a clean one. Editing notes keeps
every id: only the shards of terms whose counts changed are rewritten (each note's term
counts are kept in the build cache to compute that difference). Adding, removing or renaming
a note renumbers the documents after it, and the index is written afresh.

The kept counts are a cache: a note whose record is missing or damaged is counted again from
the note itself (``recount``), and when an edited note's old counts are lost, so that which of
its terms' lists to take it out of is unknown, every list is written afresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from kgwiki.types import NotePath
from kgwiki.web.build.cache import CACHE_DIR, digest, write_if_changed
from kgwiki.web.build.search_docs import (
    TEXT_BUCKET,
    SearchDoc,
    decode,
    encode,
    fnv1a,
    read_script,
    script,
    shard_count,
)
from kgwiki.web.build.term_records import Columns, Record, TermRecords

# The search figures of the named notes, counted from the notes themselves.
Recount = Callable[[list[str]], list[SearchDoc]]


def all_postings(paths: list[str], columns: Mapping[str, Columns], terms: Sequence[str],
                 shards: int) -> list[dict[str, list[int]]]:  # fmt: skip
    """Each shard's posting lists, ``{term: encode(postings)}`` in term order, for documents
    ``paths`` (ids by rank), each given as ``TermRecords.columns`` (term numbers in ``terms``,
    counts).

    The same lists ``encode`` gives one term at a time, made for all terms at once: the
    10,000-note vault has 5.7 million postings, and a Python step per posting took 3 s where
    sorting them by term in numpy takes a fraction of one.
    """
    import numpy as np

    present = [(doc, found) for doc, found in enumerate(map(columns.get, paths))
               if found is not None and len(found[0])]  # fmt: skip
    out: list[dict[str, list[int]]] = [{} for _ in range(shards)]
    if not present:
        return out
    alphabetical = sorted(range(len(terms)), key=terms.__getitem__)
    place = np.empty(len(terms), dtype=np.int64)  # each term's place in term order
    place[alphabetical] = np.arange(len(terms))
    keys = place[np.concatenate([numbers for _, (numbers, _) in present])]
    tfs = np.concatenate([counts for _, (_, counts) in present]).astype(np.int64)
    ids = np.repeat(np.array([doc for doc, _ in present], dtype=np.int64),
                    [len(numbers) for _, (numbers, _) in present])  # fmt: skip
    order = _stable_order(keys, len(terms))  # by term, each term's documents ascending
    keys, ids = keys[order], ids[order]
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))
    gaps = np.diff(ids, prepend=0)
    gaps[starts] = ids[starts]  # a list's first id is its own gap from 0
    flat = np.empty(2 * len(ids), dtype=np.int64)
    flat[0::2], flat[1::2] = gaps, tfs[order]
    values = flat.tolist()
    bounds = [*(2 * starts).tolist(), len(values)]
    for i, key in enumerate(keys[starts].tolist()):
        term = terms[alphabetical[key]]
        out[fnv1a(term) % shards][term] = values[bounds[i] : bounds[i + 1]]
    return out


def _stable_order(keys: Any, distinct: int) -> Any:
    """``argsort(keys, stable)`` for keys in ``range(distinct)``: numpy sorts 16-bit keys by
    radix (0.08 s for 5.7M, against 0.5 s for wider ones), so wider keys go in two passes."""
    import numpy as np

    if distinct <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    low = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    high = np.argsort((keys[low] >> 16).astype(np.uint16 if distinct <= 1 << 32 else np.int64),
                      kind="stable")  # fmt: skip
    return low[high]


class SearchWriter:
    """The client index of one output folder; ``state`` is what the last build recorded."""

    def __init__(self, out: Path, state: dict[str, Any], recount: Recount | None = None) -> None:
        self.base = out / "data" / "search"
        self.recount = recount
        self.counts = TermRecords(out / CACHE_DIR / "terms")
        self.paths: list[str] = list(state.get("paths", []))
        # path → [content, length, terms, stored length, trust multiplier]
        self.docs: dict[str, list[Any]] = dict(state.get("docs", {}))
        self.shards = int(state.get("shards", 0))
        self.files: dict[str, str] = dict(state.get("files", {}))
        self.written: list[str] = []

    def state(self) -> dict[str, Any]:
        return {"paths": self.paths, "docs": self.docs, "shards": self.shards, "files": self.files}

    def content_of(self, path: NotePath) -> str:
        """The note version the index holds for ``path`` ("" when none)."""
        return str(self.docs.get(path, [""])[0])

    def site_files(self) -> list[str]:
        return sorted("data/search/" + name for name in self.files)

    def update(self, changed: Iterable[SearchDoc], live: set[NotePath],
               titles: dict[NotePath, tuple[str, str, str]]) -> None:  # fmt: skip
        """Take in the changed notes, drop the deleted ones, rewrite the files that changed.

        ``titles`` gives every live note's (title, page location, trust level).
        """
        fresh: dict[str, SearchDoc] = {doc.path: doc for doc in changed if doc.path in live}
        old_paths, new_paths = self.paths, sorted(str(path) for path in live)
        removed = [p for p in old_paths if p not in live]
        before = {p: counts for p, r in self.counts.load(set(fresh) | set(removed)).items()
                  if (counts := self.counts.decode(r)) is not None}  # fmt: skip
        everything = len(fresh) == len(live)  # every note counted: a new vocabulary
        if everything:
            self.counts.restart()
        records = {p: self.counts.encode(d.counts) for p, d in fresh.items()}
        self.counts.save(records, removed)
        for path in removed:
            self.docs.pop(path, None)
        self._take(fresh.values())
        count = shard_count(sum(int(entry[2]) for entry in self.docs.values()))
        indexed = set(old_paths)
        lost = any(p in indexed and p not in before for p in fresh)  # its old lists unknown
        if new_paths != old_paths or count != self.shards or lost:
            self.paths = new_paths
            recounted = self._rewrite_shards(count, records if everything else None)
            self._rewrite_texts({**recounted, **fresh}, old_paths)
        else:
            ids: dict[str, int] = {p: i for i, p in enumerate(new_paths)}
            deltas: dict[str, dict[int, int]] = defaultdict(dict)
            for path, doc in fresh.items():
                old = before.get(path, {})
                for term in old.keys() | doc.counts.keys():
                    if old.get(term) != doc.counts.get(term):
                        deltas[term][ids[path]] = doc.counts.get(term, 0)
            self._patch_shards(deltas)
            self._patch_texts(fresh, ids)
        self._write_docs(titles)

    # -- files -----------------------------------------------------------------------------

    def _put(self, name: str, data: bytes) -> None:
        content, wrote = write_if_changed(self.base, name, data, self.files.get(name))
        self.files[name] = content
        if wrote:
            self.written.append(name)

    def _drop(self, prefix: str, keep: set[str]) -> None:
        for name in [n for n in self.files if n.startswith(prefix) and n not in keep]:
            del self.files[name]
            (self.base / name).unlink(missing_ok=True)

    def _take(self, docs: Iterable[SearchDoc]) -> None:
        for doc in docs:
            self.docs[doc.path] = [doc.content, doc.length, len(doc.counts), doc.stored,
                                   doc.factor]  # fmt: skip

    def _rewrite_shards(self, count: int,
                        records: Mapping[str, Record] | None) -> dict[str, SearchDoc]:  # fmt: skip
        """Every shard from every note's records (``records`` when the caller has them all);
        returns the notes counted again because their records were missing or damaged."""
        records = self.counts.load_all() if records is None else records
        columns = {p: found for p, r in records.items()
                   if (found := self.counts.columns(r)) is not None}  # fmt: skip
        recounted: dict[str, SearchDoc] = {}
        lost = [p for p in self.paths if p not in columns]
        if lost and self.recount is not None:
            recounted = {doc.path: doc for doc in self.recount(lost)}
            again = {p: self.counts.encode(doc.counts) for p, doc in recounted.items()}
            self.counts.save(again)
            columns.update((p, found) for p, r in again.items()
                           if (found := self.counts.columns(r)) is not None)  # fmt: skip
            self._take(recounted.values())
        names = set()
        for index, shard in enumerate(all_postings(self.paths, columns, self.counts.terms,
                                                   count)):  # fmt: skip
            name = f"t/{index}.js"
            names.add(name)
            self._put(name, script("t", index, shard))
        self._drop("t/", names)
        self.shards = count
        return recounted

    def _patch_shards(self, deltas: dict[str, dict[int, int]]) -> None:
        by_shard: defaultdict[int, list[str]] = defaultdict(list)
        for term in deltas:
            by_shard[fnv1a(term) % self.shards].append(term)
        for index, terms in sorted(by_shard.items()):
            name = f"t/{index}.js"
            data = read_script(self.base / name)
            if not isinstance(data, dict):  # damaged: start again from the kept counts
                self._rewrite_shards(self.shards, None)
                return
            for term in terms:
                entries = decode(data.get(term, []))
                for doc_id, tf in deltas[term].items():
                    if tf:
                        entries[doc_id] = tf
                    else:
                        entries.pop(doc_id, None)
                if entries:
                    data[term] = encode(entries)
                else:
                    data.pop(term, None)
            self._put(name, script("t", index, dict(sorted(data.items()))))

    def _old_texts(self, old_paths: list[str]) -> dict[str, str]:
        texts: dict[str, str] = {}
        for name in self.files:
            if name.startswith("x/"):
                for key, text in (read_script(self.base / name) or {}).items():
                    if int(key) < len(old_paths):
                        texts[old_paths[int(key)]] = text
        return texts

    def _rewrite_texts(self, fresh: dict[str, SearchDoc], old_paths: list[str]) -> None:
        texts = {} if len(fresh) == len(self.paths) else self._old_texts(old_paths)
        texts.update({p: d.text for p, d in fresh.items()})
        buckets: defaultdict[int, dict[str, str]] = defaultdict(dict)
        for doc_id, path in enumerate(self.paths):
            buckets[doc_id // TEXT_BUCKET][str(doc_id)] = texts.get(path, "")
        names = set()
        for bucket, data in sorted(buckets.items()):
            name = f"x/{bucket}.js"
            names.add(name)
            self._put(name, script("x", bucket, data))
        self._drop("x/", names)

    def _patch_texts(self, fresh: dict[str, SearchDoc], ids: dict[str, int]) -> None:
        touched: defaultdict[int, dict[str, str]] = defaultdict(dict)
        for path, doc in fresh.items():
            touched[ids[path] // TEXT_BUCKET][str(ids[path])] = doc.text
        for bucket, texts in sorted(touched.items()):
            name = f"x/{bucket}.js"
            data = read_script(self.base / name) or {}
            data.update(texts)
            ordered = dict(sorted(data.items(), key=lambda kv: int(kv[0])))
            self._put(name, script("x", bucket, ordered))

    def _write_docs(self, titles: dict[NotePath, tuple[str, str, str]]) -> None:
        table = []
        total = 0
        for path in self.paths:
            title, location, level = titles[NotePath(path)]
            _content, length, _terms, stored, factor = self.docs[path]
            total += int(length)
            table.append([title, location, level, int(stored), float(factor)])
        docs = script("d", 0, table)
        self._put("docs.js", docs)
        others = sorted(h for n, h in self.files.items() if n != "meta.js")
        # the mean field length unrounded: whoosh divides the same total by the same count
        meta = {"shards": self.shards, "count": len(self.paths), "bucket": TEXT_BUCKET,
                "avgdl": total / max(1, len(self.paths)), "version": digest(*others)}  # fmt: skip
        self._put("meta.js", script("m", 0, meta))
