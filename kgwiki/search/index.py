"""``SearchIndex``: the full-text index of a vault — open it, keep it current, query it.

    index = SearchIndex.open(vault)          # <vault>/.kgwiki/index unless told otherwise
    index.update(vault)                      # re-index only notes whose content hash changed
    results = index.search('아키텍처 trust:>=B')
    index = SearchIndex.open_dir(folder, config)  # search without loading the vault

Hits are made from stored fields (path, title, aliases, tags, trust, snippet text), so a
search never reads a note. The last results are kept per searcher (a small LRU): a warm
server answers a repeated query (search-as-you-type, a reloaded page) without searching again.

The Markdown files are the source of truth: an index that will not open, or was written by
another version, is rebuilt from the notes. One searcher stays open and is refreshed when a
writer (this process or another) commits, because opening one costs far more than a query.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from whoosh import scoring

from kgwiki.config import Config
from kgwiki.search.columns import ColumnCache, Indexed
from kgwiki.search.query import TRUST_LEVELS
from kgwiki.search.results import Hit, SearchResults, TrustWeighting
from kgwiki.search.run import run_query
from kgwiki.search.store import (
    STAMP,
    WRITER_TIMEOUT,
    IndexLockedError,
    IndexUnavailableError,
    create,
    healthy,
    open_existing,
)
from kgwiki.search.writer import IndexUpdate, View, apply, plan, rebuild_plan
from kgwiki.types import NotePath

if TYPE_CHECKING:
    from kgwiki.vault import Vault

__all__ = [
    "Hit", "IndexLockedError", "IndexUnavailableError", "IndexUpdate", "SearchIndex",
    "SearchResults", "TrustWeighting", "cache_index_dir", "default_index_dir",
]  # fmt: skip

# BM25F over the weighted sections of ``text`` (search_schema.SECTION_WEIGHTS); the usual
# constants. ``names`` is only matched, never scored (its bonus is added in search_rank.py).
WEIGHTING = scoring.BM25F(B=0.75, K1=1.2)
# Results kept per searcher: a new commit opens a new searcher, which starts with none.
CACHED_QUERIES = 256


def default_index_dir(vault: Vault) -> Path:
    return vault.root / vault.config.cache_dir / "index"


def cache_index_dir(vault: Vault) -> Path:
    """Where the index of a read-only vault goes: ``$XDG_CACHE_HOME/kgwiki/index-<hash>``."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    digest = hashlib.blake2b(str(vault.root).encode("utf-8"), digest_size=8).hexdigest()
    return base / "kgwiki" / f"index-{digest}"


class SearchIndex:
    """A whoosh index of one vault's notes, with one long-lived, refreshed searcher."""

    def __init__(self, folder: Path, ix: Any, vault: Vault | None, weighting: TrustWeighting,
                 timeout: float, columns: ColumnCache | None = None) -> None:  # fmt: skip
        self.folder = folder
        self.weighting = weighting
        self.timeout = timeout
        self._ix = ix
        self._vault = vault
        self._lock = threading.RLock()
        self._searcher: Any = None
        self._opened_at = -1
        self._open_searcher()
        self._live: tuple[int, View] | None = None
        self._recovered = False
        self._columns = columns or ColumnCache(weighting)
        self._trust: tuple[Any, list[float]] | None = None
        self._cache: OrderedDict[tuple[str, int], SearchResults] = OrderedDict()
        levels = sorted(weighting.levels, key=lambda k: -weighting.levels[k])
        self._levels: Sequence[str] = levels or TRUST_LEVELS

    @classmethod
    def open(
        cls,
        vault: Vault | Path | str,
        index_dir: Path | str | None = None,
        *,
        trust_weight: float | None = None,
        timeout: float = WRITER_TIMEOUT,
    ) -> SearchIndex:
        """Open (or create) the index; one that exists but will not open is rebuilt now.

        ``vault`` is a loaded :class:`Vault` or the path of its folder (then loaded here, with
        its kgwiki.toml; ``update()`` without a vault indexes that one). A missing index is
        created empty: call :meth:`update` to fill it. Without ``index_dir`` the index lives in
        the vault, or in the user's cache folder when the vault is read-only.
        """
        from kgwiki.vault import Vault  # here: `kgwiki search` on a current index needs no vault

        if not isinstance(vault, Vault):
            vault = Vault.load(Path(vault).expanduser())
        if index_dir is not None:
            return cls._open_at(Path(index_dir), vault, trust_weight, timeout)
        try:
            return cls._open_at(default_index_dir(vault), vault, trust_weight, timeout)
        except IndexUnavailableError:
            return cls._open_at(cache_index_dir(vault), vault, trust_weight, timeout)

    @classmethod
    def open_dir(
        cls,
        index_dir: Path | str,
        config: Config | None = None,
        *,
        trust_weight: float | None = None,
        timeout: float = WRITER_TIMEOUT,
    ) -> SearchIndex:
        """Open an existing index to search it without the vault (``config``: the vault's
        kgwiki.toml, for its trust weighting; defaults without it).

        Searching reads stored fields only. ``update`` needs a vault passed to it, and a
        damaged index cannot be rebuilt here: it raises ``IndexUnavailableError``.
        """
        folder = Path(index_dir)
        weighting = TrustWeighting.from_config(config or Config(), trust_weight)
        columns = ColumnCache(weighting, folder)
        ix = open_existing(folder, columns) if folder.is_dir() else None
        if ix is None:
            raise IndexUnavailableError(f"no readable search index in {folder}")
        return cls(folder, ix, None, weighting, timeout, columns)

    @classmethod
    def _open_at(
        cls, folder: Path, vault: Vault, trust_weight: float | None, timeout: float
    ) -> SearchIndex:
        weighting = TrustWeighting.from_config(vault.config, trust_weight)
        columns = ColumnCache(weighting, folder)
        ix = open_existing(folder, columns)
        if ix is not None:
            return cls(folder, ix, vault, weighting, timeout, columns)
        was_there = (folder / STAMP).exists() or any(folder.glob("_MAIN_*.toc"))
        index = cls(folder, create(folder), vault, weighting, timeout,
                    ColumnCache(weighting, folder))  # fmt: skip
        if was_there:
            index.update(vault, rebuild=True)
        return index

    # -- writing ---------------------------------------------------------------------------

    def pending(self, vault: Vault | None = None) -> IndexUpdate:
        """What :meth:`update` would do (a cheap comparison of content hashes)."""
        vault = vault or self._require_vault()
        with self._lock:
            self.refresh()
            return plan(self._live_docs(), vault.notes)

    def update(
        self, vault: Vault | None = None, show_progress: bool = False, rebuild: bool = False
    ) -> IndexUpdate:
        """Index added and changed notes, drop removed ones; ``rebuild`` re-indexes everything."""
        vault = vault or self._require_vault()
        self._vault = vault
        with self._lock:
            self.refresh()
            live = self._live_docs()
            todo = rebuild_plan(live, vault.notes) if rebuild else plan(live, vault.notes)
            if not todo and not rebuild:
                return todo
            apply(self._ix, todo, vault.notes, self._writer_view, rebuild=rebuild,
                  show_progress=show_progress, timeout=self.timeout)  # fmt: skip
            self._live = None
            self.refresh()
            return todo

    def _writer_view(self, writer: Any) -> View:
        """Live documents and segments as of the generation the writer locked."""
        if self._live is not None and self._live[0] == writer.generation - 1:
            return self._live[1]
        with writer.reader() as reader:
            return self._columns.snapshot(reader)

    def _live_docs(self) -> Mapping[NotePath, Indexed]:
        generation = self._searcher.reader().generation()
        generation = -2 if generation is None else generation  # empty: never reuse its map
        if self._live is None or self._live[0] != generation:
            self._live = (generation, self._columns.snapshot(self._searcher.reader()))
        return self._live[1][0]

    # -- reading ---------------------------------------------------------------------------

    def search(self, query: str, limit: int = 20) -> SearchResults:
        """Search the index; a corrupt index is rebuilt from the notes and searched again."""
        with self._lock:
            try:
                self.refresh()
                key = (query, limit)
                found = self._cache.get(key)
                if found is None:
                    found = run_query(self._searcher, query, limit, self._factors(), self._levels)
                    self._cache[key] = found
                    if len(self._cache) > CACHED_QUERIES:
                        self._cache.popitem(last=False)
                else:
                    self._cache.move_to_end(key)
                return dataclasses.replace(found, hits=list(found.hits))  # callers may edit it
            except Exception:
                # Corrupt segments often open fine and fail only when read. If the index no
                # longer passes a deeper check, rebuild it (once); if it does, the failure is
                # a bug in the query path, and a rebuild would not help.
                if self._vault is None or self._recovered or healthy(self.folder):
                    raise
            self._recovered = True
            self._recover()
            return run_query(self._searcher, query, limit, self._factors(), self._levels)

    def _factors(self) -> list[float]:
        """Trust multipliers by document number, computed once per searcher."""
        if self._trust is None or self._trust[0] is not self._searcher:
            self._trust = (self._searcher, self._columns.trust_factors(self._searcher.reader()))
        return self._trust[1]

    def refresh(self) -> None:
        """See the latest commit (cheap when nothing changed: one directory listing).

        Not ``Searcher.refresh()``: in Whoosh-Reloaded 2.7.5 it keeps the old reader's segments
        next to the new ones, so a changed note would be found twice (see tests/test_search.py).
        """
        with self._lock:
            if self._ix.latest_generation() != self._generation():
                self._open_searcher()

    def _open_searcher(self) -> None:
        old = self._searcher
        self._cache = OrderedDict()
        self._opened_at = self._ix.latest_generation()
        self._searcher = self._ix.searcher(weighting=WEIGHTING)
        if old is not None:
            old.close()

    def _generation(self) -> int:
        """The generation the searcher reads (an empty index's reader does not know it)."""
        generation = self._searcher.reader().generation()
        return self._opened_at if generation is None else int(generation)

    def __len__(self) -> int:
        return int(self._searcher.doc_count())

    @property
    def segment_count(self) -> int:
        """How many segments the index has (kept small by search_merge.py)."""
        return sum(1 for leaf, _offset in self._searcher.reader().leaf_readers()
                   if leaf.doc_count_all())  # fmt: skip

    def _recover(self) -> None:
        vault = self._require_vault()
        with contextlib.suppress(Exception):
            self._searcher.close()
        self._searcher = None
        self._ix = create(self.folder)
        self._open_searcher()
        self._live = None
        self.update(vault, rebuild=True)

    def _require_vault(self) -> Vault:
        if self._vault is None:
            raise ValueError("this SearchIndex was opened without a vault; pass one")
        return self._vault

    def close(self) -> None:
        with self._lock:
            if not self._searcher.is_closed:
                self._searcher.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:  # fmt: skip
        self.close()
