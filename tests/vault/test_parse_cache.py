"""The parse cache gives back, on real vaults, exactly the notes a fresh parse makes."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from pathlib import Path

import pytest

from kgwiki.config import config_for_vault
from kgwiki.note import FIELDS, CachedNote, Note, PendingTexts
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
    if isinstance(value, Note):  # a CachedNote is a Note whose body and text are read later
        return Note, [(name, _types(getattr(value, name))) for name in FIELDS]
    slots = getattr(type(value), "__slots__", None)
    if slots is not None and not isinstance(value, str | int | float):
        return type(value), [(name, _types(getattr(value, name))) for name in slots]
    return type(value)


def _assert_same(cached: dict[str, Note], fresh: dict[str, Note]) -> None:
    assert list(cached) == list(fresh)
    for path, note in fresh.items():
        assert type(cached[path]) is CachedNote and type(note) is Note
        assert cached[path] == note and note == cached[path], path
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


def test_bodies_and_texts_are_decoded_when_first_read_a_bucket_at_a_time(
    bundled_vault_dir: Path, tmp_path: Path
) -> None:
    """Reading the cache back leaves every note's body and text as the bytes they were
    stored as, until one note of the bucket is asked for either."""
    root = _copy(bundled_vault_dir, tmp_path)
    fresh = Vault.load(root, use_cache=False, jobs=1).notes
    Vault.load(root)
    cached = Vault.load(root).notes
    pending = {path: Note.__dict__["text"].__get__(note, Note) for path, note in cached.items()}
    assert all(isinstance(value, PendingTexts) for value in pending.values())
    first = next(iter(cached))
    assert not any(value.decoded for value in pending.values())
    assert cached[first].text == fresh[first].text
    decoded = {p for p in cached if pending[p].decoded}
    assert decoded == {p for p in cached if pending[p] is pending[first]}  # its bucket's
    assert len(decoded) < len(cached)
    for path, note in fresh.items():
        assert (cached[path].body, cached[path].text) == (note.body, note.text), path


def test_a_cached_note_crosses_processes_and_changes_as_a_plain_note(
    bundled_vault_dir: Path, tmp_path: Path
) -> None:
    root = _copy(bundled_vault_dir, tmp_path)
    Vault.load(root)
    note = next(n for n in Vault.load(root).notes.values() if n.body)
    assert isinstance(note, CachedNote)
    copied = pickle.loads(pickle.dumps(note))
    assert type(copied) is Note and copied == note and copied.body == note.body
    changed = dataclasses.replace(note, body="replaced")
    assert changed.body == "replaced" and changed.text == note.text
    assert changed != note


def test_notes_read_before_their_bucket_was_rewritten_keep_their_own_text(
    bundled_vault_dir: Path, tmp_path: Path
) -> None:
    """The stored texts are read with the notes, never later from a file another load may
    have rewritten meanwhile."""
    root = _copy(bundled_vault_dir, tmp_path)
    Vault.load(root)
    before = Vault.load(root)
    path = next(p for p, n in before.notes.items() if "Kubernetes" in (root / p).read_text())
    original = (root / path).read_text(encoding="utf-8")
    (root / path).write_text(original.replace("Kubernetes", "K8s"), encoding="utf-8")
    after = Vault.load(root)  # rewrites the note's bucket
    assert "K8s" in after.notes[path].body
    assert before.notes[path].body == Vault.load(root, use_cache=False).notes[path].body.replace(
        "K8s", "Kubernetes")  # fmt: skip
