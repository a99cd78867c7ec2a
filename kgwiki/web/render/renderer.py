"""The renderer: note bodies (Markdown → HTML, links drawn, nh3-sanitised) and whole pages.

``Renderer(site, urls)`` has one method per page; each gathers its context from
``kgwiki.web.render.pages`` (plain data, shared by the live server and the static build) and fills
one Jinja2 template. Note HTML from the vault is never trusted: whatever the Markdown holds
(raw HTML, ``javascript:`` links, event handlers) is cleaned before it reaches a template.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from kgwiki.markdown import parse
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.web.assets import TEMPLATES
from kgwiki.web.render import folders, note_page, pages, snippets
from kgwiki.web.render.body_template import BodyTemplate, fill, make_template
from kgwiki.web.render.links import SiteLinks
from kgwiki.web.render.sanitiser import sanitise, split_heading
from kgwiki.web.render.template_cache import use_template_cache
from kgwiki.web.render.urls import UrlScheme, note_location, page_location


def render_body(site: Site, urls: UrlScheme, path: NotePath, links: SiteLinks | None = None) -> str:
    """A note's body as safe HTML for the page at ``urls`` (links relative to that page).

    A body drawn when it was parsed (``body_template``, in a static build) only has its
    links filled in; any other is parsed and drawn here. ``links`` draws the wiki-links
    (default: a ``SiteLinks`` of the note at ``urls``).
    """
    note = site.vault.notes[path]
    links = SiteLinks(site.vault, urls, path) if links is None else links
    template = site.vault.derived.get(path)
    if not isinstance(template, BodyTemplate) or template.content_hash != note.content_hash:
        template = make_template(note, parse(note.body))
    if template is None:  # pragma: no cover - a NUL the parser let through
        return sanitise(links.render_tokens(parse(note.body)))
    return sanitise(fill(template, links))


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(Environment):
    """Jinja's environment with a faster ``x.name`` for the dicts all page data is made of.

    Jinja tries ``getattr(x, "name")`` first, which on a dict raises (and costs) an
    AttributeError for every name but dict's own attributes, then ``x["name"]``. This goes
    straight to the key for any other name: the same value, the same undefined when missing.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = _Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "xml"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["plural"] = lambda n, word: f"{n} {word}" + ("" if n == 1 else "s")
    env.globals["note_link"] = snippets.note_link
    env.globals["level"] = snippets.level
    return env


class Renderer:
    """Every page of a site as an HTML string, for one URL scheme (live or static)."""

    def __init__(self, site: Site, urls: UrlScheme) -> None:
        self.site = site
        self.urls = urls
        use_template_cache(environment(), site.vault.root / site.config.cache_dir)

    def _page(self, template: str, location: str, context: dict[str, Any]) -> str:
        urls = self.urls.at(location)
        base = pages.base_context(self.site, urls, location)
        return environment().get_template(template).render({**base, **context})

    # -- notes ----------------------------------------------------------------------------

    def body(self, path: NotePath, at: str | None = None) -> str:
        """The sanitised body HTML of a note, for its own page (or a page at ``at``)."""
        location = note_location(path) if at is None else at
        return render_body(self.site, self.urls.at(location), path)

    def note_context(self, path: NotePath, at: str | None = None) -> dict[str, Any]:
        """Everything a note page shows except the body (plain data: the build hashes it)."""
        location = note_location(path) if at is None else at
        context = note_page.note_context(self.site, self.urls.at(location), path)
        return pages.with_history(self.site, context, path, None)

    def note(self, path: NotePath, body: str | None = None,
             context: dict[str, Any] | None = None, at: str | None = None) -> str:  # fmt: skip
        """A note's page; ``body``/``context`` may be passed when already computed, ``at`` draws
        it at another location (the front page)."""
        location = note_location(path) if at is None else at
        html = self.body(path, at) if body is None else body
        ctx = self.note_context(path, at) if context is None else context
        heading, rest = split_heading(html, self.site.vault.notes[path].h1_sections)
        return self._page("note.html", location,
                          {**ctx, "heading": Markup(heading), "body": Markup(rest)})  # fmt: skip

    def preview(self, path: NotePath) -> dict[str, str]:
        """``{"title", "url", "html"}`` for a hover card (live: /api/preview)."""
        return note_page.preview_card(self.site, self.urls, path)

    # -- site-wide pages ------------------------------------------------------------------

    def home(self) -> str:
        """The front page: the vault's index note with recent changes and hubs beside it, or,
        without one, the generated overview."""
        index = self.site.index_note()
        if index is None:
            return self._page("home.html", "", pages.home(self.site, self.urls.at("")))
        context = {**self.note_context(index, ""),
                   "home_panel": pages.home_panel(self.site, self.urls.at(""))}  # fmt: skip
        return self.note(index, context=context, at="")

    def folder_context(self, folder: str) -> dict[str, Any]:
        """A folder page's data (plain data: the build hashes it to skip unchanged ones)."""
        location = note_location(NotePath(folder))
        return folders.folder_context(self.site, self.urls.at(location), folder)

    def folder(self, folder: str, context: dict[str, Any] | None = None) -> str:
        """A folder's page: its own note, subfolders and notes."""
        ctx = self.folder_context(folder) if context is None else context
        return self._page("folder.html", note_location(NotePath(folder)), ctx)

    def dashboard(self) -> str:
        """The overview of the vault: counts, recent changes, hubs, trust."""
        return self._page("home.html", "dashboard/",
                          pages.home(self.site, self.urls.at("dashboard/")))  # fmt: skip

    def search(self, query: str = "") -> str:
        location = page_location("search")
        return self._page("search.html", location,
                          pages.search(self.site, self.urls.at(location), query))  # fmt: skip

    def tags(self) -> str:
        location = page_location("tags")
        return self._page("tags.html", location, pages.tags(self.site, self.urls.at(location)))

    def tag_context(self, tag: str) -> dict[str, Any]:
        """A tag page's data (plain data: the build hashes it to skip unchanged tag pages)."""
        return pages.tag(self.site, self.urls.at(page_location("tag", tag)), tag)

    def tag(self, tag: str, context: dict[str, Any] | None = None) -> str:
        ctx = self.tag_context(tag) if context is None else context
        return self._page("tag.html", page_location("tag", tag), ctx)

    def graph(self) -> str:
        location = page_location("graph")
        return self._page("graph.html", location, pages.graph(self.site, self.urls.at(location)))

    def wanted(self) -> str:
        location = page_location("wanted")
        return self._page("wanted.html", location, pages.wanted(self.site, self.urls.at(location)))

    def duplicates(self) -> str:
        location = page_location("duplicates")
        return self._page("duplicates.html", location,
                          pages.duplicates(self.site, self.urls.at(location)))  # fmt: skip

    def changes(self) -> str:
        location = page_location("changes")
        context = pages.changes(self.site, self.urls.at(location))
        return self._page("changes.html", location, context)

    def lint(self) -> str:
        location = page_location("lint")
        return self._page("lint.html", location, pages.lint(self.site, self.urls.at(location)))

    def trust(self) -> str:
        location = page_location("trust")
        return self._page("trust.html", location, pages.trust(self.site, self.urls.at(location)))

    def new_note_form(self, csrf_token: str, error: str | None = None,
                      values: dict[str, str] | None = None) -> str:  # fmt: skip
        location = page_location("new")
        context = {"title": "New note", "csrf_token": csrf_token, "error": error,
                   "values": dict(values or {}),
                   "levels": list(self.site.config.trust.levels)}  # fmt: skip
        return self._page("new.html", location, context)

    def not_found(self, message: str = "No such page.", base_href: str = "",
                  title: str = "Not found") -> str:  # fmt: skip
        """The 404 page (or, titled "Forbidden", the 403 one); a static site's has
        ``<base href>`` so it works at any depth."""
        return self._page("404.html", "", {"title": title, "message": message,
                                           "base_href": base_href})  # fmt: skip
