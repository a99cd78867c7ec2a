"""``kgwiki serve [VAULT]``: browse a vault live, with search, graph and reload on save."""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from typing import Any

from kgwiki.cli import common

DEFAULT_PORT = 8000
AUTO_TRIES = 100  # ports tried by --port auto


def _port(text: str) -> int | None:
    """A port number, or None for ``auto``."""
    if text == "auto":
        return None
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number or 'auto': {text!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"a port is between 1 and 65535, not {port}")
    return port


def port_taken(host: str, port: int) -> OSError | None:
    """Why ``host:port`` cannot be listened on now (None: it can), as the server would bind it."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as err:
        return err
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
        try:
            probe.bind(address)
        except OSError as err:
            return err
    return None


def choose_port(host: str, wanted: int | None) -> int:
    """``wanted`` if it is free, else a CommandError saying so; None: the first free port."""
    if wanted is not None:
        problem = port_taken(host, wanted)
        if problem is None:
            return wanted
        if problem.errno != errno.EADDRINUSE:
            raise common.CommandError(f"cannot listen on {host}:{wanted}: {problem}", 2)
        free = _first_free(host, wanted + 1)
        suggestion = f"--port {free}" if free is not None else "--port N"
        raise common.CommandError(f"port {wanted} on {host} is already in use; choose another "
                                  f"with {suggestion} (or --port auto)", 2)  # fmt: skip
    found = _first_free(host, DEFAULT_PORT)
    if found is None:
        raise common.CommandError(f"no free port on {host} from {DEFAULT_PORT} to "
                                  f"{DEFAULT_PORT + AUTO_TRIES - 1}; choose one with --port N",
                                  2)  # fmt: skip
    return found


def _first_free(host: str, start: int) -> int | None:
    for port in range(start, min(start + AUTO_TRIES, 65536)):
        if port_taken(host, port) is None:
            return port
    return None


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("serve", parents=[shared], help="serve the vault as a live site",
                            description="Serve the vault as a live site that reloads when notes "
                            "change. Adding notes from the browser needs the write token printed "
                            "at start-up.")  # fmt: skip
    common.add_vault_positional(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=DEFAULT_PORT, metavar="N|auto",
                        help=f"port to bind (default: {DEFAULT_PORT}); 'auto': the first free "
                        f"one from {DEFAULT_PORT}")  # fmt: skip
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes (default: 1); one watches and indexes")  # fmt: skip
    parser.add_argument("--no-watch", action="store_true", help="do not reload when files change")
    parser.add_argument("--token", help="write token (default: $KGWIKI_TOKEN, else a random one)")
    parser.add_argument("--max-inflight", type=int, default=64, metavar="N",
                        help="requests at once per worker, then 503 (default: 64)")  # fmt: skip
    parser.add_argument("--page-cache-mb", type=int, default=128, metavar="MB",
                        help="memory for rendered pages, gzipped (default: 128, about "
                             "20,000 note pages)")  # fmt: skip
    parser.add_argument("--no-warm", action="store_true",
                        help="do not draw note pages ahead of their first visit")  # fmt: skip
    parser.add_argument("--no-access-log", action="store_true", help="no line per request")
    parser.set_defaults(handler=run)


def log_config(access: bool) -> dict[str, Any]:
    """Logging for uvicorn and kgwiki: one line per event on stderr, access lines as JSON."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
            "json": {"format": "%(message)s"},
        },
        "handlers": {
            "plain": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"},
            "json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["plain"], "level": "INFO", "propagate": False},
            "kgwiki": {"handlers": ["plain"], "level": "INFO", "propagate": False},
            "kgwiki.access": {"handlers": ["json"], "level": "INFO" if access else "WARNING",
                              "propagate": False},
        },
    }  # fmt: skip


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from kgwiki.web.serve import SETTINGS_ENV, ServeSettings, create_app, generate_token

    root = common.vault_dir(args)
    if not root.is_dir():
        raise common.CommandError(f"{root}: not a folder")
    if args.workers < 1 or args.max_inflight < 1 or args.page_cache_mb < 0:
        raise common.CommandError("--workers and --max-inflight must be at least 1", 2)
    port = choose_port(args.host, args.port)  # before a line is printed (no token for nothing)
    token = args.token or os.environ.get("KGWIKI_TOKEN") or generate_token()
    settings = ServeSettings(vault=root, token=token, watch=not args.no_watch,
                             max_inflight=args.max_inflight,
                             page_cache_mb=args.page_cache_mb, warm=not args.no_warm)  # fmt: skip
    if args.workers > 1:
        _prepare(root, args.quiet)
    shown = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown}:{port}/"
    print(f"kgwiki: serving {root} at {url}", flush=True)
    print(f"kgwiki: write token {token}", flush=True)
    print(f"kgwiki: to add notes from this browser, open {url}?token={token}", flush=True)
    if not common.is_loopback(args.host):
        print(f"kgwiki: warning: {args.host} is reachable from other machines", file=sys.stderr)
    options: dict[str, Any] = {
        "host": args.host, "port": port, "log_config": log_config(not args.no_access_log),
        "access_log": False, "timeout_graceful_shutdown": 3, "server_header": False,
    }  # fmt: skip
    if args.workers == 1:
        from kgwiki.web.serve import serve_app

        if not serve_app(create_app(settings), options):
            return 1
    else:
        # Workers are fresh processes: they build their app from the settings in the environment.
        os.environ[SETTINGS_ENV] = settings.to_env()
        uvicorn.run("kgwiki.web.serve.app:app_from_env", factory=True, workers=args.workers,
                    **options)  # fmt: skip
    return 0


def _prepare(root: Any, quiet: bool) -> None:
    """Bring the parse cache, the search index and the kept graph up to date once, before
    workers read them."""
    from kgwiki.site import Site
    from kgwiki.util import wants_progress

    site = Site.load(root, show_progress=wants_progress(quiet), reuse=True)
    site.save_state()
    if site.search is not None:
        site.search.close()
