"""A table cell holding only a date is marked, so the page keeps it on one line."""

from __future__ import annotations

from pathlib import Path

from kgwiki.markdown.parser import MD


def test_date_cells_get_the_date_class_and_keep_their_alignment() -> None:
    html = MD.render("| Date | Change |\n|:-:|---|\n| 2026-05-12 | 2026-01-01 and more |\n"
                     "| soon | x |\n")  # fmt: skip
    assert '<td style="text-align:center" class="date">2026-05-12</td>' in html
    assert "<td>2026-01-01 and more</td>" in html
    assert '<td style="text-align:center">soon</td>' in html
    assert "<th" in html and 'th class="date"' not in html


def test_the_bundled_changelogs_dates_are_marked(bundled_vault_dir: Path) -> None:
    text = (bundled_vault_dir / "10_Wiki/Topics/consistency-models.md").read_text("utf-8")
    html = MD.render(text)
    dates = html.count('class="date"')
    assert dates >= 3
    assert dates == sum(1 for line in text.splitlines() if line.startswith("| 20"))
