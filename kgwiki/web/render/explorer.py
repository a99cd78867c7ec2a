"""The file explorer's data: every note and folder of the vault, drawn once per build.

A 10,000-note vault must not repeat a 10,000-entry tree inside every page, so the tree is one
script, ``data/explorer.js`` (``window.KG_EXPLORER = {…}``), loaded by each page as a
``<script>`` (which works from ``file://`` where ``fetch`` is refused) and kept by the browser's
cache; ``static/explorer.js`` draws it. Entries are the vault's paths and the site locations of
their pages, so the explorer names files as Obsidian does (the file name, the title on hover).
"""

from __future__ import annotations

import json
from typing import Any

from kgwiki.site import Site
from kgwiki.web.render.urls import encode_location, note_location

SCRIPT_NAME = "explorer.js"  # under data/


def explorer_data(site: Site) -> dict[str, Any]:
    """``{"notes": [[path, location, title], …]}``, sorted by path; the title only where it
    differs from the file name (the browser sorts and nests them)."""
    notes = []
    for path in sorted(site.vault.notes):
        note = site.vault.notes[path]
        entry = [path, encode_location(note_location(path))]
        if note.title != note.stem:
            entry.append(note.title)
        notes.append(entry)
    folders = sorted({path.rsplit("/", 1)[0] for path in site.vault.notes if "/" in path})
    return {"notes": notes, "folders": folders}


def explorer_script(site: Site) -> bytes:
    """``data/explorer.js``: the explorer's data as a script that sets ``window.KG_EXPLORER``."""
    data = json.dumps(explorer_data(site), ensure_ascii=False, separators=(",", ":"))
    return f"window.KG_EXPLORER={data};\n".encode()
