"""The load generator for the server stage: many keep-alive HTTP/1.1 connections, closed loop.

Why not ``httpx.AsyncClient``: measured on this machine it spends ~3 ms of CPU per request
(against ~0.3 ms the server spends on a cached page), so with 50 clients on 2 cores it timed
itself, not the server. This client writes a GET and reads ``Content-Length`` (or chunked)
bytes back on a raw asyncio stream: ~0.1 ms per request. It accepts gzip, as browsers do, and
does not decompress (that is the browser's time, not the server's). ``--http-client httpx``
switches back, to compare.
"""

from __future__ import annotations

import asyncio
import time
from urllib.parse import quote, urlsplit

Result = tuple[list[float], dict[int, int], float]


def request_target(url: str) -> str:
    """The path and query of a URL, percent-encoded as it goes on the request line."""
    parts = urlsplit(url)
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    return path + (f"?{parts.query}" if parts.query else "")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """(status, keep the connection) after reading one whole response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip().lower()
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        return status, False
    return status, headers.get("connection") != "close"


async def _client(host: str, port: int, queue: asyncio.Queue[str], latencies: list[float],
                  codes: dict[int, int]) -> None:  # fmt: skip
    conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while True:
        try:
            target = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        start = time.perf_counter()
        try:
            if conn is None:
                conn = await asyncio.open_connection(host, port)
            reader, writer = conn
            writer.write(
                f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                "Accept-Encoding: gzip\r\nUser-Agent: kgwiki-bench\r\n\r\n".encode()
            )
            await writer.drain()
            status, keep = await _read_response(reader)
            if not keep:
                writer.close()
                conn = None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            status = 0
            if conn is not None:
                conn[1].close()
            conn = None
        latencies.append((time.perf_counter() - start) * 1000)
        codes[status] = codes.get(status, 0) + 1
    if conn is not None:
        conn[1].close()


async def raw_load(base: str, urls: list[str], clients: int) -> Result:
    """``clients`` connections fetching ``urls`` (a fixed list) as fast as answers come back."""
    where = urlsplit(base)
    host, port = where.hostname or "127.0.0.1", where.port or 80
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(request_target(url))
    latencies: list[float] = []
    codes: dict[int, int] = {}
    start = time.perf_counter()
    await asyncio.gather(*(_client(host, port, queue, latencies, codes) for _ in range(clients)))
    return latencies, codes, time.perf_counter() - start


async def httpx_load(urls: list[str], clients: int) -> Result:
    """The same closed loop with ``httpx.AsyncClient`` (heavier on the client side)."""
    import httpx

    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    latencies: list[float] = []
    codes: dict[int, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60.0) as client:

        async def worker() -> None:
            while True:
                try:
                    url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                start = time.perf_counter()
                try:
                    response = await client.get(url)
                    await response.aread()
                    code = response.status_code
                except httpx.HTTPError:
                    code = 0
                latencies.append((time.perf_counter() - start) * 1000)
                codes[code] = codes.get(code, 0) + 1

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return latencies, codes, elapsed
