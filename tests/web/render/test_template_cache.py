"""Compiled templates are kept in the vault's cache folder and never fail a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment

from kgwiki.web.render import environment
from kgwiki.web.render.template_cache import FOLDER, use_template_cache

FIELDS = {"title": "Café <&>", "alias": "cafe", "target": "../n/cafe/", "canonical": "../n/cafe/"}


def _fresh() -> Environment:
    """An environment configured as kgwiki's, with nothing loaded yet."""
    return environment.__wrapped__()


def _load_all(env: Environment) -> None:
    for name in env.list_templates():
        env.get_template(name)


def _no_compiling(env: Environment, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("compiled although the cache holds the template")

    monkeypatch.setattr(env, "compile", refuse)


def test_a_second_process_loads_what_the_first_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / ".kgwiki"
    cache.mkdir()
    first = _fresh()
    use_template_cache(first, cache)
    _load_all(first)
    kept = sorted((cache / FOLDER).iterdir())
    assert len(kept) == len(first.list_templates())

    second = _fresh()
    use_template_cache(second, cache)
    _no_compiling(second, monkeypatch)
    page = second.get_template("redirect.html").render(**FIELDS)
    assert page == _fresh().get_template("redirect.html").render(**FIELDS)
    assert "Café &lt;&amp;&gt;" in page  # still autoescaped


def test_damaged_files_are_compiled_again_and_replaced(tmp_path: Path) -> None:
    cache = tmp_path / ".kgwiki"
    cache.mkdir()
    first = _fresh()
    use_template_cache(first, cache)
    _load_all(first)
    good = {file.name: file.read_bytes() for file in (cache / FOLDER).iterdir()}
    for file in (cache / FOLDER).iterdir():
        file.write_bytes(file.read_bytes()[:40])  # cut short: past the magic, mid-checksum

    second = _fresh()
    use_template_cache(second, cache)
    page = second.get_template("redirect.html").render(**FIELDS)
    assert page == _fresh().get_template("redirect.html").render(**FIELDS)
    _load_all(second)
    assert {file.name: file.read_bytes() for file in (cache / FOLDER).iterdir()} == good


def test_a_vault_without_a_cache_folder_gets_none(tmp_path: Path) -> None:
    env = _fresh()
    use_template_cache(env, tmp_path / ".kgwiki")
    assert env.get_template("redirect.html").render(**FIELDS)
    assert list(tmp_path.iterdir()) == []


def test_the_first_folder_given_is_kept(tmp_path: Path) -> None:
    env = _fresh()
    use_template_cache(env, tmp_path / "one")
    use_template_cache(env, tmp_path / "two")
    assert env.bytecode_cache is not None
    assert env.bytecode_cache.directory == str(tmp_path / "one" / FOLDER)  # type: ignore[attr-defined]
