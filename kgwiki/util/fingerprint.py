"""What code made a cached thing: a hash of a package folder's ``*.py`` files."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


@functools.cache
def source_hash(package: Path) -> str:
    """A hash of a package's code (its ``*.py`` files): changed code, state built again."""
    digest = hashlib.blake2b(digest_size=8)
    for file in sorted(package.glob("*.py")):
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()
