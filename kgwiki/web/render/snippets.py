"""Markup that lists draw for every note they show, written in Python: a Jinja macro call
costs far more than the few characters it writes, and a note page lists dozens of notes.

Values are escaped as Jinja's autoescape escapes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape


def note_link(note: Mapping[str, Any]) -> Markup:
    """A link to a note from ``note_page.link_to``'s data (title, url, path)."""
    return Markup(f'<a class="note-link" href="{escape(note["url"])}" '
                  f'data-path="{escape(note["path"])}">{escape(note["title"])}</a>')  # fmt: skip


def level(name: Any) -> Markup:
    """A note's trust level as a small badge ("" for an unrated note), then a no-break space:
    a list draws the note's link right after it, and a narrow column must not leave the badge
    alone at the end of a line."""
    if not name:
        return Markup("")
    value = escape(name)
    return Markup(f'<span class="level" data-level="{value}">{value}</span>\u00a0')
