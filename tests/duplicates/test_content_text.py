"""A note's prose is remembered per note, and never outlives the text it was made of."""

from __future__ import annotations

from kgwiki.duplicates import content_text
from kgwiki.duplicates.text import _content_text
from kgwiki.note import parse_note
from kgwiki.types import NotePath

FIRST = """# Caching

Caches keep answers close.

## Graph
- Parent: [[Storage]]

## Notes
Evict the least recently used entry.
"""


def test_the_prose_follows_the_note_at_a_path() -> None:
    path = NotePath("memo/caching.md")
    first = parse_note(path, FIRST.encode())
    prose = content_text(first)
    assert "Caches keep answers close." in prose and "Parent" not in prose
    assert content_text(first) == prose == _content_text(first.text, first.headings)
    edited = parse_note(path, FIRST.replace("close", "near").encode())
    assert "Caches keep answers near." in content_text(edited)
    renamed = parse_note(path, FIRST.replace("## Notes", "## Changelog").encode())
    assert "Evict" not in content_text(renamed)
    assert content_text(first) == prose  # an older version of the note again: its own prose
    same = parse_note(NotePath("memo/copy.md"), FIRST.encode())
    assert content_text(same) == prose
