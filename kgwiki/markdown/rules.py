"""The parser rules kgwiki adds to markdown-it: wiki-links, tags, block ids, anchors, CJK emphasis.

Every rule works on markdown-it's token stream, so code spans, fences and indented code are
never searched for links or tags. Inline rules look at one character first and bail out fast:
they run at every ``[``, ``!`` and ``#`` of every note.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from kgwiki.slug import slugify, unique_slug
from kgwiki.wikilink import WikiTarget, parse_inner

InlineRule = Callable[[StateInline, bool], bool]

IMAGE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp"})


def is_image(target: WikiTarget) -> bool:
    """Whether an embed shows a picture rather than transcluding a note."""
    file = target.file
    return file is not None and file.rpartition(".")[2].lower() in IMAGE_SUFFIXES


# --- wiki-links and embeds -------------------------------------------------------------------


def _link_end(src: str, start: int, limit: int) -> int:
    """Index of the ``]]`` closing a link whose text starts at ``start``, or -1.

    Brackets inside the text nest (``[[a [b] c]]``); a link never crosses a line.
    """
    close = src.find("]]", start, limit)
    if close < 0 or src.find("\n", start, close) >= 0:
        return -1
    if src.find("[", start, close) < 0:
        return close
    depth = 0
    for i in range(start, limit):
        ch = src[i]
        if ch == "]":
            if depth:
                depth -= 1
            elif i + 1 < limit and src[i + 1] == "]":
                return i
        elif ch == "[":
            depth += 1
        elif ch == "\n":
            return -1
    return -1


def _line_offset(state: StateInline, pos: int) -> int:
    """Newlines before ``pos`` in this inline source, counted on from the previous link.

    Counting from the start for every link is quadratic in a long paragraph full of links.
    """
    memo = state.env.get("_kgwiki_lines")
    if not isinstance(memo, list) or memo[0] is not state.src or memo[1] > pos:
        memo = [state.src, 0, 0]
        state.env["_kgwiki_lines"] = memo
    memo[2] += state.src.count("\n", memo[1], pos)
    memo[1] = pos
    return int(memo[2])


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """``[[Note#H|label]]`` → a ``wikilink`` token, ``![[...]]`` → an ``embed`` token."""
    src = state.src
    pos = state.pos
    ch = src[pos]
    if ch == "[":
        open_end = pos + 2
    elif ch == "!":
        open_end = pos + 3
    else:
        return False
    if not src.startswith("[[", open_end - 2, state.posMax):
        return False
    end = _link_end(src, open_end, state.posMax)
    if end < 0:
        return False
    inner = src[open_end:end]
    target = parse_inner(inner)
    if target.file is None and not target.headings and target.block is None:
        return False  # [[]], [[ ]], [[|x]]: nothing to link to, so plain text
    if not silent:
        token = state.push("embed" if ch == "!" else "wikilink", "", 0)
        token.content = inner
        token.markup = src[pos:open_end]
        token.meta = {"target": target, "line_offset": _line_offset(state, pos)}
    state.pos = end + 2
    return True


# --- tags ------------------------------------------------------------------------------------

# Python's \w is Unicode letters, digits and "_", so #아키텍처 and #設計 are tags. It leaves out
# combining marks, which Indic and Thai words (and decomposed Latin) cannot do without.
_TAG_CHARS = re.compile(r"[\w/\-\u0300-\u036f\u0900-\u0dff\u0e31-\u0e3a\u0e47-\u0e4e\u3099\u309a]+")


def tag_rule(state: StateInline, silent: bool) -> bool:
    """``#tag`` and ``#a/b`` after whitespace or at the start → a ``tag`` token."""
    src = state.src
    pos = state.pos
    if src[pos] != "#" or (pos > 0 and not src[pos - 1].isspace()):
        return False
    match = _TAG_CHARS.match(src, pos + 1, state.posMax)
    if match is None:
        return False
    tag = match.group().rstrip("/")
    if not tag or tag.isdigit():
        return False  # "#123" is an issue number, not a tag
    if not silent:
        token = state.push("tag", "", 0)
        token.content = tag
        token.markup = "#"
        token.meta = {"tag": tag}
    state.pos = pos + 1 + len(tag)
    return True


# --- CJK-friendly emphasis -------------------------------------------------------------------


def is_cjk(ch: str) -> bool:
    """Hangul, Han, Kana, Bopomofo, CJK symbols and punctuation, full-width forms."""
    c = ord(ch)
    return c >= 0x1100 and (
        c <= 0x11FF
        or 0x2E80 <= c <= 0x9FFF
        or 0xA960 <= c <= 0xA97F
        or 0xAC00 <= c <= 0xD7FF
        or 0xF900 <= c <= 0xFAFF
        or 0xFE30 <= c <= 0xFE4F
        or 0xFF00 <= c <= 0xFFEF
        or 0x20000 <= c <= 0x3FFFF
    )


def _is_punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def cjk_flanking(rule: InlineRule) -> InlineRule:
    """Wrap a delimiter rule (emphasis, strikethrough) so CJK text beside a run can flank it.

    CommonMark will not close ``**아키텍처(architecture)**는``: the run follows punctuation and
    precedes a letter, so it is not right-flanking. Korean and Japanese put no space there, so
    a CJK character on the outer side of a run does what whitespace would: a run after one may
    open even before punctuation, a run before one may close even after punctuation. Runs with
    no CJK neighbour keep the rule's own verdict, so English emphasis is unchanged, and ``_``
    still never opens or closes between two letters.
    """

    def wrapped(state: StateInline, silent: bool) -> bool:
        start = state.pos
        before = len(state.delimiters)
        if not rule(state, silent):
            return False
        src = state.src
        prev = src[start - 1] if start > 0 else " "
        nxt = src[state.pos] if state.pos < state.posMax else " "
        prev_cjk = is_cjk(prev)
        next_cjk = is_cjk(nxt)
        if not (prev_cjk or next_cjk) or len(state.delimiters) == before:
            return True
        prev_space, next_space = isWhiteSpace(ord(prev)), isWhiteSpace(ord(nxt))
        prev_punct, next_punct = _is_punct(prev), _is_punct(nxt)
        left = not next_space and (not next_punct or prev_space or prev_punct or prev_cjk)
        right = not prev_space and (not prev_punct or next_space or next_punct or next_cjk)
        for delim in state.delimiters[before:]:
            if delim.marker == 0x5F:  # "_" still may not open or close inside a word
                delim.open = left and (not right or prev_punct)
                delim.close = right and (not left or next_punct)
            else:
                delim.open = left
                delim.close = right
        return True

    return wrapped


# --- core rules: block ids and heading anchors -----------------------------------------------

_BLOCK_ID = re.compile(r"(?:[^\W_]|-)+")


def block_id_rule(state: StateCore) -> None:
    """Split a trailing `` ^id`` off each paragraph into a ``block_id`` token.

    Runs before ``text_join`` so an escaped ``\\^id`` (a separate token then) is not an id.
    """
    tokens = state.tokens
    for i in range(1, len(tokens)):
        inline = tokens[i]
        if inline.type != "inline" or tokens[i - 1].type != "paragraph_open":
            continue
        children = inline.children
        if not children or children[-1].type != "text":
            continue
        last = children[-1]
        text = last.content
        caret = text.rfind("^")
        if caret < 0:
            continue
        if caret > 0:
            if text[caret - 1] not in " \t":
                continue
        elif len(children) > 1 and children[-2].type != "softbreak":
            continue  # "**x**^id": the caret must follow whitespace or start a line
        ident = text[caret + 1 :]
        if not _BLOCK_ID.fullmatch(ident):
            continue
        last.content = text[:caret].rstrip(" \t")
        if not last.content:
            children.pop()
        token = Token("block_id", "", 0)
        token.content = ident
        token.meta = {"id": ident}
        children.append(token)


def inline_text(children: Sequence[Token], brk: str = "\n") -> str:
    """The readable text of an inline token's children, without rendering HTML."""
    if len(children) == 1 and children[0].type == "text":
        return str(children[0].content)  # plain text: most inline content
    parts: list[str] = []
    for tok in children:
        kind = tok.type
        if kind in ("text", "text_special", "code_inline"):
            parts.append(tok.content)
        elif kind in ("softbreak", "hardbreak"):
            parts.append(brk)
        elif kind == "wikilink" or (kind == "embed" and not is_image(tok.meta["target"])):
            parts.append(tok.meta["target"].display())
        elif kind == "tag":
            parts.append("#" + tok.content)
        elif kind == "image" and tok.children:
            parts.append(inline_text(tok.children, brk))
    return "".join(parts)


def heading_anchor_rule(state: StateCore) -> None:
    """Give every heading a unique Unicode slug as its ``id``, and its plain text in ``meta``."""
    seen: dict[str, int] = {}
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[i + 1]
        text = inline_text(inline.children or (), " ").strip()
        slug = unique_slug(slugify(text) or "section", seen)
        token.attrSet("id", slug)
        token.meta["slug"] = slug
        token.meta["text"] = text


# --- table cells holding a date ---------------------------------------------------------------

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def date_cell_rule(state: StateCore) -> None:
    """A table cell holding only a date (``2026-05-12``, a changelog's first column) gets the
    class ``date``: the page keeps it on one line, where a phone would break it at a hyphen."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type == "td_open":
            inline = tokens[index + 1]
            if inline.type == "inline" and _DATE.fullmatch(inline.content.strip()):
                token.attrJoin("class", "date")
