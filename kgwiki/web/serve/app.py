"""The starlette app of ``kgwiki serve``: pages, JSON API, live reload, writes and probes.

Start-up reads like the flow: take the writer lock (or not), load the Site in a thread while
``/ready`` answers 503, then watch the vault (and, in a reader, follow the writer's index).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.serve.api import api_routes
from kgwiki.web.serve.metrics import CONTENT_TYPE
from kgwiki.web.serve.notes import note_routes
from kgwiki.web.serve.ops import GuardMiddleware, OpsMiddleware
from kgwiki.web.serve.pages import error_page, page_routes
from kgwiki.web.serve.state import PageCache, ServerState, ServeSettings, state_of
from kgwiki.web.serve.sync import ReaderSync, WriterLock, load_site, refresh_files, writer_lock
from kgwiki.web.serve.warm import Warmer
from kgwiki.web.serve.watch import VaultWatcher, changed_since

log = logging.getLogger("kgwiki.serve")


async def healthz(request: Request) -> Response:
    return PlainTextResponse("ok\n")


async def ready(request: Request) -> Response:
    state = state_of(request)
    if state.ready:
        return JSONResponse({"ready": True, "version": state.version, "role": state.role,
                             "warm": state.warm.to_json()})  # fmt: skip
    body = {"ready": False, "error": state.load_error}
    return JSONResponse(body, 503, headers={"retry-after": "1"})


async def metrics(request: Request) -> Response:
    return Response(state_of(request).metrics.exposition(), media_type=CONTENT_TYPE)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    state = state_of(request)
    headers = dict(exc.headers or {})
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.detail}, exc.status_code, headers=headers or None)
    if exc.status_code in (403, 404):
        message = exc.detail if exc.status_code == 403 or exc.detail != "Not Found" else (
            "No such page.")  # fmt: skip
        return await error_page(state, message, exc.status_code)
    return PlainTextResponse(f"{exc.detail}\n", exc.status_code, headers=headers or None)


def _gauges(state: ServerState) -> None:
    add = state.metrics.add_gauge
    add("kgwiki_notes", "Notes loaded", lambda: len(state.site.vault.notes) if state.site else 0)
    add("kgwiki_site_version", "Changes applied since start-up", lambda: state.version)
    add("kgwiki_index_age_seconds", "Seconds since the site last took in a change",
        lambda: time.time() - state.refreshed_at)  # fmt: skip
    add("kgwiki_ready", "1 once the site is loaded", lambda: 1.0 if state.ready else 0.0)
    add("kgwiki_writer", "1 in the worker that writes the index",
        lambda: 1.0 if state.role == "writer" else 0.0)  # fmt: skip
    add("kgwiki_event_listeners", "Open live-reload streams", lambda: state.events.listeners)
    add("kgwiki_page_cache_bytes", "Bytes of rendered pages kept", lambda: state.pages.bytes)
    add("kgwiki_pages_warmed", "Note pages drawn ahead of their first visit",
        lambda: state.warm.pages)  # fmt: skip
    add("kgwiki_warm_done", "1 once drawing pages ahead has finished",
        lambda: 1.0 if state.warm.done else 0.0)  # fmt: skip


def _keep_state(site: Site) -> None:
    """Write what the next start reuses; a failure costs that start time, never this one."""
    try:
        site.save_state()
    except Exception:
        log.exception("could not keep the graph for the next start")


class Runtime:
    """What the lifespan starts and stops: the loader, the watcher and the reader timer."""

    def __init__(self, state: ServerState, site: Site | None) -> None:
        self.state = state
        self.preloaded = site
        self.lock: WriterLock | None = None
        self.watcher: VaultWatcher | None = None
        self.reader: ReaderSync | None = None
        self.warmer: Warmer | None = None

    async def start(self) -> None:
        state = self.state
        state.events.bind(asyncio.get_running_loop())
        site = self.preloaded
        if site is None:
            if not state.settings.vault.is_dir():
                state.load_error = f"{state.settings.vault}: not a folder"
                log.error("%s", state.load_error)
                return
            self.lock = writer_lock(state.settings.vault)
            writer = await run_in_threadpool(self.lock.try_acquire)
            started = time.time()
            try:
                site = await run_in_threadpool(load_site, state.settings.vault, writer)
            except Exception as err:
                state.load_error = f"{type(err).__name__}: {err}"
                log.exception("could not load %s", state.settings.vault)
                return
            state.role = "writer" if writer else "reader"
        else:
            state.role = "writer"
            started = time.time()
        self._serve(site)
        if self.preloaded is None and state.role == "writer":
            # after ready: the next start reads the link tables and graph instead of building
            await run_in_threadpool(_keep_state, site)
        if self.watcher is not None:
            await run_in_threadpool(self._catch_up, site, started)

    def _catch_up(self, site: Site, since: float) -> None:
        """Take in what changed while loading, once the watcher sees everything after."""
        assert self.watcher is not None
        if not self.watcher.wait_until_watching():
            return  # stopped before it started: nothing to catch up on
        missed = changed_since(site, since - 1.0)
        if missed:
            self.watcher.handle(missed)

    def _serve(self, site: Site) -> None:
        from kgwiki.web.render import LiveUrls, Renderer

        state = self.state
        state.renderer = Renderer(site, LiveUrls())
        state.pages.invalidate(site.version, None)
        state.site = site
        state.refreshed_at = time.time()
        log.info("loaded %d notes as the %s", len(site.vault.notes), state.role)
        if state.role == "reader" and self.lock is not None:
            self.reader = ReaderSync(site, self.lock, state.settings.poll_seconds,
                                     on_promote=self._promoted)  # fmt: skip
            self.reader.start()
        if state.settings.watch:
            self.watcher = VaultWatcher(site, self.announce, state.settings.debounce_ms,
                                        apply=self.apply)  # fmt: skip
            self.watcher.start()
        if state.settings.warm and state.renderer is not None:
            self.warmer = Warmer(site, state.renderer, state.pages,
                                 busy=lambda: state.metrics.in_flight > 0,
                                 status=state.warm)  # fmt: skip
            self.warmer.start()

    def _promoted(self) -> None:
        self.state.role = "writer"

    def apply(self, site: Site, files: Iterable[Path | str]) -> tuple[int, set[NotePath]]:
        return refresh_files(site, files, self.lock is None or self.lock.held)

    def announce(self, version: int, paths: set[NotePath]) -> None:
        self.state.changed(version, paths)

    async def stop(self) -> None:
        self.state.events.close()
        for stopper in (self.watcher, self.reader, self.warmer):
            if stopper is not None:
                await run_in_threadpool(stopper.stop)
        site = self.state.site
        if self.preloaded is None and site is not None and site.search is not None:
            site.search.close()  # a site we loaded is ours to close
        if self.lock is not None:
            self.lock.release()


def create_app(settings: ServeSettings, site: Site | None = None) -> Starlette:
    """The app for one worker; ``site`` skips loading (tests pass a loaded one)."""
    state = ServerState(settings)
    state.pages = PageCache(settings.page_cache_mb * 1024 * 1024)
    _gauges(state)
    runtime = Runtime(state, site)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        loading: asyncio.Task[None] | None = None
        if site is not None:
            await runtime.start()  # ready before the first request
        else:
            loading = asyncio.create_task(runtime.start())
        try:
            yield
        finally:
            if loading is not None:
                loading.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await loading
            await runtime.stop()

    probes = [Route("/healthz", healthz), Route("/ready", ready), Route("/metrics", metrics)]
    app = Starlette(
        routes=[*page_routes(), *probes, *api_routes(), *note_routes()],
        middleware=[Middleware(OpsMiddleware, metrics=state.metrics,
                               max_inflight=settings.max_inflight),
                    Middleware(GuardMiddleware)],
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
        max_body_size=settings.max_body_bytes,
    )  # fmt: skip
    app.state.kgwiki = state
    return app


def app_from_env() -> Starlette:
    """The factory each ``--workers`` process calls (settings come from the environment)."""
    return create_app(ServeSettings.from_env())
