"""The configured parser: fixture files of input → HTML, token-level link cases, the seed note."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import paths
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import read_fixture_file

from kgwiki.markdown.parser import (
    MD,
    DefaultLinkRenderer,
    create_markdown,
    parse,
    plain_text,
    render,
)
from kgwiki.slug import slugify, unique_slug
from kgwiki.wikilink import WikiTarget, parse_inner

DATA = paths.DATA / "markdown"
FIXTURES = sorted(DATA.glob("*.txt"))


def _fixture_cases() -> list[Any]:
    return [
        pytest.param(source, expected, id=f"{path.stem}:{line}:{title}")
        for path in FIXTURES
        if path.name != "emphasis_unchanged.txt"
        for line, title, source, expected in read_fixture_file(path)
    ]


@pytest.mark.parametrize(("source", "expected"), _fixture_cases())
def test_fixture(source: str, expected: str) -> None:
    assert render(parse(source)) == expected


_COMMONMARK = MarkdownIt("commonmark").enable("strikethrough")


@pytest.mark.parametrize(
    "source", (DATA / "emphasis_unchanged.txt").read_text(encoding="utf-8").splitlines()
)
def test_emphasis_without_cjk_is_plain_commonmark(source: str) -> None:
    assert render(parse(source)) == _COMMONMARK.render(source)


# --- tokens: targets, lines, tags, block ids -------------------------------------------------


def _found(tokens: list[Token]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for tok in tokens:
        if tok.type != "inline" or tok.map is None:
            continue
        line = tok.map[0]
        for child in tok.children or []:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type in ("wikilink", "embed"):
                t: WikiTarget = child.meta["target"]
                assert set(child.meta) == {"target", "line_offset"}
                assert tok.map[0] + child.meta["line_offset"] == line
                found.append(
                    {
                        "type": child.type,
                        "content": child.content,
                        "file": t.file,
                        "headings": list(t.headings),
                        "block": t.block,
                        "label": t.label,
                        "line": line,
                    }
                )
            elif child.type == "tag":
                assert child.meta == {"tag": child.content}
                found.append({"type": "tag", "tag": child.meta["tag"], "line": line})
            elif child.type == "block_id":
                assert child.meta == {"id": child.content}
                found.append({"type": "block_id", "id": child.meta["id"], "line": line})
    return found


_LINK_CASES = json.loads((DATA / "links.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", [pytest.param(c, id=c["title"]) for c in _LINK_CASES])
def test_link_tokens(case: dict[str, Any]) -> None:
    assert _found(parse(case["input"])) == case["expected"]


def test_wikilink_meta_is_exactly_target_and_line_offset() -> None:
    children = parse("a\nb [[X#H|y]]")[1].children or []
    link = next(c for c in children if c.type == "wikilink")
    assert link.content == "X#H|y"
    assert link.meta == {"target": parse_inner("X#H|y"), "line_offset": 1}


# --- headings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"), json.loads((DATA / "slugs.json").read_text(encoding="utf-8"))
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_unique_slug_never_repeats_an_anchor() -> None:
    seen: dict[str, int] = {}
    got = [unique_slug(s, seen) for s in ["a", "a", "a-1", "a", "b", "a-2"]]
    assert got == ["a", "a-1", "a-1-1", "a-2", "b", "a-2-1"]


def test_heading_meta() -> None:
    tokens = parse("# 🔗 Graph\n\n## 🔗 Graph\n")
    heads = [t for t in tokens if t.type == "heading_open"]
    assert [(h.attrs["id"], h.meta["slug"], h.meta["text"]) for h in heads] == [
        ("graph", "graph", "🔗 Graph"),
        ("graph-1", "graph-1", "🔗 Graph"),
    ]


def _seed_body(shared_dir: Path, name: str) -> str:
    text = (shared_dir / "seeds" / name).read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return text.split("\n---\n", 1)[1]  # frontmatter is frontmatter.py's job


def test_seed_blog_headings(shared_dir: Path) -> None:
    tokens = parse(_seed_body(shared_dir, "system-architecture-blog.md"))
    heads = [t for t in tokens if t.type == "heading_open"]
    slugs = [h.meta["slug"] for h in heads]
    assert len(heads) == 40
    assert len(set(slugs)) == len(slugs)
    assert slugs[:6] == [
        "backend-development-시스템-아키텍처란",
        "시스템-아키텍처란",
        "시스템-아키텍처의-개념",
        "시스템-아키텍처의-역할",
        "시스템-아키텍처의-주요-구성-요소",
        "클라이언트client",
    ]
    assert slugs.count("장점") == 1 and "장점-3" in slugs and "특징-3" in slugs
    assert heads[1].meta["text"] == "✅1️⃣ 시스템 아키텍처란?"
    assert all(h.attrs["id"] == h.meta["slug"] for h in heads)


def test_seed_blog_strong_and_plain_text(shared_dir: Path) -> None:
    tokens = parse(_seed_body(shared_dir, "system-architecture-blog.md"))
    children = [c for t in tokens for c in t.children or []]
    assert sum(c.type == "strong_open" for c in children) == 29
    assert not any("**" in c.content for c in children if c.type == "text")
    text = plain_text(tokens)
    assert "확장성(Scalability) : 사용자가 증가해도" in text
    assert "<" not in text and "**" not in text


def test_seed_server_graph_links(shared_dir: Path) -> None:
    """The flattened seed is one paragraph, but its wiki-links are all still found."""
    text = (shared_dir / "seeds" / "server-architecture.md").read_text(encoding="utf-8")
    children = [c for t in parse(text) for c in t.children or []]
    targets = [c.meta["target"].file for c in children if c.type == "wikilink"]
    assert targets[:2] == ["Distributed Systems", "Cloud Native"]
    assert "Observability" in targets


# --- rendering and plain text -----------------------------------------------------------------


class _Links:
    def wikilink(self, target: WikiTarget, text: str) -> str:
        return f"<W {target.file}|{text}>"

    def embed(self, target: WikiTarget, raw: str) -> str:
        return f"<E {raw}>"

    def tag(self, tag: str) -> str:
        return f"<T {tag}>"


def test_env_link_renderer_is_used() -> None:
    html = render(parse("[[A#H]] ![[B|300]] #t"), {"links": _Links()})
    assert html == "<p><W A|A > H> <E B|300> <T t></p>\n"  # text arrives unescaped


def test_default_renderer_escapes() -> None:
    links = DefaultLinkRenderer()
    html = links.wikilink(parse_inner('x"y'), "<script>alert(1)</script>")
    assert html == '<a class="wikilink" href="xy">&lt;script&gt;alert(1)&lt;/script&gt;</a>'
    img = links.embed(parse_inner('a"b.png|<x>'), 'a"b.png|<x>')
    assert img == '<img class="embed" src="a%22b.png" alt="&lt;x&gt;">'
    assert "<script>" not in render(parse("[[a|<script>x</script>]] ![[<script>]]"))


def test_plain_text_walks_tokens() -> None:
    source = (
        "# Title 🔗\n\nSee [[Note|the label]], [[Other#Part]] and `code` #tag ^blk\n\n"
        "| a | b |\n|---|---|\n| [[x\\|cell]] | **two** |\n\n"
        "```py\nprint(1)\n```\n\n<div>raw html</div>\n\n[link text](https://x.com) ![alt](i.png)\n"
    )
    assert plain_text(parse(source)) == (
        "Title 🔗\n"
        "See the label, Other > Part and code #tag\n"
        "a b\n"
        "cell two\n"
        "print(1)\n"
        "link text alt"
    )


def _sample_texts(shared_dir: Path) -> list[str]:
    texts = [case[2] for path in FIXTURES for case in read_fixture_file(path)]
    texts += [case["input"] for case in _LINK_CASES]
    texts += [p.read_text(encoding="utf-8") for p in sorted((shared_dir / "seeds").glob("*.md"))]
    suite = shared_dir / "fixtures" / "peer" / "obsidian-export-suite" / "tests" / "testdata"
    texts += [p.read_text(encoding="utf-8") for p in sorted(suite.rglob("*.md"))]
    for path in sorted((shared_dir / "fixtures" / "peer").glob("*.json")):
        cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
        texts += [c["input"] for c in cases if isinstance(c["input"], str)]
    return texts


def test_fewer_text_stops_change_no_output(shared_dir: Path) -> None:
    """Text stops only where an enabled rule can start; markdown-it's wider set agrees."""
    wide = create_markdown()
    wide.inline.terminator_re = MarkdownIt().inline.terminator_re
    texts = _sample_texts(shared_dir)
    assert len(texts) > 200
    for text in texts:
        assert render(parse(text)) == wide.renderer.render(wide.parse(text, {}), wide.options, {})


def test_create_markdown_builds_independent_parsers() -> None:
    md = create_markdown()
    assert md is not MD
    assert md.parse("[[A]]", {})[1].children[0].type == "wikilink"  # type: ignore[index]
    assert MD.options["linkify"] is False and MD.options["html"] is True
