"""The templates' environment looks names up on dicts as Jinja does, only faster."""

from __future__ import annotations

import pytest
from jinja2 import Environment, UndefinedError

from kgwiki.web.render import environment

CASES = [
    ("{{ d.title }}", {"d": {"title": "<T>"}}),
    ("{{ d.get('x', 'dflt') }}|{{ d.items()|list|length }}", {"d": {"x": "1", "get": "key"}}),
    ("{{ d.keys|string == d.keys()|string }}", {"d": {"keys": "a key named keys"}}),
    ("{{ d.n.m }}", {"d": {"n": {"m": 3}}}),
    ("{{ s.upper() }}|{{ t.real }}", {"s": "abc", "t": 4}),
    ("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", {"d": {"a": 1, "b": 2}}),
]


@pytest.mark.parametrize(("source", "data"), CASES)
def test_names_on_dicts_resolve_as_in_plain_jinja(source: str, data: dict[str, object]) -> None:
    plain = Environment(autoescape=True).from_string(source).render(data)
    assert environment().from_string(source).render(data) == plain


def test_a_missing_key_is_still_an_error() -> None:
    with pytest.raises(UndefinedError):
        environment().from_string("{{ d.missing }}").render({"d": {"title": "x"}})
