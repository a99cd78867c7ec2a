"""What a filled template must not leave behind: empty blockquotes and empty sections.

A template carries the vault's section skeleton (``## 🔗 Graph`` and its ``{{graph}}``, a
``>`` line for a one-line summary); when a value is empty the skeleton would stay in the new
note as an empty ``<blockquote>`` and headings with nothing under them, which then show in
the contents, in search snippets and as empty sections. So, outside the frontmatter and code:
a line that is only ``>`` goes, a section (level 2 and below) with nothing but blank lines
before the next heading of its level or higher goes (innermost first, so a section whose
subsections were all empty goes too), and runs of blank lines shrink to one.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]|$)")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_EMPTY_QUOTE = re.compile(r" {0,3}(?:>[ \t]*)+")


def tidy_body(lines: list[str]) -> list[str]:
    """The body lines (each with its line ending) without empty quotes and empty sections."""
    kept = [line for line, code in zip(lines, _in_code(lines), strict=True)
            if code or not _EMPTY_QUOTE.fullmatch(line.rstrip("\r\n"))]  # fmt: skip
    while True:
        levels = _heading_levels(kept)
        empty = _first_empty_section(kept, levels)
        if empty is None:
            break
        del kept[empty[0]:empty[1]]
    return _single_blank_lines(kept)


def _in_code(lines: list[str]) -> list[bool]:
    """For each line: is it inside (or a fence of) a fenced code block?"""
    marks: list[bool] = []
    fence = ""
    for line in lines:
        opened = _FENCE.match(line)
        if fence:
            marks.append(True)
            if opened and opened[1][0] == fence[0] and len(opened[1]) >= len(fence) \
                    and not line[opened.end():].strip():  # fmt: skip
                fence = ""
        elif opened:
            marks.append(True)
            fence = opened[1]
        else:
            marks.append(False)
    return marks


def _heading_levels(lines: list[str]) -> list[int]:
    """Each line's heading level, 0 for a line that is not an ATX heading outside code."""
    levels = []
    for line, code in zip(lines, _in_code(lines), strict=True):
        found = None if code else _HEADING.match(line)
        levels.append(len(found[1]) if found else 0)
    return levels


def _first_empty_section(lines: list[str], levels: list[int]) -> tuple[int, int] | None:
    """The line span of a level ≥ 2 heading with only blank lines before the next heading of
    its level or higher (or the end); a subheading in between means it is not empty."""
    for start, level in enumerate(levels):
        if level < 2:
            continue
        end = start + 1
        while end < len(lines) and not levels[end] and not lines[end].strip():
            end += 1
        if end == len(lines) or 0 < levels[end] <= level:
            return start, end
    return None


def _single_blank_lines(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line, code in zip(lines, _in_code(lines), strict=True):
        if not code and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return out
