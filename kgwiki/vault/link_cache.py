"""The link tables of a loaded vault, kept between runs and brought up to date on the next.

Putting 10,000 cached notes into the name tables and the who-links-what maps costs about
0.4 s; reading the tables back, a fifth of that. They are a pure function of the notes, the
attachments, the config and this package's code. So the file holds, in front of the
tables, a *base* key (the parse cache's version, the config, a hash of the ``vault`` code,
every attachment's path) and every note's ``(mtime_ns, size)`` as the tables knew it (the
parse cache's own test of a note). Another base: built again, never trusted. The same base
with a few notes edited, added or removed (``MAX_CHANGES``): the tables are read and those
notes are put in again (``Vault`` does that), as a file change in the server would.
The tables are read only after the header said they are usable.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgwiki.config import Config
from kgwiki.types import NotePath
from kgwiki.util import atomic_write_bytes, source_hash
from kgwiki.vault.parse_cache import Stat, cache_version

FILE = "links.pickle"  # in the config's cache_dir
# Notes that may differ from the kept tables before they are built again: past this, putting
# the notes in one by one (and re-linking who writes their names) stops paying.
MAX_CHANGES = 200


@dataclass(frozen=True, slots=True)
class Kept:
    """Tables read back: ``snapshot`` names the files they were made of, ``changed`` the
    notes that differ now (edited, added or removed)."""

    snapshot: str
    changed: frozenset[NotePath]
    tables: Any


def base_key(config: Config, attachments: Iterable[NotePath]) -> str:
    """What the tables depend on besides the notes: parser, config, code, attachments."""
    digest = hashlib.blake2b(digest_size=16)
    code = source_hash(Path(__file__).parent)
    digest.update(f"{cache_version(config)}|{config!r}|{code}".encode())
    for path in sorted(attachments):
        digest.update(f"\0{path}".encode())
    return digest.hexdigest()


def snapshot_key(base: str, stats: Mapping[NotePath, Stat]) -> str:
    """The vault's files as one hash (``base`` and every note's stat): the key of what other
    layers keep of this vault (the graph)."""
    digest = hashlib.blake2b(base.encode(), digest_size=16)
    for path, stat in sorted(stats.items()):
        digest.update(f"\0{path}\0{stat}".encode())
    return digest.hexdigest()


def read_state(file: Path, base: str, stats: Mapping[NotePath, Stat]) -> Kept | None:
    """The tables :func:`write_state` kept under ``base``, or None (missing, unreadable,
    another base, or more than ``MAX_CHANGES`` notes differing from ``stats``)."""
    try:
        with file.open("rb") as handle:
            found, snapshot, kept_stats = pickle.load(handle)
            if found != base:
                return None
            changed = differing(kept_stats, stats)
            if len(changed) > MAX_CHANGES:
                return None
            tables = pickle.load(handle)
    except Exception:  # any failure to read means "build it again"
        return None
    return Kept(snapshot, changed, tables)


def differing(old: Mapping[NotePath, Stat], new: Mapping[NotePath, Stat]) -> frozenset[NotePath]:
    """The notes edited, added or removed between two sets of stats."""
    found = {path for path, stat in new.items() if old.get(path) != stat}
    found.update(path for path in old if path not in new)
    return frozenset(found)


def write_state(
    file: Path, base: str, snapshot: str, stats: Mapping[NotePath, Stat], tables: object
) -> bool:
    """Keep ``tables`` (atomically); False when the folder cannot be written."""
    try:
        header = pickle.dumps((base, snapshot, dict(stats)), protocol=pickle.HIGHEST_PROTOCOL)
        body = pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_bytes(file, header + body)
    except OSError:
        return False
    return True
