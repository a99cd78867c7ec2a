"""Per-note records kept between builds in a few pickle files (``.kgwiki-build/<kind>/``).

A build that looks at a handful of notes reads and rewrites only the files those notes hash
to, not one record per note or one file for all. Each file is replaced atomically; an
unreadable one reads as empty, and the build that needs its records then does the work again.
"""

from __future__ import annotations

import os
import pickle
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kgwiki.web.build.search_docs import fnv1a

BUCKETS = 64


class Buckets:
    """Records by note path in ``BUCKETS`` pickle files under ``folder``."""

    def __init__(self, folder: Path, count: int = BUCKETS) -> None:
        self.folder = folder
        self.count = count

    def file(self, path: str) -> Path:
        return self.folder / f"{fnv1a(path) % self.count}.pickle"

    def load(self, paths: Iterable[str]) -> dict[str, Any]:
        """The records of ``paths`` that are kept (a path without one is left out)."""
        wanted = set(paths)
        found: dict[str, Any] = {}
        for file in {self.file(p) for p in wanted}:
            found.update(_read(file))
        return {p: found[p] for p in wanted if p in found}

    def load_all(self) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for file in self.folder.glob("*.pickle"):
            found.update(_read(file))
        return found

    def save(self, records: Mapping[str, Any], removed: Iterable[str] = ()) -> None:
        """Store ``records`` and forget ``removed``, rewriting only the files they hash to."""
        by_file: defaultdict[Path, list[str]] = defaultdict(list)
        for path in [*records, *removed]:
            by_file[self.file(path)].append(path)
        for file, members in by_file.items():
            data = _read(file)
            for path in members:
                if path in records:
                    data[path] = records[path]
                else:
                    data.pop(path, None)
            _replace(file, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))


def _replace(file: Path, data: bytes) -> None:
    """Write beside, then rename over (a cache: no fsync; a crash loses at most the cache)."""
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, file)


def _read(file: Path) -> dict[str, Any]:
    try:
        with file.open("rb") as handle:
            data = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
        return {}
    return data if isinstance(data, dict) else {}
