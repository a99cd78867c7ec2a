"""The Details panel lists a note's properties as written: links as links, nothing raw."""

from __future__ import annotations

import shutil
from pathlib import Path

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import Renderer
from kgwiki.web.render.properties import SHOWN_ELSEWHERE
from kgwiki.web.render.urls import StaticUrls


def _site(source: Path, tmp_path: Path) -> Site:
    vault = Path(shutil.copytree(source, tmp_path / "v", ignore=shutil.ignore_patterns(".kgwiki")))
    return Site.load(vault, with_search=False, with_duplicates=False)


def test_a_clipping_shows_its_source_author_and_dates(shared_dir: Path, tmp_path: Path) -> None:
    site = _site(shared_dir / "corpora" / "kepano-obsidian", tmp_path)
    renderer = Renderer(site, StaticUrls())
    path = NotePath("Clippings/Buy wisely.md")
    rows = {row["key"]: row["parts"] for row in renderer.note_context(path)["meta"]}
    assert list(rows) == [k for k in site.vault.notes[path].meta.raw if k not in SHOWN_ELSEWHERE]
    assert rows["source"] == [{"text": "https://stephango.com/buy-wisely",
                               "url": "https://stephango.com/buy-wisely", "out": "1"}]  # fmt: skip
    assert rows["author"][0]["text"] == "Steph Ango"
    assert rows["author"][0]["url"].endswith("n/References/Steph%20Ango/index.html")
    assert rows["status"] == [{"text": "Published", "url": "", "out": ""}]  # names no note
    assert rows["published"] == [{"text": "2023-09-29", "url": "", "out": ""}]
    html = renderer.note(path)
    assert '<a href="https://stephango.com/buy-wisely" rel="noopener noreferrer">' in html
    assert "[[" not in html.split('<section class="meta">')[1].split("</section>")[0]


def test_every_property_of_every_note_reads_without_brackets(shared_dir: Path,
                                                             tmp_path: Path) -> None:  # fmt: skip
    site = _site(shared_dir / "corpora" / "kepano-obsidian", tmp_path)
    renderer = Renderer(site, StaticUrls())
    shown = 0
    for path in site.vault.notes:
        for row in renderer.note_context(path)["meta"]:
            assert row["key"].casefold() not in SHOWN_ELSEWHERE
            for part in row["parts"]:
                shown += 1
                assert "[[" not in part["text"] and "]]" not in part["text"], (path, row)
                url = part.get("url", "")
                assert not url or url.startswith(("http://", "https://", "../")), url
    assert shown > 100


def test_the_bundled_notes_keep_their_details(bundled_vault_dir: Path, tmp_path: Path) -> None:
    site = _site(bundled_vault_dir, tmp_path)
    context = Renderer(site, StaticUrls()).note_context(NotePath("10_Wiki/Topics/kubernetes.md"))
    rows = {row["key"]: row["parts"] for row in context["meta"]}
    assert rows["status"] == [{"text": "verified", "url": "", "out": ""}] and "id" in rows
    sources = rows["raw_sources"]
    assert any(p.get("url", "").startswith("https://kubernetes.io/") for p in sources)
    assert not {"title", "tags", "aliases", "source_trust_level", "confidence_score"} & set(rows)
