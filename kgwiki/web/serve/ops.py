"""ASGI middleware for operations: in-flight bound, metrics, access log, path guard, headers."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kgwiki.web.serve.metrics import Metrics
from kgwiki.web.serve.security import SECURITY_HEADERS, request_path_unsafe

access_log = logging.getLogger("kgwiki.access")

# Probes and the long-lived event stream never count against the in-flight bound.
UNBOUNDED_PATHS = frozenset({"/healthz", "/ready", "/metrics", "/api/events"})
STREAMING_PATHS = frozenset({"/api/events"})


async def _plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = text.encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), *headers]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


class OpsMiddleware:
    """Refuse requests past ``max_inflight`` with 503, then time, count and log each one."""

    def __init__(self, app: ASGIApp, metrics: Metrics, max_inflight: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_inflight = max_inflight

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        bounded = path not in UNBOUNDED_PATHS
        started = time.perf_counter()
        if bounded and self.metrics.in_flight >= self.max_inflight:
            self.metrics.rejected += 1
            await _plain(send, 503, "busy: too many requests in flight, retry shortly\n",
                         [(b"retry-after", b"1")])  # fmt: skip
            self._finish(scope, "overload", 503, 0, started)
            return
        status = 500
        size = 0

        async def sending(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        if bounded:
            self.metrics.in_flight += 1
        try:
            await self.app(scope, receive, sending)
        finally:
            if bounded:
                self.metrics.in_flight -= 1
            self._finish(scope, _route_label(scope), status, size, started)

    def _finish(self, scope: Scope, route: str, status: int, size: int, started: float) -> None:
        seconds = time.perf_counter() - started
        timed = None if scope["path"] in STREAMING_PATHS else seconds
        self.metrics.record(route, scope["method"], status, timed)
        if access_log.isEnabledFor(logging.INFO):
            client = scope.get("client")
            record: dict[str, Any] = {
                "method": scope["method"], "path": scope["path"], "route": route,
                "status": status, "ms": round(seconds * 1000, 2), "bytes": size,
                "client": client[0] if client else None,
            }  # fmt: skip
            access_log.info(json.dumps(record, ensure_ascii=False))


def _route_label(scope: Scope) -> str:
    # A route template, never the raw path: raw paths would give one time series per URL.
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return path
    return "unmatched"


class GuardMiddleware:
    """Refuse traversal in any URL path with 400; add the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = scope.get("raw_path")
        raw_text = raw.decode("latin-1") if isinstance(raw, bytes) else ""
        headers = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS]
        if request_path_unsafe(scope["path"]) or request_path_unsafe(raw_text.split("?")[0]):
            await _plain(send, 400, "bad request: unsafe path\n", headers)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)
