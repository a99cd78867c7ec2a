"""Agent edits on the authoring layer's TextFile: rows in the table's order, text at the end
of the prose or of a section, line endings kept."""

from __future__ import annotations

import datetime as dt

import pytest

from kgwiki.authoring import EditRefused, TextFile
from kgwiki.mcp.edits import add_row, append_text
from kgwiki.note import parse_note
from kgwiki.types import NotePath

DAY = dt.date(2026, 11, 23)
PATH = NotePath("n.md")


def edited(text: str, edit: str, *args: str) -> str:
    data = text.encode("utf-8")
    file = TextFile.decode(data, PATH)
    note = parse_note(PATH, data, {})
    if edit == "row":
        add_row(file, note, DAY, *args)
    else:
        append_text(file, note, *args)
    return file.encode(PATH).decode("utf-8")


def test_a_row_follows_the_tables_order_and_width() -> None:
    oldest_first = ("# N\n\n## Changelog\n| 날짜 | 변경 | 누가 |\n|---|---|---|\n"
                    "| 2026-01-02 | a | x |\n")
    assert edited(oldest_first, "row", "b|c").endswith(
        "| 2026-01-02 | a | x |\n| 2026-11-23 | b\\|c |  |\n")
    newest_first = "# N\n\n## Changelog\n|d|t|\n|---|---|\n|2026-05-01|b|\n|2026-01-01|a|\n"
    assert "|---|---|\n| 2026-11-23 | new |\n|2026-05-01|b|" in edited(newest_first, "row", "new")


def test_a_note_without_a_changelog_gets_one_with_its_line_endings() -> None:
    text = "---\r\ntitle: N\r\n---\r\n# N\r\n\r\nBody.\r\n"
    # the same section `kgwiki reinforce` makes (authoring.add_changelog_row)
    assert edited(text, "row", "made") == (text + "\r\n## 🕓 Changelog\r\n| 날짜 | 변경 |\r\n"
                                           "|---|---|\r\n| 2026-11-23 | made |\r\n")  # fmt: skip


def test_text_goes_before_the_graph_and_changelog_or_into_a_section() -> None:
    text = "# N\n\n## 핵심\nA.\n\n## 예시\nB.\n\n## 🔗 Graph\n- 부모: [[P]]\n"
    assert "## 예시\nB.\n\nC.\n\n## 🔗 Graph" in edited(text, "text", "C.")
    assert "## 핵심\nA.\n\nC.\n\n## 예시" in edited(text, "text", "C.", "핵심")
    with pytest.raises(EditRefused, match="no section 'Nope'"):
        edited(text, "text", "C.", "Nope")
