"""The MCP server: the vault's read tools, its notes as resources, and — when the server was
started with writes allowed — the write tools, on the official ``mcp`` SDK (``MCPServer``).

Tools run in worker threads (the SDK runs plain functions so); each holds the site's lock,
so a write and the refresh that follows it are never seen half done.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError, ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from kgwiki import __version__
from kgwiki.mcp import views
from kgwiki.mcp.access import WriteAccess, WriteRefused
from kgwiki.mcp.limits import DEFAULT_BODY_CHARS, BadArgument
from kgwiki.mcp.writes import Writer
from kgwiki.site import Site

Note = Annotated[str, Field(description="a note's title, alias, id or vault path")]
Limit = Annotated[int, Field(ge=1, le=200, description="the most items to return")]

INSTRUCTIONS = """\
kgwiki: a Markdown knowledge base (a vault) as a graph. Notes carry trust: a level \
(A best … E), a confidence and a verification status; 'unverified' means no person has \
checked the note. Prefer verified, higher-trust notes and say when you rely on unverified \
ones. Start with `search`, then `read_note`; `neighbours`, `path` and `backlinks` walk the \
graph. Answers are cut to fit a context window; `omitted` says what was left out and how \
to ask for more."""

WRITES_ON = """ Writes are on: search before you write; `create_note` refuses a title, alias \
or text the vault already has and names the note to extend with `append_to_note`. What you \
write is marked unverified until a person checks it."""

WRITES_OFF = " Writes are off (start the server with --allow-writes to add notes)."

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, open_world_hint=False)
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False,
                        open_world_hint=False)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Options:
    access: WriteAccess = field(default_factory=WriteAccess)
    author: str = "an AI agent"  # named in the changelog rows of writes


def _answer(call: Callable[[], dict[str, Any]]) -> str:
    """Run a tool: its answer as one line of JSON (indentation costs a model's context; text
    stays as is, not ``\\u`` escaped); expected refusals become the tool's error text."""
    try:
        return json.dumps(call(), ensure_ascii=False, default=str)
    except (BadArgument, WriteRefused) as err:
        raise ToolError(str(err)) from err


def build_server(site: Site, options: Options | None = None) -> MCPServer:
    """An MCP server over one loaded site."""
    options = options or Options()
    writes = options.access.allowed
    instructions = INSTRUCTIONS + (WRITES_ON if writes else WRITES_OFF)
    server = MCPServer("kgwiki", version=__version__, instructions=instructions)
    _read_tools(server, site)
    _resources(server, site)
    if writes:
        _write_tools(server, Writer(site, options.author), options.access)
    return server


def _read_tools(server: MCPServer, site: Site) -> None:
    def tool(fn: Callable[..., Any]) -> None:
        server.add_tool(fn, annotations=READ_ONLY, structured_output=False)

    def search(
        query: Annotated[str, Field(description='words, "phrases", OR, NOT, prefix*, and filters '
                                    "tag:x trust:A trust:>=B status:x category:x path:x")],
        limit: Limit = 10,
    ) -> str:
        """Full-text search (Korean-aware), ranked with trust; hits with trust and a snippet."""
        with site.lock:
            return _answer(lambda: views.search(site, query, limit))

    def read_note(
        note: Note,
        body_chars: Annotated[int, Field(ge=0, le=50_000, description="body characters to "
                                         "return")] = DEFAULT_BODY_CHARS,
        body_offset: Annotated[int, Field(ge=0, description="where the body starts (to read "
                                          "on after a cut)")] = 0,
        limit: Limit = 30,
    ) -> str:
        """A note: frontmatter, trust, body (Markdown), outgoing links, backlinks, typed
        relations (parent, child, variant, adjacent, duplicate-of) and changelog."""
        with site.lock:
            return _answer(lambda: views.read_note(site, note, body_chars, body_offset, limit))

    def neighbours(
        note: Note,
        depth: Annotated[int, Field(ge=1, le=3, description="hops from the note")] = 1,
        direction: Annotated[str, Field(description="both, out (links it makes) or in")] = "both",
        kinds: Annotated[list[str] | None, Field(description="edge kinds to follow: link, embed, "
                         "parent, child, variant, adjacent, duplicate-of")] = None,
        limit: Limit = 50,
    ) -> str:
        """The notes within a few hops of a note in the knowledge graph, with the edges."""
        with site.lock:
            return _answer(lambda: views.neighbours(site, note, depth, direction, kinds, limit))

    def path(
        source: Note, target: Note,
        directed: Annotated[bool, Field(description="follow links only the way they point")]
        = False,
    ) -> str:  # fmt: skip
        """The shortest chain of links and relations from one note to another, each hop with
        the line that makes it."""
        with site.lock:
            return _answer(lambda: views.path_between(site, source, target, directed))

    def backlinks(note: Note, limit: Limit = 50) -> str:
        """The notes that link to a note, each with the line of text that does."""
        with site.lock:
            return _answer(lambda: views.backlinks(site, note, limit))

    def wanted(limit: Limit = 30) -> str:
        """Notes that are linked to but do not exist yet, most wanted first."""
        with site.lock:
            return _answer(lambda: views.wanted(site, limit))

    def trust_report(
        note: Annotated[str | None, Field(description="one note (else the whole vault)")] = None,
        limit: Limit = 20,
    ) -> str:
        """Trust of one note in full, or of the vault: notes per level, stale, low, flagged."""
        with site.lock:
            return _answer(lambda: views.trust_report(site, note, limit))

    def duplicates(
        note: Annotated[str | None, Field(description="only pairs with this note")] = None,
        limit: Limit = 20,
    ) -> str:
        """Notes that say the same thing (declared, sharing a name, or near-identical text),
        with the one to keep."""
        with site.lock:
            return _answer(lambda: views.duplicates(site, note, limit))

    def recent_changes(
        limit: Limit = 20,
        since: Annotated[str | None, Field(description="only changes on or after YYYY-MM-DD")]
        = None,
        note: Annotated[str | None, Field(description="only this note's changes")] = None,
    ) -> str:  # fmt: skip
        """The latest rows of the notes' changelogs, newest first."""
        with site.lock:
            return _answer(lambda: views.recent_changes(site, limit, since, note))

    for fn in (search, read_note, neighbours, path, backlinks, wanted, trust_report, duplicates,
               recent_changes):  # fmt: skip
        tool(fn)


def _resources(server: MCPServer, site: Site) -> None:
    @server.resource("kgwiki://note/{+path}", name="note", mime_type="text/markdown",
                     description="A note's Markdown body, by vault path")  # fmt: skip
    def note(path: str) -> str:
        with site.lock:
            try:
                return views.note_text(site, path)
            except BadArgument as err:
                raise ResourceNotFoundError(str(err)) from err

    @server.resource("kgwiki://notes", name="notes", mime_type="application/json",
                     description="Every note: path, title, trust level")  # fmt: skip
    def notes() -> list[dict[str, Any]]:
        with site.lock:
            return [views.card(site, path) for path in sorted(site.vault.notes)]


def _write_tools(server: MCPServer, writer: Writer, access: WriteAccess) -> None:
    def allowed(ctx: Context) -> None:
        access.check(ctx.headers)

    def create_note(
        title: Annotated[str, Field(description="the new note's title (a file name too)")],
        body: Annotated[str, Field(description="the note's Markdown (its main section)")],
        ctx: Context,
        tags: list[str] | None = None,
        aliases: Annotated[list[str] | None, Field(description="other names")] = None,
        parent: Annotated[str | None, Field(description="the parent note")] = None,
        category: Annotated[str | None, Field(description="folder in the vault")] = None,
        trust: Annotated[str | None, Field(description="source trust level (default: one "
                                           "below a person's draft)")] = None,
    ) -> str:
        """Write a new note, marked unverified. Refused when its title, an alias or its text
        is already in the vault; the refusal names the note to extend instead."""
        def run() -> dict[str, Any]:
            allowed(ctx)
            return writer.create_note(title, body, tags=tags, aliases=aliases, parent=parent,
                                      category=category, trust=trust)  # fmt: skip

        return _answer(run)

    def append_to_note(
        note: Note,
        text: Annotated[str, Field(description="Markdown to add")],
        ctx: Context,
        section: Annotated[str | None, Field(description="the heading to add under (default: "
                                             "the end of the prose)")] = None,
        message: Annotated[str | None, Field(description="what was added, for the "
                                             "changelog")] = None,
    ) -> str:
        """Add Markdown to a note and a changelog row; the note becomes unverified."""
        def run() -> dict[str, Any]:
            allowed(ctx)
            return writer.append_to_note(note, text, section, message)

        return _answer(run)

    def set_trust(
        note: Note,
        ctx: Context,
        level: Annotated[str | None, Field(description="source trust level, e.g. A-E")] = None,
        confidence: Annotated[float | None, Field(ge=0, le=1)] = None,
        verification: Annotated[str | None, Field(description="verified, unverified, "
                                                  "disputed …")] = None,
        reason: Annotated[str | None, Field(description="why, for the changelog")] = None,
    ) -> str:
        """Change a note's trust fields (only when a person said so), with a changelog row."""
        def run() -> dict[str, Any]:
            allowed(ctx)
            return writer.set_trust(note, level, confidence, verification, reason)

        return _answer(run)

    def reinforce(
        note: Note,
        ctx: Context,
        message: Annotated[str | None, Field(description="what was checked")] = None,
    ) -> str:
        """Record that a note was checked against its sources today (last_reinforced and a
        changelog row)."""
        def run() -> dict[str, Any]:
            allowed(ctx)
            return writer.reinforce(note, message)

        return _answer(run)

    for fn in (create_note, append_to_note, set_trust, reinforce):
        server.add_tool(fn, annotations=WRITE, structured_output=False)


def serve(site: Site, options: Options | None = None, *, http: bool = False,
          host: str = "127.0.0.1", port: int = 8765) -> None:  # fmt: skip
    """Serve until the client goes away (stdio) or the process is stopped (HTTP, at
    ``http://host:port/mcp``)."""
    server = build_server(site, options)
    if http:
        server.run("streamable-http", host=host, port=port)
    else:
        server.run("stdio")
