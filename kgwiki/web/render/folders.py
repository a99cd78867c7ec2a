"""Folder pages: ``/n/<folder>/`` lists a folder's notes and subfolders, with its own note.

A folder's page lives where a note of the same path would (``n/10_Wiki/`` for ``10_Wiki/``);
where a note already lives there (``10_Wiki.md`` beside the folder) the note keeps the address
and the explorer lists the folder. A folder's own note is ``Folder/Folder.md``, or
``index.md`` or ``README.md`` inside it, as the folder-note conventions of Obsidian users have it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.render.note_page import Labels, link_to, preview_paragraphs
from kgwiki.web.render.urls import UrlScheme, note_location

OWN_NOTE_NAMES = ("index.md", "readme.md")


@dataclass(frozen=True, slots=True)
class Folder:
    """What lies in one folder: its notes (in the vault's order) and, for each subfolder
    (in the order the vault first reaches it), how many notes it holds at any depth."""

    notes: list[NotePath] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Folders:
    """Every folder that holds notes, and the pages of those whose address no note takes."""

    inside: dict[str, Folder]
    pages: dict[str, str]


_FOLDERS: WeakKeyDictionary[Site, tuple[int, Folders]] = WeakKeyDictionary()


def folders_of(site: Site) -> Folders:
    """The folders of ``site``, read in one pass over its notes; kept until the site changes
    (a build draws every folder page, and each would otherwise scan all notes)."""
    hit = _FOLDERS.get(site)
    if hit is not None and hit[0] == site.version:
        return hit[1]
    inside: dict[str, Folder] = {}
    for path in site.vault.notes:
        parts = path.split("/")
        last = len(parts) - 1
        for depth in range(1, last + 1):
            folder = "/".join(parts[:depth])
            entry = inside.get(folder)
            if entry is None:
                entry = inside[folder] = Folder()
            if depth == last:
                entry.notes.append(path)
            else:
                sub = parts[depth]
                entry.counts[sub] = entry.counts.get(sub, 0) + 1
    taken = {note_location(path) for path in site.vault.notes}
    found = {note_location(NotePath(folder)): folder for folder in sorted(inside)}
    pages = {location: folder for location, folder in found.items() if location not in taken}
    folders = Folders(inside, pages)
    _FOLDERS[site] = (site.version, folders)
    return folders


def folder_pages(site: Site) -> dict[str, str]:
    """``{location: folder}`` for every folder that holds notes (at any depth) and whose
    address no note takes; kept until the site changes."""
    return folders_of(site).pages


def own_note(site: Site, folder: str) -> NotePath | None:
    """The folder's own note: ``Folder/Folder.md``, else its ``index.md`` or ``README.md``."""
    return _own_note(folder, folders_of(site).inside.get(folder, Folder()))


def _own_note(folder: str, entry: Folder) -> NotePath | None:
    name = folder.rsplit("/", 1)[-1]
    inside = {path.rsplit("/", 1)[-1].casefold(): path for path in entry.notes}
    for wanted in (f"{name}.md".casefold(), *OWN_NOTE_NAMES):
        if wanted in inside:
            return NotePath(inside[wanted])
    return None


def folder_context(site: Site, urls: UrlScheme, folder: str) -> dict[str, Any]:
    """What a folder page shows: its own note (linked, with its opening), its subfolders with
    how many notes each holds, and its notes by title."""
    prefix = folder + "/"
    entry = folders_of(site).inside.get(folder, Folder())
    own = _own_note(folder, entry)
    titles = site.vault.notes
    listed = sorted((p for p in entry.notes if p != own),
                    key=lambda p: (titles[p].title.casefold(), p))  # fmt: skip
    parent = folder.rsplit("/", 1)[0] if "/" in folder else ""
    labels = Labels(site)  # one trust table for the page's links
    return {
        "title": folder.rsplit("/", 1)[-1],
        "folder": folder,
        "parent": {"name": parent, "url": urls.note(NotePath(parent))} if parent else None,
        "own": {**link_to(site, urls, own), "preview": preview_paragraphs(titles[own])}
        if own else None,
        "subfolders": [{"name": name, "url": urls.note(NotePath(prefix + name)), "count": count}
                       for name, count in sorted(entry.counts.items(),
                                                 key=lambda kv: kv[0].casefold())],
        "notes": [link_to(site, urls, p, labels) for p in listed],
    }  # fmt: skip
