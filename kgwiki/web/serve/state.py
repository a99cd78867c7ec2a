"""The server's settings (passed to every worker through the environment) and its state."""

from __future__ import annotations

import json
import os
import threading
import time
from collections import OrderedDict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.types import NotePath
from kgwiki.web.render import note_location, tag_location
from kgwiki.web.serve.events import Broadcaster
from kgwiki.web.serve.metrics import Metrics

if TYPE_CHECKING:
    from starlette.requests import Request

    from kgwiki.site import Site
    from kgwiki.web.render import Renderer

SETTINGS_ENV = "KGWIKI_SERVE_SETTINGS"


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """What ``kgwiki serve`` was asked for; the same in every worker process."""

    vault: Path
    token: str
    watch: bool = True
    warm: bool = False
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


NOTE_PAGE = "page:n/"


def note_page_key(path: NotePath) -> str:
    return "page:" + note_location(path)


class PageCache:
    """Rendered pages (gzipped) by key, valid for one site version, least recently used out.

    A change to the site calls :meth:`invalidate` with the notes whose pages changed: those
    note pages and every other page (lists, search, JSON) go, the other note pages stay. Until
    then a lookup under a newer version misses and nothing is stored, so no page drawn from an
    older site is ever served for a newer one. Used from the event loop and the warmer thread.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.bytes = 0
        self.version = 0
        self._pages: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str, version: int) -> bytes | None:
        with self._lock:
            if version != self.version:
                return None
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def __contains__(self, key: str) -> bool:
        return key in self._pages

    def put(self, key: str, version: int, page: bytes) -> None:
        with self._lock:
            if version != self.version or len(page) > self.max_bytes // 4:
                return
            old = self._pages.pop(key, None)
            if old is not None:
                self.bytes -= len(old)
            self._pages[key] = page
            self.bytes += len(page)
            while self.bytes > self.max_bytes and self._pages:
                _, dropped = self._pages.popitem(last=False)
                self.bytes -= len(dropped)

    def invalidate(self, version: int, changed: set[NotePath] | None) -> None:
        """Move to ``version``, dropping the changed notes' pages and every non-note page."""
        with self._lock:
            gone = {note_page_key(p) for p in changed} if changed is not None else None
            for key in list(self._pages):
                if gone is None or key in gone or not key.startswith(NOTE_PAGE):
                    self.bytes -= len(self._pages.pop(key))
            self.version = version

    @property
    def full(self) -> bool:
        return self.bytes >= self.max_bytes * 0.9

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
class WarmStatus:
    """How far drawing note pages ahead of their first visit has got (``/ready`` shows it)."""

    enabled: bool = False
    pages: int = 0
    done: bool = False

    def to_json(self) -> dict[str, object]:
        return {"enabled": self.enabled, "pages": self.pages, "done": self.done}


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
    warm: WarmStatus = field(default_factory=WarmStatus)

    def changed(self, version: int, paths: set[NotePath]) -> None:
        """The site took in a change: refresh the caches and tell open pages."""
        self.refreshed_at = time.time()
        self.pages.invalidate(version, paths)
        self.events.publish(version, paths)

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
