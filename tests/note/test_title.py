"""A note's title: its frontmatter ``title``, else the level-1 heading it opens with when that
is its only one, else its file name. A ``# …`` further down is a section (SilverBullet and
Obsidian notes use ``#`` for sections after an opening paragraph), and so is an opening one
followed by more (SilverBullet's ADR pages: ``# Context``, ``# Decision``): not the name."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgwiki.note import parse_note
from kgwiki.types import NotePath
from kgwiki.vault import Vault


@pytest.mark.parametrize(("text", "title"), [
    ("# Opening\n\nText.\n", "Opening"),
    ("\n\n# After blank lines\n", "After blank lines"),
    ("---\ntags: [a]\n---\n# After frontmatter\n", "After frontmatter"),
    ("<!-- a comment -->\n# After an HTML comment\n", "After an HTML comment"),
    ("%%hidden%%\n# After an Obsidian comment\n", "After an Obsidian comment"),
    ("---\ntitle: From frontmatter\n---\n# Heading\n", "From frontmatter"),
    ("Some prose first.\n\n# A section\n", "file-name"),
    ("#tag-line\n\nProse.\n\n# A section\n", "file-name"),
    ("## Books\n\n# Clippings\n", "file-name"),
    ("![[picture.png]]\n\n# Below a picture\n", "file-name"),
    ("Prose only.\n", "file-name"),
    ("# Context\n\nWhy.\n\n# Decision\n\nWhat.\n", "file-name"),
    ("---\ntitle: Named\n---\n# Context\n\n# Decision\n", "Named"),
    ("# Title\n\n## Section\n\n### Deeper\n", "Title"),
])  # fmt: skip
def test_title_is_the_opening_h1_only(text: str, title: str) -> None:
    note = parse_note(NotePath("folder/file-name.md"), text.encode("utf-8"))
    assert note.title == title
    # the later heading is still a heading of the note (contents, anchors)
    assert any(h.level == 1 for h in note.headings) == ("\n# " in "\n" + text)


def test_real_vaults_take_names_not_sections(shared_dir: Path) -> None:
    corpora = shared_dir / "corpora"
    silverbullet = Vault.load(corpora / "silverbullet-docs", use_cache=False)
    # TLS.md opens with a tag line and prose; "# localhost (http)" is its first section
    assert silverbullet.notes[NotePath("TLS.md")].title == "TLS"
    assert silverbullet.notes[NotePath("Space Lua.md")].title == "Space Lua"
    kepano = Vault.load(corpora / "kepano-obsidian", use_cache=False)
    # "## Books", a Bases embed, then "# Clippings": a section, not the person's name
    assert kepano.notes[NotePath("References/Kevin Kelly.md")].title == "Kevin Kelly"
    # every title that is not the file name's is the frontmatter's or the opening heading's
    for vault in (silverbullet, kepano):
        for note in vault.notes.values():
            if note.title != Path(note.path).stem and not note.meta.title:
                first = note.body.lstrip("\n").split("\n", 1)[0]
                assert first.startswith("# ") or first.startswith("<!--") or (
                    first.startswith("%%")), note.path


def test_notes_whose_level_one_headings_are_sections(shared_dir: Path, tmp_path: Path) -> None:
    from build_support import copy_of

    from kgwiki.site import Site
    from kgwiki.web.render import Renderer
    from kgwiki.web.render.note_page import contents
    from kgwiki.web.render.urls import StaticUrls

    site = Site.load(copy_of(shared_dir / "corpora" / "silverbullet-docs", tmp_path),
                     with_search=False, with_duplicates=False)  # fmt: skip
    adr = site.vault.notes[NotePath("ADR/001 Offline-First PWA.md")]
    assert adr.h1_sections and adr.body.lstrip().startswith("# Context")
    assert adr.title == "001 Offline-First PWA"
    # no two notes named by one of their sections: "Context" was the title of a dozen ADRs
    titles = [note.title for note in site.vault.notes.values()]
    assert titles.count("Context") == 0
    # the page shows the name, the sections stay sections and are listed under "On this page"
    page = Renderer(site, StaticUrls()).note(adr.path)
    assert '<h1 class="note-title">001 Offline-First PWA</h1>' in page
    assert [entry["text"] for entry in contents(adr)][:2] == ["Context", "Decision"]
