"""What the last build wrote and from which inputs: ``site/.kgwiki-build.json`` and its records.

A build compares the vault's files (mtime and size), the day, the git head and a
fingerprint of everything global (kgwiki version, templates and assets, configuration,
base URL) with the manifest. Nothing changed: nothing to do. The fingerprint changed: every
page is rebuilt. Otherwise each page is rewritten only when the hash of its inputs changed
and its bytes differ, and files the new build does not write are removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgwiki import __version__, clock
from kgwiki.changelog import git_head
from kgwiki.config import Config
from kgwiki.note import FIELDS, Note, to_wire
from kgwiki.util import atomic_write_bytes, atomic_write_text
from kgwiki.vault import disk_path, scan_vault
from kgwiki.versions import toolchain

MANIFEST_NAME = ".kgwiki-build.json"
CACHE_DIR = ".kgwiki-build"
RECORDS_NAME = "records.pickle"  # in CACHE_DIR: the manifest's records of every page and note
FORMAT = 7  # 6: the records moved from the manifest's second JSON line to RECORDS_NAME; 7: known
CONFIG_ENTRY = "\x00config"  # the configuration file's entry in a vault snapshot


def digest(*parts: str | bytes) -> str:
    """A short stable hash of some strings (the build's keys)."""
    h = hashlib.blake2b(digest_size=12)
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


def json_digest(data: Any) -> str:
    return digest(_KEY_JSON.encode(data))


# Page contexts are trees built fresh for each page: no cycles to look for.
_KEY_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str, check_circular=False)


def fingerprint(config: Config, base_url: str, templates: str, options: Mapping[str, Any]) -> str:
    """Everything that, when it changes, changes every page."""
    return digest(__version__, toolchain(), str(FORMAT), config.fingerprint(), base_url, templates,
                  json.dumps(dict(options), sort_keys=True))  # fmt: skip


# The parts of a note that only its own page body, its search entry, its hover card and
# near-duplicate detection read (build_local lists what reads them).
_TEXT_FIELDS = frozenset({"body", "text", "content_hash", "size"})


def note_shape(note: Note) -> str:
    """A hash of everything parsed from a note but its text: names, metadata, headings,
    links with their lines and context, tags, block ids, changelog, diagnostics.

    Two versions of a note with the same shape differ, for every page but the note's own,
    only where the build reads ``_TEXT_FIELDS``.
    """
    wire = to_wire(note)
    kept = [value for name, value in zip(FIELDS, wire, strict=True) if name not in _TEXT_FIELDS]
    return digest(repr(kept))


def template_fingerprint(package: Path = Path(__file__).parents[2]) -> str:
    """Changes whenever the code or the assets that draw the site do: every module of kgwiki
    (the parser, the graph, trust, duplicates and the web layer all shape pages), the
    templates and the static files.

    A release changes ``__version__`` too; this also catches a working copy being edited.
    """
    files = [*package.rglob("*.py"), *package.glob("web/templates/**/*"),
             *package.glob("web/static/**/*")]  # fmt: skip
    h = hashlib.blake2b(digest_size=12)
    for file in sorted(f for f in files if f.is_file()):
        h.update(file.relative_to(package).as_posix().encode())
        h.update(file.read_bytes())
    return h.hexdigest()


def vault_snapshot(root: Path, config: Config) -> dict[str, Any]:
    """The vault's files by (mtime, size), today's date and the git head: cheap to take."""
    scan = scan_vault(root.resolve(), config.ignore)
    files: dict[str, list[int]] = {}
    base = str(root)
    for rel in (*scan.notes, *scan.attachments):
        try:
            info = os.stat(os.path.join(base, rel))  # a str path: 10,000 Paths cost 50 ms
        except OSError:
            try:
                info = disk_path(root, rel).stat()  # a name in another Unicode form
            except OSError:
                continue
        files[rel] = [info.st_mtime_ns, info.st_size]
    config_file = config.source
    if config_file is not None and config_file.is_file():
        info = config_file.stat()
        files[CONFIG_ENTRY] = [info.st_mtime_ns, info.st_size]
    return {"files": files, "today": clock.today().isoformat(), "git": git_head(root)}


@dataclass(slots=True)
class PageRecord:
    """One written page: its inputs' hash, its bytes' hash, its broken links, its body's key."""

    key: str
    content: str
    broken: list[str] = field(default_factory=list)
    body: str = ""

    def to_json(self) -> list[Any]:
        return [self.key, self.content, self.broken, self.body]

    @classmethod
    def from_json(cls, data: list[Any]) -> PageRecord:
        return cls(str(data[0]), str(data[1]), list(data[2]), str(data[3]))


@dataclass(slots=True)
class Manifest:
    """The record of the previous build of one output folder, in two files.

    ``.kgwiki-build.json`` is one JSON line: enough to tell that nothing changed, and what to
    report then. The records of every page, file and note (9 MB at 10,000 notes) are a pickle
    in ``.kgwiki-build/records.pickle``: a one-note build reads and writes them whole, and
    JSON took two to three times as long to write and a third longer to read. Both files carry
    the same token, drawn anew by each write, so records and header from two different
    builds (one write interrupted between the two) are never taken together.
    """

    fingerprint: str = ""
    snapshot: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    complete: bool = False
    pages: dict[str, PageRecord] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    local: dict[str, Any] = field(default_factory=dict)  # what build_local checks
    known: list[str] = field(default_factory=list)  # every file the pages could link to
    token: str = ""  # of the write this was read from: the records must carry the same

    @classmethod
    def read(cls, out: Path, header_only: bool = False) -> Manifest:
        """The manifest of ``out``, or an empty one (missing, unreadable or another format);
        ``header_only`` leaves the records out (``with_records`` reads them later)."""
        try:
            with (out / MANIFEST_NAME).open(encoding="utf-8") as handle:
                head = json.loads(handle.readline())
            if head.get("format") != FORMAT or head.get("version") != __version__:
                return cls()
            manifest = cls(fingerprint=head["fingerprint"], snapshot=head["snapshot"],
                           problems=list(head["problems"]), counts=dict(head["counts"]),
                           complete=bool(head["complete"]), token=str(head["token"]))  # fmt: skip
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()
        return manifest if header_only else manifest.with_records(out)

    def with_records(self, out: Path) -> Manifest:
        """This header with the records of the same write read in (an empty manifest when
        they are missing, damaged or of another write)."""
        if not self.token:  # no header (or one of another format): no records to read
            return Manifest()
        try:
            with (out / CACHE_DIR / RECORDS_NAME).open("rb") as handle:
                token, body = pickle.load(handle)
            if token != self.token:
                return Manifest()
            pages = {k: PageRecord.from_json(v) for k, v in body["pages"].items()}
            files, notes = dict(body["files"]), dict(body["notes"])
            search, inputs, local = dict(body["search"]), dict(body["inputs"]), dict(body["local"])
            known = list(body["known"])
        except Exception:  # any damage to the records only means a full build
            return Manifest()
        self.pages, self.files, self.notes = pages, files, notes
        self.search, self.inputs, self.local, self.known = search, inputs, local, known
        return self

    def write(self, out: Path) -> None:
        """The records first, then the header that names them: a build stopped between the
        two leaves a header whose token the new records do not carry."""
        self.token = os.urandom(12).hex()
        body = {"pages": {k: v.to_json() for k, v in sorted(self.pages.items())},
                "files": dict(sorted(self.files.items())), "notes": self.notes,
                "search": self.search, "inputs": self.inputs, "local": self.local,
                "known": self.known}  # fmt: skip
        records = pickle.dumps((self.token, body), protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_bytes(out / CACHE_DIR / RECORDS_NAME, records)
        head = {"format": FORMAT, "version": __version__, "fingerprint": self.fingerprint,
                "snapshot": self.snapshot, "problems": self.problems, "counts": self.counts,
                "complete": self.complete, "token": self.token}  # fmt: skip
        text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
        atomic_write_text(out / MANIFEST_NAME, text + "\n")


def writing_marker(out: Path) -> Path:
    """A file that exists while a build writes into ``out``: found by the next build, it
    means the last one was interrupted, and its records cannot be trusted."""
    return out / CACHE_DIR / "writing"


def write_if_changed(
    out: Path, location: str, data: bytes, old_hash: str | None
) -> tuple[str, bool]:
    """Write ``out/location`` unless the same bytes are there; return (hash, written)."""
    new_hash = digest(data)
    target = out / location
    if new_hash == old_hash and target.is_file():
        return new_hash, False
    parent = str(target.parent)
    if parent not in _MADE:
        _make_folder(parent)
    tmp = f"{parent}/.{target.name}.{os.getpid()}.tmp"
    try:
        _write(tmp, data)
    except FileNotFoundError:  # removed since (a clean build, pruned folders): make it again
        _make_folder(parent)
        _write(tmp, data)
    os.replace(tmp, target)
    return new_hash, True


# Folders this process has made or found. Tag pages, data files and redirects share
# folders, and a note page's folder usually has a parent already: one system call each.
_MADE: set[str] = set()


def _make_folder(folder: str) -> None:
    try:
        os.mkdir(folder)
    except FileExistsError:
        if not os.path.isdir(folder):
            raise
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    _MADE.add(folder)


def _write(file: str, data: bytes) -> None:
    with open(file, "wb") as handle:
        handle.write(data)


def page_file(location: str) -> str:
    """The file a page location is written to: ``n/a/`` → ``n/a/index.html``."""
    return location + "index.html" if location == "" or location.endswith("/") else location


def remove_stale(out: Path, keep: set[str], previous: set[str]) -> list[str]:
    """Delete files the previous build wrote and this one did not; prune empty folders."""
    removed = sorted(previous - keep)
    for rel in removed:
        target = out / rel
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        parent = target.parent
        while parent != out:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return removed
