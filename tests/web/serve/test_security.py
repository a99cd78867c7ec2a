"""kgwiki.web.serve.security: tokens, sessions, CSRF, origins, request paths and titles."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from kgwiki.web.serve import security

TOKEN = "s3cret-token"


def test_generated_tokens_are_long_and_different() -> None:
    a, b = security.generate_token(), security.generate_token()
    assert a != b
    assert len(a) >= 32


@pytest.mark.parametrize(
    ("given", "expected"),
    [("abc", "abc"), ("ABC", "abc"), (None, "abc"), ("", "abc"), ("abc", ""), ("토큰", "토큰x")],
)
def test_same_secret(given: str | None, expected: str) -> None:
    assert security.same_secret(given, expected) is (given == expected and bool(expected))


def test_a_session_made_with_the_token_validates_and_a_forged_one_does_not() -> None:
    cookie = security.new_session(TOKEN)
    assert security.session_valid(cookie, TOKEN)
    assert not security.session_valid(cookie, "other-token")
    nonce, _, mac = cookie.partition(".")
    assert not security.session_valid(f"{nonce}x.{mac}", TOKEN)
    assert not security.session_valid(nonce, TOKEN)
    assert not security.session_valid(None, TOKEN)


def test_csrf_token_is_tied_to_its_session() -> None:
    one, two = security.new_session(TOKEN), security.new_session(TOKEN)
    csrf = security.csrf_token(one, TOKEN)
    assert security.csrf_valid(csrf, one, TOKEN)
    assert not security.csrf_valid(csrf, two, TOKEN)
    assert not security.csrf_valid(None, one, TOKEN)
    assert not security.csrf_valid(csrf, None, TOKEN)
    assert not security.csrf_valid(csrf, "forged.cookie", TOKEN)


@pytest.mark.parametrize(
    ("origin", "referer", "ok"),
    [
        ("http://127.0.0.1:8000", None, True),
        ("http://127.0.0.1:8000", "http://evil.example/", True),
        ("http://evil.example", None, False),
        ("https://127.0.0.1:8000", None, False),
        ("http://127.0.0.1:8001", None, False),
        ("null", "http://127.0.0.1:8000/new/", True),
        (None, "http://127.0.0.1:8000/new/", True),
        (None, "http://127.0.0.1:8000.evil.example/new/", False),
        (None, None, False),
        ("null", None, False),
    ],
)
def test_same_origin(origin: str | None, referer: str | None, ok: bool) -> None:
    assert security.same_origin(origin, referer, "http", "127.0.0.1:8000") is ok


@pytest.mark.parametrize(
    "path",
    ["/n/../../etc/passwd", "/files/..%2f..%2fetc%2fpasswd", "/static/%2e%2e/x",
     "/static/%252e%252e/x", "/n/a%5c..%5cb/", "/n/a%00b/", "/./x", "/a/..", "/files/%2E%2E/x"],
)  # fmt: skip
def test_request_paths_with_traversal_are_unsafe(path: str) -> None:
    assert security.request_path_unsafe(path)


@pytest.mark.parametrize(
    "path", ["/", "/n/a/b%20c/", "/n/아키텍처/", "/static/site.css", "/n/a..b/"]
)
def test_ordinary_request_paths_are_safe(path: str) -> None:
    assert not security.request_path_unsafe(path)


@pytest.mark.parametrize(
    "raw",
    ["", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "C:/x", "c:x", "a\\b", "a\0b",
     ".kgwiki/notes/00.pickle", "a/.git/config", "%2e%2e/x", "%252e%252e%252fx"],
)  # fmt: skip
def test_safe_relative_refuses(raw: str) -> None:
    with pytest.raises(security.UnsafePath):
        security.safe_relative(raw)


def test_safe_relative_keeps_ordinary_paths() -> None:
    assert security.safe_relative("assets/diagram%20one.png") == PurePosixPath(
        "assets/diagram one.png"
    )
    assert security.safe_relative("a..b/c") == PurePosixPath("a..b/c")


def test_contained_refuses_a_symlink_out_of_the_root(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "inside.txt").write_text("ok", encoding="utf-8")
    (root / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert security.contained(root, PurePosixPath("inside.txt")) == (root / "inside.txt").resolve()
    with pytest.raises(security.UnsafePath):
        security.contained(root, PurePosixPath("link.txt"))
