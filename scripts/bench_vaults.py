"""The benchmark's generated vaults: one folder per size, seed and template share, reused.

``scripts/gen_vault.py`` writes them; a folder whose manifest says the same size and seed (and,
for a template share, that it lists template-made notes) is taken as it is, so a run does not
pay for generating 10,000 notes again.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any


def vault_dir(workdir: Path, notes: int, seed: int, template_share: float = 0.0) -> Path:
    name = f"notes-{notes}-seed-{seed}"
    if template_share:
        name += f"-templates-{round(template_share * 100)}"
    return workdir / "vaults" / name


def ensure_vault(workdir: Path, notes: int, seed: int, template_share: float = 0.0
                 ) -> tuple[Path, dict[str, Any]]:  # fmt: skip
    """The generated vault of this size, seed and template share; generated when missing."""
    import gen_vault

    vault = vault_dir(workdir, notes, seed, template_share)
    manifest = vault / gen_vault.MANIFEST
    if manifest.is_file():
        planted = json.loads(manifest.read_text(encoding="utf-8"))
        same = planted.get("notes") == notes and planted.get("seed") == seed
        if same and bool(planted.get("templated")) == bool(template_share):
            size = sum(p.stat().st_size for p in vault.rglob("*.md")
                       if ".kgwiki" not in p.parts)  # fmt: skip
            return vault, {"notes": notes, "mb": round(size / 1e6, 1), "generated": False,
                           "templated": len(planted.get("templated") or [])}  # fmt: skip
    start = time.perf_counter()
    stats = gen_vault.generate(notes, vault, seed, template_share=template_share)
    info = {k: v for k, v in asdict(stats).items() if k not in ("out", "duplicates", "flattened")}
    if template_share:
        planted = json.loads(manifest.read_text(encoding="utf-8"))
        info["templated"] = len(planted.get("templated") or [])
    return vault, {
        **info,
        "mb": round(stats.megabytes, 1),
        "generated": True,
        "generate_s": round(time.perf_counter() - start, 1),
    }
