"""One build over a loaded Site: assets, site-wide pages, note pages, data files, checks.

The files a build writes are known before any page is rendered (one page per note, tag
and site page; the assets; the attachments; the data files), so each page's links are
checked against that set as it is rendered, and only the broken ones are recorded.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.changelog import git_log_all
from kgwiki.graph import LayoutWorker
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.build import assets as build_assets
from kgwiki.web.build import data as build_data
from kgwiki.web.build import forked_views, redirects
from kgwiki.web.build import links as build_links
from kgwiki.web.build import local as build_local
from kgwiki.web.build import plan as build_plan
from kgwiki.web.build import previews as build_previews
from kgwiki.web.build.cache import (
    Manifest,
    PageRecord,
    digest,
    json_digest,
    page_file,
    remove_stale,
    write_if_changed,
)
from kgwiki.web.build.check import broken_targets
from kgwiki.web.build.links import Fills
from kgwiki.web.build.local_sketches import keep_common
from kgwiki.web.build.pages import NoteJob, render_notes
from kgwiki.web.build.report import BuildResult, note_problems
from kgwiki.web.build.search_docs import SearchDoc, search_doc
from kgwiki.web.build.search_writer import SearchWriter
from kgwiki.web.render import (
    Renderer,
    StaticUrls,
    atom_feed,
    explorer_script,
    folder_pages,
    note_location,
    page_location,
    sitemap,
)

if TYPE_CHECKING:
    from kgwiki.duplicates import Hashes

SITE_PAGES = ("home", "search", "tags", "graph", "wanted", "duplicates", "changes", "lint", "trust",
              "dashboard")  # fmt: skip
LATE_PAGES = ("duplicates", "lint")  # drawn after the note pages: see ``forked_views``
DATA_FILES = ("data/graph.js", "data/explorer.js", "feed.xml", "sitemap.xml")


class Builder:
    """Brings ``out`` up to date with ``site``; ``manifest`` is the previous build's record."""

    def __init__(self, site: Site, out: Path, base_url: str, manifest: Manifest,
                 show_progress: bool = False, jobs: int | None = None) -> None:  # fmt: skip
        self.site, self.out, self.base_url = site, out, base_url
        self.manifest = manifest
        self.show, self.jobs = show_progress, jobs
        self.renderer = Renderer(site, StaticUrls(base_url))
        self.withheld: frozenset[str] = frozenset()
        self.search = SearchWriter(out, manifest.search, self._recount)
        self.pages: dict[str, PageRecord] = {}
        self.files: dict[str, str] = {}
        self.docs: list[SearchDoc] = []
        self.cards: dict[NotePath, dict[str, str]] = {}
        self.fills: dict[str, Fills] = {}
        self.removed_notes: list[str] = []
        self.written = 0
        self.known: frozenset[str] = frozenset()
        self.known_digest = ""
        self.same_known = False
        self.known_grew = False
        self.timings: dict[str, float] = {}
        self._clock = time.perf_counter()

    def _lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = self.timings.get(name, 0.0) + now - self._clock
        self._clock = now

    def run(self, git_head: str, layout: LayoutWorker | None = None) -> BuildResult:
        """Bring the site up to date; ``layout``, when given, lays out the graph meanwhile
        (``data/graph.js`` waits for it)."""
        views = None
        try:
            # Every note's trust, read by the home page here and by the lint in the forked
            # views: assessed once, before the fork.
            self.site.trusts()
            views = forked_views.start(self.site, self.jobs)
            if layout is not None:
                layout.start(self.site.graph.layout_job(), self.site.graph.cache_dir)
            return self._run(git_head, layout, views)
        finally:  # a build that failed midway leaves no process behind
            forked_views.stop(views)
            if layout is not None:
                layout.wait()

    def _run(self, git_head: str, layout: LayoutWorker | None,
             views: forked_views.ForkedViews | None) -> BuildResult:  # fmt: skip
        vault = self.site.vault
        previous = set(self.manifest.pages) | set(self.manifest.files)
        for name in build_assets.copy_static(self.out):
            self.files[name] = ""
        copied = build_assets.copy_attachments(vault.root, vault.attachments, self.out,
                                               self.site.config.copy_active_attachments)
        for name in copied.locations:
            self.files[name] = ""
        self.withheld = frozenset(copied.withheld)  # pages show a notice where they would be
        self.renderer = Renderer(self.site, StaticUrls(self.base_url, withheld=self.withheld))
        self.known = frozenset(self._planned_pages()) | set(self.files) | set(DATA_FILES)
        # The files a page may link to: while they are the ones of the last build, a page
        # with the same bytes has the same broken links.
        self.known_digest = digest(*sorted(self.known))
        self.same_known = self.manifest.inputs.get("known") == self.known_digest
        # Only files added (a new note's page, a new tag's): a page with the same bytes links
        # where it did, and of its broken links only those still missing stay broken.
        self.known_grew = self.same_known or (bool(self.manifest.known)
                                              and self.known.issuperset(self.manifest.known))
        self._lap("assets")
        self._site_pages()
        self._lap("site pages")
        forked_views.take_early(views, self.site)
        self._note_pages(git_head)
        self._lap("note pages")
        if layout is not None:
            layout.wait()  # the layout cache holds the graph's layout now
        self._data_files()
        self._lap("data files")
        forked_views.take_late(views, self.site)
        for name in LATE_PAGES:  # the views they show were computed in the forked process
            self._write_page(page_file(page_location(name)), getattr(self.renderer, name)())
        self._lap("site pages")
        removed = remove_stale(self.out, set(self.pages) | set(self.files), previous)
        problems = [d.format() for d in note_problems(self.site)]
        broken = [f"{page}:1: broken-link {target} does not exist in the site"
                  for page, record in sorted(self.pages.items())
                  for target in record.broken]  # fmt: skip
        self._record(problems + broken, views.common if views is not None else None)
        self._lap("check")
        return BuildResult(self.out, len(vault.notes), len(self.pages), self.written,
                           len(removed), problems=problems, broken=broken,
                           withheld=list(copied.withheld), timings=self.timings)  # fmt: skip

    def _planned_pages(self) -> list[str]:
        pages = [page_file(page_location(name)) for name in SITE_PAGES] + ["404.html"]
        pages += [page_file(page_location("tag", tag)) for tag in self.site.tags()]
        pages += [page_file(note_location(path)) for path in self.site.vault.notes]
        pages += [page_file(location) for location in folder_pages(self.site)]
        return pages

    def _record(self, problems: list[str], common: Hashes | None) -> None:
        ids = {path: i for i, path in enumerate(self.search.paths)}
        for info in self.manifest.notes.values():
            info["deps"] = sorted(ids[d] for d in info["deps"] if d in ids)
        self.manifest.pages, self.manifest.files = self.pages, self.files
        self.manifest.problems = problems
        self.manifest.search = self.search.state()
        self.manifest.counts = {"notes": len(self.site.vault.notes), "pages": len(self.pages)}
        self.manifest.local = build_local.facts(self.site)
        self.manifest.known = sorted(self.known)
        build_links.store(self.out).save(self.fills, self.removed_notes)
        keep_common(self.out, self.site.dupes, common)

    def _kept(self, file: str, key: str) -> bool:
        """Keep the record of a page drawn from the same inputs (``key``) and still there.

        When files the last build wrote are gone, its links are checked again, from the
        page on disk: reading and checking a tag page costs a third of drawing it.
        """
        old = self.manifest.pages.get(file)
        where = f"{self.out}{os.sep}{file}"
        if old is None or not key or old.key != key or not os.path.isfile(where):
            return False
        if self.known_grew:
            self.pages[file] = self._same_page(old)
            return True
        try:
            with open(where, encoding="utf-8") as handle:
                html = handle.read()
        except (OSError, UnicodeDecodeError):
            return False
        broken = broken_targets(html, file.removesuffix("index.html"), self.known)
        self.pages[file] = PageRecord(old.key, old.content, broken, old.body)
        return True

    def _same_page(self, old: PageRecord) -> PageRecord:
        """The record of a page whose bytes did not change, for this build's set of files."""
        if self.same_known or not old.broken:
            return old
        broken = [target for target in old.broken if target not in self.known]
        return PageRecord(old.key, old.content, broken, old.body)

    def _write_page(self, file: str, html: str, key: str = "") -> None:
        old = self.manifest.pages.get(file)
        content, wrote = write_if_changed(self.out, file, html.encode("utf-8"),
                                          None if old is None else old.content)  # fmt: skip
        self.written += wrote
        if old is not None and old.content == content and self.known_grew:
            # the same bytes link to the same files: still there, or since added
            self.pages[file] = replace(self._same_page(old), key=key, body="")
            return
        broken = broken_targets(html, file.removesuffix("index.html"), self.known)
        self.pages[file] = PageRecord(key, content, broken)

    def _write_file(self, name: str, content: bytes) -> None:
        self.files[name], wrote = write_if_changed(self.out, name, content,
                                                   self.manifest.files.get(name))  # fmt: skip
        self.written += wrote

    def _site_pages(self) -> None:
        """Home, search, tags, graph …, the 404 page (always drawn), and the tag and folder pages
        (drawn again only when what they list changed)."""
        self._write_page("index.html", self.renderer.home())
        for name in SITE_PAGES[1:]:
            if name in LATE_PAGES:
                continue
            self._write_page(page_file(page_location(name)), getattr(self.renderer, name)())
        for tag in self.site.tags():  # one per tag: drawn again only when its list changed
            self._listing_page(page_file(page_location("tag", tag)),
                               self.renderer.tag_context(tag), partial(self.renderer.tag, tag))
        for location, folder in folder_pages(self.site).items():  # the same, by folder
            self._listing_page(page_file(location), self.renderer.folder_context(folder),
                               partial(self.renderer.folder, folder))
        base_href = self.base_url.rstrip("/") + "/" if self.base_url else ""
        self._write_page("404.html", self.renderer.not_found("No page lives at this address.",
                                                             base_href))  # fmt: skip

    def _listing_page(self, file: str, context: dict[str, Any],
                      draw: Callable[[dict[str, Any]], str]) -> None:  # fmt: skip
        """A tag or folder page: kept while its context (plain data) and the furniture are the
        ones it was drawn from, else drawn from ``context``."""
        key = json_digest([self._features(), context])
        if not self._kept(file, key):
            self._write_page(file, draw(context), key)

    def _note_pages(self, git_head: str) -> None:
        """Recheck the pages that may have changed; keep the records of all others."""
        vault, old = self.site.vault, self.manifest
        commits = git_log_all(vault.root) if _in_git(vault.root) else {}
        attachments = digest(*sorted(vault.attachments), "withheld:", *sorted(self.withheld))
        features = self._features()
        inputs = {"attachments": attachments, "git": git_head, "features": features}
        old_notes = _with_dep_paths(old.notes, old.search.get("paths", []))
        same = {k: v for k, v in old.inputs.items() if k != "known"} == inputs
        todo = (build_plan.candidates(self.site, self.out, old_notes)
                if same and old_notes else set(vault.notes))  # fmt: skip
        # The furniture every page's navigation shows (a first changelog row adds "Changes")
        # is in no page's key: when it changed, every page is drawn again (bodies reused).
        redraw = old.inputs.get("features") != features
        notes: dict[str, dict[str, Any]] = {}
        for path in sorted(set(vault.notes) - todo):
            file = page_file(note_location(path))
            self.pages[file] = self._same_page(old.pages[file])
            notes[path] = old_notes[path]
        jobs = [self._job(path, redraw) for path in sorted(todo)]
        for result in render_notes(self.site, self.renderer, self.out, jobs, commits=commits,
                                   attachments=attachments, known=self.known, workers=self.jobs,
                                   show_progress=self.show):  # fmt: skip
            file = page_file(result.location)
            broken = (result.broken if result.broken is not None
                      else self._same_page(old.pages[file]).broken)  # fmt: skip
            self.pages[file] = PageRecord(result.key, result.content, broken, result.body)
            self.written += result.wrote
            card = result.preview[0] if result.preview else old.notes[result.path]["preview"]
            notes[result.path] = {"content": vault.notes[result.path].content_hash,
                                  "trust": build_plan.trust_signature(self.site, result.path),
                                  "names": build_plan.names_signature(vault.notes[result.path]),
                                  "preview": card, "deps": result.deps,
                                  "shape": result.shape, "prose": result.prose}  # fmt: skip
            if result.fills is not None:
                self.fills[result.path] = result.fills
            if result.preview:
                self.cards[result.path] = result.preview[1]
            if result.doc is not None:
                self.docs.append(result.doc)
        self.manifest.inputs = {**inputs, "known": self.known_digest}
        self.removed_notes = [p for p in old.notes if p not in vault.notes]
        self.manifest.notes = notes

    def _job(self, path: NotePath, redraw: bool = False) -> NoteJob:
        """The page of ``path`` to bring up to date (``redraw``: even if its key is the same)."""
        record = self.manifest.pages.get(page_file(note_location(path)))
        preview = str(self.manifest.notes.get(path, {}).get("preview", ""))
        doc = self.search.content_of(path)
        if record is None:
            return NoteJob(path, old_doc=doc, old_preview=preview)
        key = "" if redraw else record.key
        return NoteJob(path, key, record.content, record.body, doc, preview)

    def _recount(self, paths: list[str]) -> list[SearchDoc]:
        """The search figures of notes whose kept term counts were lost."""
        notes, config = self.site.vault.notes, self.site.vault.config
        return [search_doc(notes[NotePath(p)], config) for p in paths if p in notes]

    def _features(self) -> str:
        """What of the site's furniture its pages show (``Site.features``: the navigation)."""
        return ",".join(sorted(self.site.features()))

    def _data_files(self) -> None:
        site, vault = self.site, self.site.vault
        live = set(vault.notes)
        titles = {p: (title, note_location(p)[2:-1], level)
                  for p in vault.notes for title, level in (site.label(p),)}  # fmt: skip
        self.search.update(self.docs, live, titles)
        self.written += len(self.search.written)
        for name in self.search.site_files():
            self.files[name] = self.search.files[name.removeprefix("data/search/")]
        tags = [page_location("tag", t) for t in site.tags()]
        data = {"data/graph.js": build_data.graph_script(site),
                "data/explorer.js": explorer_script(site),
                "feed.xml": atom_feed(site, self.base_url),
                "sitemap.xml": sitemap(site, self.base_url, tags)}  # fmt: skip
        previews = build_previews.write_previews(self.out, self.cards, self.removed_notes, live)
        for name, content in [*data.items(), *previews.items()]:
            if content is not None:  # None: a preview bucket left empty (removed as stale)
                self._write_file(name, content)
        for name, content_hash in self.manifest.files.items():  # buckets left as they were
            if (name.startswith("data/preview/") and content_hash and name not in self.files
                    and name not in previews):  # fmt: skip
                self.files[name] = content_hash
        for file, fields in redirects.alias_redirects(site, self.base_url).items():
            key = redirects.redirect_key(fields)
            if not self._kept(file, key):
                self._write_page(file, redirects.redirect_page(fields), key)


def _with_dep_paths(
    notes: dict[str, dict[str, Any]], paths: list[str]
) -> dict[str, dict[str, Any]]:
    """The manifest keeps dependencies as document ids (compact); planning wants paths."""
    return {p: {**info, "deps": [paths[i] for i in info.get("deps", ()) if i < len(paths)]}
            for p, info in notes.items()}  # fmt: skip


def _in_git(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root, *root.parents))
