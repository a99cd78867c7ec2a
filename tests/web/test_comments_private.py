"""Obsidian's ``%%comments%%`` are private: no output of kgwiki shows their text, in any form.

The planted vault (``tests/roots/comments``) hides a ``SECRET-…`` word in every construct a
comment can sit in (inline, block with a blank line and a link inside, heading, list item, task,
table cell, callout, changelog row, beside a link, unclosed). Every file of the static build and
every live page and API answer is searched for them; code spans and fences keep their ``%%``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from paths import ROOTS
from starlette.testclient import TestClient

from kgwiki.site import Site
from kgwiki.web.build import build
from kgwiki.web.serve import ServeSettings, create_app

PLANTED = ROOTS / "comments"
SECRET = b"SECRET"


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(PLANTED, tmp_path_factory.mktemp("comments") / "vault"))


def test_the_vault_really_plants_comments() -> None:
    texts = [p.read_bytes() for p in PLANTED.glob("*.md")]
    assert sum(text.count(SECRET) for text in texts) == 13


def test_no_file_of_the_static_site_holds_a_comment(vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(vault, out)
    leaks = [f.relative_to(out).as_posix() for f in out.rglob("*")
             if f.is_file() and SECRET in f.read_bytes()]  # fmt: skip
    assert leaks == []
    page = (out / "n" / "Planted" / "index.html").read_text(encoding="utf-8")
    assert "Visible after the inline comment" in page and "stays" in page
    assert "%%visible-code%%" in page and "%%visible-fence%%" in page
    assert "Last words." in page


@pytest.fixture(scope="module")
def client(vault: Path) -> Iterator[TestClient]:
    site = Site.load(vault)
    app = create_app(ServeSettings(vault=vault, token="t", watch=False), site=site)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
    if site.search is not None:
        site.search.close()


@pytest.mark.parametrize("url", [
    "/", "/n/Planted", "/n/Other", "/n/Planted/", "/n/Other/", "/tags/comments", "/graph/",
    "/changes/", "/wanted/", "/lint/", "/search?q=spans", "/search?q=planted",
    "/api/search?q=spans", "/api/search?q=blank", "/api/search?q=visible", "/api/graph",
    "/api/note?path=Planted.md",
    "/api/preview?path=Planted.md", "/api/backlinks?path=Other.md", "/api/changes",
])  # fmt: skip
def test_no_live_page_or_answer_holds_a_comment(client: TestClient, url: str) -> None:
    response = client.get(url)
    assert response.status_code in (200, 301, 302, 307, 308), url
    assert SECRET not in response.content, url


def test_search_finds_the_text_around_comments_not_in_them(client: TestClient) -> None:
    assert "Planted" in client.get("/api/search?q=visible").text
    for hidden in ("spans", "blank", "thirteen", "eleven"):  # words only comments hold
        assert client.get("/api/search", params={"q": hidden}).json()["hits"] == [], hidden
