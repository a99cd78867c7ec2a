"""The parse cache gives back, on real vaults, exactly the notes a fresh parse makes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgwiki.config import config_for_vault
from kgwiki.note import Note
from kgwiki.vault import Vault, parse_cache


def _copy(source: Path, tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(source, root, ignore=shutil.ignore_patterns(".kgwiki"))
    return root


def _types(value: object) -> object:
    """Every value's exact type, all the way down (``==`` takes 1 for True, a str for a
    StrEnum member and a list for a tuple of equal items)."""
    if isinstance(value, tuple | list):
        return type(value), [_types(item) for item in value]
    if isinstance(value, dict):
        return type(value), [(_types(k), _types(v)) for k, v in value.items()]
    slots = getattr(type(value), "__slots__", None)
    if slots is not None and not isinstance(value, str | int | float):
        return type(value), [(name, _types(getattr(value, name))) for name in slots]
    return type(value)


def _assert_same(cached: dict[str, Note], fresh: dict[str, Note]) -> None:
    assert list(cached) == list(fresh)
    for path, note in fresh.items():
        assert cached[path] == note, path
        assert _types(cached[path]) == _types(note), path


@pytest.mark.parametrize("name", ["kepano-obsidian", "silverbullet-docs", "foam-docs"])
def test_cached_notes_equal_a_fresh_parse_on_corpora(shared_dir: Path, tmp_path: Path,
                                                     name: str) -> None:  # fmt: skip
    root = _copy(shared_dir / "corpora" / name, tmp_path)
    fresh = Vault.load(root, use_cache=False, jobs=1).notes
    Vault.load(root)  # writes the cache
    cached = Vault.load(root)
    assert not cached._dirty, "every note came from the cache"
    assert any(n.links for n in fresh.values()) and any(n.headings for n in fresh.values())
    _assert_same(cached.notes, fresh)


def test_cached_notes_equal_a_fresh_parse_on_the_bundled_vault(
    bundled_vault_dir: Path, tmp_path: Path
) -> None:
    root = _copy(bundled_vault_dir, tmp_path)
    fresh = Vault.load(root, use_cache=False, jobs=1).notes
    Vault.load(root)
    cached = Vault.load(root).notes
    notes = list(fresh.values())
    assert any(n.changelog for n in notes) and any(n.meta.raw for n in notes)
    assert any(link.target.headings or link.target.block for n in notes for link in n.links)
    _assert_same(cached, fresh)


def test_a_cache_in_another_format_is_parsed_again(
    bundled_vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Buckets written in another layout are stale: never read as notes, written again."""
    root = _copy(bundled_vault_dir, tmp_path)
    folder = root / ".kgwiki" / parse_cache.FOLDER
    version = parse_cache.cache_version(config_for_vault(root))
    monkeypatch.setattr(parse_cache, "FORMAT", parse_cache.FORMAT - 1)
    Vault.load(root)
    monkeypatch.undo()
    entries, dirty = parse_cache.read_buckets(folder, version)
    assert not entries and dirty == set(range(parse_cache.BUCKETS))
    reloaded = Vault.load(root)
    assert reloaded.notes == Vault.load(root, use_cache=False).notes
    entries, dirty = parse_cache.read_buckets(folder, version)
    assert len(entries) == len(reloaded.notes) and not dirty
