"""Alias redirects of a static site: ``n/<alias>/index.html`` sends the reader to the note."""

from __future__ import annotations

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.build.cache import page_file
from kgwiki.web.render import StaticUrls, environment, note_location, site_url


def alias_redirects(site: Site, base_url: str) -> dict[str, bytes]:
    """``n/<alias>/index.html`` for each alias that names no note page: a redirect to the note."""
    taken = {note_location(path) for path in site.vault.notes}
    template = environment().get_template("redirect.html")
    pages: dict[str, bytes] = {}
    for path in sorted(site.vault.notes):
        note = site.vault.notes[path]
        for alias in note.aliases:
            location = note_location(NotePath(alias.strip().strip("/") + ".md"))
            if not alias.strip().strip("/") or location in taken:
                continue
            taken.add(location)
            target = StaticUrls(base_url).at(location).note(path)
            canonical = site_url(base_url, note_location(path)) if base_url else target
            html = template.render(title=note.title, alias=alias, target=target,
                                   canonical=canonical)  # fmt: skip
            pages[page_file(location)] = html.encode("utf-8")
    return pages
