"""Incremental builds: exactly the affected pages change, and the result equals a clean build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from build_support import (
    HELM,
    HELM_PAGE,
    copy_of,
    edit,
    files,
    generated_vault,
    same_as_clean_build,
    small_vault,
)

from kgwiki.web.build import build


@pytest.fixture()
def vault(bundled_vault_dir: Path, tmp_path: Path) -> Path:
    return copy_of(bundled_vault_dir, tmp_path)


def test_unchanged_vault_writes_nothing(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    first = build(vault, site)
    assert first.written > 200 and not first.unchanged
    before = files(site)
    again = build(vault, site)
    assert again.unchanged and again.written == 0
    assert files(site) == before


def test_title_change_rewrites_the_pages_that_show_it(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(vault, site)
    before = files(site)
    # Pages that link to Helm's page under its title (the lint page names files by path).
    showing = {name for name, (data, _) in before.items()
               if name.endswith(".html") and b"/Topics/helm/index.html" in data
               and b"Helm" in data}  # fmt: skip
    edit(vault / HELM, "title: Helm\n", "title: Helm Charts\n")
    result = build(vault, site)
    after = files(site)
    changed = {name for name in after if name not in before or after[name] != before[name]}
    assert HELM_PAGE in changed
    # The pages listing Helm (backlinks, relations, local graph) now say "Helm Charts" ...
    linking = {"n/10_Wiki/Topics/kubernetes/index.html", "n/index/index.html"}
    assert linking <= showing
    for page in showing:
        assert page in changed, page
        assert "Helm Charts" in after[page][0].decode("utf-8"), page
    # ... and note pages that never showed Helm are untouched, bytes and mtime.
    untouched = [n for n in before if n.startswith("n/") and n not in showing and n != HELM_PAGE]
    assert len(untouched) > 20
    for name in untouched:
        assert after[name] == before[name], name
    assert result.written == len(changed)
    same_as_clean_build(vault, site, tmp_path)


def test_body_edit_and_new_link(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(vault, site)
    before = files(site)
    edit(vault / "10_Wiki/Patterns/cqrs.md", "# CQRS\n", "# CQRS\n\nSee also [[Helm]].\n")
    build(vault, site)
    after = files(site)
    changed = {name for name in after if after[name] != before.get(name)}
    assert "n/10_Wiki/Patterns/cqrs/index.html" in changed
    helm = after[HELM_PAGE][0].decode("utf-8")
    assert 'data-path="10_Wiki/Patterns/cqrs.md"' in helm  # a new backlink on another page
    same_as_clean_build(vault, site, tmp_path)


def test_delete_and_create_notes(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(vault, site)
    (vault / HELM).unlink()
    (vault / "30_Inbox" / "chaos-engineering.md").write_text(
        "---\ntitle: Chaos Engineering\naliases: [카오스 엔지니어링]\n---\n# Chaos Engineering\n\n"
        "Break things on purpose; see [[Observability]].\n", encoding="utf-8")  # fmt: skip
    result = build(vault, site)
    assert not (site / HELM_PAGE).exists()
    assert result.removed >= 1
    assert (site / "n/30_Inbox/chaos-engineering/index.html").is_file()
    assert (site / "n/카오스 엔지니어링/index.html").is_file()
    wanted = (site / "wanted/index.html").read_text(encoding="utf-8")
    assert 'id="w-chaos-engineering"' not in wanted
    kubernetes = (site / "n/10_Wiki/Topics/kubernetes/index.html").read_text(encoding="utf-8")
    assert "wikilink wanted" in kubernetes and ">Helm</a>" in kubernetes  # now a wanted link
    same_as_clean_build(vault, site, tmp_path)


def test_config_change_rebuilds_every_page(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build(vault, site)
    (vault / "kgwiki.toml").write_text('[site]\ntitle = "아키텍처 위키"\n', encoding="utf-8")
    result = build(vault, site)
    texts = [p.read_text(encoding="utf-8") for p in site.rglob("*.html")]
    pages = [t for t in texts if 'http-equiv="refresh"' not in t]  # alias redirects aside
    assert len(pages) > 100
    assert all("아키텍처 위키" in t for t in pages)
    assert result.written >= len(pages)
    same_as_clean_build(vault, site, tmp_path)


@pytest.mark.slow
def test_parallel_and_serial_builds_agree(tmp_path: Path) -> None:
    vault = generated_vault(tmp_path / "gen", 260)
    serial = build(vault, tmp_path / "serial", jobs=1, near_duplicates=False)
    parallel = build(vault, tmp_path / "parallel", jobs=2, near_duplicates=False)
    assert serial.notes == parallel.notes == 260
    one = {k: v[0] for k, v in files(tmp_path / "serial").items()}
    two = {k: v[0] for k, v in files(tmp_path / "parallel").items()}
    assert one == two


def test_embedders_follow_what_their_embeds_show(tmp_path: Path) -> None:
    """A page draws the notes it embeds, and the notes those embed: a change that reaches an
    embedded body (a link it holds now resolving) reaches every page that embeds it."""
    vault = small_vault(tmp_path / "v", {
        "a.md": "# A\n\nIntro of A.\n\n![[b]]\n",
        "b.md": "# B\n\nB mentions [[x]] here.\n\n![[c]]\n",
        "c.md": "# C\n\nC's own words, and [[y]].\n",
    })  # fmt: skip
    site = tmp_path / "site"
    build(vault, site)
    (vault / "x.md").write_text("# X\n\nNow written.\n", encoding="utf-8")
    build(vault, site)
    a_page = (site / "n/a/index.html").read_text(encoding="utf-8")
    assert 'data-path="x.md"' in a_page  # not the wanted link it was
    same_as_clean_build(vault, site, tmp_path)
    edit(vault / "c.md", "C's own words", "C's other words")  # two embeds deep
    build(vault, site)
    assert "C's other words" in (site / "n/a/index.html").read_text(encoding="utf-8")
    same_as_clean_build(vault, site, tmp_path)


def test_deleting_a_note_removes_its_emptied_preview_bucket(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "v", {f"n{i}.md": f"# N{i}\n\nText {i}.\n" for i in range(3)})
    site = tmp_path / "site"
    build(vault, site)
    (vault / "n1.md").unlink()
    build(vault, site)
    same_as_clean_build(vault, site, tmp_path)


def test_a_title_that_reads_like_markup_keeps_its_heading(tmp_path: Path) -> None:
    """A page whose body is reused tells its own heading from the drawn title exactly."""
    vault = small_vault(tmp_path / "v", {
        "q.md": '# Use class="note-title" here\n\nText of q.\n',
        "r.md": "# R\n\nText of r.\n",
    })  # fmt: skip
    site = tmp_path / "site"
    build(vault, site)
    edit(vault / "r.md", "Text of r.", "Text of r, see [[q]].")  # q gains a backlink
    build(vault, site)
    same_as_clean_build(vault, site, tmp_path)


def test_folder_pages_are_drawn_again_only_when_their_listing_changes(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kgwiki.web.render import Renderer

    site = tmp_path / "site"
    build(vault, site)
    drawn: list[str] = []
    draw = Renderer.folder

    def counting(self: Renderer, folder: str, context: dict[str, Any] | None = None) -> str:
        drawn.append(folder)
        return draw(self, folder, context)

    monkeypatch.setattr(Renderer, "folder", counting)
    edit(vault / HELM, "title: Helm\n", "title: Helm Charts\n")
    build(vault, site)
    # Helm's folder lists it by title; the other folders list nothing that changed.
    assert drawn == [HELM.rsplit("/", 1)[0]]
    assert "Helm Charts" in (site / "n" / drawn[0] / "index.html").read_text(encoding="utf-8")
    # A link changed (a shape edit: a full build) lists nothing differently in any folder.
    drawn.clear()
    edit(vault / "30_Inbox/edge-computing.md", "[[Caching]] 과", "[[Serverless]] 과")
    assert build(vault, site).mode == "full"
    assert drawn == []
    monkeypatch.undo()
    same_as_clean_build(vault, site, tmp_path)


def test_records_of_another_build_are_not_taken(vault: Path, tmp_path: Path) -> None:
    """The header and the records of a manifest come from one write: records left from an
    earlier build (a copy put back, a write stopped between the two files) are not read as
    this build's, and the next build draws everything again, as a clean build would."""
    from kgwiki.web.build.cache import CACHE_DIR, RECORDS_NAME, Manifest

    site = tmp_path / "site"
    build(vault, site)
    records = site / CACHE_DIR / RECORDS_NAME
    earlier = records.read_bytes()
    edit(vault / HELM, "title: Helm\n", "title: Helm Charts\n")
    assert build(vault, site).mode == "full"  # a title: a shape edit
    assert Manifest.read(site).notes[HELM]["names"]  # this write's header and records agree
    records.write_bytes(earlier)
    assert Manifest.read(site) == Manifest()  # the header names the other write
    edit(vault / HELM, "title: Helm Charts\n", "title: Helm Charts 3\n")
    result = build(vault, site)
    assert (result.mode, result.why_full) == (
        "full", "the records of the last build are missing, damaged or not its own")
    same_as_clean_build(vault, site, tmp_path)


@pytest.mark.parametrize("damage", ["missing", "truncated", "not a pickle"])
def test_damaged_records_mean_a_full_build(vault: Path, tmp_path: Path, damage: str) -> None:
    from kgwiki.web.build.cache import CACHE_DIR, RECORDS_NAME, Manifest

    site = tmp_path / "site"
    build(vault, site)
    records = site / CACHE_DIR / RECORDS_NAME
    if damage == "missing":
        records.unlink()
    elif damage == "truncated":
        records.write_bytes(records.read_bytes()[: records.stat().st_size // 2])
    else:
        records.write_text('{"pages": {}}', encoding="utf-8")
    assert Manifest.read(site, header_only=True).fingerprint  # the header is whole
    assert Manifest.read(site) == Manifest()
    edit(vault / HELM, "title: Helm\n", "title: Helm Charts\n")
    result = build(vault, site)
    assert result.why_full == "the records of the last build are missing, damaged or not its own"
    same_as_clean_build(vault, site, tmp_path)
    assert build(vault, site).mode == "unchanged"


def test_a_note_added_or_removed_redraws_only_its_listings(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The set of files grew (the new note's page), then shrank: the tag, folder and alias
    pages that list nothing new keep their bytes, and the report equals a clean build's."""
    from kgwiki.web.render import Renderer

    site = tmp_path / "site"
    build(vault, site)
    before = files(site)
    drawn: list[str] = []
    for kind in ("tag", "folder"):
        draw = getattr(Renderer, kind)

        def counting(self: Renderer, name: str, context: Any = None, _draw: Any = draw,
                     _kind: str = kind) -> str:  # fmt: skip
            drawn.append(f"{_kind}:{name}")
            return str(_draw(self, name, context))

        monkeypatch.setattr(Renderer, kind, counting)
    (vault / "30_Inbox" / "argo-cd.md").write_text(
        "---\ntitle: Argo CD\ntags: [gitops]\n---\n# Argo CD\n\n"
        "Syncs [[Helm]] charts from git; see [[Nowhere Yet]].\n", encoding="utf-8")  # fmt: skip
    result = build(vault, site)
    assert result.mode == "full"
    assert sorted(drawn) == ["folder:30_Inbox", "tag:gitops"]
    after = files(site)
    tags = [n for n in before if n.startswith("tags/") and n != "tags/gitops/index.html"
            and n != "tags/index.html"]  # fmt: skip
    assert len(tags) > 20
    assert all(after[name] == before[name] for name in tags)  # bytes and mtime
    clean = build(vault, tmp_path / "clean-site", clean=True)
    assert (result.problems, result.broken) == (clean.problems, clean.broken)
    same_as_clean_build(vault, site, tmp_path)
    # Then it goes again (the set of files shrank): the pages kept are checked again, from
    # disk, and only the listings it leaves are drawn.
    drawn.clear()
    (vault / "30_Inbox" / "argo-cd.md").unlink()
    result = build(vault, site)
    assert sorted(drawn) == ["folder:30_Inbox", "tag:gitops"]
    assert all(files(site)[name] == after[name] for name in tags)
    monkeypatch.undo()
    clean = build(vault, tmp_path / "clean-site", clean=True)
    assert (result.problems, result.broken) == (clean.problems, clean.broken)
    same_as_clean_build(vault, site, tmp_path)


def test_every_note_edited_at_once_keeps_the_search_index_exact(tmp_path: Path) -> None:
    """When every note's text changed (so every note is counted afresh, under a new
    vocabulary of terms) but no note came or went, the index is written from the new counts
    alone: a word gone from every note is gone from the index."""
    vault = small_vault(tmp_path / "v", {
        "a.md": "# A\n\nKafka partitions and zookeeper quorum.\n",
        "b.md": "# B\n\nZookeeper elections; see [[a]].\n",
    })  # fmt: skip
    site = tmp_path / "site"
    build(vault, site)
    edit(vault / "a.md", "and zookeeper quorum", "and raft quorum")
    edit(vault / "b.md", "Zookeeper elections", "Raft elections")
    build(vault, site)
    shards = "".join(f.read_text(encoding="utf-8")
                     for f in (site / "data" / "search" / "t").iterdir())  # fmt: skip
    assert '"zookeep"' not in shards and '"raft"' in shards
    same_as_clean_build(vault, site, tmp_path)
