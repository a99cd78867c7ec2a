"""Folder pages: ``/n/<folder>/`` lists a folder's notes and subfolders, with its own note.

A folder's page lives where a note of the same path would (``n/10_Wiki/`` for ``10_Wiki/``);
where a note already lives there (``10_Wiki.md`` beside the folder) the note keeps the address
and the explorer lists the folder. A folder's own note is ``Folder/Folder.md``, or
``index.md`` or ``README.md`` inside it, as the folder-note conventions of Obsidian users have it.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render.note_page import Labels, link_to, preview_paragraphs
from kgwiki.web.render.urls import UrlScheme, note_location

_FOLDERS: WeakKeyDictionary[Site, tuple[int, dict[str, str]]] = WeakKeyDictionary()
OWN_NOTE_NAMES = ("index.md", "readme.md")


def folder_pages(site: Site) -> dict[str, str]:
    """``{location: folder}`` for every folder that holds notes (at any depth) and whose
    address no note takes; kept until the site changes."""
    hit = _FOLDERS.get(site)
    if hit is not None and hit[0] == site.version:
        return hit[1]
    folders: set[str] = set()
    for path in site.vault.notes:
        parts = path.split("/")[:-1]
        folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    taken = {note_location(path) for path in site.vault.notes}
    found = {note_location(NotePath(folder)): folder for folder in sorted(folders)}
    pages = {location: folder for location, folder in found.items() if location not in taken}
    _FOLDERS[site] = (site.version, pages)
    return pages


def own_note(site: Site, folder: str) -> NotePath | None:
    """The folder's own note: ``Folder/Folder.md``, else its ``index.md`` or ``README.md``."""
    name = folder.rsplit("/", 1)[-1]
    inside = {path.rsplit("/", 1)[-1].casefold(): path for path in site.vault.notes
              if path.rsplit("/", 1)[0] == folder and "/" in path}  # fmt: skip
    for wanted in (f"{name}.md".casefold(), *OWN_NOTE_NAMES):
        if wanted in inside:
            return NotePath(inside[wanted])
    return None


def folder_context(site: Site, urls: UrlScheme, folder: str) -> dict[str, Any]:
    """What a folder page shows: its own note (linked, with its opening), its subfolders with
    how many notes each holds, and its notes by title."""
    prefix = folder + "/"
    notes: list[NotePath] = []
    counts: dict[str, int] = {}
    for path in site.vault.notes:
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix):]
        if "/" in rest:
            sub = rest.split("/", 1)[0]
            counts[sub] = counts.get(sub, 0) + 1
        else:
            notes.append(path)
    own = own_note(site, folder)
    titles = site.vault.notes
    listed = sorted((p for p in notes if p != own), key=lambda p: (titles[p].title.casefold(), p))
    parent = folder.rsplit("/", 1)[0] if "/" in folder else ""
    labels = Labels(site)  # one trust table for the page's links
    return {
        "title": folder.rsplit("/", 1)[-1],
        "folder": folder,
        "parent": {"name": parent, "url": urls.note(NotePath(parent))} if parent else None,
        "own": {**link_to(site, urls, own), "preview": preview_paragraphs(titles[own])}
        if own else None,
        "subfolders": [{"name": name, "url": urls.note(NotePath(prefix + name)), "count": count}
                       for name, count in sorted(counts.items(), key=lambda kv: kv[0].casefold())],
        "notes": [link_to(site, urls, p, labels) for p in listed],
    }  # fmt: skip
