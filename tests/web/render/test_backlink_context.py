"""A backlink's line of context reads as text: no Markdown marks, links as their words."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgwiki.site import Site
from kgwiki.web.render import Renderer
from kgwiki.web.render.backlink_text import context_text
from kgwiki.web.render.urls import StaticUrls


@pytest.mark.parametrize(("line", "shown"), [
    ("- See [[Outbox Pattern]] and [[Outbox Pattern#^relay]].",
     "See Outbox Pattern and Outbox Pattern > ^relay."),
    ("> **Bold**, _italic_ and a snake_case_word", "Bold, italic and a snake_case_word"),
    ('1. [text](https://example.org/a "t") then `code`, ==marked==, ~~struck~~',
     "text then code, marked, struck"),
    ("- [x] done: [[A|the label]]", "done: the label"),
    ("a * b * c, *em*", "a * b * c, em"),
    ("categories: [[People]]", "categories: People"),
    ("| [[Templates]] | `templates` |", "Templates · templates"),
    (r"| [[a\|b]] | x \| y |", "b · x | y"),
])  # fmt: skip
def test_lines_read_as_text(line: str, shown: str) -> None:
    assert context_text(line) == shown


@pytest.mark.parametrize("name", ["silverbullet-docs", "foam-docs", "kepano-obsidian", "bundled"])
def test_no_markdown_in_the_contexts_of_a_real_vault(
    shared_dir: Path, bundled_vault_dir: Path, tmp_path: Path, name: str
) -> None:
    import shutil

    source = bundled_vault_dir if name == "bundled" else shared_dir / "corpora" / name
    vault = Path(shutil.copytree(source, tmp_path / "v", ignore=shutil.ignore_patterns(".kgwiki")))
    site = Site.load(vault, with_search=False, with_duplicates=False)
    renderer = Renderer(site, StaticUrls())
    seen = 0
    for path in site.vault.notes:
        for group in renderer.note_context(path)["backlinks"]["notes"]:
            for row in group["lines"]:
                seen += 1
                text = row["context"]
                assert "[[" not in text and "](" not in text and "**" not in text, text
                assert not text.startswith("|"), text  # a table row shows its cells
    assert seen > 50


def test_a_line_cut_inside_a_link_shows_its_words() -> None:
    assert context_text("so Node is [[ADR/009 Client Build Toolchain|its") == "so Node is its"
    assert context_text("see [[Some Note") == "see Some Note"
    assert context_text("the [[Architecture/Server]") == "the Architecture/Server"
    assert context_text("read [the guide](https://exa") == "read the guide"
