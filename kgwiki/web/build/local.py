"""Local edits: a build that patches the pages of notes whose text alone changed.

Most saves change a sentence, not a link. When every file that changed since the last build
is a note whose *shape* (``build_cache.note_shape``: everything parsed from it but its text)
is the one recorded, the rest of the site cannot have changed, and the build patches what
reads a note's text instead of loading the vault:

- the note's page: its body drawn again from the note's template and the HTML the last
  build drew for its holes (``build_links``), spliced into the page already written (the
  page's context — title, trust, backlinks, relations, history — is a function of shapes);
- its search entry (``SearchWriter``: the shards of the terms whose counts changed, its
  text bucket, the document table);
- its hover card (its preview bucket);
- the feed, when it lists notes by file time (a vault without changelog rows), from the
  vault snapshot's file times and the titles of the search table;
- the manifest (the note's content hash and card, the page's hash, the vault snapshot).

Everything else that reads a note's text is ruled out first, and any doubt means the full
incremental build (``build_run``), which is always right:

- no note embeds it (an embed draws its text into another page);
- near-duplicate detection: it had no near duplicate, and its new MinHash sketch shares no
  LSH band with any other note's, so the detector proposes no pair with it (other pairs do not
  depend on it);
- nothing else changed: no file added or removed, no attachment's bytes, no configuration
  the fingerprint sees, no date, git head or kgwiki version (a file whose time changed but
  whose bytes did not is no edit);
- its body's links are the ones it had, and its page its markers.

``tests/test_build_local.py`` checks each of these against a clean build, byte for byte.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.config import Config
from kgwiki.duplicates import content_text
from kgwiki.note import Note, content_hash
from kgwiki.types import NotePath
from kgwiki.vault import disk_path, read_note
from kgwiki.web.build import links as build_links
from kgwiki.web.build.cache import (
    CONFIG_ENTRY,
    Manifest,
    PageRecord,
    digest,
    json_digest,
    note_shape,
    page_file,
    write_if_changed,
)
from kgwiki.web.build.check import extract_links
from kgwiki.web.build.local_sketches import Edit, NotLocal, new_sketches
from kgwiki.web.build.previews import preview_bucket, preview_file, write_previews
from kgwiki.web.build.report import BuildResult
from kgwiki.web.build.search_docs import SearchDoc, read_script, search_doc
from kgwiki.web.build.search_writer import Recount, SearchWriter, Titles
from kgwiki.web.build.splice import splice, splice_description
from kgwiki.web.render import (
    BodyTemplate,
    atom,
    attachment_location,
    dated_by_files,
    description,
    description_tags,
    file_entries,
    fill,
    make_template,
    note_location,
    preview_paragraphs,
    sanitise,
    split_heading,
)

if TYPE_CHECKING:
    from kgwiki.duplicates import Sketch
    from kgwiki.site import Site

# More edited notes than this and the full build is as quick.
MAX_NOTES = 50
_BADGE_END = "</p>"
FEED = "feed.xml"


def facts(site: Site) -> dict[str, Any]:
    """What a full build records for the next one to decide whether an edit is local."""
    pages: defaultdict[str, list[NotePath]] = defaultdict(list)
    for path in site.vault.notes:
        pages[note_location(path)].append(path)
    shared = [p for paths in pages.values() if len(paths) > 1 for p in paths]
    paired = {p for pair in site.near_duplicates() for p in (pair.a, pair.b)}
    return {"embedded": sorted(site.embedders()), "paired": sorted(paired),
            "shared": sorted(shared), "near": site.dupes is not None,
            "unsketched": site.dupes.unsketched() if site.dupes is not None else [],
            "feed_by_files": dated_by_files(site), "front": site.index_note()}  # fmt: skip


def build_locally(root: Path, out: Path, config: Config, manifest: Manifest,
                  snapshot: dict[str, Any], base_url: str) -> BuildResult:  # fmt: skip
    """Bring ``out`` up to date by patching; raises ``NotLocal`` when the edit is not local."""
    local = manifest.local
    if not local:
        raise NotLocal("the last build left no record for local edits")
    changed = _changed_notes(root, out, manifest, snapshot)
    fills = build_links.store(out).load(changed) if changed else {}
    edits: list[Edit] = []
    for path in changed:
        note, template = read_note(root, path, config, make_template)
        if note.content_hash == manifest.notes[path].get("content"):
            continue  # changed back meanwhile
        if note_shape(note) != manifest.notes[path].get("shape"):
            raise NotLocal(f"{path}: more than its text changed")
        if path in local.get("embedded", ()):
            raise NotLocal(f"{path}: another note embeds it")
        if path == local.get("front"):
            raise NotLocal(f"{path}: the front page shows it")
        if path in local.get("paired", ()):
            raise NotLocal(f"{path}: it has a near duplicate")
        if path in local.get("shared", ()):
            raise NotLocal(f"{path}: another note has the same page address")
        if not isinstance(template, BodyTemplate):
            raise NotLocal(f"{path}: its body has no template")
        if path not in fills:
            raise NotLocal(f"{path}: its links were not kept")
        edits.append(_patched(out, manifest, note, template, fills[path]))
    sketches: dict[NotePath, Sketch | None] = {}
    if edits and local.get("near", True):
        sketches = new_sketches(root, out, config, manifest, edits, local)
    titles = _titles(out, manifest)
    feed = None
    if local.get("feed_by_files", True):  # the edited files are the newest now
        times = {p: int(snapshot["files"][p][0]) for p in titles if p in snapshot["files"]}
        entries = file_entries(times, {p: t[0] for p, t in titles.items()})
        feed = atom(entries, config.site_title, base_url)
    return _apply(out, manifest, snapshot, edits, sketches, titles, feed, config,
                  partial(_recount, root, config))  # fmt: skip


def _recount(root: Path, config: Config, paths: list[str]) -> list[SearchDoc]:
    """The search figures of notes whose kept term counts were lost, read from their files."""
    docs = []
    for path in paths:
        try:
            docs.append(search_doc(read_note(root, NotePath(path), config)[0], config))
        except OSError:  # gone since the snapshot: the next build sees it
            continue
    return docs


def _changed_notes(root: Path, out: Path, manifest: Manifest,
                   snapshot: Mapping[str, Any]) -> list[NotePath]:  # fmt: skip
    """The notes whose contents changed since the last build.

    A file whose time changed but whose bytes did not (a sync tool, a checkout, an editor
    that saves unchanged files) is not an edit: notes are compared by content hash, an
    attachment with the copy the last build made of it.
    """
    old = manifest.snapshot
    if not manifest.complete:
        raise NotLocal("the last build did not finish")
    if old.get("today") != snapshot["today"]:
        raise NotLocal("the date changed (trust and dates are shown relative to it)")
    if old.get("git") != snapshot["git"]:
        raise NotLocal("the git head moved")
    before: Mapping[str, Any] = old.get("files", {})
    now: Mapping[str, Any] = snapshot["files"]
    if before.keys() != now.keys():
        raise NotLocal("files were added, removed or renamed")
    changed: list[NotePath] = []
    for name, stat in now.items():
        if before[name] == stat or name == CONFIG_ENTRY:  # the fingerprint covers the config
            continue
        path = NotePath(name)
        record = manifest.notes.get(path)
        if record is None:
            if not _same_bytes(disk_path(root, name), out / attachment_location(path)):
                raise NotLocal(f"{name}: an attachment changed")
        elif _content_hash(disk_path(root, name)) != record.get("content"):
            changed.append(path)
            if len(changed) > MAX_NOTES:
                raise NotLocal(f"more than {MAX_NOTES} notes changed")
    return changed


def _content_hash(file: Path) -> str:
    try:
        return content_hash(file.read_bytes())
    except OSError as err:  # gone or unreadable since the snapshot
        raise NotLocal(f"{file.name}: cannot be read ({err.strerror or err})") from None


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size == b.stat().st_size and a.read_bytes() == b.read_bytes()
    except OSError:
        return False


def _patched(out: Path, manifest: Manifest, note: Note, template: BodyTemplate,
             fills: build_links.Fills) -> Edit:  # fmt: skip
    """The note's page and hover card drawn again."""
    try:
        body = sanitise(fill(template, build_links.KeptLinks(fills)))
    except KeyError:
        raise NotLocal(f"{note.path}: a link or tag its page never drew") from None
    location = note_location(note.path)
    file = page_file(location)
    try:
        old = (out / file).read_text(encoding="utf-8") if file in manifest.pages else None
    except OSError:
        old = None
    if old is None:
        raise NotLocal(f"{file}: the page is missing")
    heading, rest = split_heading(body, note.h1_sections)
    html = splice(old, note.title, heading, rest)
    if html is not None:  # the description is the note's first sentence: it follows the text
        html = splice_description(html, description_tags(description(note)))
    if html is None:
        raise NotLocal(f"{file}: the page's heading or body cannot be told apart")
    if extract_links(html, location) != extract_links(old, location):
        raise NotLocal(f"{file}: the page links to other files now")
    return Edit(note.path, note, file, html, _card(out, note), digest(content_text(note)))


def _card(out: Path, note: Note) -> dict[str, str]:
    """The note's hover card with its new paragraphs (title, address and trust badge kept)."""
    name = preview_file(preview_bucket(note.path))
    cards = read_script(out / name)
    old = cards.get(note.path) if isinstance(cards, dict) else None
    if not isinstance(old, list) or len(old) != 3:
        raise NotLocal(f"{name}: no hover card of {note.path}")
    title, url, html = (str(part) for part in old)
    end = html.find(_BADGE_END)
    if not html.startswith('<p class="preview-trust">') or end < 0:
        raise NotLocal(f"{name}: the hover card of {note.path} has no trust badge")
    return {"title": title, "url": url,
            "html": html[: end + len(_BADGE_END)] + preview_paragraphs(note)}  # fmt: skip


def _titles(out: Path, manifest: Manifest) -> Titles:
    """Every note's (title, location, trust level) as the search table holds them."""
    titles = SearchWriter(out, manifest.search).titles()
    if titles is None:
        raise NotLocal("data/search/docs.js does not match the last build")
    return titles


def _apply(out: Path, manifest: Manifest, snapshot: dict[str, Any], edits: list[Edit],
           sketches: Mapping[NotePath, Sketch | None], titles: Titles,
           feed: bytes | None, config: Config, recount: Recount) -> BuildResult:  # fmt: skip
    written = 0
    if feed is not None:
        manifest.files[FEED], wrote = write_if_changed(out, FEED, feed, manifest.files.get(FEED))
        written += wrote
    for edit in edits:
        old = manifest.pages[edit.file]
        content, wrote = write_if_changed(out, edit.file, edit.html.encode("utf-8"), old.content)
        written += wrote
        manifest.pages[edit.file] = PageRecord("", content, old.broken, "")
        record = manifest.notes[edit.path]
        record["content"] = edit.note.content_hash
        record["preview"] = json_digest(edit.card)
        record["prose"] = edit.prose
    live = set(titles)
    search = SearchWriter(out, manifest.search, recount)
    search.update([search_doc(e.note, config) for e in edits], live, titles)
    written += len(search.written)
    manifest.search = search.state()
    manifest.files = {name: h for name, h in manifest.files.items()
                      if not name.startswith("data/search/")}  # fmt: skip
    for name in search.site_files():
        manifest.files[name] = search.files[name.removeprefix("data/search/")]
    cards = {e.path: e.card for e in edits}
    for name, data in write_previews(out, cards, [], live).items():
        if data is not None:  # (a bucket with an edited card is never empty)
            manifest.files[name], wrote = write_if_changed(out, name, data,
                                                           manifest.files.get(name))  # fmt: skip
            written += wrote
    unsketched = set(manifest.local.get("unsketched", ()))
    for path, sketch in sketches.items():
        (unsketched.add if sketch is None else unsketched.discard)(path)
    manifest.local["unsketched"] = sorted(unsketched)
    manifest.snapshot = snapshot
    manifest.write(out)
    broken = [line for line in manifest.problems if " broken-link " in line]
    return BuildResult(out, len(manifest.notes), len(manifest.pages), written,
                       problems=[p for p in manifest.problems if p not in broken],
                       broken=broken, mode="local")  # fmt: skip
