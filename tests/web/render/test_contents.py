""""On this page" lists a note's sections: level-1 sections too, never the page's own title."""

from __future__ import annotations

from pathlib import Path

from kgwiki.note import parse_note
from kgwiki.types import NotePath
from kgwiki.vault import Vault
from kgwiki.web.render.note_page import contents


def _contents(text: str, path: str = "file-name.md") -> list[tuple[int, str]]:
    note = parse_note(NotePath(path), text.encode("utf-8"))
    return [(entry["level"], entry["text"]) for entry in contents(note)]


def test_the_title_heading_is_not_listed_and_sections_indent_from_the_top() -> None:
    assert _contents("# Title\n\n## A\n\n### A.1\n\n## B\n") == [(2, "A"), (3, "A.1"), (2, "B")]
    assert _contents("---\ntitle: Other\n---\n# Title\n\n## A\n") == [(2, "A")]


def test_level_one_sections_after_prose_are_listed() -> None:
    text = "Intro prose.\n\n# First\n\n## First.1\n\n# Second\n\n##### too deep\n"
    assert _contents(text) == [(2, "First"), (3, "First.1"), (2, "Second")]


def test_a_real_note_with_level_one_sections(shared_dir: Path) -> None:
    vault = Vault.load(shared_dir / "corpora" / "silverbullet-docs", use_cache=False)
    listed = [(e["level"], e["text"]) for e in contents(vault.notes[NotePath("TLS.md")])]
    assert listed[0] == (2, "localhost (http)")
    assert (3, "Run SilverBullet locally") in listed and (3, "SSH tunnel") in listed


def test_the_bundled_vault_lists_what_it_did(bundled_vault_dir: Path) -> None:
    """Notes that open with their title and use ## below it: levels 2-4, the title left out."""
    vault = Vault.load(bundled_vault_dir, use_cache=False)
    for note in vault.notes.values():
        before = [(h.level, h.text) for h in note.headings if 2 <= h.level <= 4 and h.slug]
        if not any(h.level == 1 for h in note.headings[1:]):
            assert [(e["level"], e["text"]) for e in contents(note)] == before, note.path
