"""Note pages of a static build, rendered on every core.

The parent loads the Site once and forks its workers, so each child shares the parsed vault
and graph instead of loading its own. A worker hashes each note page's inputs — its context
(plain data) and its body's inputs — and renders only pages whose hash changed; a page whose
body inputs did not change takes its body from the page already on disk.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from kgwiki.changelog import Commit
from kgwiki.duplicates import content_text
from kgwiki.note import LinkKind
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.util import progress
from kgwiki.web.build.cache import digest, json_digest, note_shape, page_file, write_if_changed
from kgwiki.web.build.check import broken_targets
from kgwiki.web.build.links import Fills, RecordingLinks
from kgwiki.web.build.plan import page_deps
from kgwiki.web.build.search_docs import SearchDoc, search_doc
from kgwiki.web.build.splice import page_body
from kgwiki.web.render import (
    MAX_EMBED_DEPTH,
    Renderer,
    heading_anchor,
    note_context,
    note_location,
    preview_card,
    render_body,
    with_history,
)

_PARALLEL_THRESHOLD = 200


@dataclass(frozen=True, slots=True)
class NoteJob:
    """One note page to bring up to date, with what the previous build recorded for it."""

    path: NotePath
    old_key: str = ""
    old_content: str = ""
    old_body: str = ""
    old_doc: str = ""
    old_preview: str = ""


@dataclass(frozen=True, slots=True)
class NoteResult:
    """What a worker did for one note page, and what the parent needs to record."""

    path: NotePath
    location: str
    key: str
    content: str
    body: str
    broken: list[str] | None  # links to files the site lacks; None: page not rendered
    wrote: bool
    preview: tuple[str, dict[str, str]] | None  # (hash, card) when the card changed
    doc: SearchDoc | None  # when the note's text changed
    deps: list[str]  # the other notes the page shows
    shape: str  # build_cache.note_shape of the note
    prose: str  # a hash of the prose near-duplicate detection compares
    fills: Fills | None  # the body's holes (links, tags, embeds) as drawn, when it was drawn


@dataclass(slots=True)
class _State:
    site: Site
    renderer: Renderer
    out: Path
    commits: Mapping[NotePath, Sequence[Commit]]
    attachments: str
    known: frozenset[str]


_STATE: _State | None = None


def body_key(site: Site, path: NotePath, stack: tuple[NotePath, ...] = ()) -> str:
    """A hash of everything a note's body HTML depends on (its text, where its links go)."""
    notes = site.vault.notes
    note = notes[path]
    parts = [note.content_hash]
    for item in site.vault.links_of(path):
        target, res = item.link.target, item.resolution
        parts.append(f"{target.file}|{res.path}|{res.is_attachment}")
        other = notes.get(res.path) if res.path is not None else None
        if other is None:
            continue
        if target.headings:
            parts.append(heading_anchor(other, target.headings[-1]))
        if (item.link.kind is LinkKind.EMBED and other.path not in stack
                and len(stack) <= MAX_EMBED_DEPTH):  # fmt: skip
            parts.append(body_key(site, other.path, (*stack, path)))
    if "](" in note.body:  # Markdown links and images may name attachments
        parts.append(_STATE.attachments if _STATE is not None else "")
    return digest(*parts)


def reuse_body(out: Path, location: str, title: str) -> str | None:
    """The body HTML of the page already written at ``location`` (None if unreadable)."""
    try:
        html = (out / page_file(location)).read_text(encoding="utf-8")
    except OSError:
        return None
    return page_body(html, title)


def _render_one(job: NoteJob) -> NoteResult:
    assert _STATE is not None
    state = _STATE
    site, path = state.site, job.path
    location = note_location(path)
    urls = state.renderer.urls.at(location)
    context = with_history(site, note_context(site, urls, path), path,
                                 state.commits.get(path, ()))  # fmt: skip
    bkey = body_key(site, path)
    key = digest(json_digest(context), bkey)
    note = site.vault.notes[path]
    card = preview_card(site, state.renderer.urls.at(""), path)
    card_hash = json_digest(card)
    preview = (card_hash, card) if card_hash != job.old_preview else None
    doc = search_doc(note, site.vault.config) if note.content_hash != job.old_doc else None
    deps = page_deps(context, site, path)
    shape, prose = note_shape(note), digest(content_text(note))
    if key == job.old_key and (state.out / page_file(location)).is_file():
        return NoteResult(path, location, key, job.old_content, bkey, None, False, preview, doc,
                          deps, shape, prose, None)  # fmt: skip
    body = reuse_body(state.out, location, note.title) if bkey == job.old_body else None
    fills: Fills | None = None
    if body is None:  # drawn: keep how its links were drawn (build_local reuses them)
        fills = {}
        body = render_body(site, urls, path, RecordingLinks(site.vault, urls, path, fills))
    html = state.renderer.note(path, body=body, context=context)
    content, wrote = write_if_changed(state.out, page_file(location), html.encode("utf-8"),
                                      job.old_content)  # fmt: skip
    broken = broken_targets(html, location, state.known)
    return NoteResult(path, location, key, content, bkey, broken, wrote, preview, doc, deps,
                      shape, prose, fills)  # fmt: skip


def _render_batch(jobs: list[NoteJob]) -> list[NoteResult]:
    return [_render_one(job) for job in jobs]


def render_notes(
    site: Site,
    renderer: Renderer,
    out: Path,
    jobs: list[NoteJob],
    *,
    commits: Mapping[NotePath, Sequence[Commit]],
    attachments: str,
    known: frozenset[str],
    workers: int | None = None,
    show_progress: bool = False,
) -> Iterator[NoteResult]:
    """Bring every note page up to date; forked workers share the loaded Site."""
    global _STATE
    _STATE = _State(site, renderer, out, commits, attachments, known)
    count = workers or os.cpu_count() or 1
    try:
        if count == 1 or len(jobs) < _PARALLEL_THRESHOLD or not _can_fork():
            yield from progress((_render_one(j) for j in jobs), len(jobs), "pages", show_progress)
            return
        # The first page is drawn here, before the fork: what drawing any page makes once
        # (the compiled note template, site-wide views computed on first use) every worker
        # then inherits instead of each making it again.
        yield _render_one(jobs[0])
        rest = jobs[1:]
        size = max(8, min(200, len(rest) // (count * 6)))
        batches = [rest[i : i + size] for i in range(0, len(rest), size)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            results = pool.map(_render_batch, batches)
            for batch in progress(results, len(batches), "pages", show_progress):
                yield from batch
    finally:
        _STATE = None


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()

