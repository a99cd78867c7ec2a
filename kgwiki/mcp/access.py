"""Who may write: nobody unless the server was started with ``--allow-writes``; over HTTP,
only a request carrying the write token, checked as the web API checks it (a bearer token
or ``X-KGWiki-Token``, compared in constant time). Over stdio the caller is the program
that started the server, so the flag alone decides.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

TOKEN_HEADER = "x-kgwiki-token"


class WriteRefused(PermissionError):
    """A write this server or this caller may not make; the message says what would allow it."""


def generate_token() -> str:
    return secrets.token_urlsafe(24)


def _header(headers: Mapping[str, str], name: str) -> str | None:
    return next((value for key, value in headers.items() if key.lower() == name), None)


def token_of(headers: Mapping[str, str]) -> str | None:
    """The token a request carries: ``Authorization: Bearer <t>`` or ``X-KGWiki-Token: <t>``."""
    auth = _header(headers, "authorization")
    if auth is not None:
        scheme, _, value = auth.strip().partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return _header(headers, TOKEN_HEADER)


@dataclass(frozen=True, slots=True)
class WriteAccess:
    allowed: bool = False
    token: str | None = None  # needed by requests that come with headers (HTTP)

    def check(self, headers: Mapping[str, str] | None) -> None:
        """Return when a request with these headers (None: stdio) may write; else refuse."""
        if not self.allowed:
            raise WriteRefused("writes are off: the server was started without --allow-writes")
        if headers is None:
            return
        given = token_of(headers)
        if given is None or not self.token:
            raise WriteRefused("send the write token as 'Authorization: Bearer <token>' "
                               "(or 'X-KGWiki-Token: <token>')")  # fmt: skip
        if not hmac.compare_digest(given.encode("utf-8"), self.token.encode("utf-8")):
            raise WriteRefused("wrong write token")
