"""Compiled templates are kept in the vault's cache folder and never fail a page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader

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


def test_an_environment_that_compiles_differently_reads_none_of_it(tmp_path: Path) -> None:
    """The key holds Jinja's version and the settings the code depends on: templates whose
    whitespace is trimmed are not read by an environment that keeps it (nor the reverse)."""
    cache = tmp_path / ".kgwiki"
    cache.mkdir()
    source = "{% if x %}\nA\n{% endif %}\nB"
    (tmp_path / "t.html").write_text(source, encoding="utf-8")
    drawn = []
    for trim in (False, True, False):
        env = Environment(loader=FileSystemLoader(tmp_path), trim_blocks=trim)
        use_template_cache(env, cache)
        drawn.append(env.get_template("t.html").render(x=True))
        plain = Environment(loader=FileSystemLoader(tmp_path), trim_blocks=trim)
        assert drawn[-1] == plain.get_template("t.html").render(x=True)
    assert drawn[0] != drawn[1] and drawn[0] == drawn[2]
    assert len(list((cache / FOLDER).iterdir())) == 2  # one compiled version each
