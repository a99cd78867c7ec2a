"""The JSON API under ``/api/`` (shapes in docs/web-contract.md, examples in docs/api.md)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import Renderer
from kgwiki.web.serve.events import events_response
from kgwiki.web.serve.pages import NotReady, compress, gzipped, on_site
from kgwiki.web.serve.state import state_of

MAX_LIMIT = 200
MAX_DEPTH = 3


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise HTTPException(400, f"{name} must be a whole number") from None
    return max(low, min(high, value))


def note_path(site: Site, raw: str | None) -> NotePath:
    """The note a ``path`` parameter names (a vault path, else a title, alias or id)."""
    if not raw:
        raise HTTPException(400, "give the note as ?path=")
    if raw in site.vault.notes:
        return NotePath(raw)
    resolution = site.vault.resolve(raw)
    if resolution.path is not None and resolution.path in site.vault.notes:
        return resolution.path
    raise HTTPException(404, f"no note {raw!r}")


def _json(data: Any) -> Response:
    return JSONResponse(data)


async def _cached_json(request: Request, key: str, build: Any) -> Response:
    """JSON that depends only on the site, kept (gzipped) until the next change."""
    state = state_of(request)
    if state.site is not None:
        hit = state.pages.get(key, state.site.version)
        if hit is not None:
            return gzipped(request, hit, "application/json")

    def encode(site: Site, renderer: Renderer) -> tuple[int, bytes]:
        data = build(site, renderer)
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return site.version, compress(text.encode("utf-8"))

    version, body = await on_site(state, encode)
    state.pages.put(key, version, body)
    return gzipped(request, body, "application/json")


async def search(request: Request) -> Response:
    query = request.query_params.get("q", "").strip()[:500]
    limit = _int(request, "limit", 20, 1, MAX_LIMIT)

    def run(site: Site, renderer: Renderer) -> dict[str, Any]:
        if site.search is None:
            raise NotReady
        if not query:
            return {"query": query, "total": 0, "suggestion": None, "error": None, "hits": []}
        results = site.search.search(query, limit=limit)
        hits = [{"title": h.title, "path": h.path, "url": renderer.urls.note(h.path),
                 "snippet": h.snippet_html, "score": round(h.score, 4), "trust": h.trust_level}
                for h in results.hits]  # fmt: skip
        return {"query": query, "total": results.total, "suggestion": results.suggestion,
                "error": results.error, "hits": hits}  # fmt: skip

    return _json(await on_site(state_of(request), run))


async def graph(request: Request) -> Response:
    raw = request.query_params.get("note")
    if raw is None:
        return await _cached_json(request, "api:graph", lambda site, _r: site.graph.to_node_link())
    depth = _int(request, "depth", 1, 1, MAX_DEPTH)

    def around(site: Site, _renderer: Renderer) -> dict[str, Any]:
        path = note_path(site, raw)
        hood = site.graph.neighbours(path, depth=depth)
        return site.graph.to_node_link(subset=hood.nodes)

    return _json(await on_site(state_of(request), around))


def _note_item(site: Site, renderer: Renderer, path: NotePath) -> dict[str, Any]:
    note = site.vault.notes[path]
    return {"path": path, "title": note.title, "url": renderer.urls.note(path),
            "tags": list(note.tags), "aliases": list(note.aliases),
            "trust": site.trust(path).level}  # fmt: skip


async def notes(request: Request) -> Response:
    def listing(site: Site, renderer: Renderer) -> list[dict[str, Any]]:
        return [_note_item(site, renderer, p) for p in sorted(site.vault.notes)]

    return await _cached_json(request, "api:notes", listing)


def _backlinks(site: Site, renderer: Renderer, path: NotePath) -> list[dict[str, Any]]:
    out = []
    for link in site.graph.backlinks(path):
        source = site.vault.notes.get(link.source)
        out.append({"source": link.source, "title": source.title if source else link.source,
                    "url": renderer.urls.note(link.source), "line": link.line,
                    "context": link.context, "kind": link.kind})  # fmt: skip
    return out


async def note(request: Request) -> Response:
    raw = request.query_params.get("path")

    def full(site: Site, renderer: Renderer) -> dict[str, Any]:
        path = note_path(site, raw)
        item = site.vault.notes[path]
        known = site.vault.notes
        relations = {kind: [{"path": p, "title": known[p].title, "url": renderer.urls.note(p)}
                            for p in targets if p in known]
                     for kind, targets in site.graph.relations(path).items()}  # fmt: skip
        changelog = [{"date": e.date.isoformat() if e.date else None, "date_text": e.date_text,
                      "text": e.text, "line": e.line} for e in item.changelog]  # fmt: skip
        return {"path": path, "title": item.title, "url": renderer.urls.note(path),
                "html": renderer.body(path), "meta": item.meta.to_json(), "tags": list(item.tags),
                "trust": site.trust(path).to_json(), "backlinks": _backlinks(site, renderer, path),
                "relations": relations, "changelog": changelog}  # fmt: skip

    return _json(await on_site(state_of(request), full))


async def preview(request: Request) -> Response:
    raw = request.query_params.get("path")
    return _json(await on_site(state_of(request),
                               lambda site, r: r.preview(note_path(site, raw))))  # fmt: skip


async def backlinks(request: Request) -> Response:
    raw = request.query_params.get("path")

    def listing(site: Site, renderer: Renderer) -> list[dict[str, Any]]:
        return _backlinks(site, renderer, note_path(site, raw))

    return _json(await on_site(state_of(request), listing))


async def changes(request: Request) -> Response:
    limit = _int(request, "limit", 50, 1, 1000)

    def recent(site: Site, renderer: Renderer) -> list[dict[str, Any]]:
        return [{"date": c.date.isoformat(), "path": c.path, "title": c.title,
                 "url": renderer.urls.note(c.path), "text": c.text}
                for c in site.changes(limit)]  # fmt: skip

    return _json(await on_site(state_of(request), recent))


# Pages that hold what the reader is typing are never told to reload.
QUIET_PAGES = frozenset({"/new", "/new/"})


async def events(request: Request) -> Response:
    state = state_of(request)
    referer = urlsplit(request.headers.get("referer", "")).path
    return events_response(request, state.events, state.version, quiet=referer in QUIET_PAGES)


def api_routes() -> list[BaseRoute]:
    return [
        Route("/api/search", search),
        Route("/api/graph", graph),
        Route("/api/notes", notes, methods=["GET"]),
        Route("/api/note", note),
        Route("/api/preview", preview),
        Route("/api/backlinks", backlinks),
        Route("/api/changes", changes),
        Route("/api/events", events),
    ]
