"""Operations middleware: the in-flight bound, metrics, access log, path guard, headers."""

from __future__ import annotations

import asyncio
import json
import logging

import httpx2
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from kgwiki.web.serve.metrics import Metrics
from kgwiki.web.serve.ops import GuardMiddleware, OpsMiddleware

LIMIT = 4


def _gated_app(gate: asyncio.Event, metrics: Metrics) -> OpsMiddleware:
    async def slow(request: Request) -> Response:
        await gate.wait()
        return PlainTextResponse("done")

    async def healthz(request: Request) -> Response:
        return PlainTextResponse("ok")

    app = Starlette(routes=[Route("/slow/{n}", slow), Route("/healthz", healthz)])
    return OpsMiddleware(GuardMiddleware(app), metrics, max_inflight=LIMIT)


async def _burst() -> tuple[list[httpx2.Response], Metrics, int]:
    gate = asyncio.Event()
    metrics = Metrics()
    transport = httpx2.ASGITransport(app=_gated_app(gate, metrics))
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        tasks = [asyncio.create_task(client.get(f"/slow/{i}")) for i in range(LIMIT + 5)]
        # Yield until every request has either entered the app or been turned away.
        for _ in range(10_000):
            if metrics.in_flight == LIMIT and metrics.rejected == 5:
                break
            await asyncio.sleep(0.001)
        health = await client.get("/healthz")
        gate.set()
        responses = list(await asyncio.gather(*tasks))
    return responses, metrics, health.status_code


def test_requests_past_the_bound_get_503_with_retry_after() -> None:
    responses, metrics, health = asyncio.run(_burst())
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * LIMIT + [503] * 5
    for response in responses:
        if response.status_code == 503:
            assert response.headers["retry-after"] == "1"
    assert health == 200, "probes are never refused"
    assert metrics.in_flight == 0
    assert metrics.requests[("/slow/{n}", "GET", 200)] == LIMIT
    assert metrics.requests[("overload", "GET", 503)] == 5


def test_metrics_exposition_format() -> None:
    metrics = Metrics()
    metrics.record("/n/{path:path}", "GET", 200, 0.004)
    metrics.record("/n/{path:path}", "GET", 200, 0.2)
    metrics.record('/odd"route', "GET", 404, 0.001)
    metrics.add_gauge("kgwiki_notes", "Notes loaded", lambda: 31)
    text = metrics.exposition()
    lines = text.splitlines()
    assert 'kgwiki_http_requests_total{route="/n/{path:path}",method="GET",status="200"} 2' in lines
    assert 'kgwiki_http_requests_total{route="/odd\\"route",method="GET",status="404"} 1' in lines
    name = "kgwiki_http_request_duration_seconds"
    assert f'{name}_bucket{{route="/n/{{path:path}}",le="0.005"}} 1' in lines
    assert f'{name}_bucket{{route="/n/{{path:path}}",le="0.25"}} 2' in lines
    assert f'{name}_bucket{{route="/n/{{path:path}}",le="+Inf"}} 2' in lines
    assert f'{name}_count{{route="/n/{{path:path}}"}} 2' in lines
    assert "# TYPE kgwiki_notes gauge" in lines
    assert "kgwiki_notes 31" in lines
    assert text.endswith("\n")
    for line in lines:
        assert line.startswith("#") or len(line.rsplit(" ", 1)) == 2


async def _get(app: OpsMiddleware, path: str) -> httpx2.Response:
    transport = httpx2.ASGITransport(app=app)
    async with httpx2.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.get(path)


def test_one_json_access_line_per_request(caplog: pytest.LogCaptureFixture) -> None:
    gate = asyncio.Event()
    gate.set()
    app = _gated_app(gate, Metrics())
    with caplog.at_level(logging.INFO, logger="kgwiki.access"):
        response = asyncio.run(_get(app, "/slow/7?x=1"))
    assert response.status_code == 200
    records = [r for r in caplog.records if r.name == "kgwiki.access"]
    assert len(records) == 1
    entry = json.loads(records[0].getMessage())
    assert entry["method"] == "GET"
    assert entry["path"] == "/slow/7"
    assert entry["route"] == "/slow/{n}"
    assert entry["status"] == 200
    assert entry["bytes"] == 4
    assert entry["ms"] >= 0


@pytest.mark.parametrize(
    "path", ["/slow/..%2f..%2fetc%2fpasswd", "/slow/%2e%2e", "/slow/a%5cb", "/slow/%252e%252e"]
)
def test_guard_refuses_traversal_and_every_response_has_security_headers(path: str) -> None:
    app = _gated_app(asyncio.Event(), Metrics())
    refused = asyncio.run(_get(app, path))
    assert refused.status_code == 400
    ok = asyncio.run(_get(app, "/healthz"))
    for response in (refused, ok):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["referrer-policy"] == "same-origin"
