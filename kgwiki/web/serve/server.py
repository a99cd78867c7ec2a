"""Running one worker: uvicorn's server, ending the live-reload streams when told to stop."""

from __future__ import annotations

import contextlib
from types import FrameType
from typing import Any

import uvicorn
from starlette.applications import Starlette

from kgwiki.web.serve.state import ServerState


class StreamClosingServer(uvicorn.Server):
    """uvicorn's server that ends every event stream as soon as it is asked to stop.

    Each open page holds a live-reload stream, and uvicorn waits for open responses before it
    runs the app's shutdown (which would end them): Ctrl-C with a browser tab open took the
    whole graceful-shutdown timeout and printed a cancelled-task traceback.
    """

    def __init__(self, config: uvicorn.Config, state: ServerState) -> None:
        super().__init__(config)
        self.state = state

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.state.events.close_soon()
        super().handle_exit(sig, frame)


def serve_app(app: Starlette, options: dict[str, Any]) -> bool:
    """Serve ``app`` (made by ``create_app``) until stopped; False if it never started."""
    state = app.state.kgwiki
    assert isinstance(state, ServerState)
    server = StreamClosingServer(uvicorn.Config(app, **options), state)
    # uvicorn raises the captured Ctrl-C again once it has stopped
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    return server.started
