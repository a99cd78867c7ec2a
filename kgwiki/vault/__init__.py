"""DOOR"""

from __future__ import annotations

from kgwiki.vault.lookup import NoteLookupError, find_note
from kgwiki.vault.model import Vault, VaultPathError, note_names
from kgwiki.vault.reading import Derive, read_note
from kgwiki.vault.resolver import normalise_path, note_key
from kgwiki.vault.scan import NOTE_SUFFIXES, disk_path, is_note_file, scan_vault
from kgwiki.vault.stats import vault_stats

__all__ = [
    "NOTE_SUFFIXES",
    "Derive",
    "NoteLookupError",
    "Vault",
    "VaultPathError",
    "disk_path",
    "find_note",
    "is_note_file",
    "normalise_path",
    "note_key",
    "note_names",
    "read_note",
    "scan_vault",
    "vault_stats",
]
