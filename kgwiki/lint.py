"""Everything wrong with a vault, gathered from the parts that know."""

from __future__ import annotations

from kgwiki.diagnostics import Diagnostic
from kgwiki.vault import Vault


def lint_vault(vault: Vault) -> list[Diagnostic]:
    """All diagnostics, sorted by file and line."""
    return vault.diagnostics()
