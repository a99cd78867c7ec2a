"""``Site``: a vault with everything the pages show, built once and kept current file by file.

The vault, its graph, its search index and its duplicate detector are built in ``load``;
derived views (trust per note, canonical notes, tags, diagnostics) are computed on first
use and kept until the next change (``version``). Both outputs — the live server and the
static build — read one Site.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from kgwiki import changelog, clock, trust
from kgwiki.changelog import Change, Commit, NoteHistory, head_commit, read_git_log_all
from kgwiki.config import Config, config_for_vault
from kgwiki.diagnostics import Diagnostic
from kgwiki.graph import KnowledgeGraph, is_wanted
from kgwiki.note import LinkKind
from kgwiki.trust import Trust, TrustOverview
from kgwiki.types import NotePath
from kgwiki.util import Versioned
from kgwiki.vault import Derive, Vault

if TYPE_CHECKING:
    from kgwiki.duplicates import DuplicateDetector
    from kgwiki.search import SearchIndex

T = TypeVar("T")

HEAD_CHECK_SECONDS = 1.0  # how stale a note page's git history may be after a commit
GIT_RETRY_SECONDS = 60.0  # after git failed, how long pages show the history read before
INDEX_NAMES = ("index.md", "Home.md", "README.md")  # the front page, in this order


class Site:
    """One vault and its derived views; ``lock`` guards updates (single reads need no lock)."""

    def __init__(
        self,
        vault: Vault,
        graph: KnowledgeGraph,
        search: SearchIndex | None = None,
        dupes: DuplicateDetector | None = None,
        *,
        today: dt.date | None = None,
    ) -> None:
        self.vault = vault
        self.graph = graph
        self.search = search
        self._dupes = dupes
        self._dupes_later = False  # made on first use (see ``load(defer_duplicates=True)``)
        self.lock = threading.RLock()
        self.version = 0
        self.fixed_today = today
        self._views = Versioned()
        self._commits: tuple[str, dict[NotePath, tuple[Commit, ...]]] | None = None
        self._commits_lock = threading.Lock()
        self._head_checked = 0.0
        self._loaded_version: int | None = None

    @classmethod
    def load(
        cls,
        vault_root: Path,
        config: Config | None = None,
        *,
        show_progress: bool = False,
        index_dir: Path | None = None,
        with_search: bool = True,
        with_duplicates: bool = True,
        defer_duplicates: bool = False,
        reuse: bool = False,
        jobs: int | None = None,
        today: dt.date | None = None,
        derive: Derive | None = None,
    ) -> Site:
        """Load the vault (parse cache first), build the graph, open and update the index.

        ``with_search=False`` skips the search index (the static build writes its own);
        ``with_duplicates=False`` skips near-duplicate detection (declared duplicates remain);
        ``defer_duplicates`` makes the detector on first use of :attr:`dupes` instead;
        ``reuse`` takes the vault's link tables and the graph from the last load when the
        vault is as it was then, or differs in a few notes (checked file by file; those
        notes are put in again: see ``Vault.load(keep_links=...)``, ``KnowledgeGraph.
        from_cache``), and :meth:`save_state` writes them for the next;
        ``today`` fixes the date trust is judged by (tests), else it is the current day;
        ``derive`` is passed to ``Vault.load``.
        """
        config = config or config_for_vault(Path(vault_root))
        vault = Vault.load(vault_root, config, show_progress=show_progress, jobs=jobs,
                           derive=derive, keep_links=reuse)  # fmt: skip
        graph = KnowledgeGraph.from_cache(vault) if reuse else None
        graph = graph or KnowledgeGraph.build(vault)
        search = _open_search(vault, index_dir, show_progress) if with_search else None
        dupes = _detector(vault, jobs) if with_duplicates and not defer_duplicates else None
        site = cls(vault, graph, search, dupes, today=today)
        site._dupes_later = with_duplicates and defer_duplicates
        site._loaded_version = site.version if reuse else None
        return site

    @property
    def dupes(self) -> DuplicateDetector | None:
        """The near-duplicate detector (None when not loaded); a deferred one is made here."""
        if self._dupes is None and self._dupes_later:
            with self.lock:  # the vault holds still while it reads every note
                if self._dupes is None:
                    self._dupes = _detector(self.vault)
        return self._dupes

    def save_state(self) -> bool:
        """Write the link tables and graph for the next ``load(reuse=True)``: only while the
        site is as it was loaded (they are keyed by the files as they were then). Both read
        back from files a few notes away stay on disk as they are."""
        with self.lock:
            if self._loaded_version is None or self.version != self._loaded_version:
                return False
            if not self.vault.save_links():
                return False
            if self.graph.save_cache(self.vault):
                return True
            return self.vault.save_links(rewrite=True) and self.graph.save_cache(self.vault)

    @property
    def config(self) -> Config:
        return self.vault.config

    # -- derived views, cached until the next change --------------------------------------

    def _view(self, name: str, compute: Callable[[], T]) -> T:
        return self._views.get(name, self.version, compute)

    def kept_views(self, prefixes: Iterable[str]) -> dict[str, Any]:
        """Current views named ``prefixes…``, for a forked copy to hand back (``adopt``)."""
        return self._views.kept(prefixes, self.version)

    def adopt(self, views: dict[str, Any], version: int) -> None:
        """Take views a copy of this site computed at ``version``, if this is still it."""
        if version == self.version:
            self._views.adopt(views, version)

    def today(self) -> dt.date:
        return self.fixed_today or clock.today()

    def trusts(self) -> dict[NotePath, Trust]:
        day = self.today()
        return self._view(f"trust:{day}", lambda: trust.assess_all(self.vault, self.config, day))

    def trust(self, path: NotePath) -> Trust:
        return self.trusts()[path]

    def label(self, path: NotePath) -> tuple[str, str]:
        """A note's (title, trust level) as lists of notes show them."""
        labels = self._view(f"labels:{self.today()}", self._labels)
        return labels[path]

    def _labels(self) -> dict[NotePath, tuple[str, str]]:
        trusts = self.trusts()
        return {p: (n.title, trusts[p].level or "") for p, n in self.vault.notes.items()}

    def trust_overview(self) -> TrustOverview:
        day = self.today()
        return self._view(f"overview:{day}", lambda: trust.overview(self.vault, self.config, day))

    def features(self) -> frozenset[str]:
        """The furniture this vault's data calls for: ``trust`` (a note rates its source),
        ``changes`` (a changelog row), ``duplicates`` (a declared duplicate), plus whatever
        ``[site] show`` in kgwiki.toml asks for."""
        return self._view("features", self._features)

    def _features(self) -> frozenset[str]:
        notes = self.vault.notes.values()
        found = set(self.config.show)
        if any(t.rated for t in self.trusts().values()):
            found.add("trust")
        if any(n.changelog for n in notes):
            found.add("changes")
        if any(n.meta.duplicate_of or n.meta.canonical_id for n in notes):
            found.add("duplicates")
        return frozenset(found)

    def index_note(self) -> NotePath | None:
        """The note the front page shows: ``[site] home`` in kgwiki.toml, else ``index.md``,
        ``Home.md`` or ``README.md`` at the vault's top (in that order, any case)."""
        return self._view("index-note", self._index_note)

    def _index_note(self) -> NotePath | None:
        by_name = {path.casefold(): path for path in self.vault.notes if "/" not in path}
        wanted = [self.config.home] if self.config.home else list(INDEX_NAMES)
        for name in wanted:
            found = by_name.get(name.casefold()) or by_name.get(f"{name}.md".casefold())
            if found is not None:
                return found
        return None

    def canonical(self, path: NotePath) -> NotePath | None:
        """The note a declared duplicate points at (None for a note that is not one)."""
        return self.canonicals().get(path)

    def canonicals(self) -> dict[NotePath, NotePath]:
        def compute() -> dict[NotePath, NotePath]:
            found = self.graph.first_targets("duplicate-of")
            return {path: found[path] for path in self.vault.notes if path in found}

        return self._view("canonicals", compute)

    def near_duplicates(self) -> list[Any]:
        """Pairs of notes that read alike (empty when detection was not loaded)."""
        if self.dupes is None:
            return []
        detector = self.dupes
        return self._view("near", lambda: list(detector.find(self.config.duplicate_threshold)))

    def tags(self) -> dict[str, list[NotePath]]:
        return self._view("tags", self.graph.tags)

    def embedders(self) -> dict[NotePath, set[NotePath]]:
        """The notes that embed each note (its section is drawn into their pages)."""

        def compute() -> dict[NotePath, set[NotePath]]:
            found: dict[NotePath, set[NotePath]] = {}
            for path in self.vault.notes:
                for item in self.vault.links_of(path):
                    target, note = item.resolution.path, not item.resolution.is_attachment
                    if item.link.kind is LinkKind.EMBED and target is not None and note:
                        found.setdefault(NotePath(target), set()).add(path)
            return found

        return self._view("embedders", compute)

    def changes(self, limit: int | None = 50) -> list[Change]:
        day = self.today()
        rows = self._view(f"changes:{day}",
                          lambda: changelog.recent_changes(self.vault, None, today=day))
        return rows[:limit]  # every row sorted once, cut to each limit asked for

    def history(self, path: NotePath, commits: Iterable[Commit] | None = None) -> NoteHistory:
        """A note's changelog table and git history (``commits`` when already gathered)."""
        found = self.commits().get(path, ()) if commits is None else tuple(commits)
        note = self.vault.notes[path]
        return NoteHistory(path, note.title, note.changelog, found)

    def commits(self) -> dict[NotePath, tuple[Commit, ...]]:
        """Every note's commits, from one ``git log`` per commit the checkout moves to.

        Asking git per note page cost a subprocess each (2.5 ms, more in a large repository);
        this asks once, and again only when ``HEAD`` points elsewhere (a commit, a checkout),
        looked at no more than once a second. Renames are not followed, as in the static
        build, so both show the same history. While git runs, other pages show the history
        read before; when git fails, the last history stays and git is asked again later.
        """
        if not self._commits_lock.acquire(blocking=self._commits is None):
            assert self._commits is not None
            return self._commits[1]  # another thread is asking git: show what we have
        try:
            now = time.monotonic()
            if self._commits is not None and now - self._head_checked < HEAD_CHECK_SECONDS:
                return self._commits[1]
            self._head_checked = now
            head = head_commit(self.vault.root)
            if self._commits is None or self._commits[0] != head:
                found = read_git_log_all(self.vault.root) if head else {}
                if found is not None:
                    self._commits = (head, found)
                else:  # git failed or timed out: keep what we had, ask again in a minute
                    self._head_checked = now + GIT_RETRY_SECONDS
                    if self._commits is None:
                        self._commits = ("", {})
            return self._commits[1]
        finally:
            self._commits_lock.release()

    def diagnostics(self) -> list[Diagnostic]:
        """Everything ``kgwiki lint`` reports, reusing this site's graph and detector."""
        from kgwiki.lint import lint_vault  # with numpy (the detector): not for a start-up

        day = self.today()
        return self._view(f"diagnostics:{day}", lambda: lint_vault(
            self.vault, graph=self.graph, detector=self.dupes,
            near_duplicates=self.dupes is not None, today=day))

    # -- keeping current ------------------------------------------------------------------

    def refresh_file(self, path: NotePath | str) -> set[NotePath]:
        """Re-read one changed, added or deleted file; return the notes whose pages changed.

        That is the note itself, the notes it linked to before and after (their backlinks),
        the notes linking to it (its title may show there), and the notes whose edges moved.
        """
        with self.lock:
            rel = self.vault.relative(path)
            if rel not in self.vault.notes and not rel.lower().endswith((".md", ".markdown")):
                return self._refresh_attachment(rel)
            before = self._neighbours(rel)
            old = self.vault.notes.get(rel)
            writers = self.vault.sources_linking_to_names(old) if old is not None else set()
            note = self.vault.refresh_file(rel)
            if note is not None:
                writers |= self.vault.sources_linking_to_names(note)
            moved = self.graph.update_note(self.vault, rel)  # links resolving elsewhere now
            if self.search is not None:
                self.search.update(self.vault)
            if self._dupes is not None:  # a deferred one not made yet reads the notes as they are
                self._dupes.update(rel)  # reads the note from the vault, or drops it
            self.version += 1
            changed = {rel, *before, *self._neighbours(rel), *writers, *moved}
            return {NotePath(p) for p in changed if p in self.vault.notes or p == rel}

    def _neighbours(self, path: NotePath) -> set[NotePath]:
        if path not in self.graph:
            return set()
        found = {NotePath(e.target) for e in self.graph.outlinks(path) if not is_wanted(e.target)}
        found |= {b.source for b in self.graph.backlinks(path)}
        return found

    def _refresh_attachment(self, rel: NotePath) -> set[NotePath]:
        sources = self.vault.sources_wanting([self.vault.lookup_key(rel)])  # named like it
        self.vault.refresh_file(rel)
        touched = self.graph.relink(self.vault, sorted(sources))  # a wanted [[x.pdf]] …
        self.version += 1
        return {NotePath(p) for p in sources | touched if p in self.vault.notes}


def _open_search(vault: Vault, index_dir: Path | None, show_progress: bool) -> SearchIndex:
    from kgwiki.search import SearchIndex

    index = SearchIndex.open(vault) if index_dir is None else SearchIndex.open(vault, index_dir)
    index.update(vault, show_progress=show_progress)
    return index


def _detector(vault: Vault, jobs: int | None = None) -> DuplicateDetector:
    from kgwiki.duplicates import DuplicateDetector

    return DuplicateDetector.from_vault(vault, jobs=jobs)  # ``jobs``: sketching processes
