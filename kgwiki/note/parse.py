"""``Note``: everything kgwiki knows about one Markdown file, parsed once from its bytes."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from kgwiki.config import DEFAULT_RELATION_LABELS
from kgwiki.diagnostics import Diagnostic, Severity
from kgwiki.markdown import Token, parse, plain_text
from kgwiki.note import flattened
from kgwiki.note.changelog_table import ChangelogTable
from kgwiki.note.collect import Collected, collect
from kgwiki.note.frontmatter import load_frontmatter, split_frontmatter
from kgwiki.note.records import Heading, Link, LinkKind
from kgwiki.note.schema import NoteMeta, normalise_meta
from kgwiki.note.sections import (
    ChangelogEntry,
    SectionKind,
    relation_kind,
    section_kind,
)
from kgwiki.note.textio import decode_note, looks_binary
from kgwiki.types import NotePath, Slug, pickled_by_fields
from kgwiki.wikilink import parse_inner

MAX_NOTE_BYTES = 20 * 1024 * 1024


@pickled_by_fields
@dataclass(frozen=True, slots=True)
class Note:
    """One file's parsed data. Pure data: no I/O, no knowledge of other notes."""

    path: NotePath
    meta: NoteMeta
    title: str
    body: str
    body_line: int
    headings: tuple[Heading, ...]
    links: tuple[Link, ...]
    tags: tuple[str, ...]
    block_ids: tuple[str, ...]
    changelog: tuple[ChangelogEntry, ...]
    text: str
    content_hash: str
    size: int
    flattened: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()
    frontmatter_raw: str | None = None

    @property
    def stem(self) -> str:
        return path_stem(self.path)

    @property
    def aliases(self) -> tuple[str, ...]:
        return self.meta.aliases

    @property
    def h1_sections(self) -> bool:
        """Whether its level-1 headings are sections (``has_h1_sections``): none is its title."""
        return has_h1_sections(self.headings)

    @property
    def id(self) -> str | None:
        return self.meta.id


def path_stem(path: str) -> str:
    """``a/b.md`` → ``b``: what ``PurePosixPath(path).stem`` gives, without building a path."""
    name = path.rpartition("/")[2]
    dot = name.rfind(".")
    return name[:dot] if 0 < dot < len(name) - 1 else name


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def parse_note(
    path: NotePath, data: bytes, relation_labels: Mapping[str, str] = DEFAULT_RELATION_LABELS
) -> Note:
    """Parse one file's bytes into a Note; problems become diagnostics, never exceptions."""
    return parse_note_tokens(path, data, relation_labels)[0]


def parse_note_tokens(
    path: NotePath, data: bytes, relation_labels: Mapping[str, str] = DEFAULT_RELATION_LABELS
) -> tuple[Note, list[Token]]:
    """``parse_note`` and the body's token stream it was read from (empty for a binary file).

    The tokens are ``kgwiki.markdown.parser.parse(note.body)``, untouched: a caller that would parse
    the body again (to draw it, say) can use them instead.
    """
    digest = content_hash(data)
    diagnostics: list[Diagnostic] = []
    if looks_binary(data):
        diagnostics.append(
            Diagnostic(path, 1, "binary-file", "file is binary, not Markdown text", Severity.ERROR)
        )
        return _empty_note(path, digest, len(data), diagnostics), []
    if len(data) > MAX_NOTE_BYTES:
        diagnostics.append(
            Diagnostic(
                path,
                1,
                "file-too-large",
                f"{len(data)} bytes; only the first {MAX_NOTE_BYTES} are parsed",
                Severity.WARNING,
            )
        )
        data = data[:MAX_NOTE_BYTES]
    decoded = decode_note(data, path)
    diagnostics.extend(decoded.diagnostics)
    text = decoded.text
    is_flat = flattened.is_flattened(text)
    if is_flat:
        flat_meta, flat_body = flattened.split_flattened(text)
        raw_fm: str | None = flattened.recover_frontmatter(flat_meta)
        body, body_line = flattened.unflatten_body(flat_body), 1
        diagnostics.append(
            Diagnostic(
                path,
                1,
                "flattened-note",
                "frontmatter and body are on one line; "
                "`kgwiki lint --fix` restores the line breaks",
                Severity.WARNING,
            )
        )
    else:
        split = split_frontmatter(text)
        raw_fm, body, body_line = split.raw, split.body, split.body_line
    raw: dict[str, Any] = {}
    if raw_fm is not None:
        raw, fm_diagnostics = load_frontmatter(raw_fm, path)
        diagnostics.extend(_at_line_one(fm_diagnostics) if is_flat else fm_diagnostics)
    meta, meta_diagnostics = normalise_meta(raw, path)
    diagnostics.extend(meta_diagnostics)
    walked = _walk(path, body, 0 if is_flat else body_line - 1, is_flat, relation_labels)
    diagnostics.extend(walked.changelog.diagnostics)
    links = [*_frontmatter_links(raw, raw_fm or ""), *walked.found.links]
    opening = None if has_h1_sections(walked.headings) else _opening_h1(walked.tokens)
    title = meta.title or opening or PurePosixPath(path).stem
    tags = _unique((*meta.tags, *walked.found.tags))
    note = Note(
        path=path,
        meta=meta,
        title=title,
        body=body,
        body_line=body_line,
        headings=tuple(walked.headings),
        links=tuple(links),
        tags=tags,
        block_ids=tuple(walked.found.block_ids),
        changelog=tuple(walked.changelog.entries),
        text=walked.text,
        content_hash=digest,
        size=len(data),
        flattened=is_flat,
        diagnostics=tuple(diagnostics),
        frontmatter_raw=raw_fm,
    )
    return note, walked.tokens


def _at_line_one(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [Diagnostic(d.path, 1, d.code, d.message, d.severity) for d in diagnostics]


def _empty_note(path: NotePath, digest: str, size: int, diagnostics: list[Diagnostic]) -> Note:
    return Note(
        path=path,
        meta=NoteMeta(),
        title=PurePosixPath(path).stem,
        body="",
        body_line=1,
        headings=(),
        links=(),
        tags=(),
        block_ids=(),
        changelog=(),
        text="",
        content_hash=digest,
        size=size,
        diagnostics=tuple(diagnostics),
    )


def _unique(items: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.casefold(), item)
    return tuple(seen.values())


def _frontmatter_links(raw: Mapping[str, Any], raw_text: str) -> list[Link]:
    """``[[links]]`` written inside frontmatter string values (kepano's ``categories``)."""
    links: list[Link] = []
    lines = raw_text.split("\n")
    for key, value in raw.items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not isinstance(item, str) or "[[" not in item:
                continue
            start = item.find("[[")
            end = item.find("]]", start)
            if end < 0:
                continue
            line = next((i + 2 for i, text in enumerate(lines) if text.startswith(f"{key}:")), 2)
            if key in ("duplicate_of", "canonical_id"):
                continue  # declared duplicates are read from the schema, not as plain links
            # the context a backlink shows: the property and the value that names the note
            links.append(Link(parse_inner(item[start + 2 : end]), LinkKind.FRONTMATTER, line,
                              context=f"{key}: {item}"))
    return links


@dataclass(slots=True)
class _Walk:
    headings: list[Heading]
    found: Collected
    changelog: ChangelogTable
    text: str
    tokens: list[Token]


def has_h1_sections(headings: Iterable[Heading]) -> bool:
    """Whether a note's level-1 headings are sections: it has more than one (SilverBullet's
    ``# Context`` … ``# Decision``), so none of them is the note's title."""
    return sum(1 for heading in headings if heading.level == 1) > 1


def _opening_h1(tokens: list[Token]) -> str | None:
    """The text of the level-1 heading the body opens with (HTML comments before it aside),
    or None: a ``# …`` further down is a section of the note, not its name (as MkDocs reads
    it; SilverBullet and Obsidian notes often start with prose and use ``#`` for sections).
    The caller asks only when it is the note's one level-1 heading (``Note.h1_sections``)."""
    for index, token in enumerate(tokens):
        if token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            continue
        if token.type != "heading_open" or token.tag != "h1":
            return None
        inline = tokens[index + 1]
        return str(token.meta.get("text", inline.content)) if token.meta else inline.content
    return None


def _walk(path: NotePath, body: str, offset: int, flat: bool, labels: Mapping[str, str]) -> _Walk:
    """One pass over the token stream: headings and the sections they open; a Changelog
    section's table goes to ``ChangelogTable``, each inline's links and tags to ``collect``."""
    tokens = parse(body)
    lines = body.split("\n")
    headings: list[Heading] = []
    found = Collected()
    table = ChangelogTable(path)
    line_base = None if flat else offset
    section: SectionKind | None = None
    section_level = 0
    for index, token in enumerate(tokens):
        kind = token.type
        if kind == "heading_open":
            level = int(token.tag[1])
            inline = tokens[index + 1]
            text = str(token.meta.get("text", inline.content)) if token.meta else inline.content
            line = 1 if flat else offset + (token.map[0] if token.map else 0) + 1
            headings.append(Heading(level, text, Slug(str(token.attrGet("id") or "")), line))
            if section is not None and level <= section_level:
                section = None
            opened = section_kind(text)
            if opened is not None:
                section, section_level = opened, level
            continue
        in_changelog = section is SectionKind.CHANGELOG
        if in_changelog:
            table.block(token, 1 if flat else offset + (token.map[0] if token.map else 0) + 1)
        if kind != "inline" or token.children is None:
            continue
        if in_changelog and tokens[index - 1].type in ("td_open", "th_open"):
            table.cell(token.content)
        children = token.children
        if len(children) == 1 and children[0].type == "text":
            continue  # plain text: no link, tag or block id (most inline content)
        relation = None
        if section is SectionKind.GRAPH:
            lead = token.content.split("[[", 1)[0]
            relation = relation_kind(lead, labels) if ":" in lead or "：" in lead else None
        collect(found, token, lines, token.map[0] if token.map else 0, line_base, relation)
    return _Walk(headings, found, table, plain_text(tokens), tokens)
