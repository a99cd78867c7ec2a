"""Bullet lists of one-line items, tokenised without markdown-it's general list machinery.

Most lists in a vault are runs of ``- text`` lines: a Graph section, a checklist of facts. For
each item markdown-it's list rule saves and rewrites the line state, runs the whole block
tokenizer on the item (which tries every block rule, then ``paragraph`` tries every
terminating rule on the next line) and restores the state again. For an item that is one
line of inline content, the outcome is always the same six tokens. ``simple_bullet_list``
recognises that shape — every item one line, same marker, same indentation, content that no
block rule could claim, items either adjacent or (a loose list) apart by blank lines, the list
ending at the end of the text or where a line after a blank line does not go on with it — and
pushes those tokens itself. Anything else (an item with nested blocks, lazy continuation
lines, task boxes, a content line that opens a heading or a quote…) it leaves to the list
rule, having pushed nothing. ``tests/test_markdown_guards.py`` checks that the token streams
are identical with and without it over every real note.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import MD_TRIM_CHARS
from markdown_it.rules_block import StateBlock

BULLETS = "-*+"
# an ordered list marker: up to nine digits, ``.`` or ``)``, then a space, a tab or the end
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}[.)](?:[ \t]|$)")


def _opens_block(src: str, pos: int, end: int) -> bool:
    """Whether item content starting at ``pos`` could be claimed by a block rule."""
    first = src[pos]
    after = src[pos + 1] if pos + 1 < end else ""
    if first in BULLETS and after in ("", " ", "\t"):
        return True  # a nested list item
    if _is_break(src, pos, end):
        return True
    if first in "`~":
        return src.startswith(first * 3, pos)  # a fence
    if first in "%$":
        return src.startswith(first * 2, pos)  # a %% comment or a $$ math block
    if first == "#":
        stop = pos
        while stop < end and src[stop] == "#":
            stop += 1
        return stop - pos <= 6 and (stop == end or src[stop] in " \t")  # an ATX heading
    if first == "[":
        return _starts_definition(src, pos, end)
    if first.isdigit():
        return _ORDERED_MARKER.match(src, pos, end) is not None
    return first in "><"  # a block quote; HTML (every block form starts with ``<``)


def _starts_definition(src: str, pos: int, end: int) -> bool:
    """Whether ``[…]:`` could make this a link reference or footnote definition."""
    close = src.find("]", pos + 1, end)
    if close >= 0 and src.startswith(":", close + 1):
        return True  # the first ``]`` (the footnote rule does not skip escaped ones)
    while close >= 0 and src[close - 1] == "\\":
        close = src.find("]", close + 1, end)
    return close >= 0 and src.startswith(":", close + 1)  # the first unescaped ``]``


def _item_content(state: StateBlock, line: int, marker: str, column: int) -> str | None:
    """The inline content of ``line`` if it is a one-line item with ``marker`` at ``column``."""
    if state.sCount[line] != column:
        return None
    src, begin = state.src, state.bMarks[line]
    pos, end = begin + state.tShift[line], state.eMarks[line]
    if pos + 2 >= end or src[pos] != marker or src[pos + 1] != " ":
        return None
    if _is_break(src, pos, end):
        return None  # ``- --``: the marker is part of a thematic break
    if src[pos + 2] in " \t" or "\t" in src[begin:pos]:
        return None  # the content's column depends on the spacing: leave it to the list rule
    if _opens_block(src, pos + 2, end):
        return None
    return src[pos + 2 : end].strip(MD_TRIM_CHARS)


def _continues_list(state: StateBlock, line: int, marker: str) -> bool:
    """Whether ``line``, after a blank line, makes another item of a list marked ``marker``."""
    src, pos, end = state.src, state.bMarks[line] + state.tShift[line], state.eMarks[line]
    if state.sCount[line] < state.blkIndent or src[pos] != marker:
        return False
    if pos + 1 < end and src[pos + 1] not in " \t":
        return False
    return not _is_break(src, pos, end)  # a thematic break ends the list


def _is_break(src: str, pos: int, end: int) -> bool:
    """Whether the line from ``pos`` is a thematic break: three or more of one marker."""
    marker = src[pos]
    line = src[pos:end]
    return marker in "*-_" and not line.strip(marker + " \t") and line.count(marker) >= 3


Items = list[tuple[int, str]]


def _simple_items(state: StateBlock, start: int, end: int) -> tuple[Items, int, bool] | None:
    """The items from ``start``, the line after the list and whether it is loose; None if any
    item is not simple."""
    marker, column = state.src[state.bMarks[start] + state.tShift[start]], state.sCount[start]
    items: Items = []
    loose = False
    line = start
    while True:
        content = _item_content(state, line, marker, column)
        if content is None:
            return None
        items.append((line, content))
        following = line + 1
        if following >= end:
            return items, following, loose
        if not state.isEmpty(following):
            line = following  # only another simple item may follow directly
            continue
        if following + 1 >= end:
            return items, following + 1, loose
        resume = state.skipEmptyLines(following + 1)
        if resume >= end:
            return items, resume, loose
        if state.sCount[resume] >= column + 2:
            return None  # the item goes on past the blank line
        if not _continues_list(state, resume, marker):
            return items, resume, loose
        line, loose = resume, True


def simple_bullet_list(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Block rule: a bullet list of one-line items, tight or loose (see the module's docstring)."""
    pos = state.bMarks[start] + state.tShift[start]
    if silent or pos >= state.eMarks[start] or state.src[pos] not in BULLETS:
        return False
    if state.md.options.get("tasklists"):
        return False  # ``- [ ] task`` items take a checkbox: the list rule's work
    if end != state.lineMax or state.level + 2 >= state.md.options.maxNesting:
        return False
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    found = _simple_items(state, start, end)
    if found is None:
        return False
    items, after, loose = found
    marker = state.src[pos]
    token = state.push("bullet_list_open", "ul", 1)
    token.map = [start, after]
    token.markup = marker
    for index, (line, content) in enumerate(items):
        item_end = items[index + 1][0] if index + 1 < len(items) else after
        token = state.push("list_item_open", "li", 1)
        token.markup = marker
        token.map = [line, item_end]
        token = state.push("paragraph_open", "p", 1)
        token.map = [line, line + 1]
        token.hidden = not loose
        token = state.push("inline", "", 0)
        token.content = content
        token.map = [line, line + 1]
        token.children = []
        token = state.push("paragraph_close", "p", -1)
        token.hidden = not loose
        token = state.push("list_item_close", "li", -1)
        token.markup = marker
    token = state.push("bullet_list_close", "ul", -1)
    token.markup = marker
    state.line = after
    return True


def simple_lists(md: MarkdownIt) -> MarkdownIt:
    """Install ``simple_bullet_list`` just before the list rule (not as a terminator)."""
    names = [rule.name for rule in md.block.ruler.__rules__]
    if "list" not in names or "simple_list" in names:
        return md
    md.block.ruler.before("list", "simple_list", simple_bullet_list)
    return md
