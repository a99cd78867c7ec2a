"""Adding a note: the form at ``/new`` (login cookie + CSRF) and ``POST /api/notes`` (token).

Both go through ``kgwiki.authoring.create.new_note`` (title checks, refusing taken names, atomic
create-only write), re-read the note into the site at once (so it is searchable as soon as the
response arrives) and tell open pages to reload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kgwiki.authoring import NoteRefused, default_folder, new_note
from kgwiki.types import NotePath
from kgwiki.web.serve.pages import HTML_HEADERS, NotReady, on_site
from kgwiki.web.serve.security import (
    SESSION_COOKIE,
    TOKEN_HEADER,
    csrf_token,
    csrf_valid,
    same_origin,
    same_secret,
    session_valid,
)
from kgwiki.web.serve.state import ServerState, state_of
from kgwiki.web.serve.sync import refresh_files

NOT_SIGNED_IN = "You are not signed in, so the note was not added."
FIELDS = ("title", "aliases", "tags", "trust", "parent", "folder", "body")
MAX_TAGS = 32


def split_tags(raw: object) -> list[str]:
    """Tags from a form field (``a, b #c``) or a JSON list of strings (checked by authoring)."""
    items = raw.replace(",", " ").split() if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise NoteRefused("tags must be a list of strings")
    if len(items) > MAX_TAGS:
        raise NoteRefused(f"at most {MAX_TAGS} tags")
    return items


def split_aliases(raw: object) -> list[str]:
    """Aliases from a form field (``one, two``: they may hold spaces) or a JSON list."""
    items = [a.strip() for a in raw.split(",") if a.strip()] if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise NoteRefused("aliases must be a list of strings")
    if len(items) > MAX_TAGS:
        raise NoteRefused(f"at most {MAX_TAGS} aliases")
    return items


@dataclass(frozen=True)
class NewNote:
    """What the form or the API asks for; empty parent/folder mean none/the default folder."""

    title: str
    tags: list[str]
    aliases: list[str]
    trust: str = ""
    parent: str = ""
    folder: str = ""
    body: str = ""


def _origin_ok(request: Request) -> bool:
    return same_origin(request.headers.get("origin"), request.headers.get("referer"),
                       request.url.scheme, request.headers.get("host"))  # fmt: skip


async def _add(state: ServerState, asked: NewNote) -> NotePath:
    """Write the note (kgwiki.authoring.create), take it into this worker's site, announce it."""
    site = state.site
    if site is None:
        raise NotReady
    writer = state.role == "writer"

    def write() -> tuple[NotePath, int, set[NotePath]]:
        # Under the site lock: new_note updates the vault, which pages are being drawn from.
        with site.lock:
            path = new_note(site.vault, asked.title, tags=asked.tags, aliases=asked.aliases,
                            trust=asked.trust.strip() or None, parent=asked.parent.strip() or None,
                            category=asked.folder.strip() or None, body=asked.body)  # fmt: skip
            version, changed = refresh_files(site, [path], writer)
        return path, version, changed

    path, version, changed = await run_in_threadpool(write)
    state.changed(version, changed | {path})
    return path


async def _form(request: Request, csrf: str, error: str | None, values: dict[str, str],
                status: int) -> Response:  # fmt: skip
    """The form page; without ``csrf`` (no login) its fields are disabled under a sign-in hint.

    The status reaches the template as ``values["_status"]`` (a 403 page is titled Forbidden).
    """
    state = state_of(request)
    folder = default_folder(state.site.vault, None) if state.site is not None else ""
    shown = {**values, "_status": str(status), "_default_folder": folder or "(the vault's top)"}
    html = await on_site(state, lambda _s, r: r.new_note_form(csrf, error, shown))
    return HTMLResponse(html, status, headers={**HTML_HEADERS, "cache-control": "no-store"})


async def new_form(request: Request) -> Response:
    state = state_of(request)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not session_valid(cookie, state.settings.token) or cookie is None:
        return await _form(request, "", None, {}, 200)
    return await _form(request, csrf_token(cookie, state.settings.token), None, {}, 200)


async def new_submit(request: Request) -> Response:
    state = state_of(request)
    token = state.settings.token
    cookie = request.cookies.get(SESSION_COOKIE)
    raw = await request.body()
    parsed = parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True)
    fields = {key: items[0] for key, items in parsed.items()}
    values = {name: fields.get(name, "") for name in FIELDS}
    if not _origin_ok(request):
        return await _form(request, "", "This form was sent from another site.", values, 403)
    if cookie is None or not session_valid(cookie, token):
        return await _form(request, "", NOT_SIGNED_IN, values, 403)
    csrf = csrf_token(cookie, token)
    if not csrf_valid(fields.get("csrf"), cookie, token):
        return await _form(request, csrf, "The form expired: send it again.", values, 403)
    try:
        asked = NewNote(values["title"], split_tags(values["tags"]),
                        split_aliases(values["aliases"]), values["trust"], values["parent"],
                        values["folder"], values["body"])  # fmt: skip
        path = await _add(state, asked)
    except NoteRefused as err:
        if err.existing is None:
            return await _form(request, csrf, err.message, values, 400)
        existing = {"_existing_url": _url(state, err.existing), "_existing_path": err.existing}
        return await _form(request, csrf, err.message, {**values, **existing}, 409)
    return RedirectResponse(_url(state, path), 303)


def _url(state: ServerState, path: NotePath) -> str:
    assert state.renderer is not None
    return state.renderer.urls.note(path)


def _bearer(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    scheme, _, value = auth.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get(TOKEN_HEADER)


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    headers = {"www-authenticate": 'Bearer realm="kgwiki"'} if status == 401 else None
    return JSONResponse({"error": message, **extra}, status, headers=headers)


async def api_create(request: Request) -> Response:
    state = state_of(request)
    given = _bearer(request)
    if given is None:
        return _error(401, "send the write token as 'Authorization: Bearer <token>'")
    if not same_secret(given, state.settings.token):
        return _error(403, "wrong write token")
    if request.headers.get("origin") and not _origin_ok(request):
        return _error(403, "cross-origin writes are refused")
    try:
        data = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError):
        return _error(400, "the body must be a JSON object")
    if not isinstance(data, dict):
        return _error(400, "the body must be a JSON object")
    texts = {name: data.get(name) or "" for name in ("trust", "parent", "folder", "body")}
    title = data.get("title")
    if not isinstance(title, str) or not all(isinstance(v, str) for v in texts.values()):
        return _error(400, "title, trust, parent, folder and body must be strings")
    try:
        asked = NewNote(title, split_tags(data.get("tags") or []),
                        split_aliases(data.get("aliases") or []), **texts)  # fmt: skip
        path = await _add(state, asked)
    except NoteRefused as err:
        if err.existing is None:
            return _error(400, err.message)
        return _error(409, err.message, path=err.existing, url=_url(state, err.existing))
    return JSONResponse({"path": path, "url": _url(state, path)}, 201)


def note_routes() -> list[BaseRoute]:
    return [
        Route("/new", new_form, methods=["GET"]),
        Route("/new/", new_form, methods=["GET"]),
        Route("/new", new_submit, methods=["POST"]),
        Route("/new/", new_submit, methods=["POST"]),
        Route("/api/notes", api_create, methods=["POST"]),
    ]

