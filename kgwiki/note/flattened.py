"""Detect and repair a *flattened* note: frontmatter and body collapsed onto one line.

Real vaults contain such files (a sync tool or an LLM joined every line with a space). The
frontmatter is recovered key by key; the body's block structure (headings, lists, tables, code
fences, quotes) is recovered from the markers Markdown puts at the start of a line.
"""

from __future__ import annotations

import re

from kgwiki.note.schema import KNOWN_KEYS

_KEY = re.compile(r"(?:^|(?<=\s))([A-Za-z_][A-Za-z0-9_-]*):(?=\s|$)")
_CLOSE = re.compile(r"\s---(?:\s|$)")
_FENCE = re.compile(r"```([\w+#.-]*)")
_HEADING = re.compile(r"(?:^|\s)(#{1,6}) (?=\S)")
_HEADING_END = re.compile(r" (?=> |- |\d+\. |\| |\*\*)")
_BLOCK_START = re.compile(r" (?=- |\d+\. )")
_DASH_VALUE = re.compile(r"([ \t]*)([A-Za-z_][A-Za-z0-9_-]*):[ \t]+(-[ \t].*)")
_QUOTED = re.compile(r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*')")
_DASH = re.compile(r"(?:^|[ \t])-(?:[ \t]|$)")


def is_flattened(text: str) -> bool:
    """True when the first line opens frontmatter and also closes it (``--- a: 1 --- body``)."""
    if not text.startswith("--- "):
        return False
    first_line = text.split("\n", 1)[0]
    return _CLOSE.search(first_line, 3) is not None and ":" in first_line


def split_flattened(text: str) -> tuple[str, str]:
    """The flat frontmatter and the flat body of a flattened note."""
    first_line, _, rest = text.partition("\n")
    closing = _CLOSE.search(first_line, 3)
    assert closing is not None, "call is_flattened() first"
    flat_meta = first_line[4 : closing.start()].strip()
    body = first_line[closing.end() :].strip()
    if rest.strip():
        body = body + "\n" + rest
    return flat_meta, body


def recover_frontmatter(flat: str) -> str:
    """Rebuild YAML lines from ``key: value key: value`` (nested keys after an empty value)."""
    matches = list(_KEY.finditer(flat))
    pairs: list[tuple[str, str]] = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(flat)
        pairs.append((match[1], flat[match.end() : end].strip()))
    lines: list[str] = []
    nested = False
    for key, value in pairs:
        if nested and key in KNOWN_KEYS:
            nested = False
        indent = "  " if nested else ""
        lines.append(_block_list(f"{indent}{key}: {value}".rstrip()))
        if not value and not nested:
            nested = True
    return "\n".join(lines) + "\n"


def _block_list(line: str) -> str:
    """``tags: - a - "b - c"`` → ``tags:`` and one ``  - item`` line per item (quotes kept)."""
    match = _DASH_VALUE.fullmatch(line)
    if match is None:
        return line
    indent, key, value = match.groups()
    items: list[str] = []
    current = ""
    for index, part in enumerate(_QUOTED.split(value)):
        if index % 2:  # a quoted scalar: never split inside it
            current += part
            continue
        pieces = _DASH.split(part)
        current += pieces[0]
        for piece in pieces[1:]:
            items.append(current)
            current = piece
    items.append(current)
    kept = [item.strip() for item in items if item.strip()]
    return "\n".join([f"{indent}{key}:", *(f"{indent}  - {item}" for item in kept)])


def unflatten_body(body: str) -> str:
    """Put a flattened body's blocks back on their own lines."""
    blocks: list[str] = []
    pieces = _FENCE.split(body)
    # _FENCE.split alternates: text, lang, text, lang, ...; fences open and close in turn.
    inside = False
    text_parts = pieces[0::2]
    langs = [*pieces[1::2], ""]
    for index, part in enumerate(text_parts):
        if inside:
            blocks.append(part.strip())
            blocks[-1] = _fence_block(langs[index - 1], part)
        else:
            blocks.extend(_prose_blocks(part))
        inside = not inside if index < len(text_parts) - 1 else inside
    return "\n\n".join(b for b in blocks if b) + "\n"


def _fence_block(lang: str, code: str) -> str:
    return f"```{lang}\n{code.strip()}\n```"


def _prose_blocks(text: str) -> list[str]:
    blocks: list[str] = []
    starts = [m.start(1) for m in _HEADING.finditer(text)]
    if not starts or starts[0] > 0:
        starts.insert(0, 0)
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chunk = text[start:end].strip()
        if not chunk:
            continue
        if chunk.startswith("#"):
            cut = _HEADING_END.search(chunk, chunk.index(" ") + 1)
            heading, chunk = (
                (chunk[: cut.start()], chunk[cut.start() :].strip()) if cut else (chunk, "")
            )
            blocks.append(heading.strip())
        if chunk:
            blocks.extend(_content_blocks(chunk))
    return blocks


def _content_blocks(chunk: str) -> list[str]:
    blocks: list[str] = []
    while chunk:
        if chunk.startswith("|"):
            table, chunk = _take_table(chunk)
            blocks.append(table)
            continue
        head, chunk = (chunk, "") if " |" not in chunk else _split_before_table(chunk)
        blocks.append(_BLOCK_START.sub("\n", head.strip()))
    return blocks


def _split_before_table(chunk: str) -> tuple[str, str]:
    match = re.search(r"\s(\|[^|]+\|[^\n]*?\|\s*-{3,})", chunk)
    if match is None:
        return chunk, ""
    return chunk[: match.start()], chunk[match.start(1) :]


def _take_table(chunk: str) -> tuple[str, str]:
    """Cut rows by the header's cell count; what follows the last row is the next block."""
    cells = re.split(r"(?<!\\)\|", chunk)
    # cells[0] is "" (the text before the first pipe); a row of k cells uses k+1 pipes.
    header_end = 1
    while header_end < len(cells) and not re.fullmatch(r"\s*:?-{3,}:?\s*", cells[header_end]):
        header_end += 1
    width = max(1, header_end // 2)
    rows: list[str] = []
    index = 1
    while index + width <= len(cells) - 1:
        row = cells[index : index + width]
        rows.append("|" + "|".join(row) + "|")
        index += width + 1  # skip the blank "cell" between one row's last pipe and the next's first
        if index - 1 < len(cells) and cells[index - 1].strip():
            index -= 1
            break
    rest = "|".join(cells[index:]).strip() if index < len(cells) else ""
    return "\n".join(r.strip() for r in rows), rest
