"""The one configured markdown-it parser: wiki-links, embeds, tags, anchors, CJK emphasis.

``parse`` gives the token stream every other module reads (links, tags and headings come from
token types and ``token.meta``, never from a regex over the text); ``render`` turns it into HTML,
drawing wiki-links through a ``LinkRenderer`` the caller chooses.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from html import escape
from typing import Any, Protocol, cast
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import emphasis, strikethrough
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from mdit_py_plugins.footnote import footnote_plugin
from pygments import highlight as pygments_highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

from kgwiki.markdown.callouts import callouts_plugin
from kgwiki.markdown.comments import comments_plugin
from kgwiki.markdown.fastpath import apply as apply_fastpath
from kgwiki.markdown.fastpath import enabled as fastpath_enabled
from kgwiki.markdown.highlight import highlight_plugin, mark_tokenize
from kgwiki.markdown.live_expressions import TOKEN as LIVE_EXPRESSION
from kgwiki.markdown.live_expressions import live_expressions_plugin
from kgwiki.markdown.math import math_plugin
from kgwiki.markdown.rules import (
    block_id_rule,
    cjk_flanking,
    date_cell_rule,
    heading_anchor_rule,
    inline_text,
    is_image,
    tag_rule,
    wikilink_rule,
)
from kgwiki.markdown.tasks import tasks_plugin
from kgwiki.slug import slugify
from kgwiki.wikilink import WikiTarget

# Token is re-exported so higher layers can annotate tokens without importing markdown-it.
__all__ = [
    "MD",
    "DefaultLinkRenderer",
    "LinkRenderer",
    "Token",
    "create_markdown",
    "parse",
    "parse_inline",
    "plain_text",
    "render",
]


class LinkRenderer(Protocol):
    """How wiki-links and embeds become HTML; the web layer passes one that resolves notes.

    A renderer may also define ``tag(self, tag: str) -> str`` to draw ``#tags`` (a link to a
    tag page, say); without it a tag is a plain ``<span class="tag">``.
    """

    def wikilink(self, target: WikiTarget, text: str) -> str:
        """Full HTML of the ``<a>`` (or a ``<span>`` for an unresolved link)."""
        ...

    def embed(self, target: WikiTarget, raw: str) -> str:
        """HTML of the transclusion or image for ``![[raw]]``."""
        ...


def _image_size(label: str | None) -> tuple[str, str] | None:
    """``"300"`` → (300, ""), ``"300x200"`` → (300, 200): Obsidian's image size label."""
    if not label:
        return None
    width, _, height = label.partition("x")
    if not width.isdecimal() or (height and not height.isdecimal()):
        return None
    return width, height


class DefaultLinkRenderer:
    """Link to ``slug(file)#slug(heading)`` without knowing the vault; everything escaped."""

    def href(self, target: WikiTarget) -> str:
        path = ""
        if target.file:
            name = target.file.removesuffix(".md")
            path = "/".join(slugify(part) or quote(part) for part in name.split("/"))
        if target.block is not None:
            return f"{path}#^{target.block}"
        if target.headings:
            return f"{path}#{slugify(target.headings[-1])}"
        return path

    def wikilink(self, target: WikiTarget, text: str) -> str:
        href = escape(self.href(target))
        return f'<a class="wikilink" href="{href}">{escape(text)}</a>'

    def embed(self, target: WikiTarget, raw: str) -> str:
        if is_image(target) and target.file:
            size = _image_size(target.label)
            alt = target.file if size or not target.label else target.label
            attrs = f'src="{escape(quote(target.file))}" alt="{escape(alt)}"'
            if size:
                attrs += f' width="{size[0]}"' + (f' height="{size[1]}"' if size[1] else "")
            return f'<img class="embed" {attrs}>'
        link = self.wikilink(target, target.display())
        return f'<span class="embed" data-embed="{escape(raw)}">{link}</span>'


_DEFAULT_LINKS = DefaultLinkRenderer()


def _links(env: EnvType) -> LinkRenderer:
    links = env.get("links")
    return _DEFAULT_LINKS if links is None else links


def _render_wikilink(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    target: WikiTarget = tokens[idx].meta["target"]
    return _links(env).wikilink(target, target.display())


def _render_embed(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    return _links(env).embed(token.meta["target"], token.content)


def _render_tag(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tag: str = tokens[idx].meta["tag"]
    draw = getattr(env.get("links"), "tag", None)
    if draw is not None:
        return str(draw(tag))
    return f'<span class="tag" data-tag="{escape(tag)}">#{escape(tag)}</span>'


def _render_softbreak(
    self: Any, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A newline inside a paragraph: a ``<br class="soft-break">`` where ``soft_breaks`` is
    asked for (Obsidian shows one; a page for a vault with ``strict_line_breaks`` hides it
    with CSS), else CommonMark's plain newline."""
    return '<br class="soft-break">\n' if env.get("soft_breaks") else "\n"


def _render_hole(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """A token whose drawing waits for the site (``kgwiki.web.render.body_template``)."""
    return str(env["links"].hole(tokens[idx].meta["hole"]))


def _render_block_id(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f'<a id="^{escape(tokens[idx].meta["id"])}" class="block-anchor"></a>'


_FORMATTER = HtmlFormatter(nowrap=True)


@functools.lru_cache(maxsize=256)
def _lexer(lang: str) -> Any:
    try:
        return get_lexer_by_name(lang)
    except ClassNotFound:
        return None


def _highlight(code: str, lang: str, attrs: str) -> str:
    """Pygments HTML with CSS classes; "" lets markdown-it escape unknown languages plainly.

    A ``mermaid`` fence becomes ``<pre class="mermaid">`` holding the diagram's source, which
    the page's script hands to Mermaid in the browser (the source shows if scripts are off).
    """
    if lang.lower() == "mermaid":
        return f'<pre class="mermaid">{escape(code)}</pre>\n'
    lexer = _lexer(lang.lower()) if lang else None
    if lexer is None:
        return ""
    return str(pygments_highlight(code, lexer, _FORMATTER))


# Where the text rule stops so inline rules can try to start: only where a rule enabled here can
# begin ("$" math included; "==" highlights and "%%" comments only as pairs, so "a = b" and
# "50%" stay plain text). markdown-it also stops at "-:+@{}>" for plugins kgwiki does not load;
# each stop runs every inline rule, which costs up to a third of the parse on prose. A rule that
# starts elsewhere must be added here (``add_terminator_char`` would bring back markdown-it's
# whole default set).
_TEXT_STOPS = re.compile(r"[\n!#$&*<\[\\\]^_`~]|==|%%")


def create_markdown(*, fastpath: bool | None = None) -> MarkdownIt:
    """Build the parser: CommonMark + tables, strikethrough, footnotes and kgwiki's rules.

    ``fastpath`` (default: on unless ``KGWIKI_FASTPATH=0``; see ``markdown.fastpath``) skips
    rules that cannot match and takes plain text and simple lists in one step; tests turn it off
    to check that the tokens are the same either way.
    """
    md = MarkdownIt(
        "commonmark",
        {"html": True, "linkify": False, "typographer": False, "highlight": _highlight},
    )
    md.enable(["table", "strikethrough"])
    md.use(footnote_plugin)
    # Obsidian's own syntax: %%comments%% (never reach a token), ==highlights==, task statuses,
    # $math$ drawn as MathML
    md.use(comments_plugin)
    md.use(highlight_plugin)
    md.use(tasks_plugin)
    md.use(math_plugin)
    md.use(callouts_plugin)  # > [!type]± Title: blockquotes → callouts (core, before inline)
    md.use(live_expressions_plugin)  # SilverBullet's ${…}: code, not prose (after math)
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.inline.ruler.before("link", "tag", tag_rule)
    md.inline.ruler.at("emphasis", cjk_flanking(emphasis.tokenize))
    md.inline.ruler.at("strikethrough", cjk_flanking(strikethrough.tokenize))
    md.inline.ruler.at("mark", cjk_flanking(mark_tokenize))
    md.core.ruler.before("text_join", "block_id", block_id_rule)
    md.core.ruler.push("heading_anchor", heading_anchor_rule)
    md.core.ruler.push("date_cell", date_cell_rule)
    md.inline.terminator_re = _TEXT_STOPS
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("embed", _render_embed)
    md.add_render_rule("tag", _render_tag)
    md.add_render_rule("block_id", _render_block_id)
    md.add_render_rule("hole", _render_hole)
    md.add_render_rule("softbreak", _render_softbreak)
    if fastpath if fastpath is not None else fastpath_enabled():
        return apply_fastpath(md)
    return md


MD = create_markdown()


def parse(text: str) -> list[Token]:
    """Parse a note body (frontmatter already removed) into block tokens."""
    return MD.parse(text, env={})


def render(tokens: list[Token], env: dict[str, object] | None = None) -> str:
    """Render tokens to HTML; ``env["links"]`` may hold the ``LinkRenderer`` to use, and
    ``env["soft_breaks"]`` asks for a single line break to be drawn as Obsidian draws it."""
    html: str = MD.renderer.render(tokens, MD.options, {} if env is None else env)
    return html


def parse_inline(text: str) -> list[Token]:
    """One line of inline Markdown (a table cell's text, say) as its inline tokens."""
    blocks = MD.parseInline(text, {})
    return list(blocks[0].children or []) if blocks else []


def render_inline(tokens: list[Token]) -> str:
    """Render inline tokens (a link's opening tag, an image) as ``render`` draws them."""
    renderer = cast(RendererHTML, MD.renderer)
    html: str = renderer.renderInline(tokens, MD.options, {})
    return html


def inline_as_text(tokens: list[Token]) -> str:
    """Inline tokens as the plain text markdown-it writes in an image's ``alt``."""
    renderer = cast(RendererHTML, MD.renderer)
    text: str = renderer.renderInlineAsText(tokens, MD.options, {})
    return text


_CELL_OPEN = frozenset({"th_open", "td_open"})


def plain_text(tokens: Sequence[Token]) -> str:
    """The note's readable text for search: one block per line, table cells space-separated."""
    out: list[str] = []
    previous = ""
    for token in tokens:
        kind = token.type
        if kind == "inline":
            out.append(inline_text(token.children or ()))
            out.append(" " if previous in _CELL_OPEN else "\n")
        elif kind in ("fence", "code_block", LIVE_EXPRESSION):
            out.append(token.content)
        elif kind == "tr_close" and out and out[-1] == " ":
            out[-1] = "\n"
        previous = kind
    return "".join(out).strip()
