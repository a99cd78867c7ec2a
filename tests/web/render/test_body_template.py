"""A body drawn from its parse-time template is the body drawn directly, on every real note."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kgwiki.vault.model
import kgwiki.vault.reading
from kgwiki.markdown import parse
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render import (
    LiveUrls,
    Renderer,
    SiteLinks,
    StaticUrls,
    UrlScheme,
    note_location,
    sanitise,
)
from kgwiki.web.render.body_template import AddressHole, BodyTemplate, make_template

CORPORA = ("foam-docs", "kepano-obsidian", "silverbullet-docs")


def _fresh_site(source: Path, into: Path, jobs: int | None = 1) -> Site:
    """The site of a copy of ``source`` with no parse cache, so every note is parsed (and
    derived) now."""
    folder = into / source.name
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".kgwiki"))
    return Site.load(folder, with_search=False, with_duplicates=False, jobs=jobs,
                     derive=make_template)  # fmt: skip


def _direct_body(site: Site, urls: UrlScheme, path: NotePath) -> str:
    """The body drawn the way pages without a template are: parse, draw, sanitise."""
    links = SiteLinks(site.vault, urls.at(note_location(path)), path)
    return sanitise(links.render_tokens(parse(site.vault.notes[path].body)))


def _assert_same_bodies(site: Site) -> int:
    """Every body, templated or not, equals the direct drawing; returns how many had one."""
    templated = 0
    schemes: tuple[UrlScheme, ...] = (StaticUrls(), StaticUrls("https://example.org/wiki/"),
                                      LiveUrls("/wiki/"))  # fmt: skip
    for urls in schemes:
        renderer = Renderer(site, urls)
        for path in sorted(site.vault.notes):
            templated += isinstance(site.vault.derived.get(path), BodyTemplate)
            assert renderer.body(path) == _direct_body(site, urls, path), path
    return templated // len(schemes)


def test_bundled_vault_bodies_are_the_same(bundled_vault_dir: Path, tmp_path: Path) -> None:
    site = _fresh_site(bundled_vault_dir, tmp_path)
    assert _assert_same_bodies(site) == len(site.vault.notes)  # every note has a template


@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_bodies_are_the_same(corpus: str, shared_dir: Path, tmp_path: Path) -> None:
    site = _fresh_site(shared_dir / "corpora" / corpus, tmp_path)
    assert _assert_same_bodies(site) == len(site.vault.notes)


def test_templates_cross_the_worker_processes(
    bundled_vault_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kgwiki.vault.reading, "PARALLEL_THRESHOLD", 0)
    site = _fresh_site(bundled_vault_dir, tmp_path, jobs=2)
    assert sum(isinstance(t, BodyTemplate) for t in site.vault.derived.values()) > 10
    _assert_same_bodies(site)


def test_embeds_and_relative_links_are_holes(bundled_vault_dir: Path, tmp_path: Path) -> None:
    """Embeds (images and note sections) and Markdown links to relative addresses depend on
    the site: the template leaves them as holes, filled per page like wiki-links."""
    folder = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, folder, ignore=shutil.ignore_patterns(".kgwiki"))
    note = folder / "10_Wiki/Patterns/cqrs.md"
    extra = ("\n![[Helm#매 한 줄]]\n\nSee [the saga](saga-pattern.md#補償), "
             '![layers *diagram*](../../assets/layers.svg "Layers") and '
             "[missing](nowhere.md) or [external](https://example.org).\n")  # fmt: skip
    note.write_text(note.read_text(encoding="utf-8") + extra, encoding="utf-8")
    site = Site.load(folder, with_search=False, with_duplicates=False, jobs=1,
                     derive=make_template)  # fmt: skip
    template = site.vault.derived[NotePath("10_Wiki/Patterns/cqrs.md")]
    assert isinstance(template, BodyTemplate)
    kinds = {type(hole).__name__ for hole in template.holes}
    assert {"EmbedHole", "AddressHole"} <= kinds
    addresses = [h for h in template.holes if isinstance(h, AddressHole)]
    assert [h.kind for h in addresses] == ["link_open", "image", "link_open"]
    assert addresses[1].alt == "layers diagram"
    assert _assert_same_bodies(site) == len(site.vault.notes)
    body = Renderer(site, StaticUrls()).body(NotePath("10_Wiki/Patterns/cqrs.md"))
    assert 'class="embed-note"' in body and 'data-path="10_Wiki/Patterns/saga-pattern.md"' in body
    assert 'class="wanted"' in body and 'href="https://example.org"' in body


def test_a_changed_note_drops_its_template(bundled_vault_dir: Path, tmp_path: Path) -> None:
    site = _fresh_site(bundled_vault_dir, tmp_path)
    path = next(p for p, t in site.vault.derived.items() if isinstance(t, BodyTemplate))
    file = site.vault.root / path
    file.write_text(file.read_text(encoding="utf-8") + "\nA new line with [[Kubernetes]].\n",
                    encoding="utf-8")  # fmt: skip
    site.vault.refresh_file(path)
    assert path not in site.vault.derived
    html = Renderer(site, StaticUrls()).body(path)
    assert "A new line with" in html and html == _direct_body(site, StaticUrls(), path)


def test_a_stale_template_is_not_used(bundled_vault_dir: Path, tmp_path: Path) -> None:
    site = _fresh_site(bundled_vault_dir, tmp_path)
    path, template = next((p, t) for p, t in site.vault.derived.items()
                          if isinstance(t, BodyTemplate))  # fmt: skip
    assert isinstance(template, BodyTemplate)
    site.vault.derived[path] = BodyTemplate("not-this-note", ("<p>stale</p>",), (), ())
    assert "stale" not in Renderer(site, StaticUrls()).body(path)


def _failing_derive(note: object, tokens: object) -> object:
    raise RuntimeError("a derive that fails")


def test_a_failing_derive_loses_no_note(bundled_vault_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, folder, ignore=shutil.ignore_patterns(".kgwiki"))
    vault = kgwiki.vault.model.Vault.load(folder, jobs=1, derive=_failing_derive)
    assert len(vault.notes) == len(list(bundled_vault_dir.rglob("*.md")))
    assert vault.derived == {}
