"""Alias redirects of a static site: ``n/<alias>/index.html`` sends the reader to the note.

A redirect page is a function of four strings (the note's title, the alias, the relative
and the canonical address of the note), so a build draws again only the redirects whose
strings changed (``redirect_key``); the template is in the build's fingerprint.
"""

from __future__ import annotations

from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.build.cache import json_digest, page_file
from kgwiki.web.render import StaticUrls, environment, note_location, site_url

Redirect = dict[str, str]  # the template's fields: title, alias, target, canonical


def alias_redirects(site: Site, base_url: str) -> dict[str, Redirect]:
    """``n/<alias>/index.html`` for each alias that names no note page: the fields of its
    redirect to the note (``redirect_page`` draws it)."""
    taken = {note_location(path) for path in site.vault.notes}
    pages: dict[str, Redirect] = {}
    for path in sorted(site.vault.notes):
        note = site.vault.notes[path]
        for alias in note.aliases:
            location = note_location(NotePath(alias.strip().strip("/") + ".md"))
            if not alias.strip().strip("/") or location in taken:
                continue
            taken.add(location)
            target = StaticUrls(base_url).at(location).note(path)
            canonical = site_url(base_url, note_location(path)) if base_url else target
            pages[page_file(location)] = {"title": note.title, "alias": alias,
                                          "target": target, "canonical": canonical}  # fmt: skip
    return pages


def redirect_key(fields: Redirect) -> str:
    """What a redirect page is drawn from (its record's key: same key, same bytes)."""
    return json_digest(["redirect", fields])


def redirect_page(fields: Redirect) -> str:
    return environment().get_template("redirect.html").render(**fields)
