"""Helpers of the build tests: an output folder's files, a clean build to compare with, edits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from kgwiki.web.build import build
from kgwiki.web.build.cache import CACHE_DIR, MANIFEST_NAME

REPO = Path(__file__).resolve().parent.parent
# A note of the bundled vault the build tests edit, and its page.
HELM = "10_Wiki/Topics/helm.md"
HELM_PAGE = "n/10_Wiki/Topics/helm/index.html"


def copy_of(vault: Path, into: Path) -> Path:
    """A copy of ``vault`` without its caches, to edit."""
    return Path(shutil.copytree(vault, into / vault.name, ignore=shutil.ignore_patterns(".kgwiki")))


def files(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every output file (bytes, mtime) except the build's own records."""
    found = {}
    for file in site.rglob("*"):
        rel = file.relative_to(site).as_posix()
        if file.is_file() and rel != MANIFEST_NAME and not rel.startswith(CACHE_DIR + "/"):
            found[rel] = (file.read_bytes(), file.stat().st_mtime_ns)
    return found


def same_as_clean_build(vault: Path, incremental: Path, tmp_path: Path, **options: Any) -> None:
    """The folder an incremental build left holds exactly what a clean build writes."""
    clean = tmp_path / "clean-site"
    build(vault, clean, clean=True, **options)
    ours = {k: v[0] for k, v in files(incremental).items()}
    theirs = {k: v[0] for k, v in files(clean).items()}
    assert sorted(ours) == sorted(theirs)
    different = [name for name in ours if ours[name] != theirs[name]]
    assert different == []


def bump_mtime(file: Path) -> None:
    """A new mtime even on a coarse clock."""
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    bump_mtime(file)


def append(file: Path, text: str) -> None:
    """Add a paragraph at the end of a note, as ``scripts/bench.py`` edits one."""
    data = file.read_bytes().rstrip(b"\n") + b"\n\n" + text.encode("utf-8") + b"\n"
    file.write_bytes(data)
    bump_mtime(file)


def small_vault(root: Path, notes: dict[str, str]) -> Path:
    """A vault of the given notes (name → text)."""
    root.mkdir(parents=True)
    for name, text in notes.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def generated_vault(root: Path, notes: int) -> Path:
    """A vault from ``scripts/gen_vault.py`` (what ``scripts/bench.py`` builds)."""
    subprocess.run([sys.executable, str(REPO / "scripts" / "gen_vault.py"), str(notes), "-o",
                    str(root), "--quiet"], check=True)  # fmt: skip
    return root
