"""Keeps ``data/search/`` of a built site current (the format is in ``build_search``).

A document's id is its place in a hash table of the note paths (``doc_ids``) that depends on
the set of paths alone, so the index is a function of the vault and an incremental build
writes the same bytes as a clean one. Editing notes keeps every id: only the shards of terms
whose counts changed are rewritten (each note's term counts are kept in the build cache to
compute that difference). Adding or removing a note gives it an id, or frees one, and moves
the few notes after it in its run of the table, so only the shards of their terms and the
document table are rewritten, not the whole index (as when ids were ranks, and every note
after the new one moved). A table that grows past a power of two numbers every note again.

The kept counts are a cache: a note whose record is missing or damaged is counted again from
the note itself (``recount``), and when an edited or moved note's old counts are lost, so that
which of its terms' lists to take it out of is unknown, every list is written afresh.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from kgwiki.types import NotePath
from kgwiki.web.build.cache import CACHE_DIR, digest, write_if_changed
from kgwiki.web.build.search_docs import (
    TEXT_BUCKET,
    SearchDoc,
    fnv1a,
    patch,
    read_script,
    script,
    shard_count,
)
from kgwiki.web.build.search_postings import all_postings, doc_ids, id_places
from kgwiki.web.build.term_records import Record, TermRecords

Titles = dict[NotePath, tuple[str, str, str]]  # (title, page location, trust level) by note
# The search figures of the named notes, counted from the notes themselves.
Recount = Callable[[list[str]], list[SearchDoc]]


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

    def update(self, changed: Iterable[SearchDoc], live: set[NotePath], titles: Titles) -> None:
        """Take in the changed notes, drop the deleted ones, rewrite the files that changed.

        ``titles`` gives every live note's (title, page location, trust level).
        """
        fresh: dict[str, SearchDoc] = {doc.path: doc for doc in changed if doc.path in live}
        old_paths, new_paths = self.paths, sorted(str(path) for path in live)
        old_ids = doc_ids(old_paths)
        new_ids = old_ids if new_paths == old_paths else doc_ids(new_paths)
        removed = [p for p in old_paths if p not in live]
        everything = len(fresh) == len(live)  # every note counted: a new vocabulary
        # a table grown or shrunk past a power of two moves every note: all written afresh,
        # so neither needs the old counts
        afresh = everything or id_places(len(old_paths)) != id_places(len(new_paths))
        moved = [] if afresh else [p for p, i in new_ids.items()
                                   if p not in fresh and old_ids.get(p, i) != i]  # fmt: skip
        leaving = [] if afresh else [p for p in (*removed, *moved, *fresh) if p in old_ids]
        before = {p: counts for p, r in self.counts.load(leaving).items()
                  if (counts := self.counts.decode(r)) is not None}  # fmt: skip
        if everything:
            self.counts.restart()
        records = {p: self.counts.encode(d.counts) for p, d in fresh.items()}
        self.counts.save(records, removed)
        for path in removed:
            self.docs.pop(path, None)
        self._take(fresh.values())
        count = shard_count(sum(int(entry[2]) for entry in self.docs.values()))
        lost = any(p not in before for p in leaving)  # which lists hold it is unknown
        self.paths = new_paths
        if afresh or lost or count != self.shards:
            recounted = self._rewrite_shards(count, new_ids, records if everything else None)
            self._rewrite_texts({**recounted, **fresh}, old_ids, new_ids)
        else:
            self._patch_shards(_deltas(fresh, moved, leaving, before, old_ids, new_ids))
            self._patch_texts(fresh, moved, leaving, old_ids, new_ids)
        self._write_docs(titles, new_ids)

    def titles(self) -> Titles | None:
        """Every note's (title, page location, trust level) as the document table holds them
        (None when the table does not match the state)."""
        table = read_script(self.base / "docs.js")
        rows = table.get("rows") if isinstance(table, dict) else None
        if not isinstance(rows, list) or len(rows) != len(self.paths):
            return None
        return {NotePath(p): (str(row[0]), str(row[1]), str(row[2]))
                for p, row in zip(self.paths, rows, strict=True)}  # fmt: skip

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

    def _rewrite_shards(self, count: int, ids: Mapping[str, int],
                        records: Mapping[str, Record] | None) -> dict[str, SearchDoc]:  # fmt: skip
        """Every shard from every note's records (``records`` when the caller has them all);
        returns the notes counted again because their records were missing or damaged."""
        records = self.counts.load_all() if records is None else records
        columns = {p: found for p, r in records.items()
                   if (found := self.counts.columns(r)) is not None}  # fmt: skip
        recounted: dict[str, SearchDoc] = {}
        lost = [p for p in ids if p not in columns]
        if lost and self.recount is not None:
            recounted = {doc.path: doc for doc in self.recount(lost)}
            again = {p: self.counts.encode(doc.counts) for p, doc in recounted.items()}
            self.counts.save(again)
            columns.update((p, found) for p, r in again.items()
                           if (found := self.counts.columns(r)) is not None)  # fmt: skip
            self._take(recounted.values())
        names = set()
        for index, shard in enumerate(all_postings(ids, columns, self.counts.terms, count)):
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
                self.files.pop(name, None)  # its recorded hash is not what is on disk
                self._rewrite_shards(self.shards, doc_ids(self.paths), None)
                return
            for term in terms:
                postings = patch(data.get(term, []), deltas[term])
                if postings:
                    data[term] = postings
                else:
                    data.pop(term, None)
            self._put(name, script("t", index, dict(sorted(data.items()))))

    def _rewrite_texts(self, fresh: Mapping[str, SearchDoc], old_ids: Mapping[str, int],
                       new_ids: Mapping[str, int]) -> None:  # fmt: skip
        texts = {} if len(fresh) == len(new_ids) else self._old_texts(old_ids)
        texts.update({p: d.text for p, d in fresh.items()})
        missing = [p for p in new_ids if p not in texts]  # a text file lost or damaged
        if missing and self.recount is not None:
            texts.update((doc.path, doc.text) for doc in self.recount(missing))
        buckets: defaultdict[int, dict[str, str]] = defaultdict(dict)
        for path, doc_id in sorted(new_ids.items(), key=lambda item: item[1]):
            buckets[doc_id // TEXT_BUCKET][str(doc_id)] = texts.get(path, "")
        names = set()
        for bucket, data in sorted(buckets.items()):
            name = f"x/{bucket}.js"
            names.add(name)
            self._put(name, script("x", bucket, data))
        self._drop("x/", names)

    def _old_texts(self, old_ids: Mapping[str, int]) -> dict[str, str]:
        by_id = {doc_id: path for path, doc_id in old_ids.items()}
        texts: dict[str, str] = {}
        for name in self.files:
            if name.startswith("x/"):
                found = read_script(self.base / name)
                for key, text in (found.items() if isinstance(found, dict) else ()):
                    if key.isdigit() and int(key) in by_id:
                        texts[by_id[int(key)]] = text
        return texts

    def _patch_texts(self, fresh: Mapping[str, SearchDoc], moved: list[str], leaving: list[str],
                     old_ids: Mapping[str, int], new_ids: Mapping[str, int]) -> None:  # fmt: skip
        """The opening texts of the edited notes, moved with the notes that moved (all texts
        written afresh when a file they touch is damaged)."""
        touched = {doc_id // TEXT_BUCKET for doc_id in (
            *(old_ids[p] for p in leaving), *(new_ids[p] for p in (*moved, *fresh)))}
        buckets: dict[int, dict[str, str]] = {}
        for number in touched:
            name = f"x/{number}.js"
            found = read_script(self.base / name) if name in self.files else {}
            if not isinstance(found, dict):
                self.files.pop(name, None)  # its recorded hash is not what is on disk
                self._rewrite_texts(fresh, old_ids, new_ids)
                return
            buckets[number] = found

        def bucket(doc_id: int) -> dict[str, str]:
            return buckets[doc_id // TEXT_BUCKET]

        carried = {p: bucket(old_ids[p]).get(str(old_ids[p]), "") for p in moved}
        for path in leaving:
            if new_ids.get(path) != old_ids[path]:
                bucket(old_ids[path]).pop(str(old_ids[path]), None)
        for path, text in [*carried.items(), *((p, d.text) for p, d in fresh.items())]:
            bucket(new_ids[path])[str(new_ids[path])] = text
        for number, data in sorted(buckets.items()):
            name = f"x/{number}.js"
            if data:
                ordered = dict(sorted(data.items(), key=lambda kv: int(kv[0])))
                self._put(name, script("x", number, ordered))
            elif name in self.files:
                del self.files[name]
                (self.base / name).unlink(missing_ok=True)

    def _write_docs(self, titles: Titles, ids: Mapping[str, int]) -> None:
        """The document table: the notes in path order (their rank orders equal scores, as the
        server does), each one's id and ``[title, location, trust level, stored length, trust
        multiplier]``."""
        rows = []
        total = 0
        for path in self.paths:
            title, location, level = titles[NotePath(path)]
            _content, length, _terms, stored, factor = self.docs[path]
            total += int(length)
            rows.append([title, location, level, int(stored), float(factor)])
        table = {"ids": [ids[path] for path in self.paths], "rows": rows}
        docs = script("d", 0, table)
        self._put("docs.js", docs)
        others = sorted(h for n, h in self.files.items() if n != "meta.js")
        # the mean field length unrounded: whoosh divides the same total by the same count
        meta = {"shards": self.shards, "count": len(self.paths), "bucket": TEXT_BUCKET,
                "avgdl": total / max(1, len(self.paths)), "version": digest(*others)}  # fmt: skip
        self._put("meta.js", script("m", 0, meta))


def _deltas(fresh: Mapping[str, SearchDoc], moved: list[str], leaving: list[str],
            before: Mapping[str, Mapping[str, int]], old_ids: Mapping[str, int],
            new_ids: Mapping[str, int]) -> dict[str, dict[int, int]]:  # fmt: skip
    """The postings to change, ``{term: {id: new count, 0 to remove}}``: a note edited in
    place changes the terms whose counts changed; a note leaving an id (removed, or moved
    by an addition or removal before it in its run) takes all of its postings away, and one
    arriving at an id (added or moved) brings all of them. Arrivals come last, so a note
    moving into the id another left overrides the removal."""
    deltas: defaultdict[str, dict[int, int]] = defaultdict(dict)
    for path in leaving:
        doc_id = old_ids[path]
        if new_ids.get(path) != doc_id:
            for term in before[path]:
                deltas[term][doc_id] = 0
    for path in [*moved, *fresh]:
        doc_id = new_ids[path]
        counts = fresh[path].counts if path in fresh else before[path]
        if old_ids.get(path) == doc_id:  # edited in place
            old = before[path]
            for term in old.keys() | counts.keys():
                if old.get(term) != counts.get(term):
                    deltas[term][doc_id] = counts.get(term, 0)
        else:
            for term, tf in counts.items():
                deltas[term][doc_id] = tf
    return deltas
