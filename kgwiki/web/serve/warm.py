"""Draw note pages ahead of their first visit, while the server has nothing else to do.

A cold note page costs milliseconds of Markdown, link and template work (about 5 ms on the
10,000-note benchmark vault); a cached one well under one. After loading, a daemon thread
draws note pages into the page cache, most linked-to first, until the cache is nearly full.
It yields to requests (the GIL would make them wait), and a change to the site only drops the
pages that changed, so the work is not thrown away.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from kgwiki.types import NotePath
from kgwiki.web.serve.pages import compress
from kgwiki.web.serve.state import PageCache, WarmStatus, note_page_key

if TYPE_CHECKING:
    from kgwiki.site import Site
    from kgwiki.web.render import Renderer

log = logging.getLogger("kgwiki.serve")
_BUSY_PAUSE = 0.05


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
