"""The parse cache: parsed notes kept between runs in 64 pickled buckets under the cache folder.

A bucket is keyed by kgwiki's version, the libraries that shape a parse (``versions``), a hash
of the parser's own code and the relation labels: when any of them changes, every bucket is
stale and its notes are parsed again. One edit rewrites one bucket.

A bucket holds its notes' wires without their bodies and texts, and those in one pickled
blob beside them, decoded only when one of the bucket's notes is asked for its body or text
(``note.PendingTexts``): they are three quarters of the bytes, which most commands never read.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import zlib
from pathlib import Path

from kgwiki import __version__
from kgwiki.config import Config
from kgwiki.note import Note, PendingTexts, Wire, from_wire, split_texts
from kgwiki.types import NotePath
from kgwiki.util import atomic_write_bytes
from kgwiki.versions import toolchain

FOLDER = "notes"  # inside the config's cache_dir: one pickle per bucket of notes
BUCKETS = 64
FORMAT = 3  # the layout of a bucket and of the notes in it (``note.wire``): 3, texts apart
_OLD_CACHE_FILE = "notes.pickle"  # the single-file cache of kgwiki before buckets

Stat = tuple[int, int]  # (mtime_ns, size) of the file when it was read


def cache_version(config: Config) -> str:
    """What the cached notes were made by: a different value makes every bucket stale."""
    labels = sorted(config.relation_labels.items())
    return f"{FORMAT}|{__version__}|{toolchain()}|{_parser_fingerprint()}|{labels}"


def bucket_of(path: NotePath) -> int:
    """Which parse-cache file holds a note (stable across runs and machines)."""
    return zlib.crc32(path.encode("utf-8")) % BUCKETS


def read_buckets(folder: Path, version: str) -> tuple[dict[NotePath, tuple[Stat, Note]], set[int]]:
    """Every cached note (its body and text read when first asked for), and the buckets
    that are missing, unreadable or stale."""
    entries: dict[NotePath, tuple[Stat, Note]] = {}
    dirty: set[int] = set()
    for index in range(BUCKETS):
        try:
            with (folder / f"{index:02d}.pickle").open("rb") as handle:
                found, bucket, texts = pickle.load(handle)
        except Exception:
            dirty.add(index)
            continue
        if found != version:
            dirty.add(index)
            continue
        pending = PendingTexts(texts)
        for path, (stat, wire) in bucket.items():
            entries[path] = (stat, from_wire(wire, pending))
    return entries, dirty


def write_buckets(folder: Path, version: str, buckets: dict[int, dict[NotePath, tuple[Stat, Wire]]]
                  ) -> set[int]:  # fmt: skip
    """Write the given buckets atomically; return those written (a read-only vault has none)."""
    written: set[int] = set()
    try:
        for index, bucket in sorted(buckets.items()):
            heads: dict[NotePath, tuple[Stat, Wire]] = {}
            texts: dict[NotePath, tuple[str, str]] = {}
            for path, (stat, wire) in bucket.items():
                head, texts[path] = split_texts(wire)
                heads[path] = (stat, head)
            blob = pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL)
            data = pickle.dumps((version, heads, blob), protocol=pickle.HIGHEST_PROTOCOL)
            atomic_write_bytes(folder / f"{index:02d}.pickle", data)
            written.add(index)
        (folder.parent / _OLD_CACHE_FILE).unlink(missing_ok=True)
    except OSError:
        pass
    return written


@functools.cache
def _parser_fingerprint() -> str:
    """A hash of the parsing code, so a changed parser never reuses old cached notes."""
    package = Path(__file__).parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for name in parser_sources(package):
        digest.update(name.encode())
        digest.update((package / name).read_bytes())
    return digest.hexdigest()


# What a note's parse reads: whole packages (every module in them) and single modules.
_PARSER_SOURCES = ("note", "markdown", "types.py", "diagnostics.py", "wikilink.py", "slug.py")


def parser_sources(package: Path) -> list[str]:
    """The files, relative to the ``kgwiki`` folder, whose code shapes a parsed note."""
    found: list[str] = []
    for name in _PARSER_SOURCES:
        if name.endswith(".py"):
            found.append(name)
        else:
            files = (package / name).rglob("*.py")
            found += sorted(p.relative_to(package).as_posix() for p in files)
    return found
