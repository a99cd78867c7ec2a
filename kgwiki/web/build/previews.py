"""Hover cards of a static site: ``data/preview/<n>.js`` holds the cards of the notes whose
path hashes to ``n`` (256 buckets), so a page loads only the buckets of the links a reader
hovers; a build rewrites only the buckets whose cards changed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kgwiki.types import NotePath
from kgwiki.web.build.search_docs import fnv1a, read_script

PREVIEW_BUCKETS = 256


def preview_bucket(path: str) -> int:
    return fnv1a(path) % PREVIEW_BUCKETS


def preview_file(bucket: int) -> str:
    return f"data/preview/{bucket}.js"


def write_previews(out: Path, changed: Mapping[NotePath, dict[str, str]], removed: Iterable[str],
                   live: set[NotePath]) -> dict[str, bytes | None]:  # fmt: skip
    """The preview buckets that changed, as {site file: bytes}; None for a bucket left empty
    (a clean build writes no file for it). Unchanged buckets are left out."""
    touched: dict[int, dict[str, dict[str, str] | None]] = defaultdict(dict)
    for path, card in changed.items():
        touched[preview_bucket(path)][path] = card
    for gone in removed:
        touched[preview_bucket(gone)][gone] = None
    files: dict[str, bytes | None] = {}
    for bucket, updates in sorted(touched.items()):
        name = preview_file(bucket)
        old = read_script(out / name)
        cards: dict[str, Any] = {k: v for k, v in (old or {}).items() if k in live}
        cards.update({k: [v["title"], v["url"], v["html"]] for k, v in updates.items() if v})
        for key in [k for k, v in updates.items() if v is None]:
            cards.pop(key, None)
        if not cards:
            files[name] = None
            continue
        body = json.dumps(dict(sorted(cards.items())), ensure_ascii=False, separators=(",", ":"))
        files[name] = f'kgwikiPreviewData("p",{bucket},{body});\n'.encode()
    return files
