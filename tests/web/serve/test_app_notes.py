"""Adding notes: the write token, the login cookie, CSRF, title checks, atomic writes."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import LiveUrls
from kgwiki.web.serve import ServeSettings, create_app

TOKEN = "the-right-write-token"
ORIGIN = {"origin": "http://testserver"}


@pytest.fixture()
def vault(tmp_path: Path, bundled_vault_dir: Path) -> Path:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    return root


@pytest.fixture()
def client(vault: Path) -> Iterator[TestClient]:
    site = Site.load(vault)
    app = create_app(ServeSettings(vault=vault, token=TOKEN, watch=False), site=site)
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client
    if site.search is not None:
        site.search.close()


@pytest.fixture(scope="module")
def refusing(tmp_path_factory: pytest.TempPathFactory,
             bundled_vault_dir: Path) -> Iterator[tuple[Path, TestClient]]:  # fmt: skip
    """One server for the tests where every write must be refused (so nothing changes)."""
    root = tmp_path_factory.mktemp("refusing") / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    site = Site.load(root)
    app = create_app(ServeSettings(vault=root, token=TOKEN, watch=False), site=site)
    with TestClient(app, follow_redirects=False) as test_client:
        yield root, test_client
    if site.search is not None:
        site.search.close()


def _notes(vault: Path) -> set[Path]:
    return {p for p in vault.rglob("*.md") if ".kgwiki" not in p.parts}


def _post(client: TestClient, data: object, **headers: str) -> tuple[int, dict[str, object]]:
    response = client.post("/api/notes", json=data, headers=headers)
    return response.status_code, response.json()


NOTE = {"title": "Chaos Engineering", "tags": ["resilience", "#testing"], "trust": "B",
        "body": "카오스 엔지니어링은 장애를 일부러 주입한다. See [[Kubernetes]]."}  # fmt: skip


def test_missing_token_is_401(refusing: tuple[Path, TestClient]) -> None:
    vault, client = refusing
    before = _notes(vault)
    response = client.post("/api/notes", json=NOTE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert _notes(vault) == before


@pytest.mark.parametrize("header", [{"authorization": "Bearer wrong"},
                                    {"x-kgwiki-token": "the-right-write-tokeN"},
                                    {"authorization": f"Basic {TOKEN}"}])  # fmt: skip
def test_wrong_token_is_refused(refusing: tuple[Path, TestClient], header: dict[str, str]) -> None:
    vault, client = refusing
    before = _notes(vault)
    status, _ = _post(client, NOTE, **header)
    assert status in (401, 403)
    assert _notes(vault) == before


def test_right_token_writes_the_note_and_search_finds_it(client: TestClient, vault: Path) -> None:
    before = _notes(vault)
    status, data = _post(client, NOTE, authorization=f"Bearer {TOKEN}")
    assert status == 201
    path = str(data["path"])
    assert data["url"] == LiveUrls().note(NotePath(path))
    assert _notes(vault) - before == {vault / path}
    text = (vault / path).read_text(encoding="utf-8")
    assert "title: Chaos Engineering\n" in text
    assert "source_trust_level: B\n" in text
    assert "resilience" in text and "testing" in text
    assert "카오스 엔지니어링은" in text
    assert not [p for p in vault.rglob("*.tmp")], "written atomically: no temp file left"
    for query in ("카오스", "chaos engineering"):
        hits = client.get("/api/search", params={"q": query}).json()["hits"]
        assert path in [h["path"] for h in hits], query
    assert client.get(str(data["url"])).status_code == 200
    backlinks = client.get("/api/backlinks", params={"path": "10_Wiki/Topics/kubernetes.md"})
    assert path in [b["source"] for b in backlinks.json()]


def test_the_token_header_works_too(client: TestClient) -> None:
    status, _ = _post(client, {"title": "Header Note"}, **{"x-kgwiki-token": TOKEN})
    assert status == 201


@pytest.mark.parametrize("title", ["Server Architecture", "서버 아키텍처", "server-architecture",
                                   "KUBERNETES"])  # fmt: skip
def test_existing_names_are_409_with_the_existing_note(refusing: tuple[Path, TestClient],
                                                       title: str) -> None:  # fmt: skip
    _, client = refusing
    status, data = _post(client, {"title": title, "body": "x"}, authorization=f"Bearer {TOKEN}")
    assert status == 409
    assert str(data["url"]).startswith("/n/10_Wiki/Topics/")


BAD_TITLES = ["../escape", "../../etc/evil", "/tmp/abs", "a\0b", "CON", "aux.txt", "what:ever",
              "x/y", "..", "", "  ", "back\\slash"]  # fmt: skip
BAD_PAYLOADS = [[1, 2], "text", {"title": 3}, {"title": "t", "tags": ["a b"]},
                {"title": "t", "trust": "Z"}, {"title": "t", "tags": [1]}]  # fmt: skip


@pytest.mark.parametrize("title", BAD_TITLES)
def test_titles_that_would_escape_or_are_invalid_are_400(refusing: tuple[Path, TestClient],
                                                         title: str) -> None:  # fmt: skip
    vault, client = refusing
    before = {p for p in vault.parent.rglob("*")}
    status, data = _post(client, {"title": title}, authorization=f"Bearer {TOKEN}")
    assert status == 400
    assert data["error"]
    assert {p for p in vault.parent.rglob("*") if ".kgwiki" not in p.parts} <= before


@pytest.mark.parametrize("payload", BAD_PAYLOADS)
def test_bad_payloads_are_400(refusing: tuple[Path, TestClient], payload: object) -> None:
    _, client = refusing
    status, _ = _post(client, payload, authorization=f"Bearer {TOKEN}")
    assert status == 400


def test_a_cross_origin_api_write_is_refused(refusing: tuple[Path, TestClient]) -> None:
    vault, client = refusing
    before = _notes(vault)
    status, _ = _post(client, NOTE, authorization=f"Bearer {TOKEN}", origin="http://evil.example")
    assert status == 403
    assert _notes(vault) == before


# -- the HTML form: login cookie and CSRF ------------------------------------------------


def _login(client: TestClient) -> str:
    response = client.get("/", params={"token": TOKEN})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    form = client.get("/new/")
    match = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert match, "a logged-in form carries a CSRF token"
    return match.group(1)


def test_a_wrong_login_token_is_403_and_sets_no_cookie(client: TestClient) -> None:
    response = client.get("/", params={"token": "nope"})
    assert response.status_code == 403
    assert "set-cookie" not in response.headers
    assert _title(response.text).startswith("Forbidden"), "titled as its status, not Not found"
    assert "<h1>Forbidden</h1>" in response.text and "Not found" not in response.text
    missing = client.get("/n/no/such/note/")
    assert missing.status_code == 404 and _title(missing.text).startswith("Not found")


def test_the_form_creates_a_note_and_redirects_to_it(client: TestClient, vault: Path) -> None:
    csrf = _login(client)
    form = {"title": "Form Note", "tags": "forms, web", "trust": "C", "body": "From the form.",
            "csrf": csrf}  # fmt: skip
    before = _notes(vault)
    response = client.post("/new/", data=form, headers=ORIGIN)
    assert response.status_code == 303
    (created,) = _notes(vault) - before
    path = NotePath(created.relative_to(vault).as_posix())
    assert response.headers["location"] == LiveUrls().note(path)
    assert "From the form." in created.read_text(encoding="utf-8")
    assert "Form Note" in client.get(response.headers["location"]).text
    again = client.post("/new/", data=form, headers=ORIGIN)
    assert again.status_code == 409
    assert response.headers["location"] in again.text, "the error points to the existing note"


def test_the_form_without_csrf_is_403(client: TestClient, vault: Path) -> None:
    _login(client)
    before = _notes(vault)
    response = client.post("/new/", data={"title": "No Csrf"}, headers=ORIGIN)
    assert response.status_code == 403
    assert _notes(vault) == before


def test_the_form_from_another_origin_is_403(client: TestClient, vault: Path) -> None:
    csrf = _login(client)
    before = _notes(vault)
    for headers in ({"origin": "http://evil.example"}, {"referer": "http://evil.example/x"}, {}):
        response = client.post("/new/", data={"title": "Evil", "csrf": csrf}, headers=headers)
        assert response.status_code == 403, headers
    assert _notes(vault) == before


def test_the_form_needs_the_login_cookie(client: TestClient, vault: Path) -> None:
    csrf = _login(client)
    before = _notes(vault)
    client.cookies.clear()
    response = client.post("/new/", data={"title": "No Cookie", "csrf": csrf}, headers=ORIGIN)
    assert response.status_code == 403
    assert _notes(vault) == before
    assert "token" in client.get("/new").text, "the logged-out form says how to log in"


def test_a_csrf_token_of_another_session_is_refused(client: TestClient, vault: Path) -> None:
    first = _login(client)
    _login(client)  # a new session cookie replaces the first
    before = _notes(vault)
    response = client.post("/new/", data={"title": "Stale", "csrf": first}, headers=ORIGIN)
    assert response.status_code == 403
    assert _notes(vault) == before


def _title(html: str) -> str:
    match = re.search(r"<title>([^<]*)</title>", html)
    assert match
    return match.group(1)


def test_the_logged_out_form_is_disabled_under_a_sign_in_hint(
    refusing: tuple[Path, TestClient]
) -> None:
    _, client = refusing
    client.cookies.clear()
    response = client.get("/new/")
    assert response.status_code == 200
    assert _title(response.text).startswith("New note")
    main = response.text[response.text.index("<main"):response.text.index("</main>")]
    assert "<fieldset disabled>" in main, "nothing can be typed or sent before signing in"
    assert 'class="banner notice sign-in-hint"' in main and "?token=" in main
    assert 'name="csrf" value=""' in main
    assert 'role="alert"' not in main, "not signing in yet is not an error"


def test_the_logged_in_form_is_enabled(client: TestClient) -> None:
    _login(client)
    main = client.get("/new/").text
    assert "<fieldset>" in main and "<fieldset disabled>" not in main
    assert "sign-in-hint" not in main
    assert _title(main).startswith("New note")


def test_refused_form_pages_are_titled_forbidden(client: TestClient, vault: Path) -> None:
    before = _notes(vault)
    typed = {"title": "Kept Title", "body": "kept body text"}
    logged_out = client.post("/new/", data={**typed, "csrf": "x"}, headers=ORIGIN)
    csrf = _login(client)
    foreign = client.post("/new/", data={**typed, "csrf": csrf},
                          headers={"origin": "http://evil.example"})  # fmt: skip
    expired = client.post("/new/", data={**typed, "csrf": "stale"}, headers=ORIGIN)
    for response in (logged_out, foreign, expired):
        assert response.status_code == 403
        assert _title(response.text).startswith("Forbidden")
        assert "<h1>Forbidden: the note was not added</h1>" in response.text
        assert 'role="alert"' in response.text
        assert "kept body text" in response.text, "what was typed is shown again"
    assert "not signed in" in logged_out.text and "<fieldset disabled>" in logged_out.text
    assert "<fieldset disabled>" not in expired.text, "signed in: send it again"
    assert _notes(vault) == before


def test_the_form_takes_a_parent_folder_and_aliases_like_the_cli(
    client: TestClient, vault: Path
) -> None:
    csrf = _login(client)
    page = client.get("/new/").text
    for name in ("parent", "folder", "aliases"):
        assert f'name="{name}"' in page
    assert "10_Wiki/Topics" in page, "the folder field says where a note goes by default"
    form = {"title": "Chaos Drills", "aliases": "장애 훈련, Game Day", "tags": "resilience",
            "parent": "Kubernetes", "folder": "", "body": "Practice failure.", "csrf": csrf}
    response = client.post("/new/", data=form, headers=ORIGIN)
    assert response.status_code == 303
    created = vault / "10_Wiki/Topics/chaos-drills.md"  # the parent's folder
    text = created.read_text(encoding="utf-8")
    assert "aliases: [장애 훈련, Game Day]" in text
    assert "- 부모: [[Kubernetes]]" in text
    elsewhere = {**form, "title": "Drill Log", "aliases": "", "parent": "", "folder": "30_Inbox"}
    assert client.post("/new/", data=elsewhere, headers=ORIGIN).status_code == 303
    assert (vault / "30_Inbox/drill-log.md").is_file()
    search = client.get("/api/search", params={"q": "장애 훈련"}).json()
    assert search["hits"][0]["path"] == "10_Wiki/Topics/chaos-drills.md"


def test_a_parent_that_is_not_a_note_is_400_and_nothing_is_written(
    client: TestClient, vault: Path
) -> None:
    csrf = _login(client)
    before = _notes(vault)
    form = {"title": "Orphan Child", "parent": "No Such Parent Note", "csrf": csrf}
    response = client.post("/new/", data=form, headers=ORIGIN)
    assert response.status_code == 400
    assert "No Such Parent Note" in response.text and 'role="alert"' in response.text
    outside = client.post("/new/", data={**form, "parent": "", "folder": "../outside"},
                          headers=ORIGIN)  # fmt: skip
    assert outside.status_code == 400
    assert _notes(vault) == before
    assert not (vault.parent / "outside").exists()


def test_a_taken_title_links_the_existing_note(client: TestClient) -> None:
    csrf = _login(client)
    response = client.post("/new/", data={"title": "Kubernetes", "csrf": csrf}, headers=ORIGIN)
    assert response.status_code == 409
    alert = re.search(r'<p class="banner error" role="alert">(.*?)</p>', response.text, re.S)
    assert alert
    link = re.search(r'<a href="([^"]+)">([^<]+)</a>', alert.group(1))
    assert link, "the existing note is a link, not a URL in the text"
    assert link.group(2) == "10_Wiki/Topics/kubernetes.md"
    assert client.get(link.group(1)).status_code == 200


def test_the_api_takes_parent_folder_and_aliases(client: TestClient, vault: Path) -> None:
    status, body = _post(client, {"title": "Api Child", "parent": "Kubernetes",
                                  "aliases": ["API 자식"], "folder": ""},
                         authorization=f"Bearer {TOKEN}")  # fmt: skip
    assert status == 201 and body["path"] == "10_Wiki/Topics/api-child.md"
    assert "[[Kubernetes]]" in (vault / str(body["path"])).read_text(encoding="utf-8")
    status, body = _post(client, {"title": "Api Bad", "aliases": "not a list"},
                         authorization=f"Bearer {TOKEN}")  # fmt: skip
    assert status == 201, "a comma-separated string is taken as the form takes it"
    status, body = _post(client, {"title": "Api Worse", "parent": 3},
                         authorization=f"Bearer {TOKEN}")  # fmt: skip
    assert status == 400
