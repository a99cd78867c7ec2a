"""Link parsing checked against other engines' own test cases (``../shared/fixtures/peer/``).

Every case of the selected kinds runs, one test per case id. Where a peer disagrees with what
Obsidian documents, ``tests/data/peer_disagreements.json`` says so and holds what kgwiki does
instead; those cases assert kgwiki's behaviour, they are never skipped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from markdown_it.token import Token
from paths import DATA, SHARED

from kgwiki.markdown import parse
from kgwiki.markdown.rules import inline_text
from kgwiki.slug import slugify
from kgwiki.wikilink import WikiTarget, parse_href, parse_inner

PEER_DIR = SHARED / "fixtures" / "peer"
DISAGREEMENTS: dict[str, dict[str, Any]] = {
    d["id"]: d
    for d in json.loads(
        (DATA / "peer_disagreements.json").read_text(encoding="utf-8")
    )
}
OBSIDIAN_KINDS = {
    "parse_inner",
    "display_text",
    "wikilink_to_mdlink_line",
    "unchanged_line_not_a_link",
}


def _case_ids(name: str, kinds: set[str] | None = None) -> list[str]:
    """Case ids for parametrisation; empty when ../shared is absent (``shared_dir`` then skips)."""
    path = PEER_DIR / name
    if not path.is_file():
        return []
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    return [c["id"] for c in cases if kinds is None or c.get("kind") in kinds]


def _params(name: str, kinds: set[str] | None = None) -> list[Any]:
    return [pytest.param(case_id, id=case_id) for case_id in _case_ids(name, kinds)]


def _case(shared_dir: Path, name: str, case_id: str) -> dict[str, Any]:
    data = json.loads((shared_dir / "fixtures" / "peer" / name).read_text(encoding="utf-8"))
    return next(c for c in data["cases"] if c["id"] == case_id)


def _check(case_id: str, actual: object, expected: object) -> None:
    """Assert the peer's expectation, or kgwiki's recorded choice where the two disagree."""
    if case_id in DISAGREEMENTS:
        assert actual == DISAGREEMENTS[case_id]["ours"]
    else:
        assert actual == expected


def test_peer_fixtures_present(shared_dir: Path) -> None:
    for name in ("obsidian_export.json", "foam_markdown_link.json", "markdown_oxide.json"):
        assert (shared_dir / "fixtures" / "peer" / name).is_file()


def test_peers_mostly_agree(shared_dir: Path) -> None:
    """Known disagreements stay rare: at least 95% of the peer cases run here match the peer."""
    total = sum(
        len(_case_ids(name, kinds))
        for name, kinds in (
            ("obsidian_export.json", OBSIDIAN_KINDS),
            ("foam_markdown_link.json", None),
            ("markdown_oxide.json", None),
        )
    )
    assert total > 0
    assert 1 - len(DISAGREEMENTS) / total >= 0.95


def test_disagreements_name_real_cases(shared_dir: Path) -> None:
    ids: set[str] = set()
    for name in ("obsidian_export.json", "foam_markdown_link.json", "markdown_oxide.json"):
        data = json.loads((shared_dir / "fixtures" / "peer" / name).read_text(encoding="utf-8"))
        ids |= {c["id"] for c in data["cases"]}
    assert set(DISAGREEMENTS) <= ids
    assert all(d["reason"] and d["we_do"] for d in DISAGREEMENTS.values())


# --- walking the token stream ----------------------------------------------------------------


def _children(tokens: list[Token]) -> Iterator[tuple[Token, int, int, Token]]:
    """(inline parent, child index, source line, child) for every inline child, in order."""
    for parent in tokens:
        if parent.type != "inline" or not parent.children or parent.map is None:
            continue
        line = parent.map[0]
        for i, child in enumerate(parent.children):
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            yield parent, i, line, child


def _link_text(children: list[Token], start: int) -> str:
    end = next(i for i in range(start, len(children)) if children[i].type == "link_close")
    return inline_text(children[start + 1 : end])


def _first_link(text: str) -> WikiTarget | None:
    for parent, i, _, child in _children(parse(text)):
        if child.type in ("wikilink", "embed"):
            target: WikiTarget = child.meta["target"]
            return target
        if child.type == "link_open":
            return parse_href(str(child.attrs["href"]), _link_text(parent.children or [], i))
        if child.type == "image":
            return parse_href(str(child.attrs["src"]), inline_text(child.children or []))
    return None


# --- obsidian-export ---------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", _params("obsidian_export.json", OBSIDIAN_KINDS))
def test_obsidian_export(shared_dir: Path, case_id: str) -> None:
    case = _case(shared_dir, "obsidian_export.json", case_id)
    kind = case["kind"]
    if kind == "parse_inner":
        t = parse_inner(case["input"])
        _check(case_id, {"file": t.file, "section": t.section, "label": t.label}, case["expected"])
    elif kind == "display_text":
        given = case["input"]
        section = given["section"]
        headings = tuple(section.split("#")) if section else ()
        t = WikiTarget(given["file"], headings, None, given["label"])
        _check(case_id, t.display(), case["expected"])
    else:
        text = case["input"]
        if "fenced code block" in case.get("note", ""):
            text = f"```\n{text}\n```\n"
        _check(case_id, _exported_links(text, case["current_file"]), _md_links(case["expected"]))


def _exported_links(text: str, current_file: str) -> list[tuple[str, str, str]]:
    """Each wiki-link as obsidian-export writes it: (display text, file, anchor)."""
    out = []
    for _, _, _, child in _children(parse(text)):
        if child.type == "wikilink":
            t: WikiTarget = child.meta["target"]
            anchor = slugify(t.headings[-1]) if t.headings else ""
            file = t.file or current_file.removesuffix(".md")
            out.append((t.display(), file.casefold(), anchor if t.block is None else t.block))
    return out


_MD_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)]*)\)")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _md_links(line: str) -> list[tuple[str, str, str]]:
    """The Markdown links of obsidian-export's output line, in the same shape.

    The label is compared as written (backslash escapes undone): obsidian-export copies a
    wiki-link's label verbatim, ``**bold**`` included, and so does kgwiki's display text.
    """
    out = []
    for match in _MD_LINK.finditer(line):
        t = parse_href(match.group(2))
        assert t is not None and t.file is not None
        anchor = t.block if t.block is not None else t.headings[0] if t.headings else ""
        label = _MD_ESCAPE.sub(r"\1", match.group(1))
        out.append((label, t.file.removesuffix(".md").casefold(), anchor))
    return out


# --- foam --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case_id", _params("foam_markdown_link.json"))
def test_foam(shared_dir: Path, case_id: str) -> None:
    case = _case(shared_dir, "foam_markdown_link.json", case_id)
    text = case["input"]
    if ref := case.get("reference_definition"):
        text += f"\n\n[{ref['label']}]: {ref['url']}\n"
    t = _first_link(text)
    actual = None
    if t is not None:
        fields = {
            "target": t.file or "",
            "section": "#".join(t.headings),
            "blockId": t.block or "",
            "alias": t.label or "",
        }
        actual = {key: fields[key] for key in case["expected"]}
    _check(case_id, actual, case["expected"])


# --- markdown-oxide ----------------------------------------------------------------------------

_KINDS = {
    "wikilink": ("WikiFileLink", "WikiHeadingLink", "WikiIndexedBlockLink"),
    "link": ("MDFileLink", "MDHeadingLink", "MDIndexedBlockLink"),
}


def _reference(t: WikiTarget, family: str, display: str | None) -> dict[str, Any]:
    """One reference in markdown-oxide's terms (``.md`` stripped from the file name)."""
    file = (t.file or "").removesuffix(".md")
    kinds = _KINDS[family]
    ref: dict[str, Any] = {"kind": kinds[0], "reference_text": file, "display_text": display}
    if t.block is not None:
        ref.update(kind=kinds[2], reference_text=f"{file}#^{t.block}", args=[file, t.block])
    elif t.headings:
        section = "#".join(t.headings)
        ref.update(kind=kinds[1], reference_text=f"{file}#{section}", args=[file, section])
    return ref


def _span(line: str, pattern: str, cursor: int) -> tuple[int, int]:
    """Where the raw text of a reference sits on its line (markdown-it has no columns)."""
    match = re.compile(pattern).search(line, cursor)
    assert match is not None, (pattern, line)
    return match.start(), match.end()


_MD_LINK_TAIL = r"(?:\((?:<[^>]*>|[^()\s]*)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\)|\[[^\]]*\])?"


def _oxide_references(text: str) -> list[dict[str, Any]]:
    lines = text.split("\n")
    refs: list[dict[str, Any]] = []
    cursor: dict[int, int] = {}
    for parent, i, line_no, child in _children(parse(text)):
        line = lines[line_no]
        if child.type == "wikilink":
            assert parent.map is not None
            assert line_no == parent.map[0] + child.meta["line_offset"]
            start, end = _span(line, re.escape(f"[[{child.content}]]"), cursor.get(line_no, 0))
            ref = _reference(child.meta["target"], "wikilink", child.meta["target"].label)
        elif child.type == "link_open":
            label = _link_text(parent.children or [], i)
            pattern = re.escape(f"[{label}]") + _MD_LINK_TAIL
            start, end = _span(line, pattern, cursor.get(line_no, 0))
            target = parse_href(str(child.attrs["href"]), label)
            assert target is not None
            ref = _reference(target, "link", label)
            if line[end - 1] == "]":  # [label] or [label][ref]: a reference-style link
                ref = {"kind": "LinkRef", "reference_text": label, "display_text": None}
        elif child.type == "footnote_ref":
            label = child.meta["label"]
            start, end = _span(line, re.escape(f"[^{label}]"), cursor.get(line_no, 0))
            ref = {"kind": "Footnote", "reference_text": f"^{label}", "display_text": None}
        else:
            continue
        cursor[line_no] = end
        ref["range"] = {
            "start": {"line": line_no, "character": start},
            "end": {"line": line_no, "character": end},
        }
        refs.append(ref)
    return refs


@pytest.mark.parametrize("case_id", _params("markdown_oxide.json"))
def test_markdown_oxide(shared_dir: Path, case_id: str) -> None:
    case = _case(shared_dir, "markdown_oxide.json", case_id)
    _check(case_id, _compact(_oxide_references(case["input"])), _compact(case["expected"]))


def _compact(refs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop null fields: markdown-oxide's cases leave unasserted fields null."""
    return [{k: v for k, v in ref.items() if v is not None} for ref in refs]
