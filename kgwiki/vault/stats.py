"""Counts that describe a vault at a glance (``kgwiki info``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

from kgwiki.diagnostics import Severity
from kgwiki.vault.model import Vault


@dataclass(frozen=True, slots=True)
class VaultStats:
    notes: int
    attachments: int
    links: int
    resolved: int
    unresolved: int
    ambiguous: int
    wanted_targets: int
    tags: int
    errors: int
    warnings: int
    infos: int
    bytes: int

    def to_json(self) -> dict[str, int]:
        return asdict(self)


def vault_stats(vault: Vault) -> VaultStats:
    links = resolved = ambiguous = 0
    wanted: set[str] = set()
    for item in vault.all_links():
        links += 1
        if item.target is None:
            wanted.add((item.link.target.file or "").casefold())
        else:
            resolved += 1
            ambiguous += item.resolution.ambiguous
    severities = Counter(d.severity for d in vault.diagnostics())
    tags = {t.casefold() for note in vault for t in note.tags}
    return VaultStats(
        notes=len(vault.notes),
        attachments=len(vault.attachments),
        links=links,
        resolved=resolved,
        unresolved=links - resolved,
        ambiguous=ambiguous,
        wanted_targets=len(wanted),
        tags=len(tags),
        errors=severities[Severity.ERROR],
        warnings=severities[Severity.WARNING],
        infos=severities[Severity.INFO],
        bytes=sum(note.size for note in vault),
    )
