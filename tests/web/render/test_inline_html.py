"""Changelog rows read as text in lists of changes: their Markdown drawn, never shown raw."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from build_support import copy_of

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import Renderer
from kgwiki.web.render.inline_html import change_html, message_html
from kgwiki.web.render.urls import StaticUrls

_TAG = re.compile(r"<[^>]*>")


@pytest.fixture(scope="module")
def bundled_site(bundled_vault_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Site:
    copy = copy_of(bundled_vault_dir, tmp_path_factory.mktemp("bundled"))
    return Site.load(copy, with_search=False, with_duplicates=False)


def test_the_recent_changes_page_draws_code_in_a_row(bundled_site: Site) -> None:
    page = Renderer(bundled_site, StaticUrls()).changes()
    assert "block id <code>^relay</code> 부여" in page
    assert "`^relay`" not in page


def test_a_front_page_without_an_index_note_lists_changes_without_marks(
    bundled_vault_dir: Path, tmp_path: Path
) -> None:
    copy = copy_of(bundled_vault_dir, tmp_path)
    (copy / "index.md").unlink()  # the front page then lists the recent changes itself
    site = Site.load(copy, with_search=False, with_duplicates=False)
    assert site.index_note() is None
    page = Renderer(site, StaticUrls()).home()
    rows = re.findall(r'<span class="change-text">(.*?)</span></li>', page, re.S)
    assert len(rows) == 12
    for row in rows:
        assert "`" not in row and "[[" not in row and "**" not in row


def test_every_row_of_the_bundled_vault_keeps_its_words(bundled_site: Site) -> None:
    changes = bundled_site.changes(None)
    assert len(changes) > 50
    for change in changes:
        drawn = html.unescape(_TAG.sub("", change_html(change.text)))
        # the row's words survive; only the marks around code go
        assert drawn == change.text.replace("`", "").strip(), change.path


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("plain words & <b>bold</b>", "plain words &amp; bold"),
        ("*em* and **strong** and ==mark== and ~~gone~~",
         "<em>em</em> and <strong>strong</strong> and <mark>mark</mark> and <s>gone</s>"),
        ("moved to [[Other note|the other note]] and [[Plain]]",
         "moved to the other note and Plain"),
        ("see [the docs](https://example.org) #tag", "see the docs #tag"),
        ("line<br>break", "linebreak"),
        ("`<script>alert(1)</script>`", "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>"),
        ('<img src=x onerror="alert(1)"> safe', "safe"),
        ("a < b and c > d", "a &lt; b and c &gt; d"),
    ],
)
def test_a_row_is_drawn_from_a_closed_set_of_tags(row: str, expected: str) -> None:
    assert str(change_html(row)) == expected


def test_a_notes_history_draws_its_rows(bundled_site: Site) -> None:
    from kgwiki.changelog import Commit
    from kgwiki.web.render.note_page import with_history

    path = NotePath("10_Wiki/Patterns/outbox-pattern.md")
    when = dt.datetime.combine(bundled_site.changes(None)[0].date, dt.time(), dt.UTC)
    commit = Commit("0" * 40, when, "someone", "a commit", path)
    context = with_history(bundled_site, {}, path, [commit])
    texts = [str(row["text"]) for row in context["history"]]
    assert any("<code>^relay</code>" in text for text in texts)
    assert not any("`" in text for text in texts)


def test_the_lint_page_draws_commands_in_messages_as_code(bundled_site: Site) -> None:
    found = [d for d in bundled_site.diagnostics() if "`" in d.message]
    assert found, "the bundled vault has a flattened note, whose finding names a command"
    page = Renderer(bundled_site, StaticUrls()).lint()
    assert "<code>kgwiki lint --fix</code> restores the line breaks" in page
    for item in re.findall(r'<li class="sev-[^"]*">(.*?)</li>', page, re.S):
        assert "`" not in _TAG.sub("", item)


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("run `kgwiki lint --fix` now", "run <code>kgwiki lint --fix</code> now"),
        ("title *not emphasis* <b>", "title *not emphasis* &lt;b&gt;"),
        ("`<script>` and `a` `b`", "<code>&lt;script&gt;</code> and <code>a</code> <code>b</code>"),
        ("one ` alone", "one ` alone"),
    ],
)
def test_a_message_shows_only_its_backticked_parts_as_code(message: str, expected: str) -> None:
    assert str(message_html(message)) == expected
