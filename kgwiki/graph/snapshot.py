"""The graph of the last load (a server start, a build), kept for the next.

Building the graph of 10,000 notes resolves every link and makes 115k edge records (about
1.2 s); reading them back from ``<cache_dir>/graph.pickle`` takes 0.3 s. The graph is a pure
function of the vault's notes and attachments and of this package's code, so it is kept
with the vault's link tables: under the key of the files they were made of (every note's
stat, the attachments, the config, the parser's version; see ``kgwiki.vault.link_cache``)
and a hash of the ``graph`` code. The next load reads it back when its link tables are
those, and puts in again the notes that differ since (``KnowledgeGraph.from_cache``);
another key: built again.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

from kgwiki.util import atomic_write_bytes, source_hash

FILE = "graph.pickle"  # in the config's cache_dir


def graph_key(state_key: str | None) -> str | None:
    """The key of the graph of a vault whose files hash to ``state_key``."""
    return f"{state_key}|{_code_hash()}" if state_key is not None else None


def read_graph_state(folder: Path, key: str) -> Any:
    """The state :func:`write_graph_state` kept under ``key``, or None."""
    try:
        with (folder / FILE).open("rb") as handle:
            found, state = pickle.load(handle)
    except Exception:  # unreadable, truncated, from other code: build the graph again
        return None
    return state if found == key else None


def write_graph_state(folder: Path, key: str, state: object) -> bool:
    try:
        data = pickle.dumps((key, state), protocol=pickle.HIGHEST_PROTOCOL)
        atomic_write_bytes(folder / FILE, data)
    except OSError:
        return False
    return True


def _code_hash() -> str:
    return source_hash(Path(__file__).parent)
