"""Which headings a note has, for checking links to ``Note#Heading``.

A link's heading matches a heading of its target when its slug is the slug the parser gave
that heading or the slug of that heading's text. Checking a vault's links slugified every
heading of the target for each link; ``HeadingAnchors`` reads each note's headings once and
slugifies only when it must: a heading written as it stands in the target (most are) has
the same slug as it, so it matches without slugifying anything.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter

from kgwiki.note import Heading, Note
from kgwiki.slug import slugify
from kgwiki.types import NotePath

_Memo = dict[NotePath, tuple[Note, frozenset[str]]]


class HeadingAnchors:
    """The headings of the notes asked about, each note's read once (while it is the same
    object: a note changed since is read again)."""

    def __init__(self) -> None:
        self._texts: _Memo = {}
        self._slugs: _Memo = {}
        self._text_slugs: _Memo = {}

    def has(self, note: Note, heading: str) -> bool:
        """Whether ``note`` has a heading whose slug, or its text's, is ``heading``'s slug."""
        if heading in _of(self._texts, note, _text):
            return True
        wanted = slugify(heading)
        return wanted in _of(self._slugs, note, _slug) or wanted in _of(
            self._text_slugs, note, _text_slug
        )


_text: Callable[[Heading], str] = attrgetter("text")
_slug: Callable[[Heading], str] = attrgetter("slug")


def _text_slug(heading: Heading) -> str:
    return slugify(heading.text)


def _of(memo: _Memo, note: Note, part: Callable[[Heading], str]) -> frozenset[str]:
    kept = memo.get(note.path)
    if kept is not None and kept[0] is note:
        return kept[1]
    found = frozenset(map(part, note.headings))
    memo[note.path] = (note, found)
    return found
