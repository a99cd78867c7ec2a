"""A backlink's line of context as a reader sees it: text, not Markdown."""

from __future__ import annotations

import re

from kgwiki.wikilink import parse_inner

_WIKI = re.compile(r"!?\[\[([^\]|]*)(?:\\?\|([^\]]*))?\]\]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
_CUT_WIKI = re.compile(r"!?\[\[([^\]|]*)(?:\\?\|([^\]]*))?\]?$")
_CUT_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*$")
_MARKS = tuple(re.compile(p) for p in (
    r"`+([^`]+)`+", r"\*\*(.+?)\*\*", r"__(.+?)__", r"==(.+?)==", r"~~(.+?)~~",
    r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)",
))  # fmt: skip
_CELL = re.compile(r"\s*(?<!\\)\|\s*")  # a table row's cell border (not an escaped \|)
_LEAD = re.compile(r"^\s*(?:>\s*)*(?:[-*+]\s+(?:\[.\]\s+)?|\d+[.)]\s+)?")


def context_text(line: str) -> str:
    """A backlink's line as a reader sees it: wiki-links and Markdown links as their text
    (a wiki-link without a label as Obsidian shows it: ``Note > Heading``), no code, emphasis,
    highlight or strike marks, no list or quote marker before it, a table row's cells
    between dots."""
    text = _WIKI.sub(lambda m: (m.group(2) or parse_inner(m.group(1)).display()).strip(), line)
    # a line cut short (contexts are kept to a length) may end inside a link
    text = _CUT_WIKI.sub(lambda m: m.group(2) or parse_inner(m.group(1)).display(), text)
    text = _MD_LINK.sub(r"\1", text)
    text = _CUT_MD_LINK.sub(r"\1", text)
    for pattern in _MARKS:
        text = pattern.sub(r"\1", text)
    if text.lstrip().startswith("|"):  # a table row: its cells, without the borders
        cells = (cell.replace("\\|", "|") for cell in _CELL.split(text.strip()))
        text = " · ".join(cell for cell in cells if cell)
    return _LEAD.sub("", text).strip()
