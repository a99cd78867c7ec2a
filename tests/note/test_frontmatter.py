"""Frontmatter: literal, safe YAML; every problem a diagnostic with a line; the body kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter as pyfrontmatter

from kgwiki.note import parse_note
from kgwiki.note.frontmatter import HANDLER, load_frontmatter, split_frontmatter
from kgwiki.note.schema import normalise_meta


def test_ids_and_dates_stay_as_written() -> None:
    data, problems = load_frontmatter("id: 0123\ndate: 2025-03-14\ncount: 12\n", "a.md")
    assert data == {"id": "0123", "date": "2025-03-14", "count": 12}
    assert problems == []


def test_python_frontmatter_uses_the_safe_handler() -> None:
    post = pyfrontmatter.loads("---\nid: 0123\nwhen: 2026-05-10\n---\nbody", handler=HANDLER)
    assert post.metadata == {"id": "0123", "when": "2026-05-10"}
    assert post.content == "body"


def test_duplicate_key_reported_at_its_line() -> None:
    data, problems = load_frontmatter("title: A\ntags: [x]\ntitle: B\n", "a.md")
    assert data["title"] == "B"
    assert [(p.code, p.line) for p in problems] == [("frontmatter-duplicate-key", 4)]


def test_alias_bomb_is_refused() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for index, prev in zip("bcdefghij", "abcdefghi", strict=True):
        bomb += f"{index}: &{index} [{','.join(['*' + prev] * 9)}]\n"
    data, problems = load_frontmatter(bomb, "bomb.md")
    assert "b" not in data or isinstance(data["b"], str)  # never expanded
    assert problems[0].code == "frontmatter-yaml"
    assert "aliases" in problems[0].message


def test_invalid_yaml_names_the_line() -> None:
    data, problems = load_frontmatter("title: ok\ntags: [a, b\nother: 1\n", "a.md")
    assert data == {"title": "ok", "other": "1"}  # salvaged as text; the open list left out
    assert problems[0].code == "frontmatter-yaml"
    assert problems[0].line >= 3


def test_scalar_frontmatter_is_not_a_mapping() -> None:
    data, problems = load_frontmatter("just words\n", "a.md")
    assert data == {}
    assert problems[0].code == "frontmatter-not-mapping"


def test_split_keeps_body_and_its_first_line() -> None:
    split = split_frontmatter("---\na: 1\nb: 2\n---\n# Title\ntext\n")
    assert split.raw == "a: 1\nb: 2\n"
    assert split.body == "# Title\ntext\n"
    assert split.body_line == 5


def test_unclosed_frontmatter_is_body() -> None:
    split = split_frontmatter("---\na: 1\nno closing line\n")
    assert split.raw is None
    assert split.body.startswith("---")


def test_schema_types_known_keys_and_keeps_unknown() -> None:
    raw = {
        "title": "Server Architecture",
        "aliases": "서버 아키텍처",
        "tags": "a, b #c",
        "canonical_id": "self",
        "duplicate_of": "none",
        "source_trust_level": "a",
        "confidence_score": "0.9",
        "last_reinforced": "2026-05-10",
        "tech_stack": {"x": 1},
    }
    meta, problems = normalise_meta(raw, "a.md")
    assert meta.aliases == ("서버 아키텍처",)
    assert meta.tags == ("a", "b", "c")
    assert meta.canonical_id is None and meta.duplicate_of is None
    assert meta.source_trust_level == "A"
    assert meta.confidence_score == 0.9
    assert meta.last_reinforced == dt.date(2026, 5, 10)
    assert meta.raw["tech_stack"] == {"x": 1}
    assert problems == []


def test_schema_reports_untypable_values() -> None:
    meta, problems = normalise_meta({"confidence_score": "high", "last_reinforced": "soon"}, "a.md")
    assert meta.confidence_score is None and meta.last_reinforced is None
    assert {p.code for p in problems} == {"confidence-invalid", "date-invalid"}


def test_a_list_left_open_is_not_half_read_as_tags() -> None:
    """``tags: [a, b`` (no closing bracket) gives no tags ``#[a`` and ``#b``; the keys around it
    are still salvaged, and a one-line list that is whole is kept as a list."""
    note = parse_note("x.md", b"---\ntitle: Broken\ntags: [a, b\nstatus: draft\n---\n# Broken\n")
    assert note.title == "Broken" and note.meta.status == "draft"
    assert note.tags == ()
    assert [d.code for d in note.diagnostics] == ["frontmatter-yaml"]
    whole = parse_note("y.md", b"---\ntitle: T\ntags: [a, b]\nbad: *x\n---\n# T\n")
    assert whole.tags == ("a", "b")
    bomb = parse_note("z.md", b"---\ntitle: T\ntags: [&a [x, x], *a]\nbad: *x\n---\n# T\n")
    assert bomb.tags == ()


def test_the_page_shows_frontmatter_problems(tmp_path: Path) -> None:
    from kgwiki.site import Site
    from kgwiki.types import NotePath
    from kgwiki.web.render import LiveUrls, Renderer

    (tmp_path / "broken.md").write_text("---\ntitle: Broken\ntags: [a, b\n---\nBody.\n",
                                        encoding="utf-8")  # fmt: skip
    site = Site.load(tmp_path, with_search=False, with_duplicates=False)
    html = Renderer(site, LiveUrls()).note(NotePath("broken.md"))
    assert 'class="banner notice frontmatter-problems"' in html and "line 3:" in html
    assert "#[a" not in html
