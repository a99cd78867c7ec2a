"""Draw pages ahead of their first visit, while the server has nothing else to do.

The server is ready once the site is loaded; what the pages derive from all of it (trust of
every note, hubs, canonical notes, the file tree every page loads, the near-duplicate
detector) is made on first use, a second or two at 10,000 notes. After loading, a daemon
thread makes that first use: the common pages (home, the explorer's file tree), then the
detector, then note pages into the page cache, most linked-to first, until the cache is
nearly full. A cold note page costs milliseconds (about 5 ms on the 10,000-note benchmark
vault); a cached one well under one. It yields to requests (the GIL would make them wait),
and a change to the site only drops the pages that changed, so the work is not thrown away.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from kgwiki.types import NotePath
from kgwiki.web.render import explorer_script
from kgwiki.web.serve.pages import compress
from kgwiki.web.serve.state import PageCache, WarmStatus, note_page_key

if TYPE_CHECKING:
    from kgwiki.site import Site
    from kgwiki.web.render import Renderer

log = logging.getLogger("kgwiki.serve")
_BUSY_PAUSE = 0.05

# Pages every visit needs, by page-cache key (the keys ``pages.py`` looks them up under).
COMMON: tuple[tuple[str, Callable[[Site, Renderer], bytes]], ...] = (
    ("home", lambda site, renderer: renderer.home().encode("utf-8")),
    ("data:explorer", lambda site, renderer: explorer_script(site)),
)


class Warmer:
    """One pass over the notes; ``busy()`` says when requests are waiting (then it pauses)."""

    def __init__(self, site: Site, renderer: Renderer, pages: PageCache,
                 busy: Callable[[], bool], status: WarmStatus | None = None) -> None:  # fmt: skip
        self.site = site
        self.renderer = renderer
        self.pages = pages
        self.busy = busy
        self.status = status or WarmStatus()
        self.status.enabled = True
        self.drawn = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self.run, name="kgwiki-warm", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def order(self) -> list[NotePath]:
        """Most linked-to notes first: the pages readers reach most."""
        graph = self.site.graph
        with self.site.lock:
            paths = list(self.site.vault.notes)
            return sorted(paths, key=lambda p: (-len(graph.backlinks(p)), p))

    def run(self) -> None:
        try:
            for key, draw in COMMON:
                self._wait()
                if self._stop.is_set():
                    break
                self.draw_common(key, draw)
            self._wait()
            if not self._stop.is_set():
                _ = self.site.dupes  # a deferred detector is made now, not on a first request
            for path in self.order():
                while self.busy() and not self._stop.is_set():
                    self._stop.wait(_BUSY_PAUSE)
                if self._stop.is_set() or self.pages.full:
                    break
                self.draw(path)
        except Exception:
            log.exception("warming the page cache stopped")
        self.status.done = True
        log.info("warmed %d note pages", self.drawn)

    def _wait(self) -> None:
        while self.busy() and not self._stop.is_set():
            self._stop.wait(_BUSY_PAUSE)

    def draw_common(self, key: str, draw: Callable[[Site, Renderer], bytes]) -> None:
        with self.site.lock:
            if key in self.pages:
                return
            version = self.site.version
            body = draw(self.site, self.renderer)
        self.pages.put(key, version, compress(body))

    def draw(self, path: NotePath) -> None:
        key = note_page_key(path)
        with self.site.lock:
            if key in self.pages or path not in self.site.vault.notes:
                return
            version = self.site.version
            html = self.renderer.note(path)
        self.pages.put(key, version, compress(html.encode("utf-8")))
        self.drawn += 1
        self.status.pages = self.drawn
