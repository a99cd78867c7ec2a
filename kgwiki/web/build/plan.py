"""Which note pages a build must look at again, from what changed since the last one.

Every note page records the notes it shows (its *dependencies*: the notes in its lists,
relations, local graph and body links). After an edit, the pages to recheck are the changed
notes themselves, the pages that showed a changed or deleted note, the changed notes' current
neighbours (their backlinks changed), the notes whose links may now resolve differently
(writers of a new or renamed note's names) and the pages that showed one of those (a
breadcrumb runs through a note's parents, so a note's link to its parent shows on its
children's pages).
Each candidate is then rendered only if the hash of its inputs really changed, so this set
may be generous but never short: the build tests compare an incremental build with a clean
one byte for byte.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from kgwiki.graph import is_wanted
from kgwiki.note import Note
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.vault import note_names
from kgwiki.web.build.cache import digest, page_file
from kgwiki.web.render import note_location


def trust_signature(site: Site, path: NotePath) -> str:
    """What of a note's trust other pages show (its level, and whether it is stale or low)."""
    trust = site.trust(path)
    return f"{trust.level}|{int(trust.stale)}|{int(trust.low)}|{trust.rated}"


def names_signature(note: Note) -> str:
    """What other notes' links find a note by (its path is the record's key)."""
    return digest(*sorted(note_names(note)))


def page_deps(context: Mapping[str, Any], site: Site, path: NotePath) -> list[str]:
    """Every other note a note page shows or links to."""
    found: set[str] = set()
    _collect(context, found)
    for item in site.vault.links_of(path):
        if item.resolution.path is not None and not item.resolution.is_attachment:
            found.add(item.resolution.path)
    for node in context["local_graph"]["nodes"]:
        if not is_wanted(node["id"]):
            found.add(node["id"])
    found.discard(path)
    return sorted(found)


_LEAVES = frozenset({str, int, float, bool, type(None)})


def _collect(value: Any, found: set[str]) -> None:
    """Every ``path`` of a mapping that also has a ``url``, anywhere in a page context."""
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _LEAVES:
            continue
        if kind is dict or isinstance(item, Mapping):
            target = item.get("path")
            if isinstance(target, str) and "url" in item:
                found.add(target)
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)


def candidates(site: Site, out: Path, old: Mapping[str, Mapping[str, Any]]) -> set[NotePath]:
    """The note pages whose inputs may have changed since the build that wrote ``old``."""
    vault, graph = site.vault, site.graph
    changed: set[NotePath] = set()
    renamed: list[NotePath] = []  # new notes, and notes answering to other names
    for path, note in vault.notes.items():
        info = old.get(path)
        if (info is None or info.get("content") != note.content_hash
                or info.get("trust") != trust_signature(site, path)):  # fmt: skip
            changed.add(path)
            if info is None or info.get("names") != names_signature(note):
                renamed.append(path)
    deleted = [p for p in old if p not in vault.notes]
    moved = {*changed, *deleted}
    # the pages that showed a changed or deleted note (one pass; no index of every reader)
    found = {NotePath(p) for p, info in old.items() if not moved.isdisjoint(info.get("deps", ()))}
    found |= changed
    for path in changed:
        found |= {NotePath(e.target) for e in graph.outlinks(path) if not is_wanted(e.target)}
        found |= {b.source for b in graph.backlinks(path)}
        found |= vault.sources_linking_to_names(vault.notes[path])
    # links written to a new or renamed note's names resolve to it now: their writers' pages
    # change, and so do the pages showing a writer (its parent link is in their breadcrumbs)
    relinked: set[str] = set()
    for path in renamed:
        relinked |= vault.sources_linking_to_names(vault.notes[path])
    found |= {NotePath(p) for p in relinked}
    if relinked:
        found |= {NotePath(p) for p, info in old.items()
                  if not relinked.isdisjoint(info.get("deps", ()))}  # fmt: skip
    # every page that is not there (a string and os.path: a Path per note was 0.25 s at 10k)
    base = f"{out}{os.sep}"
    found |= {p for p in vault.notes if not os.path.isfile(base + page_file(note_location(p)))}
    # A page draws the notes it embeds: whatever may change a body changes its embedders',
    # and theirs in turn.
    by_embedded = site.embedders()
    queue = [p for p in found if p in by_embedded]
    while queue:
        for source in by_embedded.get(queue.pop(), ()):
            if source not in found:
                found.add(source)
                queue.append(source)
    return {p for p in found if p in vault.notes}



def unchanged(old: Mapping[str, Mapping[str, Any]], paths: Iterable[NotePath]) -> dict[str, Any]:
    """The previous records of notes a build did not need to look at."""
    return {p: old[p] for p in paths if p in old}
