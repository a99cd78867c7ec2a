"""``kgwiki build``: the site as files — the same pages the server shows, plus what a static
host needs (client search index, graph data, feed, sitemap, alias redirects, 404 page).

The flow: compare the vault with the last build (nothing changed: done); load the Site; copy
assets; render the note pages on every core (only those whose inputs changed); render the
site-wide pages; write the data files; check every link; remove what the vault no longer
has; record it all in ``.kgwiki-build.json``.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgwiki.changelog_git import git_log_all
from kgwiki.config import Config, config_for_vault
from kgwiki.types import NotePath
from kgwiki.web import build_assets, build_data, build_feed, build_plan
from kgwiki.web.build_cache import (
    CACHE_DIR,
    MANIFEST_NAME,
    Manifest,
    PageRecord,
    digest,
    fingerprint,
    page_file,
    remove_stale,
    vault_snapshot,
    write_if_changed,
)
from kgwiki.web.build_check import broken_links, note_problems
from kgwiki.web.build_pages import NoteJob, extract_links, render_notes
from kgwiki.web.build_search import SearchDoc, SearchWriter
from kgwiki.web.render import Renderer, template_fingerprint
from kgwiki.web.site import Site
from kgwiki.web.urls import StaticUrls, note_location, page_location

SITE_PAGES = ("home", "search", "tags", "graph", "wanted", "duplicates", "changes", "lint", "trust")


class BuildError(Exception):
    """A build that cannot start (a bad output folder, say); the message is for people."""


@dataclass(slots=True)
class BuildResult:
    """What a build did, and what it found wrong."""

    out: Path
    notes: int = 0
    pages: int = 0
    written: int = 0
    removed: int = 0
    unchanged: bool = False
    problems: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def failed(self, strict: bool) -> bool:
        return strict and bool(self.broken or self.problems)

    def to_json(self) -> dict[str, Any]:
        return {"out": str(self.out), "notes": self.notes, "pages": self.pages,
                "written": self.written, "removed": self.removed, "unchanged": self.unchanged,
                "problems": self.problems, "broken_links": self.broken,
                "seconds": round(self.seconds, 3),
                "timings": {k: round(v, 3) for k, v in self.timings.items()}}  # fmt: skip


def build(
    vault_root: Path,
    out: Path,
    *,
    base_url: str = "",
    clean: bool = False,
    near_duplicates: bool = True,
    show_progress: bool = False,
    jobs: int | None = None,
    config: Config | None = None,
) -> BuildResult:
    """Build (or bring up to date) the static site of ``vault_root`` in ``out``."""
    start = time.perf_counter()
    root = Path(vault_root).resolve()
    out = _prepare(root, Path(out).resolve(), clean)
    config = config or config_for_vault(root)
    manifest = Manifest.read(out)
    print_fp = fingerprint(config, base_url, template_fingerprint(), {"near": near_duplicates})
    snapshot = vault_snapshot(root, config)
    if manifest.complete and manifest.fingerprint == print_fp and manifest.snapshot == snapshot:
        broken = [line for line in manifest.problems if " broken-link " in line]
        return BuildResult(out, len(manifest.notes), len(manifest.pages), unchanged=True,
                           problems=[p for p in manifest.problems if p not in broken],
                           broken=broken, seconds=time.perf_counter() - start)  # fmt: skip
    previous = set(manifest.pages) | set(manifest.files)
    if manifest.fingerprint != print_fp:  # everything is rebuilt: forget what was recorded
        manifest = Manifest()
        shutil.rmtree(out / CACHE_DIR, ignore_errors=True)
    loaded = time.perf_counter()
    site = Site.load(root, config, show_progress=show_progress, with_search=False,
                     with_duplicates=near_duplicates, jobs=jobs)  # fmt: skip
    builder = _Builder(site, out, base_url, manifest, previous, show_progress, jobs)
    builder.timings["load"] = time.perf_counter() - loaded
    result = builder.run(str(snapshot["git"]))
    manifest.fingerprint, manifest.snapshot, manifest.complete = print_fp, snapshot, True
    manifest.write(out)
    result.seconds = time.perf_counter() - start
    return result


def _prepare(root: Path, out: Path, clean: bool) -> Path:
    """Refuse output folders that would eat the vault; empty the folder for --clean."""
    if out == root or root.is_relative_to(out):
        raise BuildError(f"{out}: the output folder must not contain the vault")
    if out.is_relative_to(root) and not any(part.startswith(".") for part in out.relative_to(root).parts):
        raise BuildError(f"{out}: the output folder must not be inside the vault ({root})")
    if clean and out.exists():
        if any(out.iterdir()) and not (out / MANIFEST_NAME).is_file():
            raise BuildError(f"{out}: not a kgwiki site (no {MANIFEST_NAME}); refusing --clean")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return out


class _Builder:
    """One build run over a loaded Site (kept apart so ``build`` reads as the flow)."""

    def __init__(self, site: Site, out: Path, base_url: str, manifest: Manifest,
                 previous: set[str], show_progress: bool, jobs: int | None) -> None:  # fmt: skip
        self.site, self.out, self.base_url = site, out, base_url
        self.manifest, self.previous = manifest, previous
        self.show, self.jobs = show_progress, jobs
        self.renderer = Renderer(site, StaticUrls(base_url))
        self.search = SearchWriter(out, manifest.search)
        self.pages: dict[str, PageRecord] = {}
        self.files: dict[str, str] = {}
        self.docs: list[SearchDoc] = []
        self.cards: dict[NotePath, dict[str, str]] = {}
        self.removed_notes: list[str] = []
        self.written = 0
        self.timings: dict[str, float] = {}
        self._clock = time.perf_counter()

    def _lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = now - self._clock
        self._clock = now

    def run(self, git_head: str) -> BuildResult:
        vault = self.site.vault
        for name in build_assets.copy_static(self.out):
            self.files[name] = ""
        for name in build_assets.copy_attachments(vault.root, vault.attachments, self.out):
            self.files[name] = ""
        self._clock = time.perf_counter()
        shared = self._site_pages()
        self._lap("site pages")
        self._note_pages(shared, git_head)
        self._lap("note pages")
        self._data_files()
        self._lap("data files")
        everything = set(self.pages) | set(self.files)
        broken = broken_links({p: r.links for p, r in self.pages.items()}, everything, shared)
        removed = remove_stale(self.out, everything, self.previous)
        problems = [d.format() for d in note_problems(self.site)]
        self.manifest.pages, self.manifest.files = self.pages, self.files
        self.manifest.problems = problems + broken
        self._lap("check")
        return BuildResult(self.out, len(vault.notes), len(self.pages), self.written,
                           len(removed), problems=problems, broken=broken,
                           timings=self.timings)  # fmt: skip

    def _write_page(self, file: str, html: str, key: str = "", body: str = "",
                    shared: frozenset[str] = frozenset()) -> None:  # fmt: skip
        old = self.manifest.pages.get(file)
        content, wrote = write_if_changed(self.out, file, html.encode("utf-8"),
                                          None if old is None else old.content)  # fmt: skip
        self.written += wrote
        location = file.removesuffix("index.html")
        self.pages[file] = PageRecord(key, content, extract_links(html, location, shared), body)

    def _site_pages(self) -> frozenset[str]:
        """Home, search, tags, graph … and the tag pages; return the links all pages share."""
        home = self.renderer.home()
        nav = frozenset(extract_links(home, ""))
        layout = frozenset(t for t in nav if t.startswith("static/") or t.endswith("index.html")
                           and t.count("/") <= 1)  # fmt: skip
        self._write_page("index.html", home, shared=frozenset())
        for name in SITE_PAGES[1:]:
            html = getattr(self.renderer, name)()
            self._write_page(page_file(page_location(name)), html, shared=layout)
        for tag in self.site.tags():
            location = page_location("tag", tag)
            self._write_page(page_file(location), self.renderer.tag(tag), shared=layout)
        base_href = self.base_url.rstrip("/") + "/" if self.base_url else ""
        self._write_page("404.html", self.renderer.not_found("No page lives at this address.",
                                                             base_href), shared=layout)  # fmt: skip
        return layout

    def _note_pages(self, shared: frozenset[str], git_head: str) -> None:
        """Recheck the pages that may have changed; keep the records of all others."""
        vault, old = self.site.vault, self.manifest
        commits = git_log_all(vault.root) if _in_git(vault.root) else {}
        attachments = digest(*sorted(vault.attachments))
        inputs = {"attachments": attachments, "git": git_head}
        if old.inputs == inputs and old.notes:
            todo = build_plan.candidates(self.site, self.out, old.notes)
        else:
            todo = set(vault.notes)
        self.manifest.inputs = inputs
        notes: dict[str, dict[str, Any]] = {}
        for path in sorted(set(vault.notes) - todo):
            file = page_file(note_location(path))
            self.pages[file] = old.pages[file]
            notes[path] = old.notes[path]
        jobs = [self._job(path) for path in sorted(todo)]
        for result in render_notes(self.site, self.renderer, self.out, jobs, commits=commits,
                                   attachments=attachments, shared=shared, workers=self.jobs,
                                   show_progress=self.show):  # fmt: skip
            file = page_file(result.location)
            links = result.links if result.links is not None else old.pages[file].links
            self.pages[file] = PageRecord(result.key, result.content, links, result.body)
            self.written += result.wrote
            previous = old.notes.get(result.path, {})
            notes[result.path] = {
                "content": vault.notes[result.path].content_hash,
                "trust": build_plan.trust_signature(self.site, result.path),
                "preview": result.preview[0] if result.preview else previous.get("preview", ""),
                "deps": result.deps,
            }  # fmt: skip
            if result.preview:
                self.cards[result.path] = result.preview[1]
            if result.doc is not None:
                self.docs.append(result.doc)
        self.removed_notes = [p for p in old.notes if p not in vault.notes]
        self.manifest.notes = notes

    def _job(self, path: NotePath) -> NoteJob:
        record = self.manifest.pages.get(page_file(note_location(path)))
        preview = str(self.manifest.notes.get(path, {}).get("preview", ""))
        doc = self.search.content_of(path)
        if record is None:
            return NoteJob(path, old_doc=doc, old_preview=preview)
        return NoteJob(path, record.key, record.content, record.body, doc, preview)

    def _data_files(self) -> None:
        site, vault = self.site, self.site.vault
        live = set(vault.notes)
        trusts = site.trusts()
        titles = {p: (n.title, note_location(p)[2:-1], trusts[p].level or "")
                  for p, n in vault.notes.items()}  # fmt: skip
        self.search.update(self.docs, live, titles)
        self.manifest.search = self.search.state()
        for name in self.search.site_files():
            self.files[name] = self.search.files[name.removeprefix("data/search/")]
        data: dict[str, bytes] = {"data/graph.js": build_data.graph_script(site)}
        data.update(build_data.write_previews(self.out, self.cards, self.removed_notes, live))
        data["feed.xml"] = build_feed.atom_feed(site, self.base_url)
        tags = [page_location("tag", t) for t in site.tags()]
        data["sitemap.xml"] = build_feed.sitemap(site, self.base_url, tags)
        for name, content in data.items():
            self._write_file(name, content)
        for name in self.manifest.files:
            if name.startswith("data/preview/") and name not in self.files:
                self.files[name] = self.manifest.files[name]
        for file, html in build_feed.alias_redirects(site, self.base_url).items():
            self._write_page(file, html.decode("utf-8"))

    def _write_file(self, name: str, content: bytes) -> None:
        old = self.manifest.files.get(name)
        self.files[name], wrote = write_if_changed(self.out, name, content, old)
        self.written += wrote


def _in_git(root: Path) -> bool:
    return any((folder / ".git").exists() for folder in (root, *root.parents))
