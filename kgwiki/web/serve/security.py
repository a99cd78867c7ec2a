"""Write token, login cookie, CSRF tokens, request path safety and response headers.

Everything here is stateless: a session cookie and its CSRF token are HMACs keyed by the
write token, so any worker of ``kgwiki serve --workers N`` can check what another issued.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

SESSION_COOKIE = "kgwiki_session"
TOKEN_HEADER = "x-kgwiki-token"

_MAX_UNQUOTE = 4

# Images may come from anywhere a note points (Obsidian shows ![](https://…)); a vault that wants
# none sets [markdown] external_images = false and its pages then name no other server.
CSP = ("default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'; "
       "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
       "form-action 'self'")  # fmt: skip
# Attachments (SVG, HTML, PDF …) come from the vault, so they run in an opaque sandbox.
ATTACHMENT_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    # same-origin keeps the Referer for our own POST check and never leaks a URL elsewhere.
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
)


class UnsafePath(ValueError):
    """A path from a request that could leave the folder it is meant for."""


def generate_token() -> str:
    return secrets.token_urlsafe(24)


def same_secret(given: str | None, expected: str) -> bool:
    """Compare secrets in constant time (an absent value never matches)."""
    if given is None or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def _mac(token: str, purpose: str, value: str) -> str:
    key = hashlib.sha256(token.encode("utf-8")).digest()
    return hmac.new(key, f"{purpose}\0{value}".encode(), hashlib.sha256).hexdigest()


def new_session(token: str) -> str:
    """A login cookie value: a random nonce and its MAC under the write token."""
    nonce = secrets.token_urlsafe(18)
    return f"{nonce}.{_mac(token, 'session', nonce)}"


def session_valid(cookie: str | None, token: str) -> bool:
    if not cookie or "." not in cookie:
        return False
    nonce, _, mac = cookie.partition(".")
    return same_secret(mac, _mac(token, "session", nonce))


def csrf_token(cookie: str, token: str) -> str:
    """The CSRF token for one login session (a form from another session does not pass)."""
    return _mac(token, "csrf", cookie)


def csrf_valid(given: str | None, cookie: str | None, token: str) -> bool:
    if not cookie or not session_valid(cookie, token):
        return False
    return same_secret(given, csrf_token(cookie, token))


def same_origin(origin: str | None, referer: str | None, scheme: str, host: str | None) -> bool:
    """True when the Origin (else the Referer) names this server; neither present is False."""
    if host is None:
        return False
    claimed = origin if origin and origin != "null" else None
    if claimed is None and referer:
        parts = urlsplit(referer)
        claimed = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None
    if claimed is None:
        return False
    parts = urlsplit(claimed)
    return parts.scheme == scheme and parts.netloc.lower() == host.lower()


def fully_unquoted(text: str) -> str:
    """Undo percent-encoding until nothing changes (``%252e`` → ``%2e`` → ``.``)."""
    for _ in range(_MAX_UNQUOTE):
        decoded = unquote(text)
        if decoded == text:
            return text
        text = decoded
    return text


def request_path_unsafe(path: str) -> bool:
    """A URL path with a ``..`` or ``.`` segment, a backslash or NUL — even when encoded."""
    decoded = fully_unquoted(path)
    if "\0" in decoded or "\\" in decoded:
        return True
    return any(segment in {".", ".."} for segment in decoded.split("/"))


def safe_relative(raw: str) -> PurePosixPath:
    """A request's sub-path as clean relative parts, or UnsafePath.

    Refuses absolute paths, drive letters, ``.``/``..`` segments, empty segments, NUL,
    backslashes and hidden segments — also when they arrive percent-encoded.
    """
    text = fully_unquoted(raw)
    if not text or "\0" in text or "\\" in text or text.startswith("/"):
        raise UnsafePath(raw)
    parts = text.split("/")
    for part in parts:
        if part in {"", ".", ".."} or part.startswith(".") or re.match(r"^[A-Za-z]:", part):
            raise UnsafePath(raw)
    return PurePosixPath(*parts)


def contained(root: Path, relative: PurePosixPath) -> Path:
    """``root / relative`` after resolving symlinks, or UnsafePath when it lands outside."""
    base = root.resolve()
    full = (base / relative).resolve()
    if not full.is_relative_to(base):
        raise UnsafePath(str(relative))
    return full
