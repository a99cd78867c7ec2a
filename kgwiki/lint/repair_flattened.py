"""Rewrite a flattened note with its line breaks, and prove the rewrite lost nothing.

The parser already recovers a flattened note in memory (``kgwiki.note.flattened``). The repair
writes that recovery to disk, with three differences: lines after the first (a file only
partly flattened) are kept byte for byte instead of being re-flowed; the file's newline
style and BOM are kept; and the result is checked before anything is written: it must parse
as an ordinary note with the same frontmatter, title and links as the note kgwiki showed.

One more thing is recovered than at parse time: a block list joined onto its key's line
(``tags: - sre - cloud``, which no YAML reads) is put back as a list under its key.

Code blocks keep their code on one line: where the line breaks were inside code cannot be
known (a ``#`` or ``//`` comment may already swallow the rest), and guessing would change it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from kgwiki.authoring import EditRefused, TextFile, split_lines
from kgwiki.note import (
    Note,
    is_flattened,
    parse_note,
    recover_frontmatter,
    split_flattened,
    unflatten_body,
)
from kgwiki.types import NotePath


def unflatten_text(text: str) -> str | None:
    """The note with frontmatter and body on their own lines; None when it is not flattened."""
    first, newline, rest = text.partition("\n")
    ending = "\r\n" if first.endswith("\r") else "\n"
    first = first.removesuffix("\r")
    if not is_flattened(first):
        return None
    flat_meta, flat_body = split_flattened(first)
    body = unflatten_body(flat_body) if flat_body.strip() else ""
    head = "---\n" + recover_frontmatter(flat_meta) + "---\n" + body
    if ending != "\n":
        head = head.replace("\n", ending)
    if newline and rest:
        return head + rest
    return head


def repair_flattened(
    file: TextFile, shown: Note, path: NotePath, labels: Mapping[str, str]
) -> TextFile:
    """The repaired file, checked against ``shown`` (the note as parsed); EditRefused if unsafe."""
    repaired = unflatten_text(file.text)
    if repaired is None:
        raise EditRefused(f"{path}: not a flattened note")
    result = TextFile(split_lines(repaired), file.encoding, file.bom)
    problem = _lost(shown, parse_note(path, result.encode(path), labels))
    if problem:
        raise EditRefused(f"{path}: cannot repair the flattened note safely: {problem}; "
                          "restore its line breaks by hand")  # fmt: skip
    return result


def _lost(shown: Note, repaired: Note) -> str | None:
    """What the repaired note would lose or change compared to the one kgwiki showed."""
    if repaired.flattened:
        return "it would still be flattened"
    broken = [d for d in repaired.diagnostics if d.code.startswith("frontmatter-")]
    if broken:
        return f"the recovered frontmatter does not load ({broken[0].message})"
    salvaged = any(d.code == "frontmatter-yaml" for d in shown.diagnostics)
    if salvaged:  # shown from the `key: value` lines that loaded: each must still be there
        if not set(shown.meta.raw) <= set(repaired.meta.raw):
            return "the recovered frontmatter lacks keys the note showed"
    elif dict(repaired.meta.raw) != dict(shown.meta.raw):
        return "the recovered frontmatter differs from the one shown"
    if repaired.title != shown.title:
        return f"the title would become {repaired.title!r}"
    before = Counter((link.target.file, link.relation) for link in shown.links)
    after = Counter((link.target.file, link.relation) for link in repaired.links)
    if before != after:
        missing = sorted(str(t) for t in (before - after) | (after - before))
        return f"its links would change ({', '.join(missing[:3])})"
    return None
