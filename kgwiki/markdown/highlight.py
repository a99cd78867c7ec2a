"""Obsidian highlights, ``==text==`` → ``<mark>text</mark>``.

mdit-py-plugins (0.5.0 to 0.7.0) has no ``mark`` plugin. This one is built the way
markdown-it-py's own strikethrough is: a delimiter rule that pushes each ``==`` as a text
token and records a delimiter, and a post-processing rule that turns the pairs
``balance_pairs`` matched into ``mark_open``/``mark_close`` (drawn as ``<mark>``).

Flanking follows CommonMark's delimiter rules (``scanDelims``): a run opens only if no space
follows it and closes only if no space precedes it, so ``a == b`` and ``x ==y`` stay text.
Code spans are safe: ``backticks`` consumes them first. Runs of three or more split like
strikethrough's (``===a===`` gives ``=<mark>a</mark>=``).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter

EQUALS = 0x3D


def mark_tokenize(state: StateInline, silent: bool) -> bool:
    """Push each ``==`` of a run as a text token and record it as a delimiter."""
    start = state.pos
    if silent or state.src[start] != "=":
        return False
    scanned = state.scanDelims(start, True)
    length = scanned.length
    if length < 2:
        return False
    if length % 2:
        token = state.push("text", "", 0)
        token.content = "="
        length -= 1
    for _ in range(length // 2):
        token = state.push("text", "", 0)
        token.content = "=="
        if scanned.can_open or scanned.can_close:
            state.delimiters.append(
                Delimiter(
                    marker=EQUALS,
                    length=0,  # no "rule of 3": pairs match by marker only
                    token=len(state.tokens) - 1,
                    end=-1,
                    open=scanned.can_open,
                    close=scanned.can_close,
                )
            )
    state.pos += scanned.length
    return True


def _pair_up(state: StateInline, delimiters: list[Delimiter]) -> None:
    lone: list[int] = []
    for opener in delimiters:
        if opener.marker != EQUALS or opener.end == -1:
            continue
        closer = delimiters[opener.end]
        token = state.tokens[opener.token]
        token.type, token.tag, token.nesting, token.markup, token.content = (
            "mark_open",
            "mark",
            1,
            "==",
            "",
        )
        token = state.tokens[closer.token]
        token.type, token.tag, token.nesting, token.markup, token.content = (
            "mark_close",
            "mark",
            -1,
            "==",
            "",
        )
        before = state.tokens[closer.token - 1]
        if before.type == "text" and before.content == "=":
            lone.append(closer.token - 1)
    # an odd run is split ``=`` + ``==``…; move a lone ``=`` after the closing tags it precedes
    while lone:
        i = lone.pop()
        j = i + 1
        while j < len(state.tokens) and state.tokens[j].type == "mark_close":
            j += 1
        j -= 1
        if i != j:
            state.tokens[i], state.tokens[j] = state.tokens[j], state.tokens[i]


def mark_post_process(state: StateInline) -> None:
    """Turn matched ``==`` pairs into ``mark_open``/``mark_close`` at every nesting level."""
    _pair_up(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair_up(state, meta["delimiters"])


def highlight_plugin(md: MarkdownIt) -> None:
    """Install ``==highlight==`` (rendered by the default renderer as ``<mark>``)."""
    md.inline.ruler.before("emphasis", "mark", mark_tokenize)
    md.inline.ruler2.before("emphasis", "mark", mark_post_process)
