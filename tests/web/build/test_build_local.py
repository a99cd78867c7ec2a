"""Local edits: a build where only notes' text changed patches their pages without loading
the vault (``build_local``), writes what a clean build writes, and steps aside otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from build_support import (
    HELM,
    HELM_PAGE,
    append,
    bump_mtime,
    copy_of,
    edit,
    files,
    generated_vault,
    same_as_clean_build,
    small_vault,
)

from kgwiki.search import terms
from kgwiki.types import NotePath
from kgwiki.web.build import build
from kgwiki.web.build.cache import CACHE_DIR, Manifest

CQRS = "10_Wiki/Patterns/cqrs.md"
SENTENCE = "로컬 편집 문장: a sentence added by the local-edit test, 검색어 벚꽃놀이."


@pytest.fixture()
def vault(bundled_vault_dir: Path, tmp_path: Path) -> Path:
    return copy_of(bundled_vault_dir, tmp_path)


def built(vault: Path, site: Path, **options: bool) -> dict[str, tuple[bytes, int]]:
    first = build(vault, site, **options)
    assert first.mode == "full"
    return files(site)


def changed_files(before: dict[str, tuple[bytes, int]], site: Path) -> set[str]:
    """Files written since ``before`` (a new mtime or new bytes), and files added or removed."""
    after = files(site)
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def test_text_edit_rewrites_only_what_reads_the_text(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    before = built(vault, site)
    append(vault / HELM, SENTENCE)
    result = build(vault, site)
    assert result.mode == "local"
    changed = changed_files(before, site)
    assert HELM_PAGE in changed
    assert SENTENCE in (site / HELM_PAGE).read_text(encoding="utf-8")
    others = {name for name in changed if name != HELM_PAGE}
    # the search index (terms, text bucket, document table) and the note's hover card
    assert others and all(n.startswith(("data/search/", "data/preview/")) for n in others), others
    assert result.written == len(changed)
    shards = "".join((site / n).read_text(encoding="utf-8") for n in others if "/t/" in n)
    new_terms = terms("벚꽃놀이")  # Korean bigrams, as the client search looks them up
    assert new_terms and all(f'"{term}":' in shards for term in new_terms)
    same_as_clean_build(vault, site, tmp_path)


def test_edit_inside_a_line_and_several_notes(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    built(vault, site)
    edit(vault / HELM, "Helm 3(2019)부터", "Helm 3 (2019 년)부터")
    append(vault / CQRS, SENTENCE)
    assert build(vault, site).mode == "local"
    same_as_clean_build(vault, site, tmp_path)


def test_local_edits_in_a_row_then_a_full_build(vault: Path, tmp_path: Path) -> None:
    """What a local build records keeps the next builds, local or full, right."""
    site = tmp_path / "site"
    built(vault, site)
    append(vault / HELM, SENTENCE)  # after its changelog table: prose unchanged
    assert build(vault, site).mode == "local"
    edit(vault / CQRS, "Greg Young 이", "Greg Young 이 2010 년에")  # the prose changes
    assert build(vault, site).mode == "local"
    edit(vault / HELM, "Helm 3(2019)부터", "Helm 3 (2019 년)부터")
    assert build(vault, site).mode == "local"
    append(vault / CQRS, "And a fourth one.")
    assert build(vault, site).mode == "local"
    edit(vault / HELM, "Helm 3 (2019 년)부터", "Helm 3(2019)부터")  # back as it was
    assert build(vault, site).mode == "local"
    sketches_are_of_the_present_prose(vault, site)
    same_as_clean_build(vault, site, tmp_path)
    records_match_a_clean_build(site, tmp_path)
    edit(vault / HELM, "title: Helm\n", "title: Helm Charts\n")  # the shape changes
    assert build(vault, site).mode == "full"
    same_as_clean_build(vault, site, tmp_path)
    assert build(vault, site).mode == "unchanged"


def sketches_are_of_the_present_prose(vault: Path, site: Path) -> None:
    """The vault's sketch cache holds, under each edited note's content hash, the sketch of
    its present prose (what the next local build compares other notes with)."""
    from kgwiki.config import config_for_vault
    from kgwiki.duplicates import (
        NUM_PERM,
        SketchCache,
        SketchParams,
        content_text,
        shingle_sets,
        sketch_of,
    )
    from kgwiki.vault import read_note

    config = config_for_vault(vault)
    params = SketchParams(config.shingle_size, NUM_PERM)
    cache = SketchCache.open(vault, config.cache_dir, params)
    records = Manifest.read(site).notes
    for path in (HELM, CQRS):
        note = read_note(vault, NotePath(path), config)[0]
        assert records[path]["content"] == note.content_hash
        expected = sketch_of(shingle_sets([content_text(note)], params.shingle_size)[0], params)
        kept = cache.get(note.content_hash)
        assert expected is not None and kept is not None and (kept == expected).all(), path


def records_match_a_clean_build(site: Path, tmp_path: Path) -> None:
    """The note records local builds leave are the ones a clean build writes."""
    ours, theirs = Manifest.read(site), Manifest.read(tmp_path / "clean-site")
    assert ours.notes == theirs.notes


def test_a_fresh_checkout_with_one_edit_is_local(vault: Path, tmp_path: Path) -> None:
    """A checkout gives every file a new time; only the bytes that changed are edits."""
    site = tmp_path / "site"
    built(vault, site)
    for file in vault.rglob("*"):
        if file.is_file():
            bump_mtime(file)
    edit(vault / CQRS, "Greg Young 이", "Greg Young 이 2010 년에")
    result = build(vault, site)
    assert (result.mode, result.why_full) == ("local", "")
    assert result.written > 0
    same_as_clean_build(vault, site, tmp_path)


def test_touched_but_unchanged_note_writes_nothing(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    before = built(vault, site)
    bump_mtime(vault / HELM)
    result = build(vault, site)
    assert result.mode == "local" and result.written == 0
    assert changed_files(before, site) == set()
    assert build(vault, site).mode == "unchanged"  # the new file time was recorded


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("## 매 한 줄\n", "## 매 한 줄 (요약)\n"),  # a heading
        ("Helm 3(2019)부터", "Helm 3(2019, [[Kubernetes]])부터"),  # a link
        ("Helm 3(2019)부터", "Helm 3(2019) #release 부터"),  # a tag
        ("# Helm\n", "# Helm\n\nA new first line moves every link below it.\n"),  # link lines
        ("confidence_score: 0.83", "confidence_score: 0.5"),  # trust
    ],
    ids=["heading", "link", "tag", "lines", "frontmatter"],
)
def test_edits_that_change_the_shape_build_fully(vault: Path, tmp_path: Path, old: str,
                                                 new: str) -> None:  # fmt: skip
    site = tmp_path / "site"
    built(vault, site)
    edit(vault / HELM, old, new)
    result = build(vault, site)
    assert (result.mode, result.why_full) == ("full", f"{HELM}: more than its text changed")
    same_as_clean_build(vault, site, tmp_path)


def test_embedded_note_is_not_local_but_embedding_notes_are(vault: Path, tmp_path: Path) -> None:
    """An embed draws another note's text into a page: editing the embedded note is not
    local; the embedding note's own text is, with its embeds, images and relative Markdown
    links kept as drawn."""
    site = tmp_path / "site"
    links = "See [the saga](saga-pattern.md), ![layers](../../assets/layers.svg), [x](nowhere.md)."
    append(vault / CQRS, "![[Helm#매 한 줄]]\n\n" + links)
    built(vault, site)
    append(vault / HELM, SENTENCE)
    assert build(vault, site).why_full == f"{HELM}: another note embeds it"
    same_as_clean_build(vault, site, tmp_path)
    edit(vault / CQRS, "Greg Young 이", "Greg Young 이 2010 년에")
    assert build(vault, site).mode == "local"
    page = (site / "n/10_Wiki/Patterns/cqrs/index.html").read_text(encoding="utf-8")
    assert "2010 년에" in page and 'class="embed-note"' in page
    assert 'src="../../../../f/assets/layers.svg"' in page  # the copied attachment
    same_as_clean_build(vault, site, tmp_path)


def test_other_changes_build_fully(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    built(vault, site)
    append(vault / HELM, SENTENCE)
    (vault / "30_Inbox" / "new-note.md").write_text("# New note\n\nFresh text.\n", encoding="utf-8")
    assert build(vault, site).why_full == "files were added, removed or renamed"
    same_as_clean_build(vault, site, tmp_path)
    append(vault / HELM, "More text.")
    shutil.rmtree(site / CACHE_DIR / "links")  # the kept wiki-links are gone
    assert build(vault, site).why_full == f"{HELM}: its links were not kept"
    same_as_clean_build(vault, site, tmp_path)
    picture = sorted((vault / "assets").iterdir())[0]
    bump_mtime(picture)  # touched: the same bytes
    assert build(vault, site).mode == "local"
    picture.write_bytes(picture.read_bytes() + b"\n")
    assert build(vault, site).why_full == f"assets/{picture.name}: an attachment changed"
    same_as_clean_build(vault, site, tmp_path)
    same_as_clean_build(vault, site, tmp_path)


def _note(title: str, words: list[str]) -> str:
    lines = [" ".join(words[i : i + 12]) + "." for i in range(0, len(words), 12)]
    return f"---\ntitle: {title}\n---\n# {title}\n\n" + "\n\n".join(lines) + "\n"


def test_edit_that_makes_a_near_duplicate_builds_fully(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    words = [f"단어{i} word{i * 7 % 101}" for i in range(160)]
    other = [f"다른{i} other{i * 13 % 97}" for i in range(160)]
    (vault / "30_Inbox" / "twin-a.md").write_text(_note("Twin A", words), encoding="utf-8")
    (vault / "30_Inbox" / "twin-b.md").write_text(_note("Twin B", other), encoding="utf-8")
    built(vault, site)
    duplicates = (site / "duplicates/index.html").read_text(encoding="utf-8")
    assert "twin-a" not in duplicates
    edit(vault / "30_Inbox" / "twin-b.md", _note("Twin B", other).split("\n\n", 1)[1],
         _note("Twin B", words).split("\n\n", 1)[1])  # fmt: skip
    why = "30_Inbox/twin-b.md: a near duplicate of 30_Inbox/twin-a.md now"
    assert build(vault, site).why_full == why
    duplicates = (site / "duplicates/index.html").read_text(encoding="utf-8")
    assert "twin-a" in duplicates and "twin-b" in duplicates
    same_as_clean_build(vault, site, tmp_path)
    append(vault / "30_Inbox" / "twin-a.md", SENTENCE)  # a note with a near duplicate
    assert build(vault, site).why_full == "30_Inbox/twin-a.md: it has a near duplicate"
    same_as_clean_build(vault, site, tmp_path)


def test_without_near_duplicate_detection(vault: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    built(vault, site, near_duplicates=False)
    append(vault / HELM, SENTENCE)
    assert build(vault, site, near_duplicates=False).mode == "local"
    same_as_clean_build(vault, site, tmp_path, near_duplicates=False)


def test_feed_dated_by_file_times(tmp_path: Path) -> None:
    """Without changelog rows the feed lists notes by file time, which every edit changes."""
    vault = small_vault(tmp_path / "plain",
                        {f"note-{i}.md": f"# Note {i}\n\nText {i}.\n" for i in range(3)})
    site = tmp_path / "site"
    built(vault, site)
    append(vault / "note-1.md", "One more line.")
    assert build(vault, site, base_url="https://example.org/wiki/").mode == "full"
    append(vault / "note-2.md", SENTENCE)
    assert build(vault, site, base_url="https://example.org/wiki/").mode == "local"
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert feed.index("n/note-2/") < feed.index("n/note-1/") < feed.index("n/note-0/")
    same_as_clean_build(vault, site, tmp_path, base_url="https://example.org/wiki/")


@pytest.mark.parametrize("corpus", ["foam-docs", "kepano-obsidian", "silverbullet-docs"])
def test_real_vaults_edit_equals_clean_build(shared_dir: Path, tmp_path: Path,
                                             corpus: str) -> None:  # fmt: skip
    vault = copy_of(shared_dir / "corpora" / corpus, tmp_path)
    site = tmp_path / "site"
    built(vault, site)
    local = Manifest.read(site).local
    apart = set(local["embedded"]) | set(local["paired"])  # not local, by design
    notes = sorted(p for p in vault.rglob("*.md") if p.relative_to(vault).as_posix() not in apart)
    for i, note in enumerate(notes[:: max(1, len(notes) // 6)]):
        # words of their own: the same sentence would make short notes near duplicates
        append(note, f"편집 {i}: " + " ".join(f"w{i}x{j}" for j in range(12)) + ".")
    result = build(vault, site)
    assert (result.mode, result.why_full) == ("local", "")  # embeds, images, links: all kept
    same_as_clean_build(vault, site, tmp_path)


@pytest.mark.slow
def test_generated_vault_edit_is_local(tmp_path: Path) -> None:
    """The edit ``scripts/bench.py`` times, on a vault from ``scripts/gen_vault.py``."""
    vault = generated_vault(tmp_path / "gen", 300)
    site = tmp_path / "site"
    built(vault, site)
    local = Manifest.read(site).local
    assert local["paired"]  # the generator plants near duplicates
    notes = sorted(p for p in vault.rglob("*.md") if p.relative_to(vault).as_posix()
                   not in set(local["paired"]) | set(local["embedded"]))  # fmt: skip
    for note in notes[:3]:
        append(note, "Benchmark edit: 벤치마크 편집 문장 — one more sentence.")
    assert build(vault, site).mode == "local"
    same_as_clean_build(vault, site, tmp_path)


def test_a_raw_title_heading_in_the_body_is_not_the_drawn_one(tmp_path: Path) -> None:
    """A body's own ``<h1 class="note-title">`` (raw HTML) is not taken for the heading the
    page draws when the body has none."""
    vault = small_vault(tmp_path / "v", {"q.md": "Plain start.\n\nBody of q.\n",
                                         "r.md": "# R\n\nText of r, see [[q]].\n"})  # fmt: skip
    site = tmp_path / "site"
    built(vault, site)
    edit(vault / "q.md", "Plain start.", '<h1 class="note-title">Injected</h1>')
    build(vault, site)
    same_as_clean_build(vault, site, tmp_path)
    edit(vault / "q.md", '<h1 class="note-title">Injected</h1>', "Plain start!")
    build(vault, site)
    same_as_clean_build(vault, site, tmp_path)


def test_notes_sharing_a_page_address_are_not_local(tmp_path: Path) -> None:
    vault = small_vault(tmp_path / "v", {"x.md": "# X one\n\nFirst.\n",
                                         "x.markdown": "# X two\n\nSecond.\n"})  # fmt: skip
    site = tmp_path / "site"
    built(vault, site)
    append(vault / "x.markdown", SENTENCE)
    assert build(vault, site).why_full == "x.markdown: another note has the same page address"


def test_notes_named_in_nfd_build_and_edit(tmp_path: Path) -> None:
    """A note and an attachment named in NFD (as macOS names files) are read, copied, and
    edited locally like any other."""
    import unicodedata

    vault = tmp_path / "v"
    (vault / unicodedata.normalize("NFD", "그림")).mkdir(parents=True)
    (vault / unicodedata.normalize("NFD", "그림/도표.svg")).write_text("<svg/>", encoding="utf-8")
    note = vault / unicodedata.normalize("NFD", "분산 시스템.md")
    note.write_text("# 분산 시스템\n\n합의 알고리즘 본문. ![[도표.svg]]\n", encoding="utf-8")
    (vault / "a.md").write_text("# A\n\nSee [[분산 시스템]].\n", encoding="utf-8")
    site = tmp_path / "site"
    built(vault, site)
    page = (site / "n/분산 시스템/index.html").read_text(encoding="utf-8")
    assert "합의 알고리즘 본문" in page and (site / "f/그림/도표.svg").is_file()
    append(note, SENTENCE)
    result = build(vault, site)
    assert (result.mode, result.why_full) == ("local", "")
    assert SENTENCE in (site / "n/분산 시스템/index.html").read_text(encoding="utf-8")
    same_as_clean_build(vault, site, tmp_path)


@pytest.mark.parametrize("path", ["local", "full"])
def test_an_interrupted_build_is_followed_by_a_whole_one(vault: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         path: str) -> None:  # fmt: skip
    """A build killed while writing leaves pages, shards and records out of step; the next
    build trusts none of them and writes the site afresh."""
    from kgwiki.web.build.search_docs import SearchDoc
    from kgwiki.web.build.search_writer import SearchWriter

    site = tmp_path / "site"
    built(vault, site)
    if path == "local":
        edit(vault / CQRS, "Greg Young 이", "Greg Young 이 2010 년에")
    else:
        edit(vault / HELM, "title: Helm\n", "title: Helm Charts\n")

    def killed(self: SearchWriter, changed: list[SearchDoc], *args: object) -> None:
        self.counts.save({d.path: d.counts for d in changed})  # kept, but no shard patched
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(SearchWriter, "update", killed)
        with pytest.raises(KeyboardInterrupt):
            build(vault, site)
    result = build(vault, site)
    assert result.mode == "full"
    assert result.why_full == "the last build was interrupted while writing"
    same_as_clean_build(vault, site, tmp_path)
    assert build(vault, site).mode == "unchanged"


def test_files_an_interrupted_build_wrote_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The recovery build removes what the interrupted one wrote and no build would now,
    and leaves a file of the user's at the site's root alone."""
    from kgwiki.web.build.run import Builder

    vault = small_vault(tmp_path / "v", {"a.md": "# A\n\nText.\n", "b.md": "# B\n\nMore.\n"})
    site = tmp_path / "site"
    built(vault, site)
    (site / "CNAME").write_text("wiki.example.org\n", encoding="utf-8")
    (vault / "new.md").write_text("# New\n\nA #newtag here.\n", encoding="utf-8")
    (vault / "pic.png").write_bytes(b"\x89PNG")

    def killed(self: Builder) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(Builder, "_data_files", killed)
        with pytest.raises(KeyboardInterrupt):
            build(vault, site)
    assert (site / "n/new/index.html").is_file() and (site / "f/pic.png").is_file()
    (vault / "new.md").unlink()
    (vault / "pic.png").unlink()
    assert build(vault, site).why_full == "the last build was interrupted while writing"
    assert (site / "CNAME").read_text(encoding="utf-8") == "wiki.example.org\n"
    (site / "CNAME").unlink()
    same_as_clean_build(vault, site, tmp_path)


def test_the_marker_outlives_a_recovery_that_is_interrupted(
    vault: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kgwiki.web.build.flow as build_module
    from kgwiki.web.build.search_writer import SearchWriter

    site = tmp_path / "site"
    built(vault, site)
    edit(vault / CQRS, "Greg Young 이", "Greg Young 이 2010 년에")

    def killed(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(SearchWriter, "update", killed)  # the local build dies writing
        with pytest.raises(KeyboardInterrupt):
            build(vault, site)
    with monkeypatch.context() as patched:
        patched.setattr(build_module, "_clear_cache", killed)  # and so does the recovery
        with pytest.raises(KeyboardInterrupt):
            build(vault, site)
    edit(vault / CQRS, "Greg Young 이 2010 년에", "Greg Young 이")  # back as it was
    assert build(vault, site).why_full == "the last build was interrupted while writing"
    same_as_clean_build(vault, site, tmp_path)


def test_every_module_and_asset_is_in_the_fingerprint(tmp_path: Path) -> None:
    """Editing any module (the sanitiser, the body templates, the parser …) or asset of a
    working copy rebuilds every page."""
    from kgwiki.web.build.cache import template_fingerprint

    package = Path(shutil.copytree(Path(template_fingerprint.__code__.co_filename).parents[2],
                                   tmp_path / "kgwiki",
                                   ignore=shutil.ignore_patterns("__pycache__")))  # fmt: skip
    before = template_fingerprint(package)
    for name in ("web/render/sanitiser.py", "web/render/body_template.py", "note/parse.py",
                 "web/static/app.js"):
        file = package / name
        original = file.read_bytes()
        file.write_bytes(original + b"\n")
        assert template_fingerprint(package) != before, name
        file.write_bytes(original)
    assert template_fingerprint(package) == before


def _prose_lines(text: str) -> list[int]:
    """Lines of a note's body that are plain prose: no link, tag, table, heading or code."""
    lines = text.split("\n")
    start = lines.index("---", 1) + 1 if lines[0] == "---" else 0
    fenced, found = False, []
    for i in range(start, len(lines)):
        line = lines[i]
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif (not fenced and line[:1].isalnum() and not any(c in line for c in "[]|#<>`*_")
                and len(line) > 20):  # fmt: skip
            found.append(i)
    return found


@pytest.mark.slow
def test_random_edits_in_a_row_equal_clean_builds(vault: Path, tmp_path: Path) -> None:
    """A seeded run of mixed edits — text, links, titles, new and deleted notes, touches —
    each built incrementally (locally when it can be) and compared with a clean build."""
    import random

    rng = random.Random("kgwiki-local-edits")
    site = tmp_path / "site"
    built(vault, site)
    modes = []
    for step in range(12):
        notes = sorted(vault.rglob("*.md"))
        note = rng.choice(notes)
        text = note.read_text(encoding="utf-8")
        kind = rng.choice(["append", "inside", "inside", "link", "title", "touch", "new", "delete"])
        prose = _prose_lines(text)
        if kind == "inside" and prose:
            lines = text.split("\n")
            i = rng.choice(prose)
            lines[i] = lines[i] + f" 단계 {step} 문장 word{step}."
            note.write_text("\n".join(lines), encoding="utf-8")
            bump_mtime(note)
        elif kind == "link":
            other = rng.choice(notes).stem
            append(note, f"See [[{other}]] (step {step}).")
        elif kind == "title" and text.startswith("---\n") and "\ntitle: " in text:
            edit(note, "\ntitle: ", f"\ntitle: S{step} ")
        elif kind == "touch":
            bump_mtime(note)
        elif kind == "new":
            (vault / "30_Inbox" / f"step-{step}.md").write_text(
                f"# Step {step}\n\nA new note, 새 노트 {step}, about [[{note.stem}]].\n",
                encoding="utf-8")  # fmt: skip
        elif kind == "delete" and len(notes) > 30:
            note.unlink()
        else:
            append(note, f"단계 {step}: another sentence of its own, words{step} here.")
        result = build(vault, site)
        modes.append(result.mode)
        if step % 3 == 2:
            same_as_clean_build(vault, site, tmp_path)
    same_as_clean_build(vault, site, tmp_path)
    assert "local" in modes and "full" in modes, modes  # both paths were exercised
