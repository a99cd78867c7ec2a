"""``Vault``: every note of a folder, parsed (in parallel, cached) and linked together."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from kgwiki import __version__
from kgwiki.atomic import atomic_write_bytes
from kgwiki.collector import collector_paused
from kgwiki.config import Config, config_for_vault
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.markdown import Token
from kgwiki.note import Link, LinkKind, Note, parse_note, parse_note_tokens
from kgwiki.note_wire import Wire, from_wire, to_wire
from kgwiki.progress import progress
from kgwiki.resolver import LinkIndex, Resolution, normalise_path, note_key
from kgwiki.scan import disk_path, is_note_file, scan_vault
from kgwiki.slug import slugify
from kgwiki.types import NoteKey, NotePath
from kgwiki.versions import toolchain

_CACHE_FOLDER = "notes"  # inside the config's cache_dir: one pickle per bucket of notes
_CACHE_BUCKETS = 64
_OLD_CACHE_FILE = "notes.pickle"  # the single-file cache of kgwiki before buckets
_PARALLEL_THRESHOLD = 400

Derive = Callable[[Note, list[Token]], object]
"""Something made from a freshly parsed note and its body's tokens (see ``Vault.load``)."""


@dataclass(frozen=True, slots=True)
class ResolvedLink:
    """A link of a note together with where it points."""

    source: NotePath
    link: Link
    resolution: Resolution

    @property
    def target(self) -> NotePath | None:
        return self.resolution.path


class VaultPathError(ValueError):
    """A path that is not inside the vault, or is not a note."""


class Vault:
    """The notes of one folder, their link tables and diagnostics.

    Build one with :meth:`load`; keep it current with :meth:`refresh_file` and
    :meth:`remove_note`, which touch only the note concerned (and the links whose
    target names it gained or lost).
    """

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root.resolve()
        self.config = config
        self.notes: dict[NotePath, Note] = {}
        self.attachments: set[NotePath] = set()
        self.scan_diagnostics: list[Diagnostic] = []
        self.index = LinkIndex()
        self._resolved: dict[NotePath, tuple[ResolvedLink, ...]] = {}
        self._wanting: defaultdict[NoteKey, set[NotePath]] = defaultdict(set)
        self._wants_of: dict[NotePath, set[NoteKey]] = {}
        self._stats: dict[NotePath, tuple[int, int]] = {}
        self._dirty: set[int] = set()  # parse-cache buckets that no longer match the notes
        self.version = 0  # bumped by every note added, changed or removed (for memos)
        # what ``derive`` made of each note parsed by this load (see ``load``); dropped when
        # the note changes
        self.derived: dict[NotePath, object] = {}
        self._derive: Derive | None = None

    # -- loading -----------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        root: Path | str,
        config: Config | None = None,
        *,
        show_progress: bool = False,
        jobs: int | None = None,
        use_cache: bool = True,
        derive: Derive | None = None,
    ) -> Vault:
        """Scan and parse a folder; unchanged files come from the parse cache.

        ``derive(note, tokens)``, a module-level function, runs where each note is parsed (in
        the worker processes) on the note and its body's tokens; what it returns, unless
        None, lands in ``vault.derived``. Notes from the parse cache are not derived.
        """
        root = Path(root)
        if not root.is_dir():
            raise VaultPathError(f"{root}: not a folder")
        vault = cls(root, config or config_for_vault(root))
        vault._derive = derive
        with collector_paused():
            vault._load(use_cache, show_progress, jobs)
        return vault

    def _load(self, use_cache: bool, show_progress: bool, jobs: int | None) -> None:
        vault = self
        scan = scan_vault(vault.root, vault.config.ignore)
        vault.scan_diagnostics = scan.diagnostics
        vault.attachments = set(scan.attachments)
        for attachment in scan.attachments:
            vault.index.add_attachment(attachment)
        cached = vault._read_cache() if use_cache else {}
        stale: list[NotePath] = []
        stats: dict[NotePath, tuple[int, int] | None] = {}
        for path in scan.notes:
            stat = stats[path] = vault._stat(path)
            hit = cached.pop(path, None)
            if hit is not None and stat is not None and hit[0] == stat:
                vault._put(hit[1], stat)
            else:
                stale.append(path)
                vault._dirty.add(_bucket(path))
        vault._dirty.update(_bucket(path) for path in cached)  # notes deleted since
        # the stat taken before reading: if the file changes meanwhile, the next load sees it
        for note, derived in vault._parse_many(stale, show_progress, jobs):
            vault._put(note, stats[note.path])
            if derived is not None:
                vault.derived[note.path] = derived
        if use_cache and vault._dirty:
            vault._write_cache()

    def _parse_many(
        self, paths: list[NotePath], show: bool, jobs: int | None
    ) -> Iterator[tuple[Note, object]]:
        labels, derive = dict(self.config.relation_labels), self._derive
        workers = jobs or os.cpu_count() or 1
        if len(paths) < _PARALLEL_THRESHOLD or workers == 1:
            for path in progress(paths, len(paths), "parsing", show):
                yield _read_parse_derive(self.root, path, labels, derive)
            return
        chunk = max(16, min(200, len(paths) // (workers * 8)))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            batches = _batches(self.root, paths, labels, derive, chunk)
            results = pool.map(_parse_batch, batches)
            for batch in progress(results, -(-len(paths) // chunk), "parsing", show):
                for wire, derived in batch:
                    yield from_wire(wire), derived

    def _stat(self, path: NotePath) -> tuple[int, int] | None:
        try:
            info = (self.root / path).stat()
        except OSError:
            try:
                info = disk_path(self.root, path).stat()  # a name in another Unicode form
            except OSError:
                return None
        return (info.st_mtime_ns, info.st_size)

    def _cache_folder(self) -> Path:
        return self.root / self.config.cache_dir / _CACHE_FOLDER

    def _cache_version(self) -> str:
        return (
            f"{__version__}|{toolchain()}|{_parser_fingerprint()}|{sorted(self.config.relation_labels.items())}"
        )

    def _read_cache(self) -> dict[NotePath, tuple[tuple[int, int], Note]]:
        """Every cached note; a bucket that is missing, unreadable or stale is marked dirty."""
        folder, version = self._cache_folder(), self._cache_version()
        entries: dict[NotePath, tuple[tuple[int, int], Note]] = {}
        for index in range(_CACHE_BUCKETS):
            try:
                with (folder / f"{index:02d}.pickle").open("rb") as handle:
                    found, bucket = pickle.load(handle)
            except Exception:
                self._dirty.add(index)
                continue
            if found != version:
                self._dirty.add(index)
                continue
            for path, (stat, wire) in bucket.items():
                entries[path] = (stat, from_wire(wire))
        return entries

    def _write_cache(self) -> None:
        """Rewrite the dirty buckets only: after one edit, one sixty-fourth of the cache."""
        if not self._dirty:
            return
        buckets: dict[int, dict[NotePath, tuple[tuple[int, int], Wire]]] = {
            index: {} for index in self._dirty
        }
        for path, stat in self._stats.items():
            bucket = buckets.get(_bucket(path))
            if bucket is not None and path in self.notes:
                bucket[path] = (stat, to_wire(self.notes[path]))
        folder, version = self._cache_folder(), self._cache_version()
        try:  # a read-only vault simply has no cache
            for index, bucket in sorted(buckets.items()):
                data = pickle.dumps((version, bucket), protocol=pickle.HIGHEST_PROTOCOL)
                atomic_write_bytes(folder / f"{index:02d}.pickle", data)
                self._dirty.discard(index)
            (folder.parent / _OLD_CACHE_FILE).unlink(missing_ok=True)
        except OSError:
            return

    # -- incremental updates -------------------------------------------------------------

    def _put(self, note: Note, stat: tuple[int, int] | None) -> None:
        old = self.notes.get(note.path)
        self.notes[note.path] = note
        if stat is not None:
            self._stats[note.path] = stat
        self.index.add(note)
        self._forget_links(note.path)
        wants = {_target_key(link.target.file) for link in note.links if link.target.file}
        self._wants_of[note.path] = wants
        for key in wants:
            self._wanting[key].add(note.path)
        if old is None or note_names(old) != note_names(note):
            self._invalidate_names(note_names(note) | (note_names(old) if old else set()))
        self.version += 1  # after the change: a memo made meanwhile carries the old number

    def refresh_file(self, path: NotePath | str) -> Note | None:
        """Re-read one file after it was added or changed; None if it is gone."""
        rel = self.relative(path)
        if not disk_path(self.root, rel).is_file():
            self.remove_note(rel)
            return None
        if not is_note_file(rel):
            self.attachments.add(rel)
            self.index.add_attachment(rel)
            return None
        stat = self._stat(rel)  # before reading: a later change then shows as a new stat
        note = _read_and_parse(self.root, rel, dict(self.config.relation_labels))
        self._put(note, stat)
        self._dirty.add(_bucket(rel))
        self.derived.pop(rel, None)
        return note

    def remove_note(self, path: NotePath | str) -> None:
        rel = self.relative(path)
        old = self.notes.pop(rel, None)
        self._stats.pop(rel, None)
        self.derived.pop(rel, None)
        self._dirty.add(_bucket(rel))
        self.index.remove(rel)
        self._forget_links(rel)
        self._resolved.pop(rel, None)
        if old is not None:
            self._invalidate_names(note_names(old))
        self.version += 1

    def save_cache(self) -> None:
        """Write the parse cache of the notes changed since loading (``refresh_file``…)."""
        self._write_cache()

    def _forget_links(self, path: NotePath) -> None:
        self._resolved.pop(path, None)
        for key in self._wants_of.pop(path, ()):
            self._wanting[key].discard(path)

    def _invalidate_names(self, keys: set[NoteKey]) -> None:
        for key in keys:
            for source in self._wanting.get(key, ()):
                self._resolved.pop(source, None)

    def sources_linking_to_names(self, note: Note) -> set[NotePath]:
        """Notes with a link written with one of this note's names (for incremental work)."""
        found: set[NotePath] = set()
        for key in note_names(note):
            found |= self._wanting.get(key, set())
        return found

    # -- queries -------------------------------------------------------------------------

    def relative(self, path: NotePath | str) -> NotePath:
        """A vault-relative path for ``path``; raise if it would leave the vault."""
        candidate = Path(path)
        full = Path(
            os.path.normpath(candidate if candidate.is_absolute() else self.root / candidate)
        )
        if not full.is_relative_to(self.root) or not full.resolve().is_relative_to(self.root):
            raise VaultPathError(f"{path}: outside the vault {self.root}")
        return normalise_path(full.relative_to(self.root).as_posix())

    def resolve(self, target: str, source: NotePath | None = None) -> Resolution:
        return self.index.resolve(target, source)

    def links_of(self, path: NotePath) -> tuple[ResolvedLink, ...]:
        """A note's links with their resolutions (computed once, kept until names change)."""
        cached = self._resolved.get(path)
        if cached is not None:
            return cached
        note = self.notes[path]
        out = []
        for link in note.links:
            if link.target.file is None:
                resolution = Resolution(path, "self")
            else:
                resolution = self.index.resolve(link.target.file, path)
            out.append(ResolvedLink(path, link, resolution))
        resolved = tuple(out)
        self._resolved[path] = resolved
        return resolved

    def all_links(self) -> Iterator[ResolvedLink]:
        for path in self.notes:
            yield from self.links_of(path)

    def diagnostics(self) -> list[Diagnostic]:
        """Parse and scan problems, plus every link problem (unresolved, ambiguous, anchors)."""
        found = list(self.scan_diagnostics)
        for path, note in self.notes.items():
            found.extend(note.diagnostics)
            found.extend(self._link_diagnostics(path))
        return sorted(found, key=lambda d: (d.path, d.line, d.code))

    def _link_diagnostics(self, path: NotePath) -> Iterable[Diagnostic]:
        for item in self.links_of(path):
            link, res = item.link, item.resolution
            written = link.target.file or ""
            if res.path is None:
                yield Diagnostic(
                    path,
                    link.line,
                    "unresolved-link",
                    f"[[{written}]] matches no note or file",
                    Severity.INFO,
                )
                continue
            if res.ambiguous:
                others = ", ".join(p for p in res.candidates if p != res.path)
                yield Diagnostic(
                    path,
                    link.line,
                    "ambiguous-link",
                    f"[[{written}]] could mean {len(res.candidates)} notes; "
                    f"using {res.path} (also: {others})",
                )
            if not res.exact_case:
                yield Diagnostic(
                    path,
                    link.line,
                    "case-mismatch",
                    f"[[{written}]] differs in case from {res.path}",
                    Severity.INFO,
                )
            target = self.notes.get(res.path)
            if target is None or link.kind is LinkKind.FRONTMATTER:
                continue
            if link.target.headings:
                wanted = slugify(link.target.headings[-1])
                if not any(h.slug == wanted or slugify(h.text) == wanted for h in target.headings):
                    yield Diagnostic(
                        path,
                        link.line,
                        "missing-heading",
                        f"{target.path} has no heading {link.target.headings[-1]!r}",
                    )
            if link.target.block is not None and link.target.block not in target.block_ids:
                yield Diagnostic(
                    path,
                    link.line,
                    "missing-block",
                    f"{target.path} has no block ^{link.target.block}",
                )

    def __len__(self) -> int:
        return len(self.notes)

    def __iter__(self) -> Iterator[Note]:
        return iter(self.notes.values())

    def note(self, path: NotePath | str) -> Note:
        return self.notes[normalise_path(str(path))]


@functools.cache
def _parser_fingerprint() -> str:
    """A hash of the parsing code, so a changed parser never reuses old cached notes."""
    package = Path(__file__).parent
    digest = hashlib.blake2b(digest_size=8)
    for name in _PARSER_MODULES:
        with contextlib.suppress(OSError):
            digest.update((package / name).read_bytes())
    return digest.hexdigest()


_PARSER_MODULES = (
    "note.py",
    "markdown.py",
    "markdown_rules.py",
    "markdown_guards.py",
    "markdown_lists.py",
    "markdown_tokens.py",
    "note_wire.py",
    "types.py",
    "diagnostics.py",
    "frontmatter.py",
    "schema.py",
    "flattened.py",
    "sections.py",
    "textio.py",
    "wikilink.py",
    "slug.py",
)


def _bucket(path: NotePath) -> int:
    """Which parse-cache file holds a note (stable across runs and machines)."""
    return zlib.crc32(path.encode("utf-8")) % _CACHE_BUCKETS


def note_names(note: Note) -> set[NoteKey]:
    """Every name other notes can use for this one (as the resolver matches them)."""
    names = {note_key(note.stem), note_key(note.title)}
    names |= {note_key(alias) for alias in note.aliases}
    if note.id:
        names.add(note_key(note.id))
    return names


@functools.lru_cache(maxsize=65536)
def _target_key(file: str) -> NoteKey:
    """The name a written link target resolves by: its last path part, without ``.md``."""
    name = file.strip().rstrip("/").rpartition("/")[2]
    if name == ".":  # "a/." names "a", as a path would
        name = PurePosixPath(file.strip()).name
    return note_key(name[:-3] if name.lower().endswith(".md") else name)


def read_note(
    root: Path, path: NotePath, config: Config, derive: Derive | None = None
) -> tuple[Note, object]:
    """One note read and parsed as ``Vault.load`` would, with what ``derive`` made of it."""
    return _read_parse_derive(root, path, dict(config.relation_labels), derive)


def _read_and_parse(root: Path, path: NotePath, labels: dict[str, str]) -> Note:
    return _read_parse_derive(root, path, labels, None)[0]


def _read_parse_derive(
    root: Path, path: NotePath, labels: dict[str, str], derive: Derive | None
) -> tuple[Note, object]:
    try:
        data = _read_bytes(root, path)
    except OSError as err:
        note = parse_note(path, b"", labels)
        problem = Diagnostic(path, 1, "unreadable", f"cannot read file: {err}", Severity.ERROR)
        return _with_diagnostic(note, problem), None
    if derive is None:
        return parse_note(path, data, labels), None
    note, tokens = parse_note_tokens(path, data, labels)
    try:
        return note, derive(note, tokens)
    except Exception:  # what is derived is an extra: the note itself must load
        return note, None


def _read_bytes(root: Path, path: NotePath) -> bytes:
    try:
        return (root / path).read_bytes()
    except FileNotFoundError:
        return disk_path(root, path).read_bytes()  # a name in another Unicode form


def _with_diagnostic(note: Note, diagnostic: Diagnostic) -> Note:
    from dataclasses import replace

    return replace(note, diagnostics=(*note.diagnostics, diagnostic))


Batch = tuple[Path, list[NotePath], dict[str, str], Derive | None]


def _batches(
    root: Path, paths: list[NotePath], labels: dict[str, str], derive: Derive | None, size: int
) -> Iterator[Batch]:
    for start in range(0, len(paths), size):
        yield root, paths[start : start + size], labels, derive


def _parse_batch(args: Batch) -> list[tuple[Wire, object]]:
    """Parse a batch in a worker, with the cycle collector paused.

    A note's parse allocates hundreds of short-lived, acyclic tokens, which set off a
    collection every few notes that finds nothing to free (a tenth of the parse time).
    Workers forked from a loading vault inherit the paused collector and keep it paused.
    """
    root, paths, labels, derive = args
    with collector_paused():
        out: list[tuple[Wire, object]] = []
        for path in paths:
            note, derived = _read_parse_derive(root, path, labels, derive)
            out.append((to_wire(note), derived))
        return out
