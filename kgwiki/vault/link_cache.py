"""The link tables of a loaded vault, kept between runs for a server's next start.

Putting 10,000 cached notes into the name tables and the who-links-what maps costs about
0.4 s; reading the tables back, a fifth of that. They are a pure function of the notes, the
attachments, the config and this package's code, so they are keyed by all of those: every
note's ``(mtime_ns, size)`` (the parse cache's own test of a note), every attachment's path,
the parse cache's version and a hash of the ``vault`` and ``graph`` code. Any difference, an
unreadable file or a note without a stat, and the tables are built again, never trusted.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kgwiki.config import Config
from kgwiki.types import NotePath
from kgwiki.util import atomic_write_bytes, source_hash
from kgwiki.vault.parse_cache import Stat, cache_version

FILE = "links.pickle"  # in the config's cache_dir


def vault_key(
    config: Config, stats: Mapping[NotePath, Stat | None], attachments: Iterable[NotePath]
) -> str | None:
    """What the vault's files are now, as one hash; None when a note could not be looked at."""
    if any(stat is None for stat in stats.values()):
        return None
    digest = hashlib.blake2b(digest_size=16)
    code = source_hash(Path(__file__).parent)
    digest.update(f"{cache_version(config)}|{config!r}|{code}".encode())
    for path, stat in sorted(stats.items()):
        digest.update(f"\0{path}\0{stat}".encode())
    digest.update(b"\1")
    for path in sorted(attachments):
        digest.update(f"\0{path}".encode())
    return digest.hexdigest()


def read_state(file: Path, key: str) -> Any:
    """What :func:`write_state` kept under ``key``, or None (missing, unreadable, other key)."""
    try:
        with file.open("rb") as handle:
            found, state = pickle.load(handle)
    except Exception:  # any failure to read means "build it again"
        return None
    return state if found == key else None


def write_state(file: Path, key: str, state: object) -> bool:
    """Keep ``state`` under ``key`` (atomically); False when the folder cannot be written."""
    try:
        data = pickle.dumps((key, state), protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_bytes(file, data)
    except OSError:
        return False
    return True



