"""SilverBullet's live expressions, ``${…}``: shown as written, never read as Markdown.

SilverBullet evaluates ``${expression}`` (Space Lua) where it stands: ``${query[[ from p =
index.pages("adr") … ]]}`` draws a table of pages, ``${template.each(…)}`` a list. kgwiki runs
no Lua, so it shows the expression as code, as it shows a fenced block: before this rule the
expression was a paragraph of Lua, and its string pieces ``"[[" .. p.name .. "]]"`` were read
as links to notes named ``" .. p.name .. "`` that nobody wrote.

* Block: a block that starts with ``${`` (indented less than code) whose braces balance on that
  line or a later one, with nothing after the closing ``}`` on its line, is one
  ``live_expression`` token holding the expression's lines (drawn as a ``<pre>``, its words
  kept for search as a fence's are). It does not interrupt a paragraph.
* Inline: ``${…}`` whose braces balance within the inline run is a ``code_inline`` token with
  the class ``live-expression``. ``${x}$`` stays math: the math rule runs first, and a closing
  ``}`` right before a ``$`` is not an expression's end.

Braces inside a Lua string (``"…"`` or ``'…'``, with backslash escapes) do not count. An
expression whose braces never balance is left to the other rules, as text.
"""

from __future__ import annotations

from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

OPEN = "${"
TOKEN = "live_expression"
CLASS = "live-expression"
_LABEL = "a SilverBullet live expression, shown as written (kgwiki does not run it)"


class _Braces:
    """Brace depth across one expression's text, outside Lua strings."""

    __slots__ = ("depth", "quote")

    def __init__(self) -> None:
        self.depth = 1  # the ``{`` of ``${``
        self.quote = ""

    def close(self, text: str, start: int, end: int) -> int:
        """Where the expression ends in ``text[start:end]`` (after its ``}``), or -1."""
        i = start
        while i < end:
            char = text[i]
            if self.quote:
                if char == "\\":
                    i += 1
                elif char == self.quote or char == "\n":
                    self.quote = ""  # a Lua short string ends at its line
            elif char in "\"'":
                self.quote = char
            elif char == "{":
                self.depth += 1
            elif char == "}":
                self.depth -= 1
                if self.depth == 0:
                    return i + 1
            i += 1
        return -1


def live_expression_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block that is one ``${…}`` expression (see the module's docstring)."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    src = state.src
    pos = state.bMarks[start] + state.tShift[start]
    if not src.startswith(OPEN, pos):
        return False
    braces = _Braces()
    line, begin = start, pos + len(OPEN)
    while line < end:
        if line > start and state.sCount[line] < state.blkIndent and not state.isEmpty(line):
            return False  # the expression would run out of its container
        stop = state.eMarks[line]
        close = braces.close(src, begin, stop)
        if close >= 0:
            if src[close:stop].strip():
                return False  # text after it: an inline expression in a paragraph
            break
        line += 1
        braces.quote = ""  # a Lua short string ends at its line
        if line < end:
            begin = state.bMarks[line] + state.tShift[line]
    else:
        return False  # never closed
    if silent:
        return True
    token = state.push(TOKEN, "pre", 0)
    token.content = state.getLines(start, line + 1, state.sCount[start], True)
    token.map = [start, line + 1]
    token.markup = OPEN
    state.line = line + 1
    return True


def live_expression_inline(state: StateInline, silent: bool) -> bool:
    """``${…}`` inside a paragraph, a heading or a cell: a code span (see the docstring)."""
    src, pos, end = state.src, state.pos, state.posMax
    if not src.startswith(OPEN, pos) or pos + len(OPEN) >= end:
        return False
    close = _Braces().close(src, pos + len(OPEN), end)
    if close < 0 or (close < end and src[close] == "$"):
        return False
    if not silent:
        token = state.push("code_inline", "code", 0)
        token.content = src[pos:close]
        token.markup = OPEN
        token.attrSet("class", CLASS)
    state.pos = close
    return True


def _render_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return (f'<pre class="{CLASS}" title="{_LABEL}"><code>{escape(tokens[idx].content)}'
            "</code></pre>\n")  # fmt: skip


def live_expressions_plugin(md: MarkdownIt) -> None:
    """Install the block and inline rules (the inline one after math: ``${x}$`` is math)."""
    md.block.ruler.before("paragraph", TOKEN, live_expression_block)
    md.inline.ruler.after("math_inline", TOKEN, live_expression_inline)
    md.add_render_rule(TOKEN, _render_block)
