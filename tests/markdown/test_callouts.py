"""Obsidian callouts: every fixture in ``data/markdown/callouts`` parsed, drawn and sanitised.

Each fixture is one construct; ``EXPECTED`` gives the callouts it must draw (in document
order, nested ones included) as ``(data-callout, fold, title text, has a body)``. Every
callout element is also checked against Obsidian's markup (``_check_markup``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import nh3
import paths
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kgwiki.markdown.callouts import (
    ALIASES,
    SANITISER_ATTRIBUTES,
    SANITISER_TAGS,
    callout_kind,
    callouts_plugin,
    icon_svg,
)
from kgwiki.markdown.parser import create_markdown, plain_text
from kgwiki.web.render import sanitiser

DATA = paths.DATA / "markdown" / "callouts"
FIXTURES = sorted(DATA.glob("*.md"))
TYPES = list(ALIASES)

Outline = tuple[str, str | None, str, bool]

EXPECTED: dict[str, list[Outline]] = {
    "basic": [("info", None, "Info", True)],
    "default_title": [("tldr", None, "Tldr", True)],
    "custom_title": [("tip", None, "Keep notes short, use code and Style Guide", True)],
    "title_only": [("success", None, "Nothing more to say", False)],
    "fold_open": [("faq", "+", "Can a callout fold?", True)],
    "fold_closed": [("faq", "-", "Is this one closed?", True)],
    "nested": [
        ("question", None, "Can callouts nest?", True),
        ("todo", None, "They can", True),
        ("example", None, "Three levels deep", True),
    ],
    "in_list": [("warning", None, "Mind the gap", True)],
    "unknown_type": [("recipe", None, "Pancakes", True), ("my_type", None, "My_type", True)],
    "case_insensitive": [("warning", None, "Warning", True)],
    "not_first_line": [],
    "empty_first_line": [],
    "plain_blockquote": [],
    "code_block": [],
    "body_blocks": [("example", None, "Blocks inside", True)],
    "metadata": [("info", None, "Metadata after a bar", True)],
    "escaping": [('x"onmouseover="alert(1)', None, 'alert(2) & "quoted"', True)],
    "types": [(name, None, name.capitalize(), True) for name in TYPES],
    # SilverBullet's admonitions: titled by their type, their text the body
    "admonition": [("note", None, "Note", True), ("warning", None, "Warning", True),
                   ("note", None, "Note", False)],
    "admonition_not": [],
}

# fixtures that are not callouts at all: the plugin must leave their tokens alone
UNCHANGED = ("not_first_line", "empty_first_line", "plain_blockquote", "code_block",
             "admonition_not")


def _markdown(*, fastpath: bool = True) -> MarkdownIt:
    md = create_markdown(fastpath=fastpath)
    md.use(callouts_plugin)
    return md


MD = _markdown()
MD_SLOW = _markdown(fastpath=False)


def _source(stem: str) -> str:
    path: Path = DATA / f"{stem}.md"
    return path.read_text(encoding="utf-8")


# -- a small HTML tree, to assert structure rather than bytes ------------------------------------

VOID = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def elements(self) -> list[Element]:
        return [child for child in self.children if isinstance(child, Element)]

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self) -> Iterator[Element]:
        yield self
        for child in self.elements:
            yield from child.walk()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def tree(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def callouts(root: Element) -> list[Element]:
    return [el for el in root.walk() if "callout" in el.classes]


def _check_markup(callout: Element) -> None:
    """Obsidian's structure: wrapper, title (icon + inner [+ fold]), optional content."""
    fold = callout.attrs.get("data-callout-fold")
    assert callout.tag == ("details" if fold else "div")
    assert fold in (None, "+", "-")
    assert ("open" in callout.attrs) == (fold == "+")
    title, *rest = callout.elements
    assert title.tag == ("summary" if fold else "div") and title.classes == ["callout-title"]
    parts = title.elements
    assert [p.classes for p in parts] == [["callout-icon"], ["callout-title-inner"]] + (
        [["callout-fold"]] if fold else []
    )
    icon = parts[0]
    assert icon.attrs.get("aria-hidden") == "true"
    assert [el.tag for el in icon.walk()] == ["div", "svg", "path"]
    svg = icon.elements[0]
    assert svg.attrs["viewbox"] == "0 0 16 16" and svg.attrs["stroke"] == "currentColor"
    assert len(rest) <= 1
    if rest:
        assert rest[0].tag == "div" and rest[0].classes == ["callout-content"]
        assert rest[0].children, "an empty callout-content"


def outline(html: str) -> list[Outline]:
    found: list[Outline] = []
    for callout in callouts(tree(html)):
        _check_markup(callout)
        inner = callout.elements[0].elements[1]
        found.append((
            str(callout.attrs["data-callout"]),
            callout.attrs.get("data-callout-fold"),
            inner.text().strip(),
            len(callout.elements) == 2,
        ))  # fmt: skip
    return found


def merged_sanitise(html: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """kgwiki's own ``sanitise`` with this module's allowances merged into its lists."""
    attributes = {tag: set(names) for tag, names in sanitiser._ATTRIBUTES.items()}
    for tag, names in SANITISER_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(names)
    monkeypatch.setattr(sanitiser, "_TAGS", set(sanitiser._TAGS) | SANITISER_TAGS)
    monkeypatch.setattr(sanitiser, "_ATTRIBUTES", attributes)
    return sanitiser.sanitise(html)


def _levels_consistent(tokens: list[Token]) -> None:
    depth = 0
    for token in tokens:
        if token.nesting == -1:
            depth -= 1
        assert token.level == depth, f"{token.type} at level {token.level}, depth {depth}"
        if token.nesting == 1:
            depth += 1
    assert depth == 0


# -- the fixtures --------------------------------------------------------------------------------


def test_every_fixture_has_an_expectation() -> None:
    assert {path.stem for path in FIXTURES} == set(EXPECTED)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_fixture_draws_its_callouts(stem: str) -> None:
    html = MD.render(_source(stem))
    assert outline(html) == EXPECTED[stem]
    if EXPECTED[stem]:
        assert "[!" not in html


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_tokens_are_the_same_without_the_fast_path(stem: str) -> None:
    source = _source(stem)
    fast, slow = MD.parse(source), MD_SLOW.parse(source)
    assert fast == slow
    _levels_consistent(fast)


@pytest.mark.parametrize("stem", UNCHANGED)
def test_not_a_callout_leaves_the_tokens_alone(stem: str) -> None:
    source = _source(stem)
    assert MD.parse(source) == create_markdown().parse(source)
    assert 'class="callout' not in MD.render(source)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_html_survives_the_sanitiser(stem: str, monkeypatch: pytest.MonkeyPatch) -> None:
    html = MD.render(_source(stem))
    clean = merged_sanitise(html, monkeypatch)
    if stem == "escaping":  # the one fixture with raw HTML: the sanitiser takes the script out
        assert outline(clean) == [('x"onmouseover="alert(1)', None, '& "quoted"', True)]
    else:  # nothing to take out: the callout markup passes through byte for byte
        assert clean == html
        assert outline(clean) == EXPECTED[stem]


def test_without_the_allowances_the_icons_are_lost() -> None:
    """Why the sanitiser needs ``SANITISER_TAGS``: nh3's defaults drop the SVG icon."""
    html = MD.render(_source("basic"))
    assert "<svg" not in nh3.clean(html) and "<svg" in html


# -- semantics -----------------------------------------------------------------------------------


def test_types_and_aliases_share_their_icon() -> None:
    root = tree(MD.render(_source("types")))
    for callout, name in zip(callouts(root), TYPES, strict=True):
        assert callout.attrs["data-callout"] == name
        path = callout.elements[0].elements[0].elements[0].elements[0]
        assert f'd="{path.attrs["d"]}"' in icon_svg(ALIASES[name])
    groups = {callout_kind(name) for name in TYPES}
    assert len({icon_svg(kind) for kind in groups}) == len(groups) == 13


def test_unknown_type_looks_like_note() -> None:
    assert callout_kind("recipe") == "note" and icon_svg("Recipe") == icon_svg("note")
    assert callout_kind("FAQ") == "question"


def test_custom_title_is_inline_markdown() -> None:
    root = tree(MD.render(_source("custom_title")))
    inner = callouts(root)[0].elements[0].elements[1]
    assert [el.tag for el in inner.elements] == ["em", "code", "a"]
    assert inner.elements[2].attrs == {"class": "wikilink", "href": "style-guide"}
    tokens = MD.parse(_source("custom_title"))
    title = next(t for t in tokens if t.type == "inline" and t.meta.get("callout_title"))
    assert [c.type for c in title.children or ()] == [
        "text", "em_open", "text", "em_close", "text", "code_inline", "text", "wikilink",
    ]  # fmt: skip


def test_default_title_is_literal_text() -> None:
    html = MD.render(_source("unknown_type"))
    assert "<em>" not in html and ">My_type</div>" in html


def test_fold_marks_details_open_or_closed() -> None:
    opened = MD.render(_source("fold_open"))
    closed = MD.render(_source("fold_closed"))
    start = '<details class="callout" data-callout="faq" data-callout-fold='
    assert opened.startswith(start + '"+" open="">\n<summary class="callout-title">')
    assert closed.startswith(start + '"-">\n<summary class="callout-title">')


def test_nesting_keeps_callouts_inside_each_other() -> None:
    root = tree(MD.render(_source("nested")))
    outer, middle, inner = callouts(root)
    assert middle in outer.elements[1].elements
    assert inner in middle.elements[1].elements
    assert inner.elements[1].text().strip() == "The innermost body."


def test_callout_in_a_list_item() -> None:
    root = tree(MD.render(_source("in_list")))
    items = [el for el in root.walk() if el.tag == "li"]
    assert len(items) == 3
    assert callouts(items[1]) and not callouts(items[0]) and not callouts(items[2])


def test_body_is_parsed_as_blocks() -> None:
    tokens = MD.parse(_source("body_blocks"))
    kinds = [t.type for t in tokens]
    assert kinds[:5] == [
        "callout_open", "callout_title_open", "inline", "callout_title_close",
        "callout_content_open",
    ]  # fmt: skip
    code = tokens[5]
    assert code.type == "code_block" and code.content == "indented code after the header\n"
    assert code.map == [1, 2]
    assert {"bullet_list_open", "fence", "table_open"} <= set(kinds)
    fence = kinds.index("fence")
    assert tokens[fence].map == [6, 9]
    assert kinds[-2:] == ["callout_content_close", "callout_close"]


def test_title_and_body_lines_keep_their_maps() -> None:
    tokens = MD.parse(_source("nested"))
    titles = [t.map for t in tokens if t.type == "inline" and t.meta.get("callout_title")]
    assert titles == [[0, 1], [1, 2], [2, 3]]
    body = [t for t in tokens if t.type == "paragraph_open"]
    assert [t.map for t in body] == [[3, 4]]


def test_an_admonition_keeps_its_text_and_lines() -> None:
    tokens = MD.parse(_source("admonition"))
    body = [t for t in tokens if t.type == "paragraph_open"]
    assert [t.map for t in body] == [[0, 2], [4, 5]]  # the text starts on the header's line
    html = MD.render(_source("admonition"))
    assert "<p>This is a\nnote admonition</p>" in html
    assert "<p>Mind the <code>lua</code> fence.</p>" in html
    assert "**" not in html and "<strong>" not in html


def test_silverbullet_admonitions_are_callouts(shared_dir: Path) -> None:
    docs = shared_dir / "corpora" / "silverbullet-docs"
    page = tree(MD.render((docs / "Markdown" / "Admonition.md").read_text(encoding="utf-8")))
    callouts = [e for e in page.walk() if "callout" in e.classes]
    assert [c.attrs["data-callout"] for c in callouts] == ["note", "warning", "danger", "success"]
    for callout in callouts:
        kind = str(callout.attrs["data-callout"])
        content = next(e for e in callout.walk() if "callout-content" in e.classes)
        assert " ".join(content.text().split()) == f"This is a {kind} admonition"
    lua = MD.render((docs / "Space Lua.md").read_text(encoding="utf-8"))
    assert '<div class="callout" data-callout="note">' in lua and "**note**" not in lua


def test_metadata_after_a_bar() -> None:
    html = MD.render(_source("metadata"))
    assert html.startswith('<div class="callout" data-callout="info" data-callout-metadata="wide">')


def test_everything_from_the_note_is_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    html = MD.render(_source("escaping"))
    assert 'data-callout="x&quot;onmouseover=&quot;alert(1)"' in html
    clean = merged_sanitise(html, monkeypatch)
    for element in tree(clean).walk():
        assert element.tag not in ("script",)
        assert not any(name.startswith("on") for name in element.attrs)


@pytest.mark.parametrize(
    ("stem", "text"),
    [
        ("basic", "Info\nA callout holds Markdown like any quote,\n"
                  "and links such as the reading list."),
        ("custom_title", "Keep notes short, use code and Style Guide\n"
                         "The body follows the title line."),
        ("title_only", "Nothing more to say"),
        ("nested", "Can callouts nest?\nThey can\nThree levels deep\nThe innermost body."),
    ],
)  # fmt: skip
def test_plain_text_sees_title_and_body_once(stem: str, text: str) -> None:
    assert plain_text(MD.parse(_source(stem))) == text
