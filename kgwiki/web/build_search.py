"""The static site's search index: term shards, loaded as ``<script>`` files (works from file://).

Terms come from ``kgwiki.analysis.terms`` — the same ones the server's index holds — and
``static/terms.js`` computes a query's terms the same way. Layout under ``data/search/``:

- ``meta.js``: shard count, document count, mean length, a version for cache busting;
- ``docs.js``: per document id ``[title, location, trust level, length]`` (``null`` = free id);
- ``t/<n>.js``: the postings of every term whose FNV-1a hash is ``n`` modulo the shard count,
  ``{"term": [id, tf, Δid, tf, …]}``;
- ``x/<n>.js``: the opening text of documents ``4n … 4n+3``, for snippets.

A query of three terms loads ``meta``, ``docs``, at most three shards and one text file per
shown hit. Document ids are stable across builds, so editing one note rewrites only the
shards of the terms whose counts changed (per-document counts are kept in the build cache).
"""

from __future__ import annotations

import json
import pickle
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgwiki.analysis import terms
from kgwiki.note import Note
from kgwiki.types import NotePath
from kgwiki.web.build_cache import CACHE_DIR, digest, write_if_changed

TEXT_CHARS = 1500
TEXT_BUCKET = 4
COUNT_BUCKET = 64
TITLE_BOOST = 3
TARGET_SHARD_BYTES = 12_000
MAX_SHARDS = 4096
_CALL = "kgwikiSearchData"


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One note as the client index sees it."""

    path: NotePath
    content: str
    counts: dict[str, int]
    length: int
    text: str


def search_doc(note: Note) -> SearchDoc:
    """Term counts of a note's text, with its title, aliases and tags counted extra."""
    counts = Counter(terms(note.text))
    length = sum(counts.values())
    for term in terms(" ".join((note.title, *note.aliases, *note.tags))):
        counts[term] += TITLE_BOOST
    return SearchDoc(note.path, note.content_hash, dict(counts), length, note.text[:TEXT_CHARS])


def fnv1a(term: str) -> int:
    """32-bit FNV-1a over UTF-8, as ``terms.js`` computes it."""
    h = 0x811C9DC5
    for byte in term.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def script(kind: str, key: int, data: Any) -> bytes:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f'{_CALL}("{kind}",{key},{body});\n'.encode()


def read_script(file: Path) -> Any:
    """The data of a file written by :func:`script` (None when missing or damaged)."""
    try:
        text = file.read_text(encoding="utf-8")
        start = text.index(",", text.index(",") + 1) + 1
        return json.loads(text[start : text.rindex(")")])
    except (OSError, ValueError):
        return None


def _shard_count(postings: int) -> int:
    wanted = max(1, postings * 6 // TARGET_SHARD_BYTES)
    count = 1
    while count < wanted and count < MAX_SHARDS:
        count *= 2
    return count


def _encode(entries: dict[int, int]) -> list[int]:
    out: list[int] = []
    previous = 0
    for doc in sorted(entries):
        out += (doc - previous, entries[doc])
        previous = doc
    return out


def _decode(flat: list[int]) -> dict[int, int]:
    entries: dict[int, int] = {}
    doc = 0
    for i in range(0, len(flat), 2):
        doc += flat[i]
        entries[doc] = flat[i + 1]
    return entries


class SearchWriter:
    """Keeps ``data/search/`` current; ``state`` is the manifest's record of the last build."""

    def __init__(self, out: Path, state: dict[str, Any]) -> None:
        self.out = out
        self.base = out / "data" / "search"
        self.cache = out / CACHE_DIR / "terms"
        self.ids: dict[str, int] = dict(state.get("ids", {}))
        self.docs: dict[str, list[Any]] = dict(state.get("docs", {}))  # path → [content, length]
        self.shards = int(state.get("shards", 0))
        self.postings = int(state.get("postings", 0))
        self.files: dict[str, str] = dict(state.get("files", {}))
        self.written: list[str] = []
        self._free: list[int] | None = None
        self._next = 0

    def state(self) -> dict[str, Any]:
        return {"ids": self.ids, "docs": self.docs, "shards": self.shards,
                "postings": self.postings, "files": self.files}  # fmt: skip

    def content_of(self, path: NotePath) -> str:
        """The note version the index holds for ``path`` ("" when none)."""
        return str(self.docs.get(path, [""])[0])

    def update(self, changed: Iterable[SearchDoc], live: set[NotePath],
               titles: dict[NotePath, tuple[str, str, str]]) -> None:  # fmt: skip
        """Take in changed documents, drop those no longer in ``live``; rewrite what changed.

        ``titles`` gives each live note's (title, location, trust level) for ``docs.js``.
        """
        changed = [doc for doc in changed if doc.path in live]
        removed = {p: self.ids[p] for p in self.ids if p not in live}
        known = {self.ids[d.path] for d in changed if d.path in self.ids}
        counts = self._load_counts(set(removed.values()) | known)
        deltas: dict[str, dict[int, int]] = defaultdict(dict)
        for path, doc_id in removed.items():
            del self.ids[path]
            self.docs.pop(path, None)
            old = counts.pop(doc_id, {})
            self.postings -= len(old)
            for term in old:
                deltas[term][doc_id] = 0
        for doc in changed:
            doc_id = self._id_for(doc.path)
            old = counts.get(doc_id, {})
            for term in old.keys() | doc.counts.keys():
                if old.get(term) != doc.counts.get(term):
                    deltas[term][doc_id] = doc.counts.get(term, 0)
            self.postings += len(doc.counts) - len(old)
            counts[doc_id] = doc.counts
            self.docs[doc.path] = [doc.content, doc.length]
        self._save_counts(counts, {self.ids[d.path] for d in changed}, set(removed.values()))
        wanted_shards = _shard_count(self.postings)
        if self.shards == 0 or not self.shards // 4 < wanted_shards < self.shards * 4:
            complete = len(counts) == len(self.ids)
            self._rewrite_all_shards(wanted_shards, counts if complete else None)
        elif deltas:
            self._patch_shards(deltas)
        self._write_texts(changed, set(removed.values()))
        self._write_docs(titles)

    # -- ids and the per-document count cache -------------------------------------------

    def _id_for(self, path: NotePath) -> int:
        """The note's id; a new note takes the lowest free one (ids of deleted notes first)."""
        if path not in self.ids:
            if self._free is None:
                used = set(self.ids.values())
                top = max(used, default=-1) + 1
                self._free = sorted(set(range(top)) - used, reverse=True) + []
                self._next = top
            if self._free:
                self.ids[path] = self._free.pop()
            else:
                self.ids[path] = self._next
                self._next += 1
        return self.ids[path]

    def _count_file(self, bucket: int) -> Path:
        return self.cache / f"{bucket}.pickle"

    def _load_counts(self, ids: set[int]) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = {}
        for bucket in {i // COUNT_BUCKET for i in ids}:
            found.update(self._read_bucket(bucket))
        return {i: found[i] for i in ids if i in found}

    def _read_bucket(self, bucket: int) -> dict[int, dict[str, int]]:
        try:
            with self._count_file(bucket).open("rb") as handle:
                data: dict[int, dict[str, int]] = pickle.load(handle)
            return data
        except (OSError, pickle.UnpicklingError, EOFError):
            return {}

    def _save_counts(self, counts: dict[int, dict[str, int]], ids: set[int],
                     removed: set[int]) -> None:  # fmt: skip
        """Store the counts of ``ids`` and forget ``removed``, touching only their buckets."""
        by_bucket: dict[int, set[int]] = defaultdict(set)
        for doc_id in ids | removed:
            by_bucket[doc_id // COUNT_BUCKET].add(doc_id)
        self.cache.mkdir(parents=True, exist_ok=True)
        for bucket, members in by_bucket.items():
            data = self._read_bucket(bucket)
            for doc_id in members:
                if doc_id in ids:
                    data[doc_id] = counts[doc_id]
                else:
                    data.pop(doc_id, None)
            with self._count_file(bucket).open("wb") as handle:
                pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def _all_counts(self) -> dict[int, dict[str, int]]:
        found: dict[int, dict[str, int]] = {}
        for file in self.cache.glob("*.pickle"):
            found.update(self._read_bucket(int(file.stem)))
        live = set(self.ids.values())
        return {i: c for i, c in found.items() if i in live}

    # -- files ---------------------------------------------------------------------------

    def _put(self, name: str, data: bytes) -> None:
        content, _ = write_if_changed(self.base, name, data, self.files.get(name))
        self.files[name] = content
        self.written.append(name)

    def _rewrite_all_shards(self, count: int,
                            counts: dict[int, dict[str, int]] | None = None) -> None:  # fmt: skip
        shards: list[dict[str, dict[int, int]]] = [defaultdict(dict) for _ in range(count)]
        for doc_id, doc_counts in (self._all_counts() if counts is None else counts).items():
            for term, tf in doc_counts.items():
                shards[fnv1a(term) % count][term][doc_id] = tf
        for name in [n for n in self.files if n.startswith("t/")]:
            del self.files[name]
            (self.base / name).unlink(missing_ok=True)
        for index, shard in enumerate(shards):
            data = {term: _encode(entries) for term, entries in sorted(shard.items())}
            self._put(f"t/{index}.js", script("t", index, data))
        self.shards = count

    def _patch_shards(self, deltas: dict[str, dict[int, int]]) -> None:
        by_shard: dict[int, list[str]] = defaultdict(list)
        for term in deltas:
            by_shard[fnv1a(term) % self.shards].append(term)
        for index, changed_terms in sorted(by_shard.items()):
            name = f"t/{index}.js"
            data = read_script(self.base / name)
            if not isinstance(data, dict):
                self._rewrite_all_shards(self.shards)
                return
            for term in changed_terms:
                entries = _decode(data.get(term, []))
                for doc_id, tf in deltas[term].items():
                    if tf:
                        entries[doc_id] = tf
                    else:
                        entries.pop(doc_id, None)
                if entries:
                    data[term] = _encode(entries)
                else:
                    data.pop(term, None)
            self._put(name, script("t", index, dict(sorted(data.items()))))

    def _write_texts(self, changed: list[SearchDoc], removed: set[int]) -> None:
        updates: dict[int, dict[str, str]] = defaultdict(dict)
        for doc in changed:
            doc_id = self.ids[doc.path]
            updates[doc_id // TEXT_BUCKET][str(doc_id)] = doc.text
        for doc_id in removed:
            updates.setdefault(doc_id // TEXT_BUCKET, {})
        live = set(self.ids.values())
        for bucket, texts in sorted(updates.items()):
            name = f"x/{bucket}.js"
            old = read_script(self.base / name) if name in self.files else None
            merged = {k: v for k, v in (old or {}).items() if int(k) in live}
            merged.update(texts)
            if merged:
                ordered = dict(sorted(merged.items(), key=lambda kv: int(kv[0])))
                self._put(name, script("x", bucket, ordered))
            elif name in self.files:
                del self.files[name]
                (self.base / name).unlink(missing_ok=True)

    def _write_docs(self, titles: dict[NotePath, tuple[str, str, str]]) -> None:
        size = max(self.ids.values(), default=-1) + 1
        table: list[Any] = [None] * size
        total = 0
        for path, doc_id in self.ids.items():
            title, location, level = titles[NotePath(path)]
            length = int(self.docs[path][1])
            total += length
            table[doc_id] = [title, location, level, length]
        docs = script("d", 0, table)
        self._put("docs.js", docs)
        meta = {"shards": self.shards, "count": len(self.ids), "bucket": TEXT_BUCKET,
                "avgdl": round(total / max(1, len(self.ids)), 2),
                "version": digest(docs, *sorted(h for n, h in self.files.items() if n != "meta.js"))}  # fmt: skip
        self._put("meta.js", script("m", 0, meta))

    def site_files(self) -> list[str]:
        """Every file of the index, relative to the site root."""
        return sorted("data/search/" + name for name in self.files)
