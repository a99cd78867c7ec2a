"""The server's settings (passed to every worker through the environment) and its state."""

from __future__ import annotations

import json
import os
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.types import NotePath
from kgwiki.web.app_events import Broadcaster
from kgwiki.web.app_metrics import Metrics
from kgwiki.web.urls import note_location, tag_location

if TYPE_CHECKING:
    from starlette.requests import Request

    from kgwiki.web.render import Renderer
    from kgwiki.web.site import Site

SETTINGS_ENV = "KGWIKI_SERVE_SETTINGS"


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """What ``kgwiki serve`` was asked for; the same in every worker process."""

    vault: Path
    token: str
    watch: bool = True
    max_inflight: int = 64
    debounce_ms: int = 300
    poll_seconds: float = 1.0
    page_cache_mb: int = 128
    max_body_bytes: int = 2 * 1024 * 1024

    def to_env(self) -> str:
        data = asdict(self)
        data["vault"] = str(self.vault)
        return json.dumps(data)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ServeSettings:
        raw = (environ if environ is not None else dict(os.environ)).get(SETTINGS_ENV)
        if not raw:
            raise RuntimeError(f"{SETTINGS_ENV} is not set: start the server with `kgwiki serve`")
        data: dict[str, Any] = json.loads(raw)
        data["vault"] = Path(data["vault"])
        return cls(**data)


class PageCache:
    """Rendered pages keyed by (page key, site version), least recently used out first."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.version = -1
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, version: int) -> bytes | None:
        if version != self.version:
            self.clear(version)
            self.misses += 1
            return None
        page = self._pages.get(key)
        if page is None:
            self.misses += 1
            return None
        self._pages.move_to_end(key)
        self.hits += 1
        return page

    def put(self, key: str, version: int, page: bytes) -> None:
        if version != self.version:
            # Rendered against an older site: never store it under the new version.
            return
        if len(page) > self.max_bytes // 4:
            return
        old = self._pages.pop(key, None)
        if old is not None:
            self.bytes -= len(old)
        self._pages[key] = page
        self.bytes += len(page)
        while self.bytes > self.max_bytes and self._pages:
            _, dropped = self._pages.popitem(last=False)
            self.bytes -= len(dropped)

    def clear(self, version: int) -> None:
        self._pages.clear()
        self.bytes = 0
        self.version = version

    def __len__(self) -> int:
        return len(self._pages)


class Locator:
    """URL location → note path and tag, rebuilt when the site version changes."""

    def __init__(self) -> None:
        self.version = -1
        self.notes: dict[str, NotePath] = {}
        self.tags: dict[str, str] = {}

    def update(self, site: Site) -> None:
        if site.version == self.version:
            return
        self.notes = {note_location(p): p for p in site.vault.notes}
        self.tags = {tag_location(t): t for t in site.tags()}
        self.version = site.version


@dataclass(slots=True)
class ServerState:
    """Everything a request handler needs; one per worker process."""

    settings: ServeSettings
    metrics: Metrics = field(default_factory=Metrics)
    events: Broadcaster = field(default_factory=Broadcaster)
    site: Site | None = None
    renderer: Renderer | None = None
    load_error: str | None = None
    role: str = "starting"
    refreshed_at: float = field(default_factory=time.time)
    pages: PageCache = field(default_factory=lambda: PageCache(0))
    locator: Locator = field(default_factory=lambda: Locator())

    @property
    def ready(self) -> bool:
        return self.site is not None and self.renderer is not None

    @property
    def version(self) -> int:
        return self.site.version if self.site is not None else 0


def state_of(request: Request) -> ServerState:
    state = request.app.state.kgwiki
    assert isinstance(state, ServerState)
    return state
