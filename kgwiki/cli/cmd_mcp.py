"""``kgwiki mcp [VAULT]``: the vault as an MCP server for AI agents (docs/agents.md).

Over stdio by default, as MCP clients start local servers; ``--http`` serves the streamable
HTTP transport on 127.0.0.1. Writes are off unless ``--allow-writes``; over HTTP they also
need the write token. Nothing but the protocol may reach stdout in stdio mode, so every
message here goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys

from kgwiki.cli import common

DEFAULT_PORT = 8765


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("mcp", parents=[shared], help="serve the vault to AI agents (MCP)",
                            description="Serve the vault as a Model Context Protocol server: "
                            "search, notes, graph, trust and changes as tools for AI agents. "
                            "stdio by default (for Claude Desktop and other MCP clients); "
                            "--http for streamable HTTP.")  # fmt: skip
    common.add_vault_positional(parser)
    parser.add_argument("--http", action="store_true",
                        help="serve streamable HTTP at http://HOST:PORT/mcp instead of stdio")
    parser.add_argument("--host", default="127.0.0.1", help="address for --http (127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port for --http ({DEFAULT_PORT})")  # fmt: skip
    parser.add_argument("--allow-writes", action="store_true",
                        help="offer create_note, append_to_note, set_trust and reinforce")
    parser.add_argument("--token", help="write token for --http (default: $KGWIKI_TOKEN, else "
                        "a random one, printed to stderr)")  # fmt: skip
    parser.add_argument("--author", default="an AI agent",
                        help="who writes, as changelog rows name it (default: 'an AI agent')")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kgwiki.config import ConfigError
    from kgwiki.mcp import Options, WriteAccess, generate_token, serve
    from kgwiki.site import Site

    root = common.vault_dir(args)
    if not root.is_dir():
        raise common.CommandError(f"{root}: not a folder")
    if not 0 < args.port < 65536:
        raise common.CommandError(f"a port is between 1 and 65535, not {args.port}", 2)
    token = None
    if args.http and args.allow_writes:
        token = args.token or os.environ.get("KGWIKI_TOKEN") or generate_token()
    try:
        site = Site.load(root)
    except ConfigError as err:
        raise common.CommandError(str(err)) from err
    options = Options(WriteAccess(args.allow_writes, token), args.author.strip() or "an AI agent")
    where = f"http://{args.host}:{args.port}/mcp" if args.http else "stdio"
    print(f"kgwiki mcp: {root} ({len(site.vault.notes)} notes) on {where}; writes "
          f"{'on' if args.allow_writes else 'off'}", file=sys.stderr, flush=True)  # fmt: skip
    if token is not None:
        print(f"kgwiki mcp: write token {token} (send 'Authorization: Bearer <token>')",
              file=sys.stderr, flush=True)  # fmt: skip
    if args.http and not common.is_loopback(args.host):
        print(f"kgwiki mcp: warning: {args.host} is reachable from other machines",
              file=sys.stderr)  # fmt: skip
    serve(site, options, http=args.http, host=args.host, port=args.port)
    return 0
