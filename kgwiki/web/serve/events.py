"""Server-Sent Events: ``GET /api/events`` tells open pages which notes changed."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import StreamingResponse

HEARTBEAT_SECONDS = 15.0
_QUEUE_SIZE = 64


@dataclass(frozen=True, slots=True)
class ReloadEvent:
    version: int
    paths: tuple[str, ...]

    def to_sse(self) -> str:
        data = json.dumps({"version": self.version, "paths": list(self.paths)}, ensure_ascii=False)
        return f"event: reload\ndata: {data}\n\n"


_CLOSED = ReloadEvent(-1, ())


class Broadcaster:
    """Fan reload events out to every open stream; ``publish`` may be called from any thread."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[ReloadEvent]] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closed = False

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.closed = False

    @property
    def listeners(self) -> int:
        return len(self._queues)

    def publish(self, version: int, paths: Iterable[str]) -> None:
        event = ReloadEvent(version, tuple(sorted(paths)))
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._fan_out(event)
        else:
            loop.call_soon_threadsafe(self._fan_out, event)

    def close(self) -> None:
        """End every stream (at shutdown, so the server is not kept waiting on them)."""
        self.closed = True
        self._fan_out(_CLOSED)

    def close_soon(self) -> None:
        """:meth:`close` from a signal handler or another thread, on the streams' loop."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.close)

    def _fan_out(self, event: ReloadEvent) -> None:
        for queue in list(self._queues):
            if queue.full():
                # A slow reader loses its oldest event; the newest one still says "reload".
                queue.get_nowait()
            queue.put_nowait(event)

    async def stream(self, since: int | None, current: int,
                     quiet: bool = False) -> AsyncIterator[str]:  # fmt: skip
        """One client's event stream: a catch-up reload if it is behind, then live events.

        A ``quiet`` stream stays open (so the page does not reconnect) but carries no reloads.
        """
        queue: asyncio.Queue[ReloadEvent] = asyncio.Queue(_QUEUE_SIZE)
        self._queues.add(queue)
        try:
            yield f"retry: 3000\nevent: hello\ndata: {json.dumps({'version': current})}\n\n"
            if since is not None and since < current and not quiet:
                yield ReloadEvent(current, ()).to_sse()
            while not self.closed:
                try:
                    event = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    yield ": ping\n\n"
                    continue
                if event is _CLOSED:
                    return
                if not quiet:
                    yield event.to_sse()
        finally:
            self._queues.discard(queue)


def events_response(request: Request, broadcaster: Broadcaster, current: int,
                    quiet: bool = False) -> StreamingResponse:  # fmt: skip
    """The SSE response; ``?since=N`` asks for a reload at once when the site is newer than N."""
    raw = request.query_params.get("since", "")
    since = int(raw) if raw.isdigit() else None
    headers = {"cache-control": "no-cache", "x-accel-buffering": "no"}
    return StreamingResponse(broadcaster.stream(since, current, quiet),
                             media_type="text/event-stream", headers=headers)  # fmt: skip
