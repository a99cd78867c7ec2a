"""The Duplicates page names the note to keep as a link to it, with the reason under it."""

from __future__ import annotations

import re
from pathlib import Path

from build_support import copy_of
from markupsafe import escape

from kgwiki.site import Site
from kgwiki.web.render import Renderer
from kgwiki.web.render.urls import StaticUrls

_ROW = re.compile(r'<tr><td>(.*?)</td><td>(.*?)</td><td class="count">[^<]*</td>'
                  r"<td>(.*?)</td></tr>", re.S)  # fmt: skip
_PATH = re.compile(r'data-path="([^"]*)"')


def test_the_note_to_keep_is_a_link_to_one_of_the_pair(shared_dir: Path, tmp_path: Path) -> None:
    site = Site.load(copy_of(shared_dir / "corpora" / "silverbullet-docs", tmp_path),
                     with_search=False)  # fmt: skip
    pairs = site.near_duplicates()
    assert pairs, "silverbullet-docs has notes that read alike"
    page = Renderer(site, StaticUrls()).duplicates()
    rows = _ROW.findall(page.split("<h2>Look alike</h2>")[1])
    assert len(rows) == len(pairs)
    for (a, b, keep), pair in zip(rows, pairs, strict=True):
        kept = _PATH.findall(keep)
        assert kept == [pair.keep] and pair.keep in (_PATH.findall(a) + _PATH.findall(b))
        assert f'<div class="keep-reason">{escape(pair.reason)}</div>' in keep
        assert ".md" not in re.sub(r"<[^>]*>", "", keep)  # a title, not a file path
