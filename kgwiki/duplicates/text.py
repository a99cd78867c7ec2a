"""The prose near-duplicate detection compares: a note's text without headings and without
its Graph and Changelog sections (numpy-free, so a build can tell cheaply whether it changed).
"""

from __future__ import annotations

import re
import unicodedata

from kgwiki.note import Heading, Note, section_kind

# The last answer per note path, with what it was made of. A build asks for every note's
# prose three times (to sketch it, to compare candidate pairs exactly, to key its page), and
# forked workers inherit what the parent already has.
_MEMO: dict[str, tuple[str, tuple[Heading, ...], str]] = {}


def content_text(note: Note) -> str:
    """The note's plain text lines without headings and without Graph/Changelog sections.

    Those sections are boilerplate shared by every note in the style, so they would make
    unrelated notes look alike; headings are skipped because a template's headings are too.
    """
    known = _MEMO.get(note.path)
    # It reads only the text and the headings: equal ones give the same prose (comparing
    # the note's own objects is a pointer check).
    if known is not None and known[0] == note.text and known[1] == note.headings:
        return known[2]
    prose = _content_text(note.text, note.headings)
    _MEMO[note.path] = (note.text, note.headings, prose)
    return prose


def _content_text(plain: str, headings: tuple[Heading, ...]) -> str:
    wanted = [heading.text.strip() for heading in headings]
    index = 0
    skipping_level = 0
    kept: list[str] = []
    for line in plain.split("\n"):
        text = line.strip()
        # Plain text keeps heading lines in order; match them one by one (a heading whose
        # plain text differs from its source is skipped over, not searched for).
        for ahead in (index, index + 1):
            if ahead < len(headings) and text and _same_heading(text, wanted[ahead]):
                heading = headings[ahead]
                index = ahead + 1
                if skipping_level and heading.level <= skipping_level:
                    skipping_level = 0
                if section_kind(heading.text) is not None:
                    skipping_level = heading.level
                break
        else:
            if not skipping_level:
                kept.append(line)
    return "\n".join(kept)


def _same_heading(line: str, heading: str) -> bool:
    if line == heading:
        return True
    # Markup in a heading (``**x**``, ``[[a|b]]``) changes its plain text a little.
    return len(line) <= len(heading) and _bare(line) == _bare(heading) != ""


_NOT_WORD = re.compile(r"[\W_]+")


def _bare(text: str) -> str:
    return _NOT_WORD.sub("", unicodedata.normalize("NFC", text)).casefold()
