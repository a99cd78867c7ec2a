"""DOOR"""

from __future__ import annotations

from kgwiki.util.atomic import atomic_write_bytes, atomic_write_text
from kgwiki.util.collector import collector_off, collector_paused
from kgwiki.util.fingerprint import source_hash
from kgwiki.util.progress_bar import progress, wants_progress
from kgwiki.util.versioned import Versioned
from kgwiki.util.words import counted, plural

__all__ = [
    "Versioned",
    "atomic_write_bytes",
    "atomic_write_text",
    "collector_off",
    "collector_paused",
    "counted",
    "plural",
    "progress",
    "source_hash",
    "wants_progress",
]
