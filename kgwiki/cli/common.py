"""What every command shares: finding the vault, loading it, printing for people or JSON.

Every command module is imported to build the parser, and each imports this one: what it
imports at the top is paid by every command, so the vault (and with it the Markdown parser)
is imported by the functions that load one. ``kgwiki search`` answered from the index
alone never loads the vault.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.config import ConfigError, VaultNotFoundError, config_for_vault, find_vault

if TYPE_CHECKING:
    from kgwiki.graph import KnowledgeGraph
    from kgwiki.types import NotePath
    from kgwiki.vault import Vault


class CommandError(Exception):
    """A failure to report in one line (no traceback), with an exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


# What commands loaded, kept rather than freed, while ``main.entry`` (the ``kgwiki`` command)
# runs: it ends the process without freeing anything. None when ``main`` is called otherwise.
HELD: list[object] | None = None


def shared_options() -> argparse.ArgumentParser:
    """Options every command takes: --vault, --json, --quiet."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--vault",
        metavar="DIR",
        help="the vault folder (default: $KGWIKI_VAULT, kgwiki.toml, ./vault, or the current "
        "folder when it holds Markdown notes)",
    )
    parent.add_argument("--json", action="store_true", help="print JSON for scripts")
    parent.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    return parent


def add_vault_positional(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("vault_pos", nargs="?", metavar="VAULT", help="the vault folder")


NO_VAULT_HINT = ("name the vault: --vault DIR (or the VAULT argument), $KGWIKI_VAULT, or "
                 "'vault = \"DIR\"' in a kgwiki.toml here")  # fmt: skip


def vault_dir(args: argparse.Namespace) -> Path:
    """The vault folder; a CommandError (status 2) when none is named and none is here."""
    explicit = getattr(args, "vault_pos", None) or getattr(args, "vault", None)
    try:
        return find_vault(explicit)
    except VaultNotFoundError as err:
        raise CommandError(f"{err}; {NO_VAULT_HINT}", 2) from err
    except ConfigError as err:
        raise CommandError(str(err)) from err


def load_vault(args: argparse.Namespace) -> Vault:
    """Load the vault the arguments name, turning every expected failure into a CommandError.

    The link tables come from the last server or build when the vault is as it was then, or
    differs in a few notes (which are put in again): the same vault as a fresh load.
    """
    from kgwiki.util import wants_progress
    from kgwiki.vault import Vault, VaultPathError

    root = vault_dir(args)
    try:
        config = config_for_vault(root)
        return Vault.load(root, config, show_progress=wants_progress(args.quiet), keep_links=True)
    except (ConfigError, VaultPathError) as err:
        raise CommandError(str(err)) from err


def load_graph(vault: Vault) -> KnowledgeGraph:
    """The graph of a vault from ``load_vault``: the one the last server or build kept (with
    the notes that differ since put in again), else built."""
    from kgwiki.graph import KnowledgeGraph

    return KnowledgeGraph.from_cache(vault) or KnowledgeGraph.build(vault)


def note_path(vault: Vault, name: str) -> NotePath:
    """A note named by title, alias, id or path — or a CommandError with suggestions."""
    from kgwiki.vault import NoteLookupError, find_note

    try:
        return find_note(vault, name)
    except NoteLookupError as err:
        raise CommandError(str(err)) from err


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (a server bound there is not reachable from
    elsewhere)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
