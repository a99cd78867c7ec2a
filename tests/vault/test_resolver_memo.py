"""The resolver's memos and a vault's link records: answers never depend on what was asked
before, whole notes resolve as their links one by one do, and heading anchors are read
once per note without changing which links miss their heading."""

from __future__ import annotations

import pickle

import pytest
from fake_notes import FakeNote

from kgwiki.note import Link, LinkKind, parse_note
from kgwiki.types import NotePath
from kgwiki.vault.anchors import HeadingAnchors
from kgwiki.vault.resolver import LinkIndex, Resolution, ResolvedLink, normalise_path
from kgwiki.wikilink import WikiTarget

NOTES = ["Shared.md", "a/Shared.md", "b/Shared.md", "a/Only.md", "b/deep/Other.md", "r1.md",
         "a/r2.md"]  # fmt: skip
TITLES = {"a/Only.md": "Titled", "r1.md": "Topic", "a/r2.md": "Topic"}
ATTACHMENTS = ["img/pic.png", "a/pic.png"]
NAMES = ["Shared", "shared", "Only", "a/Only", "deep/Other", "Other.md", "./Only", "../Shared",
         "../../Shared", "pic.png", "img/pic.png", "Missing", "", "Titled", "Shared.md",
         "Topic"]  # fmt: skip
SOURCES: list[NotePath | None] = [None, *(normalise_path(p) for p in NOTES)]


def _index() -> LinkIndex:
    index = LinkIndex()
    for file in NOTES:
        path = normalise_path(file)
        index.add(FakeNote(path, TITLES.get(file, path.rpartition("/")[2][:-3])))
    for file in ATTACHMENTS:
        index.add_attachment(normalise_path(file))
    return index


def _alone(name: str, source: NotePath | None) -> Resolution:
    return _index().resolve(name, source)


@pytest.mark.parametrize("backwards", [False, True])
def test_answers_do_not_depend_on_what_was_asked_before(backwards: bool) -> None:
    questions = [(name, source) for name in NAMES for source in SOURCES]
    if backwards:
        questions.reverse()
    shared = _index()
    for name, source in questions:
        assert shared.resolve(name, source) == _alone(name, source), (name, source)


def test_no_linking_note_is_not_the_root_folder() -> None:
    index = _index()
    anywhere = index.resolve("Topic")  # asked first: once kept for root notes too
    assert anywhere.candidates == ("r1.md", "a/r2.md")
    from_root = index.resolve("Topic", NotePath("Shared.md"))
    assert from_root == Resolution(NotePath("r1.md"), "title", (), True)


def test_a_changed_table_forgets_every_answer() -> None:
    index, fresh = _index(), _index()
    asked = [(name, source) for name in NAMES for source in SOURCES]
    before = [index.resolve(name, source) for name, source in asked]
    for changed in (index, fresh):
        changed.add(FakeNote(NotePath("b/Only.md"), "Only"))
        changed.remove(NotePath("b/Shared.md"))
        changed.remove_attachment(NotePath("a/pic.png"))
    after = [index.resolve(name, source) for name, source in asked]
    assert after == [fresh.resolve(name, source) for name, source in asked]
    assert after != before


def _link(file: str | None, line: int = 1, heading: str | None = None) -> Link:
    headings = (heading,) if heading else ()
    return Link(WikiTarget(file, headings), LinkKind.WIKI, line)


def test_resolve_links_is_each_link_resolved() -> None:
    index = _index()
    source = NotePath("a/Only.md")
    links = [_link(name, n) for n, name in enumerate(NAMES)] + [_link(None, 99, "Here")]
    got = index.resolve_links(source, links)
    expected = [ResolvedLink(source, link, _alone(link.target.file or "", source))
                for link in links[:-1]]  # fmt: skip
    expected.append(ResolvedLink(source, links[-1], Resolution(source, "self")))
    assert got == tuple(expected)
    assert got[-1].target == source


def test_resolved_links_compare_and_hash_by_their_fields_only() -> None:
    link = _link("Shared")
    one = ResolvedLink(NotePath("a.md"), link, Resolution(NotePath("Shared.md")))
    same = ResolvedLink(NotePath("a.md"), link, Resolution(NotePath("Shared.md")))
    other = ResolvedLink(NotePath("b.md"), link, Resolution(NotePath("Shared.md")))
    assert (one == same, one != same, hash(one) == hash(same)) == (True, False, True)
    assert (one == other, one != other) == (False, True)
    as_tuple = (one.source, one.link, one.resolution)
    assert (one == as_tuple, as_tuple == one, one != as_tuple) == (False, False, True)
    assert {one: 1}[same] == 1
    assert pickle.loads(pickle.dumps(one)) == one
    with pytest.raises(AttributeError):
        one.source = NotePath("c.md")  # type: ignore[misc]


def test_heading_anchors_match_a_parser_slug_or_a_heading_text() -> None:
    note = parse_note(NotePath("n.md"), "# Intro\n\n## Intro\n\n## Set-up!\n\n## ⭐\n".encode())
    anchors = HeadingAnchors()
    assert [h.slug for h in note.headings] == ["intro", "intro-1", "set-up", "section"]
    written = ["Intro", "intro", "Intro 1", "Set-up!", "SET UP", "section", "⭐", "!"]
    assert [anchors.has(note, heading) for heading in written] == [True] * len(written)
    assert not anchors.has(note, "Setup") and not anchors.has(note, "Intro 2")
    changed = parse_note(NotePath("n.md"), b"# Setup\n")  # the same path, another note
    assert anchors.has(changed, "setup") and not anchors.has(changed, "Intro")
