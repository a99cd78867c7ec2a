"""The hubs beside the front page and on the overview: the notes most linked to, listed by
the number each shows (how many notes link to it), ties in PageRank order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from build_support import copy_of

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import Renderer
from kgwiki.web.render.urls import StaticUrls

_HUB = re.compile(r'data-path="([^"]*)">[^<]*</a> <span class="count">(\d+) in</span>')


def _hubs(page: str) -> list[tuple[str, int]]:
    listed = re.search(r'<ol class="hubs">(.*?)</ol>', page, re.S)
    assert listed is not None
    return [(path, int(count)) for path, count in _HUB.findall(listed.group(1))]


@pytest.mark.parametrize("name", ["bundled", "silverbullet-docs"])
def test_hubs_are_the_best_ranked_notes_by_their_count(
    shared_dir: Path, bundled_vault_dir: Path, tmp_path: Path, name: str
) -> None:
    source = bundled_vault_dir if name == "bundled" else shared_dir / "corpora" / name
    site = Site.load(copy_of(source, tmp_path), with_search=False, with_duplicates=False)
    renderer = Renderer(site, StaticUrls())
    for page, limit in ((renderer.dashboard(), 12), (renderer.home(), 8)):
        hubs = _hubs(page)
        assert len(hubs) == limit
        everyone = site.graph.hubs(len(site.vault.notes))
        inbound = {hub.path: hub.inbound for hub in everyone}
        assert all(count == inbound[NotePath(path)] for path, count in hubs)
        counts = [count for _, count in hubs]
        assert counts == sorted(counts, reverse=True)
        # no note left out has more links than one listed
        listed = {NotePath(path) for path, _ in hubs}
        assert max(n for p, n in inbound.items() if p not in listed) <= counts[-1]
