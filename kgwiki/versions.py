"""The versions of the libraries whose output kgwiki caches, as one string.

The parse cache holds markdown-it tokens and frontmatter read by PyYAML; the built site holds
HTML drawn by Jinja2, highlighted by Pygments and cleaned by nh3. An upgrade of any of them
(or of Python) can change that output, so both caches key on :func:`toolchain` and are
rebuilt instead of serving what the old versions made.
"""

from __future__ import annotations

import platform
from functools import lru_cache
from importlib import metadata

__all__ = ["CACHED_OUTPUT_FROM", "installed", "toolchain"]

# Distributions whose behaviour shapes what kgwiki caches.
CACHED_OUTPUT_FROM = (
    "markdown-it-py", "mdit-py-plugins", "python-frontmatter", "PyYAML", "Pygments", "nh3",
    "Jinja2", "latex2mathml",
)  # fmt: skip


def installed(distribution: str) -> str:
    """The installed version of ``distribution``, or ``"absent"``."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


@lru_cache(maxsize=1)
def toolchain() -> str:
    """``python 3.11.7 markdown-it-py 4.3.0 …``: changes whenever one of them is upgraded."""
    parts = [f"python {platform.python_version()} {platform.python_implementation()}"]
    parts += [f"{name} {installed(name)}" for name in CACHED_OUTPUT_FROM]
    return " ".join(parts)
