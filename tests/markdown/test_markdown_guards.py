"""The guards and the simple-list rule change no token: same stream with and without them."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from kgwiki.markdown.guards import DELIMITER_RULES
from kgwiki.markdown.parser import MD, create_markdown
from kgwiki.note import split_frontmatter

PLAIN = create_markdown(fastpath=False)

# The constructs each guard decides on, and their near misses.
CASES = {
    "setext": "Title\n=====\n\nSub\n---\n\nnot a heading\n- - x\n",
    "setext after lines": "one\ntwo\nthree\n  ===  \n",
    "underline with text": "para\n--- x\n\npara\n==x\n",
    "hr kinds": "a\n\n***\n\n- - -\n\n_ _ _\n\n-- \n\n*-*\n",
    "hr ends a paragraph": "text\n***\nmore\n",
    "lists": "- a\n- **b**: c\n    - d\n1. e\n2) f\n+ g\n* h\n\n10. ten\n",
    "list interrupts": "para\n- item\npara\n1. one\n",
    "table": "| a | b |\n|---|:-:|\n| 1 | 2 |\n\na | b\n--|--\nc | d\n",
    "not a table": "- a\n- b\n\nx\n|---|\n\n| a\n-- x\n",
    "quotes and fences": "> q\n> **b**\n\n```py\nx = 1\n```\n~~~\ny\n~~~\n",
    "html and refs": (
        "<div>\nx\n</div>\n\n[ref]: https://example.com\n\n[^1]: note\n\nsee [ref][^1]\n"
    ),
    "headings": "# H1\n## H2 ##\n#not\n####### seven\n",
    "delimiters": "**b** _i_ ~~s~~ ~x~ *a*b* __c__ \\*e\\* [**l**](u) [[w|**x**]] #tag",
    "korean emphasis": "**아키텍처(architecture)**는 ~~취소~~된 _기울임_이다",
    "lazy and code": "- a\nlazy\n\n    code\n\n> q\nlazy\n",
    "plain inline": (
        "just words here\n\n- 한국어 문장만 있다\n- and (parentheses), commas.\n\n"
        "| a | b |\n|---|---|\n| x | y |\n"
    ),
    "line endings and NUL": "# T\r\n\r\npara\rmore\x00text\n- a\r\n- b\n",
    "simple lists": "- a\n- **b**: c\n- [[W]]: d\n- `x`\n\ntext\n\n* e\n* f",
    "loose lists": "- a\n\n- b\n\n\n- c\n\n\npara\n\n+ x\n+ y\n\n+ z\n",
    "list then more": "- a\n- b\n\n  indented goes on\n\n- c\n\n1. one\n\n- d\n\n- - -\n",
    "list ends": "- a\n# h\n- b\nlazy\n- c\n* d\n- e\n\n* f\n- g\n\n   - h\n",
    "nested lists": "- a\n  - b\n  - c\n\n    - d\n- e\n   - f\n1. g\n   - h\n   - i\n",
    "lists in quotes": "> - a\n> - b\n>\n> - c\n\n> - d\n- e\n\n- > f\n- - g\n  - h\n",
    "item content opens a block": (
        "- # h\n- #tag\n- ####### x\n- > q\n- ```\n- ~~ x\n- <div>\n- 1. x\n- 1 x\n"
        "- [a]: /u\n- [^1]: n\n- [a\\]: b]: c\n- [[X]]\n- * x\n- *\n- **b**\n- ___\n- -x\n"
    ),
    "item spacing": "-  two\n-\tx\n- x  \n- \u00a0nbsp\n-\n- \n\t- tab\n- x\\\n- y\n",
    "item line is a break": "   - a\n   - --\n- b\n* **\n- c\n- - -\n",
    "list at code indent": "para\n\n    - code\n    - code\n\n   - three\n   - three\n",
    "obsidian": (
        "a %%c%% b\n%%\nblock\n\n%%\n- %%x%%\n- $$x$$\n- [x] t\n- [?] q\n- [ ]\n\n"
        "==h== a == b ==**c**==\n$x$ and $$y$$, $5 and $6\n\n$$\nz\n$$\n%%unclosed\n"
    ),
}


def _tokens(md: object, text: str) -> list[dict[str, object]]:
    return [token.as_dict() for token in md.parse(text, {})]  # type: ignore[attr-defined]


def _bodies(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        out.append((str(path), split_frontmatter(text).body))
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_guarded_parser_gives_the_same_tokens(name: str) -> None:
    assert _tokens(MD, CASES[name]) == _tokens(PLAIN, CASES[name])


def test_bundled_vault_tokens_unchanged(bundled_vault_dir: Path) -> None:
    bodies = _bodies(bundled_vault_dir)
    assert len(bodies) >= 30
    for path, body in bodies:
        assert _tokens(MD, body) == _tokens(PLAIN, body), path


def test_shared_notes_tokens_unchanged(shared_dir: Path) -> None:
    bodies = _bodies(shared_dir / "seeds") + _bodies(shared_dir / "corpora")
    assert len(bodies) > 100
    for path, body in bodies:
        assert _tokens(MD, body) == _tokens(PLAIN, body), path


def test_guards_are_installed() -> None:
    block = {rule.name: rule.fn for rule in MD.block.ruler.__rules__}
    for name in ("fence", "blockquote", "hr", "list", "heading", "lheading", "table"):
        assert hasattr(block[name], "__wrapped__"), name
    core = {rule.name: rule.fn for rule in MD.core.ruler.__rules__}
    assert hasattr(core["normalize"], "__wrapped__")
    assert hasattr(core["inline"], "__wrapped__"), "plain inline content skips the parser"
    enabled = [rule.name for rule in MD.inline.ruler2.__rules__ if rule.enabled]
    assert "delimiters" in enabled
    assert not set(DELIMITER_RULES) & set(enabled)


# Pieces of lines that sit near the guards' decisions: markers with and without spaces, tabs,
# lazy continuations, underlines, table rows, fences, quotes, HTML, references, CJK emphasis.
_PIECES = [
    "", " ", "  ", "\t", "    ", "-", "- ", "* ", "+ ", "1. ", "2) ", "10. ", "> ", ">", "#", "# ",
    "###### ", "####### ", "```", "~~~", "```py", "---", "***", "___", "- - -", "===", "--",
    "| a | b |", "|---|:-:|", "a | b", "--|--", "[ref]: /u", "[^1]: note", "<div>", "</div>",
    "<!-- c -->", "**b**", "_i_", "~~s~~", "*a*b*", "\\*", "[[Note]]", "![[img.png]]", "#tag",
    "[x](y.md)", "`code`", "text", "한국어 문장", "**아키텍처(architecture)**는", "^block-id",
    "&amp;", "<b>", "x\\", "word ", "(paren)",
    "  - ", "   - ", "- [[Note]]: ", "- x", "\u00a0",
    "%%", "%%c%%", "==", "==h==", "$", "$x$", "$$", "$$y$$", "[ ] ", "[x] ", "[?] ", "- [-] ",
]


def _random_document(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(1, 12)):
        lines.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 4))))
    return ("\r\n" if rng.random() < 0.05 else "\n").join(lines) + rng.choice(["", "\n"])


def test_guards_agree_on_generated_documents() -> None:
    """Thousands of small documents built from the constructs the guards look at."""
    rng = random.Random("kgwiki-guards")
    for _ in range(3000):
        text = _random_document(rng)
        assert _tokens(MD, text) == _tokens(PLAIN, text), repr(text)


def test_task_lists_are_left_to_the_list_rule() -> None:
    text = "- [ ] open\n- [x] done\n- plain\n"
    guarded, plain = create_markdown(), create_markdown(fastpath=False)
    guarded.options["tasklists"] = plain.options["tasklists"] = True
    tokens = _tokens(guarded, text)
    assert tokens == _tokens(plain, text)
    assert any(token["meta"] == {"checked": True} for token in tokens)


def test_the_switch_turns_the_fast_paths_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """``KGWIKI_FASTPATH=0`` gives markdown-it's own rules; the default gives the guarded ones."""

    def rule_names(md: MarkdownIt) -> list[str]:
        return [getattr(rule.fn, "__name__", "") for rule in md.block.ruler.__rules__]

    monkeypatch.setenv("KGWIKI_FASTPATH", "0")
    plain = create_markdown()
    monkeypatch.delenv("KGWIKI_FASTPATH")
    fast = create_markdown()
    assert rule_names(plain) == rule_names(PLAIN)
    assert rule_names(fast) != rule_names(plain)
    assert any(name.startswith("guarded_") for name in rule_names(fast))


def test_markdown_it_modules_are_left_alone() -> None:
    """Building kgwiki's parser rebinds nothing inside markdown-it."""
    from markdown_it.rules_block import state_block
    from markdown_it.rules_inline import state_inline

    create_markdown()
    assert state_block.Token is Token and state_inline.Token is Token
