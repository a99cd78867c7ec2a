"""The HTTP, Python, TOML and JSON examples in docs/ run: each ``GET`` answers 200 with the
shape the JSON beside it shows, the ``curl`` write creates the note shown under it, the Python
runs on the bundled vault, ``kgwiki.toml`` snippets load, and JSON meant for pasting parses."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from doc_blocks import Block, blocks, loads_lenient, same_shape
from paths import REPO
from starlette.testclient import TestClient

from kgwiki import clock
from kgwiki.config import config_for_vault
from kgwiki.site import Site
from kgwiki.web.serve import ServeSettings, create_app

ALL = blocks()
TOKEN = "docs-example-token"
AUTHORING_DAY = dt.date(2026, 11, 23)
GET_LINE = re.compile(r"^GET (/\S*)$", re.M)


def _next(block: Block, lang: str) -> Block | None:
    """The first block after ``block`` in its file with this language, before another request."""
    later = [b for b in ALL if b.file == block.file and b.line > block.line]
    for candidate in later:
        if candidate.lang == lang:
            return candidate
        if GET_LINE.search(candidate.text) or candidate.text.startswith("curl"):
            return None
    return None


GETS = [(b, m[1]) for b in ALL if b.lang == "" for m in GET_LINE.finditer(b.text)]
CURLS = [b for b in ALL if b.text.lstrip().startswith("curl ")]


@pytest.fixture(scope="module")
def vault_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("docs") / "vault"
    shutil.copytree(REPO / "vault", root, ignore=shutil.ignore_patterns(".kgwiki"))
    return root


@pytest.fixture(scope="module")
def client(vault_copy: Path) -> Iterator[TestClient]:
    site = Site.load(vault_copy)
    app = create_app(ServeSettings(vault=vault_copy, token=TOKEN, watch=False), site=site)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
    if site.search is not None:
        site.search.close()


def test_the_api_docs_have_requests() -> None:
    assert len(GETS) >= 4 and CURLS


@pytest.mark.parametrize("request_", GETS, ids=[f"{b.where}:{u}" for b, u in GETS])
def test_every_documented_request_answers_as_shown(
    request_: tuple[Block, str], client: TestClient
) -> None:
    block, url = request_
    response = client.get(url)
    assert response.status_code == 200, f"{block.where}: GET {url} → {response.status_code}"
    shown = _next(block, "json")
    if shown is not None:
        problems = same_shape(loads_lenient(shown.text), response.json())
        assert not problems, f"{shown.where} (GET {url}): " + "; ".join(problems)


def _curl(text: str) -> tuple[str, str, dict[str, str], str]:
    words = shlex.split(text.replace("\\\n", " ").replace("$KGWIKI_TOKEN", TOKEN))
    method, headers, data, url = "GET", {}, "", ""
    at = 1
    while at < len(words):
        word = words[at]
        if word in ("-X", "-H", "-d"):
            value = words[at + 1]
            if word == "-X":
                method = value
            elif word == "-H":
                name, _, given = value.partition(":")
                headers[name.strip().lower()] = given.strip()
            else:
                data = value
            at += 2
            continue
        url, at = word, at + 1
    return method, re.sub(r"^https?://[^/]+", "", url), headers, data


@pytest.mark.parametrize("block", CURLS, ids=[b.where for b in CURLS])
def test_the_documented_write_creates_the_note_shown(block: Block, client: TestClient,
                                                     vault_copy: Path) -> None:  # fmt: skip
    method, path, headers, data = _curl(block.text)
    with clock.fixed(AUTHORING_DAY):
        response = client.request(method, path, content=data.encode(), headers=headers)
    assert response.status_code == 201, response.text
    written = _next(block, "markdown")
    assert written is not None, f"{block.where}: the note written is shown after the request"
    created = vault_copy / response.json()["path"]
    assert created.read_text(encoding="utf-8") == written.text


PYTHON = [b for b in ALL if b.lang == "python"]


@pytest.mark.parametrize("block", PYTHON, ids=[b.where for b in PYTHON])
def test_python_examples_run_on_the_bundled_vault(
    block: Block, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "vault", tmp_path / "vault", ignore=shutil.ignore_patterns(".kgwiki"))
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "docs_example"}
    exec(compile(block.text, block.where, "exec"), namespace)  # our own docs, on a copy


TOML = [b for b in ALL if b.lang == "toml"]


@pytest.mark.parametrize("block", TOML, ids=[b.where for b in TOML])
def test_config_examples_load(block: Block, tmp_path: Path) -> None:
    shutil.copytree(REPO / "vault", tmp_path / "vault", ignore=shutil.ignore_patterns(".kgwiki"))
    (tmp_path / "vault" / "kgwiki.toml").write_text(block.text, encoding="utf-8")
    config_for_vault(tmp_path / "vault")  # raises ConfigError naming the line when wrong


def test_json_to_paste_is_json() -> None:
    whole = [b for b in ALL if b.lang == "json" and "…" not in b.text]
    assert whole
    for block in whole:
        json.loads(block.text)
