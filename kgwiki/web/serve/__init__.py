"""DOOR"""

from __future__ import annotations

from kgwiki.web.serve.app import create_app
from kgwiki.web.serve.security import generate_token
from kgwiki.web.serve.server import serve_app
from kgwiki.web.serve.state import SETTINGS_ENV, ServeSettings

__all__ = [
    "SETTINGS_ENV",
    "ServeSettings",
    "create_app",
    "generate_token",
    "serve_app",
]
