"""SilverBullet's ``${…}`` live expressions are shown as code, and their Lua is never links."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kgwiki.graph import KnowledgeGraph
from kgwiki.markdown.live_expressions import TOKEN
from kgwiki.markdown.parser import create_markdown, parse, plain_text, render
from kgwiki.vault import Vault
from kgwiki.web.render import sanitise

SLOW = create_markdown(fastpath=False)


def _docs(shared_dir: Path) -> Path:
    return shared_dir / "corpora" / "silverbullet-docs"


def test_the_adr_page_shows_its_queries_as_code(shared_dir: Path) -> None:
    text = (_docs(shared_dir) / "ADR.md").read_text(encoding="utf-8")
    tokens = parse(text)
    blocks = [t for t in tokens if t.type == TOKEN]
    assert len(blocks) >= 3
    assert blocks[1].content.startswith("${query[[\n  from p = index.pages(\"adr\")")
    assert blocks[1].content.rstrip().endswith("]]}")
    assert blocks[1].map is not None and text.splitlines()[blocks[1].map[1] - 1] == "]]}"
    html = sanitise(render(tokens))
    assert '<pre class="live-expression"' in html
    assert 'ADR = "[[" .. p.name .. "]]",' in html  # shown as written (text needs no &quot;)
    assert 'href="architecture"' in html  # the prose around it keeps its links
    assert [t.type for t in SLOW.parse(text, {})] == [t.type for t in tokens]


def test_no_lua_string_becomes_a_wanted_note(shared_dir: Path, tmp_path: Path) -> None:
    """Before, 15 wanted "notes" were Lua: ``" .. p.name .. "``, ``from index.pages("adr")``."""
    docs = tmp_path / "silverbullet-docs"
    shutil.copytree(_docs(shared_dir), docs)
    vault = Vault.load(docs, use_cache=False)
    graph = KnowledgeGraph.build(vault)
    names = [w.name for w in graph.wanted()]
    assert names and not [n for n in names if '"' in n or " .. " in n or "index." in n]
    adr = vault.notes["ADR.md"]
    assert {link.target.file for link in adr.links} >= {"Architecture", "Health"}
    assert "index.pages" in adr.text  # the expression's words are still searchable


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Today is ${date.today()}.",
         '<p>Today is <code class="live-expression">${date.today()}</code>.</p>'),
        ("A string ${ '}' .. \"{\" } ends",
         '<p>A string <code class="live-expression">${ \'}\' .. &quot;{&quot; }</code> ends</p>'),
        ("Two ${a} and ${b}.",
         '<p>Two <code class="live-expression">${a}</code> and '
         '<code class="live-expression">${b}</code>.</p>'),
        ("Never closed ${a [[Note]]", None),  # text, and its wiki-link stays a link
        ("`${in code}` stays a code span", "<p><code>${in code}</code> stays a code span</p>"),
    ],
)  # fmt: skip
def test_inline_expressions(source: str, expected: str | None) -> None:
    html = render(parse(source))
    if expected is None:
        assert "live-expression" not in html and 'class="wikilink' in html
    else:
        assert html.strip() == expected
    assert render(SLOW.parse(source, {})) == html


def test_math_that_starts_with_a_brace_stays_math() -> None:
    html = render(parse("Area ${r}^2$ here"))
    assert "<math" in html and "live-expression" not in html


@pytest.mark.parametrize(
    "source",
    [
        "${query[[ from index.tag \"page\" ]]} and more text",  # text after: inline, not a block
        "    ${indented}",  # indented code
        "para\n${not a block}",  # a paragraph is not interrupted
    ],
)
def test_what_is_not_a_block(source: str) -> None:
    assert TOKEN not in [t.type for t in parse(source)]


def test_a_block_ends_where_its_braces_balance_and_keeps_its_lines() -> None:
    source = "# Before\n${template.each(items, {\n  \"}\",\n  '{'\n})}\nAfter [[Note]]\n"
    tokens = parse(source)
    block = next(t for t in tokens if t.type == TOKEN)
    assert block.content == "${template.each(items, {\n  \"}\",\n  '{'\n})}\n"
    assert block.map == [1, 5]
    assert 'class="wikilink' in render(tokens)  # the line after it is Markdown again
    assert "template.each" in plain_text(tokens)


def test_a_block_inside_a_quote_stays_inside_it() -> None:
    source = "> ${query[[\n>   from index.pages()\n> ]]}\n\nOutside [[Note]]\n"
    tokens = parse(source)
    block = next(t for t in tokens if t.type == TOKEN)
    assert block.content == "${query[[\n  from index.pages()\n]]}\n"
    kinds = [t.type for t in tokens]
    assert kinds.index("blockquote_open") < kinds.index(TOKEN) < kinds.index("blockquote_close")


def test_an_expression_cannot_run_out_of_its_quote() -> None:
    tokens = parse("> ${query[[\n> from x\n\noutside }\n")
    assert TOKEN not in [t.type for t in tokens]


def test_what_an_expression_holds_is_escaped() -> None:
    html = sanitise(render(parse('${"<script>alert(1)</script>"}\n\nx ${"<b>"} y')))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>" not in html and "&lt;b&gt;" in html
