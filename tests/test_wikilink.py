"""``parse_inner`` and ``parse_href``: link text as a ``WikiTarget`` (cases in data files)."""

from __future__ import annotations

import json
from typing import Any

import paths
import pytest

from kgwiki.wikilink import WikiTarget, parse_href, parse_inner

DATA = paths.DATA / "markdown"


def _cases(name: str, key: str) -> list[Any]:
    cases = json.loads((DATA / name).read_text(encoding="utf-8"))
    return [pytest.param(case, id=case[key] or "<empty>") for case in cases]


@pytest.mark.parametrize("case", _cases("parse_inner.json", "input"))
def test_parse_inner(case: dict[str, Any]) -> None:
    target = parse_inner(case["input"])
    assert target == WikiTarget(
        file=case["file"],
        headings=tuple(case["headings"]),
        block=case["block"],
        label=case["label"],
    )
    assert target.display() == case["display"]


@pytest.mark.parametrize("case", _cases("parse_href.json", "href"))
def test_parse_href(case: dict[str, Any]) -> None:
    target = parse_href(case["href"], "text")
    if case.get("external"):
        assert target is None
    else:
        assert target == WikiTarget(case["file"], tuple(case["headings"]), case["block"], "text")


def test_section_is_the_part_after_the_first_hash() -> None:
    assert parse_inner("Note#H1#H2").section == "H1#H2"
    assert parse_inner("Note#^blk").section == "^blk"
    assert parse_inner("Note").section is None


def test_targets_are_hashable_values() -> None:
    assert len({parse_inner("a|x"), parse_inner("a | x"), parse_inner(" a|x ")}) == 1
