"""``$inline$`` and ``$$display$$`` math: ``dollarmath`` parsing, MathML drawn at build time.

Parsing is ``mdit_py_plugins.dollarmath`` with Obsidian-like options:

* ``allow_space=False``, ``allow_digits=False``: ``$`` must hug its content and a closing
  ``$`` must not be followed by a digit, so prices (``$5 and $6``, ``costs $5, not $10``) stay
  text, as in Pandoc and Obsidian.
* ``double_inline=True``: ``$$x$$`` inside a paragraph (and a ``$$`` block that continues a
  paragraph) is display math, as Obsidian shows it.
* ``allow_labels=False``: ``$$x$$ (eq1)`` is a MyST extension Obsidian does not have.
* ``allow_blank_lines=False``: a blank line ends a ``$$`` block (as in LaTeX and GitHub), so a
  stray ``$$`` cannot swallow the note down to the next one.

The inline rule is this module's ``math_inline``, installed in place of dollarmath's. It has
the same rules but fixes a bug in dollarmath (0.5.0 to 0.7.0 at least): with
``allow_digits=False`` its "digit before the opening ``$``" test reads ``src[pos - 1]``, which at
position 0 is Python's ``src[-1]``, the *last* character, so ``$x$ costs 5`` is not math.

Drawing: ``tex_to_mathml`` turns TeX into MathML with ``latex2mathml`` (pure Python, MIT). It
never raises: TeX that latex2mathml cannot read is shown escaped in
``<code class="math-error">``. latex2mathml's own string output is not safe to embed (it
un-escapes its serialised XML, so ``\\text{<script>…}`` comes out as a live ``<script>``
tag), so this module serialises latex2mathml's element tree itself and drops the ``href``
and ``style`` attributes ``\\href``/``\\style`` would set.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, tostring

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from mdit_py_plugins.dollarmath import dollarmath_plugin

MathRenderer = Callable[[str, dict[str, Any]], str]

# attributes TeX can set that must not reach the page: \href (javascript: URLs, which some
# browsers follow on MathML) and \style (arbitrary CSS)
_UNSAFE_ATTRIBUTES = frozenset({"href", "style"})

# amsmath environments MathJax (so Obsidian) knows and latex2mathml 3.81 does not, mapped to
# ones it renders the same way
_ENVIRONMENTS = {
    r"\begin{aligned}": r"\begin{split}",
    r"\end{aligned}": r"\end{split}",
    r"\begin{gathered}": r"\begin{displaylines}",
    r"\end{gathered}": r"\end{displaylines}",
}

def tex_fallback(tex: str, display: bool) -> str:
    """The TeX itself, escaped, for formulas that cannot be drawn."""
    tag = "pre" if display else "code"
    return f'<{tag} class="math-error">{html.escape(tex)}</{tag}>'


def _clean(element: Element) -> None:
    """Make latex2mathml's tree serialisable as it means it: real characters, safe attributes.

    latex2mathml stores symbols as character references in the text (``&#x0003D;``) and
    relies on un-escaping its whole output, which also un-escapes the user's ``<``/``&``.
    Decoding the references here and letting ``tostring`` escape keeps both right.
    """
    for node in element.iter():
        if node.text:
            node.text = html.unescape(node.text)
        if node.tail:
            node.tail = html.unescape(node.tail)
        for name in [name for name in node.attrib if name in _UNSAFE_ATTRIBUTES]:
            del node.attrib[name]
        for name, value in node.attrib.items():
            node.attrib[name] = html.unescape(value)


@functools.lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for ``tex`` (``display`` for ``$$…$$``), or the escaped TeX if it cannot be read."""
    source = tex
    for old, new in _ENVIRONMENTS.items():
        if old in source:
            source = source.replace(old, new)
    # latex2mathml loads with the first formula: importing it costs every command about 30 ms,
    # and most vaults have no formula
    from latex2mathml.converter import convert_to_element

    try:
        element = convert_to_element(source, display="block" if display else "inline")
    except Exception:
        return tex_fallback(tex, display)
    _clean(element)
    # ``xmlns`` is redundant in HTML5 but harmless, and keeps the output valid XHTML too
    return tostring(element, encoding="unicode", short_empty_elements=True)


def _escaped(src: str, pos: int) -> bool:
    """Whether the character at ``pos`` follows an odd number of backslashes."""
    count = 0
    while pos > 0 and src[pos - 1] == "\\":
        count += 1
        pos -= 1
    return count % 2 == 1


def math_inline(state: StateInline, silent: bool) -> bool:
    """``$tex$`` (no space inside either ``$``, no digit right after the closing one) and
    ``$$tex$$`` inside a paragraph; the first unescaped ``$`` (or ``$$``) closes."""
    src, start, end = state.src, state.pos, state.posMax
    if src[start] != "$" or start + 1 >= end or _escaped(src, start):
        return False
    if start > 0 and src[start - 1].isdigit():
        return False  # ``5$`` is not an opening
    double = src[start + 1] == "$"
    marker = "$$" if double else "$"
    begin = start + len(marker)
    if begin >= end or (not double and src[begin].isspace()):
        return False
    close = src.find(marker, begin, end)
    while close >= 0 and _escaped(src, close):
        close = src.find(marker, close + 1, end)
    if close < 0 or close == begin:
        return False
    after = close + len(marker)
    if not double and (src[close - 1].isspace() or (after < end and src[after].isdigit())):
        return False
    if not silent:
        token = state.push("math_inline_double" if double else "math_inline", "math", 0)
        token.content = src[begin:close]
        token.markup = marker
    state.pos = after
    return True


def render_math(content: str, options: dict[str, Any]) -> str:
    """dollarmath's ``renderer`` hook."""
    return tex_to_mathml(content, bool(options.get("display_mode")))


def math_plugin(md: MarkdownIt, *, renderer: MathRenderer = render_math) -> None:
    """``$…$`` and ``$$…$$`` with Obsidian's rules, drawn by ``renderer`` (MathML by default)."""
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
        renderer=renderer,
    )
    md.inline.ruler.at("math_inline", math_inline)

    def render_double_inline(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
        # ``$$x$$`` inside a paragraph: display math in a span (a div may not sit in a <p>)
        drawn = renderer(tokens[idx].content, {"display_mode": True})
        return f'<span class="math display">{drawn}</span>'

    md.add_render_rule("math_inline_double", render_double_inline)
