"""DOOR"""

from __future__ import annotations

from kgwiki.web.build.flow import BuildError, build

__all__ = [
    "BuildError",
    "build",
]
