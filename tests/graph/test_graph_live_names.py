"""A live site kept current file by file (``Site.refresh_file``, as the server's watcher
calls it) holds the link tables and graph a fresh ``Site.load`` of the same files makes,
when an edit changes what other notes' links resolve to: a title that ends in ``.md`` or no
longer does, an alias or id added, removed or respelled, ``duplicate_of: folder/X`` and
``canonical_id`` declarations, a note added under a wanted ``folder/name``, a note linked to
by path deleted or renamed, an attachment added or deleted. ``refresh_file`` must also name
every note whose page shows something else since (its links, edges or backlinks).

Each case prepares the files (``setup``), loads the site, makes the change and refreshes
the paths it touched; the bundled vault and every real vault get each case.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from paths import REPO
from test_graph_kept_changes import Editor, link_tables

from kgwiki.config import config_for_vault
from kgwiki.graph import is_wanted
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.vault import scan_vault

VAULTS = ("bundled", "foam-docs", "kepano-obsidian", "silverbullet-docs")


def load(root: Path) -> Site:
    return Site.load(root, with_search=False, with_duplicates=False)


def state(site: Site) -> dict[str, Any]:
    """What the link tables and the graph hold, and what pages read of them; orders that
    note-by-note updates may leave otherwise (a wanted node's or a tag's spelling as first
    met) are left out, as in test_graph_incremental."""
    vault, graph = site.vault, site.graph
    edges = sorted((e.source, e.target, e.kind, e.line, e.context, e.name)
                   for node in graph.index.out for e in graph.index.edges_of(node))  # fmt: skip
    attrs = {node: {k: str(v).casefold() if k == "title" and is_wanted(node) else v
                    for k, v in values.items()}
             for node, values in graph._attrs.items()}  # fmt: skip
    return {
        "notes": sorted(vault.notes),
        "attachments": sorted(vault.attachments),
        **link_tables(vault),
        "diagnostics": sorted(map(repr, vault.diagnostics())),
        "nodes": sorted(graph.index.out),
        "edges": edges,
        "attrs": attrs,
        "declared": dict(graph._declared),
        "tags": {tag.casefold(): notes for tag, notes in graph.tags().items()},
        "backlinks": {node: graph.backlinks(node) for node in graph.index.into},
        "wanted": sorted((w.name.casefold(), w.count, w.sources, w.links) for w in graph.wanted()),
        "orphans": graph.orphans(),
        "dead ends": graph.dead_ends(),
        "canonicals": site.canonicals(),
        "embedders": site.embedders(),
    }


def pages(site: Site) -> dict[NotePath, Any]:
    """What each note's page shows of the links: its resolved links, edges and backlinks."""
    graph = site.graph
    return {path: (site.vault.links_of(path), graph.outlinks(path), graph.backlinks(path))
            for path in site.vault.notes}  # fmt: skip


@dataclass(frozen=True)
class Notes:
    """``named`` gets the names (a note of the vault), ``writer`` the links."""

    named: str
    writer: str


Step = Callable[[Editor, Notes], None]
Change = Callable[[Editor, Notes, Site], list[str]]


def link(*targets: str) -> Step:
    def step(ed: Editor, notes: Notes) -> None:
        ed.write(notes.writer, ed.read(notes.writer) + "".join(f"\n[[{t}]]\n" for t in targets))

    return step


def named(**fields: Any) -> Step:
    return lambda ed, notes: ed.front(notes.named, fields)


def declares(**fields: Any) -> Step:
    return lambda ed, notes: ed.front(notes.writer, fields)


def files(*paths: str) -> Step:
    def step(ed: Editor, notes: Notes) -> None:
        for path in paths:
            ed.write(path, f"# {Path(path).stem}\n\nA note of its own.\n")

    return step


def edit(*steps: Step, path: str = "named") -> Change:
    def change(ed: Editor, notes: Notes, site: Site) -> list[str]:
        for step in steps:
            step(ed, notes)
        return [getattr(notes, path)]

    return change


def add(*paths: str) -> Change:
    def change(ed: Editor, notes: Notes, site: Site) -> list[str]:
        files(*paths)(ed, notes)
        return list(paths)

    return change


def delete(*paths: str) -> Change:
    def change(ed: Editor, notes: Notes, site: Site) -> list[str]:
        for path in paths:
            (ed.root / path).unlink()
        return list(paths)

    return change


def rename(old: str, new: str) -> Change:
    def change(ed: Editor, notes: Notes, site: Site) -> list[str]:
        (ed.root / new).parent.mkdir(parents=True, exist_ok=True)
        (ed.root / old).rename(ed.root / new)
        return [old, new]  # the watcher reports both ends

    return change


def _hub(site: Site) -> NotePath:
    into = site.graph.index.into
    return max((p for p in site.vault.notes if into[p]), key=lambda p: (len(into[p]), p))


def delete_hub(ed: Editor, notes: Notes, site: Site) -> list[str]:
    hub = _hub(site)
    (ed.root / hub).unlink()
    return [hub]


def rename_hub(ed: Editor, notes: Notes, site: Site) -> list[str]:
    hub = _hub(site)
    return rename(hub, f"zqx moved/{hub.rsplit('/', 1)[-1]}")(ed, notes, site)


def binary(*paths: str) -> Step:
    def step(ed: Editor, notes: Notes) -> None:
        for path in paths:
            (ed.root / path).parent.mkdir(parents=True, exist_ok=True)
            (ed.root / path).write_bytes(b"\x89PNG not really")

    return step


def add_binary(*paths: str) -> Change:
    def change(ed: Editor, notes: Notes, site: Site) -> list[str]:
        binary(*paths)(ed, notes)
        return list(paths)

    return change


WRITER = "zqx writer.md"
TARGET = "zqx/Zqx Target.md"
GONE = ("zqx/Zqx Gone.md", "zqy/Zqx Gone.md")
ATTACHMENTS = ("zqx/zqx-file.pdf", "zqx-pic.png")
CASES: dict[str, tuple[list[Step], Change]] = {
    "title becomes one ending in .md": (
        [link("Zqx Notes.md")], edit(named(title="Zqx Notes.md"))),
    "title no longer ends in .md": (
        [named(title="Zqx Notes.md"), link("Zqx Notes.md")],
        edit(named(title="Zqx Plain"))),
    "alias added": ([link("Zqx Alias")], edit(named(aliases=["Zqx Alias"]))),
    "alias removed": (
        [named(aliases=["Zqx Alias"]), link("Zqx Alias")], edit(named(aliases=[]))),
    "alias respelled in another case": (
        [named(aliases=["Zqx Alias"]), link("Zqx Alias")], edit(named(aliases=["ZQX ALIAS"]))),
    "title and alias swap": (
        [named(title="Zqx One", aliases=["Zqx Two"]), link("Zqx One", "Zqx Two")],
        edit(named(title="Zqx Two", aliases=["Zqx One"]))),
    "id added": ([link("zqx-id-7")], edit(named(id="zqx-id-7"))),
    "id removed": ([named(id="zqx-id-7"), link("zqx-id-7")], edit(named(id="zqx-other"))),
    "duplicate_of folder/X written": (
        [declares(duplicate_of="zqx/Zqx Target")], add(TARGET)),
    "duplicate_of folder/X deleted": (
        [declares(duplicate_of="zqx/Zqx Target"), files(TARGET)], delete(TARGET)),
    "duplicate_of X.md written": ([declares(duplicate_of="Zqx Target.md")], add(TARGET)),
    "canonical_id folder/X written": ([declares(canonical_id="zqx/Zqx Target")], add(TARGET)),
    "canonical_id folder/X renamed": (
        [declares(canonical_id="zqx/Zqx Target"), files(TARGET)],
        rename(TARGET, "zqy/Zqx Target.md")),
    "canonical_id given as an id": (
        [declares(canonical_id="zqx-id-7")], edit(named(id="zqx-id-7"))),
    "note added under a wanted folder/name": (
        [link("zqx/Zqx New", "Zqx New.md", "zqx/Zqx New.md")], add("zqx/Zqx New.md")),
    "note linked by path deleted": (
        [files(*GONE), link("zqx/Zqx Gone", "Zqx Gone", "zqy/Zqx Gone.md")], delete(GONE[0])),
    "note linked by path renamed": (
        [files(*GONE), link("zqx/Zqx Gone", "Zqx Gone")], rename(GONE[0], "zqz/Zqx Gone.md")),
    "most linked note deleted": ([], delete_hub),
    "most linked note renamed": ([], rename_hub),
    "attachment added": ([link(*ATTACHMENTS, "zqx-file.pdf")], add_binary(*ATTACHMENTS)),
    "attachment deleted": (
        [binary(*ATTACHMENTS), link(*ATTACHMENTS, "zqx-file.pdf")], delete(*ATTACHMENTS)),
}


@pytest.fixture(params=VAULTS)
def root(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    name = str(request.param)
    if name == "bundled":
        source = REPO / "vault"
    else:
        source = request.getfixturevalue("shared_dir") / "corpora" / name
    copy = tmp_path / name
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".kgwiki"))
    return copy


def ordinary(root: Path) -> Notes:
    """The first note that is no template (placeholders are no names), and a new note
    that links nothing yet (so that only the links a case writes lead to the first)."""
    found = [str(path) for path in scan_vault(root, config_for_vault(root).ignore).notes
             if not any(mark in (root / path).read_text("utf-8") for mark in ("{{", "<%"))]
    (root / WRITER).write_text("# Zqx Writer\n", encoding="utf-8")
    return Notes(found[0], WRITER)


@pytest.mark.parametrize("case", CASES)
def test_a_live_change_leaves_what_a_fresh_load_makes(root: Path, case: str) -> None:
    setup, change = CASES[case]
    editor, notes = Editor(root), ordinary(root)
    for step in setup:
        step(editor, notes)
    live = load(root)
    before = pages(live)
    redrawn: set[NotePath] = set()
    for path in change(editor, notes, live):
        redrawn |= live.refresh_file(path)
    fresh = load(root)
    assert state(live) == state(fresh)
    after = pages(fresh)
    differ = {path for path, shown in after.items() if before.get(path) != shown}
    assert differ <= redrawn, "pages changed but not redrawn"
