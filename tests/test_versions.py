"""Caches know what made them: a library (or Python) upgrade re-parses and rebuilds."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kgwiki import versions
from kgwiki.note import Note
from kgwiki.vault import Vault
from kgwiki.web.build import build

NAMED = ["markdown-it-py", "mdit-py-plugins", "Pygments", "nh3", "Jinja2", "python"]


def _parsed(note: Note, tokens: object) -> bool:
    """A ``derive`` hook: it runs only on notes parsed now, not on those from the cache."""
    return True


@pytest.fixture(autouse=True)
def _fresh_toolchain() -> Iterator[None]:
    versions.toolchain.cache_clear()
    yield
    versions.toolchain.cache_clear()


def _upgrade(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Pretend ``name`` was upgraded to a version nobody has installed."""
    if name == "python":
        monkeypatch.setattr(versions.platform, "python_version", lambda: "3.99.0")
    else:
        real = versions.installed
        monkeypatch.setattr(versions, "installed",
                            lambda dist: "99.0" if dist == name else real(dist))  # fmt: skip
    versions.toolchain.cache_clear()


@pytest.fixture()
def vault_dir(bundled_vault_dir: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(bundled_vault_dir, tmp_path / "vault",
                                ignore=shutil.ignore_patterns(".kgwiki")))


def test_toolchain_names_each_library() -> None:
    chain = versions.toolchain()
    for name in NAMED:
        assert f"{name} " in chain
    assert "absent" not in chain


@pytest.mark.parametrize("name", NAMED)
def test_an_upgrade_reparses_every_note(vault_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                        name: str) -> None:  # fmt: skip
    first = Vault.load(vault_dir, derive=_parsed)
    assert len(first.derived) == len(first.notes) > 20
    assert Vault.load(vault_dir, derive=_parsed).derived == {}  # all from the cache
    _upgrade(monkeypatch, name)
    upgraded = Vault.load(vault_dir, derive=_parsed)
    assert len(upgraded.derived) == len(first.notes)


@pytest.mark.parametrize("name", ["nh3", "Jinja2", "Pygments"])
def test_an_upgrade_rebuilds_the_site(
    vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    site = tmp_path / "site"
    build(vault_dir, site)
    assert build(vault_dir, site).unchanged
    _upgrade(monkeypatch, name)
    again = build(vault_dir, site)
    assert not again.unchanged
    assert again.why_full is not None and "librar" in again.why_full
