"""``kgwiki build``: the written site, its links, feed, sitemap, redirects and --strict."""

from __future__ import annotations

import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from dates import BUNDLED_VAULT_DAY
from paths import ROOTS

from kgwiki import clock
from kgwiki.cli.main import main
from kgwiki.web.build.flow import BuildError, BuildResult, build

DATA = ROOTS / "web"
BASE = "https://example.org/wiki/"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def broken_links(site: Path) -> list[str]:
    """Every href/src of every written HTML file that names no written file (own parser)."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        folder = page.parent.relative_to(site).as_posix()
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(folder, unquote(parts.path)))
            file = site / target
            if target.startswith("..") or not (file.is_file() or (file / "index.html").is_file()):
                broken.append(f"{page.relative_to(site)} -> {url}")
    return broken


def copy_vault(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".kgwiki"))
    return target


@pytest.fixture(scope="module")
def built(
    bundled_vault_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, BuildResult]:
    work = tmp_path_factory.mktemp("build")
    vault = copy_vault(bundled_vault_dir, work / "vault")
    with clock.fixed(BUNDLED_VAULT_DAY):  # the feed leaves out rows dated after tomorrow
        result = build(vault, work / "site", base_url=BASE)
    return work / "site", result


def test_every_internal_link_resolves(built: tuple[Path, BuildResult]) -> None:
    site, result = built
    assert result.broken == []
    assert result.notes == 39
    assert (site / "n" / "10_Wiki" / "Topics" / "kubernetes" / "index.html").is_file()
    assert broken_links(site) == []


def test_site_pages_and_assets_are_written(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    for page in ("index.html", "search/index.html", "tags/index.html", "graph/index.html",
                 "wanted/index.html", "duplicates/index.html", "changes/index.html",
                 "lint/index.html", "trust/index.html", "404.html", "tags/kubernetes/index.html"):
        assert (site / page).is_file(), page
    for asset in ("static/style.css", "static/pygments.css", "static/graph.js", "static/search.js",
                  "static/terms.js", "static/app.js", "data/graph.js", "data/search/meta.js",
                  "data/search/docs.js"):
        assert (site / asset).is_file(), asset
    graph = (site / "data/graph.js").read_text(encoding="utf-8")
    assert graph.startswith("window.KGWIKI_GRAPH={") and '"10_Wiki/Topics/kubernetes.md"' in graph
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert f'<base href="{BASE}">' in not_found


def test_alias_redirects(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    for alias in ("K8s", "쿠버네티스"):
        html = (site / "n" / alias / "index.html").read_text(encoding="utf-8")
        refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', html)
        assert refresh is not None
        target = posixpath.normpath(posixpath.join(f"n/{alias}", unquote(refresh.group(1))))
        assert target == "n/10_Wiki/Topics/kubernetes/index.html"
        assert f'<link rel="canonical" href="{BASE}n/10_Wiki/Topics/kubernetes/">' in html


def test_feed_is_atom_with_entries(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 20
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    first = entries[0]
    assert first.findtext(f"{ATOM}updated", "").startswith("2026-11-20")  # newest changelog row
    links = [e.find(f"{ATOM}link") for e in entries]
    assert all(link is not None and link.get("href", "").startswith(BASE + "n/") for link in links)


def test_sitemap_lists_every_page_absolutely(built: tuple[Path, BuildResult]) -> None:
    site, _ = built
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]
    assert all(u.startswith(BASE) for u in urls)
    assert BASE + "n/10_Wiki/Topics/kubernetes/" in urls
    assert BASE + "n/index/" in urls and BASE in urls
    folders = {"10_Wiki/", "10_Wiki/Topics/", "10_Wiki/Patterns/", "20_Blog/", "30_Inbox/"}
    assert all(BASE + "n/" + folder in urls for folder in folders)  # folder pages
    assert sum(u.startswith(BASE + "n/") for u in urls) == 39 + len(folders)  # and 39 notes


def test_search_index_holds_korean_bigrams(built: tuple[Path, BuildResult]) -> None:
    from kgwiki.web.build.search_docs import fnv1a, read_script

    site, _ = built
    meta = read_script(site / "data/search/meta.js")
    docs = read_script(site / "data/search/docs.js")
    shard = read_script(site / "data/search" / "t" / f"{fnv1a('텍처') % meta['shards']}.js")
    assert "텍처" in shard
    ids, doc = [], 0
    for i in range(0, len(shard["텍처"]), 2):
        doc += shard["텍처"][i]
        ids.append(doc)
    rows = dict(zip(docs["ids"], docs["rows"], strict=True))
    titles = {rows[i][0] for i in ids}
    assert {"Server Architecture", "Microservice Architecture"} <= titles


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["build", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_strict_fails_on_a_broken_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = copy_vault(DATA / "strict-broken", tmp_path / "vault")
    status, _, err = run_cli(capsys, str(vault), "-o", str(tmp_path / "site"), "--strict", "-q")
    assert status == 1
    assert "a.md:3: unresolved-link [[Missing Note]]" in err
    status, _, _ = run_cli(capsys, str(vault), "-o", str(tmp_path / "site"), "-q")
    assert status == 0  # without --strict the same vault builds (the link is "wanted")
    status, _, err = run_cli(capsys, str(vault), "-o", str(tmp_path / "site"), "--strict", "-q")
    assert status == 1 and "a.md:3:" in err  # also when nothing changed since the last build


def test_strict_passes_a_clean_vault(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = copy_vault(DATA / "strict-clean", tmp_path / "vault")
    status, out, err = run_cli(capsys, str(vault), "-o", str(tmp_path / "site"), "--strict")
    assert status == 0, err
    assert "2 notes" in out


def test_strict_reports_broken_output_links(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = copy_vault(DATA / "strict-clean", tmp_path / "vault")
    (vault / "c.md").write_text("# C\n\n[a file](missing.pdf) and [[A]]\n", encoding="utf-8")
    status, _, err = run_cli(capsys, str(vault), "-o", str(tmp_path / "site"), "--strict", "-q")
    assert status == 1
    assert "n/c/index.html:1: broken-link n/c/missing.pdf" in err


def test_refuses_to_clean_a_foreign_folder(tmp_path: Path) -> None:
    vault = copy_vault(DATA / "strict-clean", tmp_path / "vault")
    foreign = tmp_path / "docs"
    foreign.mkdir()
    (foreign / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BuildError, match="refusing --clean"):
        build(vault, foreign, clean=True)
    assert (foreign / "keep.txt").is_file()
    with pytest.raises(BuildError, match="inside the vault"):
        build(vault, vault / "site")


def test_a_text_edit_is_patched_and_strict_still_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A local edit (build_local) says so, and reports the problems the site still has."""
    vault = copy_vault(DATA / "strict-broken", tmp_path / "vault")
    site = str(tmp_path / "site")
    assert run_cli(capsys, str(vault), "-o", site, "-q")[0] == 0
    note = vault / "a.md"
    note.write_text(note.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    status, out, err = run_cli(capsys, str(vault), "-o", site, "--strict")
    assert status == 1 and "a.md:3: unresolved-link [[Missing Note]]" in err
    assert "(text edits patched in)" in out
