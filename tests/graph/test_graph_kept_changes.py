"""A site loaded from the link tables and graph of an earlier load, with the notes changed
since put in again, is the site a fresh load makes: same tables, same edges in the same
order, same titles, tags and wanted notes (``Site.load(reuse=True)`` against ``Site.load()``).

Every vault goes through one sequence of edits — a link pointed elsewhere, a title and an
alias that name wanted notes, a tag in another case, a duplicate_of declaration, a note added
under a wanted name, one deleted, one renamed, one edited and restored — comparing after each
step; once keeping the state of the first load throughout, once writing it after every load.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from paths import REPO

from kgwiki.graph import KnowledgeGraph
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.vault import Vault
from kgwiki.vault import kept as vault_kept

CORPORA = ("foam-docs", "kepano-obsidian", "silverbullet-docs")
WIKI_LINK = re.compile(r"\[\[([^\]|#^\n]+)")
ASCII_TAG = re.compile(r"[A-Za-z][A-Za-z-]*")


def load(root: Path, reuse: bool) -> Site:
    return Site.load(root, with_search=False, with_duplicates=False, reuse=reuse)


def link_tables(vault: Vault) -> dict[str, Any]:
    """The vault's link tables as a load leaves them: names, who wants which name, each
    note's resolved links and the writers of its names (shared with test_graph_live_names)."""
    return {
        "names": vault.index.__getstate__(),
        "wanting": dict(vault._wanting),
        "wants_of": vault._wants_of,
        "links": {path: vault.links_of(path) for path in vault.notes},
        "writers": {p: vault.sources_linking_to_names(n) for p, n in vault.notes.items()},
    }


def state(site: Site) -> dict[str, Any]:
    """Everything the tables and the graph hold, orders included, and what pages read."""
    vault, graph = site.vault, site.graph

    def ordered(adjacency: dict[str, dict[str, Any]]) -> list[Any]:
        return [(node, [(other, [(e, e.name) for e in group]) for other, group in row.items()])
                for node, row in adjacency.items()]  # fmt: skip

    return {
        "notes": list(vault.notes),
        **link_tables(vault),
        "out": ordered(graph.index.out),
        "into": ordered(graph.index.into),
        "attrs": list(graph._attrs.items()),
        "graph notes": list(graph._notes),
        "declared": dict(graph._declared),
        "tags": graph.tags(),
        "tags shown": list(graph.tags()),
        "backlinks": {node: graph.backlinks(node) for node in graph.index.into},
        "wanted": graph.wanted(),
        "orphans": graph.orphans(),
        "dead ends": graph.dead_ends(),
        "canonicals": site.canonicals(),
        "embedders": site.embedders(),
    }


class Editor:
    """Edits to a vault's files, each with a new mtime (a same-size rewrite within one
    clock tick would otherwise look unchanged)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.tick = 1_700_000_000 * 10**9
        self.used: set[NotePath] = set()

    def write(self, rel: str, text: str) -> None:
        file = self.root / rel
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
        self.tick += 10**9
        os.utime(file, ns=(self.tick, self.tick))

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def pick(self, site: Site, test: Callable[[NotePath, str], bool], last: bool = False
             ) -> NotePath:  # fmt: skip
        paths = sorted(site.vault.notes, reverse=last)
        for path in paths:
            if path not in self.used and test(path, self.read(path)):
                self.used.add(path)
                return path
        pytest.skip("no note fits this edit")

    def front(self, rel: str, fields: dict[str, Any]) -> None:
        """Set frontmatter fields of a note (replacing those it has, with their items)."""
        text = self.read(rel)
        lines = [f"{key}: {json.dumps(value)}" for key, value in fields.items()]
        if not text.startswith("---\n"):
            self.write(rel, "\n".join(["---", *lines, "---", text]))
            return
        head, _, body = text[4:].partition("\n---")
        kept: list[str] = []
        dropping = False
        for line in head.split("\n"):
            if line.split(":", 1)[0] in fields:
                dropping = True
            elif not (dropping and line.startswith((" ", "-"))):
                dropping = False
                kept.append(line)
        self.write(rel, "\n".join(["---", *lines, *kept]) + "\n---" + body)


def _plain(path: NotePath, text: str) -> bool:
    """A note that is no template (placeholders are no names) and not in a hidden folder."""
    return "{{" not in text and "<%" not in text


def edits(editor: Editor, site: Site) -> Iterator[str]:
    """Change the vault one way after another; yield what was done after each change."""
    graph = site.graph
    stems = [path.rsplit("/", 1)[-1][:-3] for path in sorted(site.vault.notes)]
    wanted = [w.name for w in graph.wanted() if "/" not in w.name and w.name.strip()]
    wanted += ["Nobody Wrote This", "Nor This"]

    source = editor.pick(site, lambda p, text: WIKI_LINK.search(text) is not None)
    text = editor.read(source)
    found = WIKI_LINK.search(text)
    assert found is not None
    editor.write(source, text[: found.start(1)] + stems[-1] + text[found.end(1):])
    yield f"a link of {source} points at {stems[-1]}"

    titled = editor.pick(site, _plain)
    editor.front(titled, {"title": wanted[0]})
    yield f"{titled} is titled {wanted[0]!r}"

    aliased = editor.pick(site, _plain, last=True)
    editor.front(aliased, {"aliases": [wanted[1], stems[0]]})
    yield f"{aliased} has aliases {wanted[1]!r}, {stems[0]!r}"

    tags = [t for t in graph.tags() if ASCII_TAG.fullmatch(t) and t != t.swapcase()]
    if tags:
        tagged = editor.pick(site, _plain)
        editor.write(tagged, editor.read(tagged) + f"\n\nNow #{tags[0].swapcase()}\n")
        yield f"{tagged} has tag #{tags[0].swapcase()}"

    declaring = editor.pick(site, _plain)
    editor.front(declaring, {"duplicate_of": stems[1]})
    yield f"{declaring} is a duplicate of {stems[1]}"

    new = f"{wanted[-1]}.md" if wanted[-1] not in stems else "brand new.md"
    editor.write(new, f"# {wanted[-1]}\n\nWritten at last, see [[{stems[2]}]]. #fresh\n")
    yield f"{new} added"

    linked = sorted(graph.index.into, key=lambda n: -len(graph.index.into[n]))
    hubs = [NotePath(n) for n in linked if n in site.vault.notes and n not in editor.used]
    (editor.root / hubs[0]).unlink()
    editor.used.add(hubs[0])
    yield f"{hubs[0]} deleted"

    moved = f"moved/{hubs[1].rsplit('/', 1)[-1][:-3]} renamed.md"
    editor.write(moved, editor.read(hubs[1]))
    (editor.root / hubs[1]).unlink()
    editor.used.add(hubs[1])
    yield f"{hubs[1]} renamed {moved}"

    restored = editor.pick(site, _plain)
    original = editor.read(restored)
    editor.write(restored, original + "\n[[Passing Thought]]\n")
    yield f"{restored} links a wanted note"
    editor.write(restored, original)
    yield f"{restored} restored"


def check_sequence(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load(root, reuse=True)
    assert first.vault.kept_changes is None, "nothing kept yet"
    assert first.save_state()
    editor = Editor(root)
    for done in edits(editor, first):
        with monkeypatch.context() as patch:  # the graph must come from the kept one
            patch.setattr(KnowledgeGraph, "build", _no_build)
            reused = load(root, reuse=True)
        assert reused.vault.kept_changes is not None and reused.vault.kept_changes.paths, done
        fresh = load(root, reuse=False)
        assert state(reused) == state(fresh), done
        assert reused.save_state(), done
    again = load(root, reuse=True)  # once more from the state the last load kept
    assert state(again) == state(load(root, reuse=False))


def _no_build(vault: object) -> KnowledgeGraph:
    raise AssertionError("the graph was built, not read back")


@pytest.fixture(params=["kept once", "kept every time"])
def keep_stale(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables left on disk while a few notes differ (the default), or written every load."""
    if request.param == "kept every time":
        monkeypatch.setattr(vault_kept, "KEEP_STALE", 0)


def test_the_bundled_vault(tmp_path: Path, keep_stale: None,
                           monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    root = tmp_path / "vault"
    shutil.copytree(REPO / "vault", root, ignore=shutil.ignore_patterns(".kgwiki"))
    check_sequence(root, monkeypatch)


@pytest.mark.parametrize("corpus", CORPORA)
def test_real_vaults(tmp_path: Path, shared_dir: Path, corpus: str, keep_stale: None,
                     monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    root = tmp_path / corpus
    shutil.copytree(shared_dir / "corpora" / corpus, root, ignore=shutil.ignore_patterns(".kgwiki"))
    check_sequence(root, monkeypatch)


def test_too_many_changes_mean_a_fresh_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:  # fmt: skip
    root = tmp_path / "vault"
    shutil.copytree(REPO / "vault", root, ignore=shutil.ignore_patterns(".kgwiki"))
    assert load(root, reuse=True).save_state()
    monkeypatch.setattr("kgwiki.vault.link_cache.MAX_CHANGES", 2)
    editor = Editor(root)
    for path in sorted(root.rglob("*.md"))[:3]:
        rel = path.relative_to(root).as_posix()
        editor.write(rel, editor.read(rel) + "\nMore.\n")
    reused = load(root, reuse=True)
    assert reused.vault.kept_changes is None
    assert state(reused) == state(load(root, reuse=False))
    assert reused.save_state()
    assert load(root, reuse=True).vault.kept_changes is not None
