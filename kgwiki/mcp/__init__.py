"""DOOR"""

from __future__ import annotations

from kgwiki.mcp.access import WriteAccess, WriteRefused, generate_token
from kgwiki.mcp.server import Options, build_server, serve

__all__ = [
    "Options",
    "WriteAccess",
    "WriteRefused",
    "build_server",
    "generate_token",
    "serve",
]
