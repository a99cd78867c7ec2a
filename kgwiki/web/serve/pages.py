"""HTML routes: every page the Renderer draws, attachments, the login link and the 404 page.

No request path is ever joined to a folder as it stands: note and tag URLs are looked up in
tables built from the vault, attachments must be files the vault scan found, and static
assets go through starlette's StaticFiles (which checks containment) behind our own guard.
"""

from __future__ import annotations

import gzip
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.vault import disk_path
from kgwiki.web.assets import STATIC
from kgwiki.web.render import (
    Renderer,
    atom_feed,
    explorer_script,
    folder_pages,
    page_location,
    sitemap,
)
from kgwiki.web.serve.security import (
    ATTACHMENT_CSP,
    SESSION_COOKIE,
    UnsafePath,
    contained,
    new_session,
    safe_relative,
    same_secret,
)
from kgwiki.web.serve.state import ServerState, state_of

T = TypeVar("T")
HTML_HEADERS = {"cache-control": "no-cache"}
MAX_QUERY = 500


class NotReady(HTTPException):
    def __init__(self) -> None:
        super().__init__(503, "the site is still loading", headers={"retry-after": "1"})


async def on_site(state: ServerState, work: Callable[[Site, Renderer], T]) -> T:
    """Run ``work`` in a thread while holding the site lock (no refresh half-way through)."""
    site, renderer = state.site, state.renderer
    if site is None or renderer is None:
        raise NotReady

    def locked() -> T:
        with site.lock:
            return work(site, renderer)

    return await run_in_threadpool(locked)


def compress(body: bytes) -> bytes:
    """Pages are kept gzipped: a tenth of the memory, and sent as they are to most clients."""
    return gzip.compress(body, compresslevel=5, mtime=0)


def gzipped(request: Request, body: bytes, media_type: str, status: int = 200,
            headers: dict[str, str] | None = None) -> Response:  # fmt: skip
    """A response from gzipped bytes: as they are when the client takes gzip, else unpacked."""
    extra = {**(headers or {}), "vary": "accept-encoding"}
    if "gzip" in request.headers.get("accept-encoding", ""):
        extra["content-encoding"] = "gzip"
        return Response(body, status, headers=extra, media_type=media_type)
    return Response(gzip.decompress(body), status, headers=extra, media_type=media_type)


def _html(request: Request, body: bytes, status: int = 200) -> Response:
    return gzipped(request, body, "text/html", status, HTML_HEADERS)


async def page(request: Request, key: str | None, draw: Callable[[Renderer], str],
               status: int = 200) -> Response:  # fmt: skip
    """An HTML page, from the page cache when the site has not changed since it was drawn."""
    state = state_of(request)
    if key is not None and state.site is not None:
        hit = state.pages.get(key, state.site.version)
        if hit is not None:
            return _html(request, hit, status)

    def render(site: Site, renderer: Renderer) -> tuple[int, bytes]:
        return site.version, compress(draw(renderer).encode("utf-8"))

    version, body = await on_site(state, render)
    if key is not None:
        state.pages.put(key, version, body)
    return _html(request, body, status)


def _location(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw)
    return text if text.endswith("/") else text + "/"


async def home(request: Request) -> Response:
    state = state_of(request)
    given = request.query_params.get("token")
    if given is not None:
        return _login(given, state, secure=request.url.scheme == "https")
    return await page(request, "home", lambda r: r.home())


def _login(given: str, state: ServerState, secure: bool) -> Response:
    """``/?token=…``: a right token sets the session cookie and drops the token from the URL."""
    if not same_secret(given, state.settings.token):
        raise HTTPException(403, "That write token is not the one this server printed.")
    response = RedirectResponse("/", 303)
    response.set_cookie(SESSION_COOKIE, new_session(state.settings.token), httponly=True,
                        samesite="strict", path="/", secure=secure)  # fmt: skip
    return response


async def note_page(request: Request) -> Response:
    state = state_of(request)
    rest: str = request.path_params["rest"]
    if not rest.endswith("/"):
        return RedirectResponse(request.url.replace(path=request.url.path + "/"), 308)
    location = "n/" + _location(rest)
    key = "page:" + location  # the same key as app_state.note_page_key(path)
    if state.site is not None:
        hit = state.pages.get(key, state.site.version)
        if hit is not None:
            return _html(request, hit)

    def find_and_draw(site: Site, renderer: Renderer) -> tuple[int, bytes | None, str | None]:
        state.locator.update(site)
        path = state.locator.notes.get(location)
        if path is not None:
            return site.version, compress(renderer.note(path).encode("utf-8")), None
        folder = folder_pages(site).get(location)
        if folder is not None:
            return site.version, compress(renderer.folder(folder).encode("utf-8")), None
        # An alias, title, id or file name: send the browser to the note's own URL.
        resolution = site.vault.resolve(rest.strip("/"))
        if resolution.path is not None and resolution.path in site.vault.notes:
            return site.version, None, renderer.urls.note(resolution.path)
        return site.version, None, None

    version, body, redirect = await on_site(state, find_and_draw)
    if redirect is not None:
        return RedirectResponse(redirect, 301)
    if body is None:
        raise HTTPException(404, f"No note lives at /{location}.")
    state.pages.put(key, version, body)
    return _html(request, body)


async def search_page(request: Request) -> Response:
    query = request.query_params.get("q", "")[:MAX_QUERY]
    return await page(request, f"search?{query}", lambda r: r.search(query))


async def tag_page(request: Request) -> Response:
    state = state_of(request)
    location = "tags/" + _location(request.path_params["rest"])

    def find(site: Site, _renderer: Renderer) -> str | None:
        locator = state.locator
        locator.update(site)
        return locator.tags.get(location)

    tag = await on_site(state, find)
    if tag is None:
        raise HTTPException(404, f"No note is tagged #{request.path_params['rest'].strip('/')}.")
    return await page(request, f"tag:{tag}", lambda r: r.tag(tag))


def _simple(name: str, draw: Callable[[Renderer], str]) -> Callable[[Request], object]:
    async def endpoint(request: Request) -> Response:
        return await page(request, name, draw)

    endpoint.__name__ = f"{name}_page"
    return endpoint


async def attachment(request: Request) -> Response:
    """A file of the vault that the scan found (never a note source, never a hidden file)."""
    state = state_of(request)
    if state.site is None:
        raise NotReady
    try:
        rel = safe_relative(request.path_params["rest"])
        path = NotePath(unicodedata.normalize("NFC", rel.as_posix()))
        if path not in state.site.vault.attachments:
            raise UnsafePath(path)
        root = state.site.vault.root
        on_disk = disk_path(root, path).relative_to(root)  # the name may be NFD on disk
        full = contained(root, PurePosixPath(on_disk.as_posix()))
    except UnsafePath:
        raise HTTPException(404, "No such file in the vault.") from None
    if not full.is_file():
        raise HTTPException(404, "No such file in the vault.")
    return FileResponse(full, headers={"content-security-policy": ATTACHMENT_CSP,
                                       "cache-control": "no-cache"})  # fmt: skip


async def explorer_data(request: Request) -> Response:
    """``/data/explorer.js``: the file tree every page's explorer draws (as a static build
    writes it), drawn once per version of the site."""
    state = state_of(request)
    key = "data:explorer"
    if state.site is not None:
        hit = state.pages.get(key, state.site.version)
        if hit is not None:
            return _script(request, hit)

    def draw(site: Site, _renderer: Renderer) -> tuple[int, bytes]:
        return site.version, compress(explorer_script(site))

    version, body = await on_site(state, draw)
    state.pages.put(key, version, body)
    return _script(request, body)


def _script(request: Request, gzipped_body: bytes) -> Response:
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(gzipped_body, media_type="text/javascript; charset=utf-8",
                        headers={"content-encoding": "gzip", "cache-control": "no-cache",
                                 "vary": "accept-encoding"})  # fmt: skip
    return Response(gzip.decompress(gzipped_body), media_type="text/javascript; charset=utf-8",
                    headers={"cache-control": "no-cache"})


async def feed(request: Request) -> Response:
    """``/feed.xml`` and ``/sitemap.xml``, as a static build writes them, with this server's
    address in their absolute URLs."""
    state = state_of(request)
    name = request.url.path.strip("/")
    base = str(request.base_url)

    def draw(site: Site, _renderer: Renderer) -> bytes:
        if name == "feed.xml":
            return atom_feed(site, base)
        tags = [page_location("tag", tag) for tag in site.tags()]
        return sitemap(site, base, tags)

    body = await on_site(state, draw)
    kind = "application/atom+xml" if name == "feed.xml" else "application/xml"
    return Response(body, media_type=f"{kind}; charset=utf-8",
                    headers={"cache-control": "no-cache"})


def page_routes() -> list[BaseRoute]:
    simple = [("graph", lambda r: r.graph()), ("wanted", lambda r: r.wanted()),
              ("duplicates", lambda r: r.duplicates()), ("changes", lambda r: r.changes()),
              ("lint", lambda r: r.lint()), ("trust", lambda r: r.trust()),
              ("tags", lambda r: r.tags()), ("dashboard", lambda r: r.dashboard())]  # fmt: skip
    # Note pages first: they are most of the traffic, and routes are tried in order.
    routes: list[BaseRoute] = [
        Route("/n/{rest:path}", note_page),
        Route("/", home),
        Route("/search", search_page),
        Route("/search/", search_page),
        Route("/tags/{rest:path}", tag_page),
        Route("/data/explorer.js", explorer_data),
        Route("/feed.xml", feed),
        Route("/sitemap.xml", feed),
        Route("/f/{rest:path}", attachment),
        Route("/files/{rest:path}", attachment),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    for name, draw in simple:
        routes.insert(2, Route(f"/{name}/", _simple(name, draw)))
    return routes


async def error_page(state: ServerState, message: str, status: int) -> Response:
    """The 404 (or 403) page in the site's look, or plain text before the site is loaded."""
    if state.renderer is None:
        return Response(message + "\n", status, media_type="text/plain")
    title = "Forbidden" if status == 403 else "Not found"
    html = await on_site(state, lambda _site, renderer: renderer.not_found(message, title=title))
    return HTMLResponse(html, status, headers=HTML_HEADERS)
