"""One context function per page, shared by the live server and the static build.

Each returns plain data for its template; URLs come from the ``UrlScheme`` of the page being
drawn, so the same function serves ``/n/a/`` live and ``../../n/a/index.html`` on disk.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from kgwiki import __version__
from kgwiki.graph import EDGE_KINDS
from kgwiki.site import Site
from kgwiki.trust import levels_best_first
from kgwiki.types import NotePath
from kgwiki.web.render.inline_html import change_html, message_html
from kgwiki.web.render.links import wanted_anchor
from kgwiki.web.render.note_page import (
    Labels,
    link_to,
    trust_data,
    with_history,
)
from kgwiki.web.render.sanitiser import sanitise
from kgwiki.web.render.urls import UrlScheme

__all__ = [
    "base_context", "changes", "duplicates", "graph", "home", "lint", "search",
    "tag", "tags", "trust", "wanted", "with_history",
]  # fmt: skip

MAX_LINT_ROWS = 3000
MAX_WANTED_SOURCES = 12
NAV = (("dashboard", "Overview"), ("graph", "Graph"), ("tags", "Tags"), ("changes", "Changes"),
       ("trust", "Trust"), ("wanted", "Wanted"), ("duplicates", "Duplicates"),
       ("lint", "Lint"))  # fmt: skip
# Pages linked only where the vault has their data (Site.features) or kgwiki.toml asks for them.
GATED = frozenset({"changes", "trust", "duplicates"})


def base_context(site: Site, urls: UrlScheme, location: str) -> dict[str, Any]:
    """What the layout needs on every page."""
    features = site.features()
    nav = [{"name": name, "label": label, "url": urls.page(name)}
           for name, label in NAV if name not in GATED or name in features]  # fmt: skip
    return {
        "site_title": site.config.site_title,
        "urls": urls,
        "mode": urls.mode,
        "root": urls.root(),
        "location": location,
        "nav": nav,
        "version": site.version,
        "kgwiki_version": __version__,
        "note_path": "",
        "query": "",
        "body_class": "strict-line-breaks" if site.config.strict_line_breaks else "",
        "description": "",
        "og_image": "",
        "canonical_url": _canonical(urls, location),
        "toc": [],
        "folder": "",
        "features": features,
        "home_panel": None,
    }


def home_panel(site: Site, urls: UrlScheme) -> dict[str, Any]:
    """Beside the index note on the front page: recent changes (where the vault has any) and
    the hubs (the notes most linked to)."""
    hubs = _hubs(site, urls, 8)
    changes = _changes(site, urls, 6) if "changes" in site.features() else []
    return {"hubs": hubs, "changes": changes}


def _canonical(urls: UrlScheme, location: str) -> str:
    """The page's absolute address when the site has one (``--base-url``), else ""."""
    absolute = getattr(urls, "absolute", None)
    if absolute is None or not getattr(urls, "base", ""):
        return ""
    return str(absolute(location))


def home(site: Site, urls: UrlScheme) -> dict[str, Any]:
    overview = site.trust_overview()
    hubs = _hubs(site, urls, 12)
    return {
        "title": site.config.site_title,
        "counts": {"notes": len(site.vault.notes), "tags": len(site.tags()),
                   "wanted": len(site.graph.wanted())},
        "changes": _changes(site, urls, 12),
        "hubs": hubs,
        "trust_counts": [{"level": k, "count": v} for k, v in overview.counts.items() if v],
        "stale": len(overview.stale),
        "low": len(overview.low),
    }


def _hubs(site: Site, urls: UrlScheme, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` notes most linked to, by the number each shows (how many notes link to
    it), ties in PageRank order: a list picked by rank but showing counts read as unsorted,
    with a note of 4 links listed above better-linked ones."""
    ranked = [hub for hub in site.graph.hubs(len(site.vault.notes)) if hub.path in site.vault.notes]
    ranked.sort(key=lambda hub: -hub.inbound)  # stable: rank order among equals
    return [{**link_to(site, urls, hub.path), "inbound": hub.inbound} for hub in ranked[:limit]]


def _changes(site: Site, urls: UrlScheme, limit: int) -> list[dict[str, Any]]:
    return [{"date": c.date.isoformat(), "text": change_html(c.text), **link_to(site, urls, c.path)}
            for c in site.changes(limit) if c.path in site.vault.notes]  # fmt: skip


def search(site: Site, urls: UrlScheme, query: str) -> dict[str, Any]:
    """Live: the server's results. Static: an empty page the search client fills in."""
    context: dict[str, Any] = {"title": "Search", "query": query, "hits": [], "total": 0,
                               "suggestion": None, "error": None}  # fmt: skip
    if urls.mode != "live" or not query.strip() or site.search is None:
        return context
    results = site.search.search(query, limit=30)
    hits = [{**link_to(site, urls, hit.path), "snippet": sanitise(hit.snippet_html),
             "score": round(hit.score, 2), "tags": list(hit.tags)}
            for hit in results.hits if hit.path in site.vault.notes]  # fmt: skip
    return {**context, "hits": hits, "total": results.total,
            "suggestion": results.suggestion, "error": results.error}  # fmt: skip


def tags(site: Site, urls: UrlScheme) -> dict[str, Any]:
    rows = [{"name": name, "count": len(paths), "url": urls.page("tag", name)}
            for name, paths in site.tags().items()]  # fmt: skip
    rows.sort(key=lambda r: (str(r["name"]).casefold(), r["name"]))
    return {"title": "Tags", "tags": rows}


def tag(site: Site, urls: UrlScheme, name: str) -> dict[str, Any]:
    key = name.casefold()
    shown = next((t for t in site.tags() if t.casefold() == key), name)
    children = sorted(t for t in site.tags() if t.casefold().startswith(key + "/"))
    labels = Labels(site)  # one trust table for the page's hundreds of links
    notes = [link_to(site, urls, p, labels) for p in _sorted(site, site.graph.tagged(name))]
    return {"title": f"#{shown}", "tag": shown, "notes": notes,
            "parents": _tag_parents(site, urls, shown),
            "children": [{"name": c, "url": urls.page("tag", c)} for c in children]}  # fmt: skip


def _tag_parents(site: Site, urls: UrlScheme, tag: str) -> list[dict[str, str]]:
    """``#a`` and ``#a/b`` above ``#a/b/c``: linked where a note uses that tag itself."""
    parts = tag.split("/")
    if len(parts) == 1:
        return []
    known = {t.casefold(): t for t in site.tags()}
    parents = []
    for end in range(1, len(parts)):
        name = "/".join(parts[:end])
        found = known.get(name.casefold())
        parents.append({"name": found or name, "url": urls.page("tag", found) if found else ""})
    return parents


def _sorted(site: Site, paths: list[NotePath]) -> list[NotePath]:
    notes = site.vault.notes
    return sorted((p for p in paths if p in notes), key=lambda p: (notes[p].title.casefold(), p))


def graph(site: Site, urls: UrlScheme) -> dict[str, Any]:
    top = sorted(site.tags().items(), key=lambda item: (-len(item[1]), item[0].casefold()))
    return {"title": "Graph", "levels": levels_best_first(site.config), "kinds": list(EDGE_KINDS),
            "tag_names": [name for name, _ in top[:200]]}  # fmt: skip


def wanted(site: Site, urls: UrlScheme) -> dict[str, Any]:
    rows = [{"name": w.name, "anchor": wanted_anchor(w.name), "count": w.count, "links": w.links,
             "sources": [link_to(site, urls, s) for s in w.sources[:MAX_WANTED_SOURCES]
                         if s in site.vault.notes],
             "more": max(0, len(w.sources) - MAX_WANTED_SOURCES)}
            for w in site.graph.wanted()]  # fmt: skip
    return {"title": "Wanted notes", "wanted": rows}


def duplicates(site: Site, urls: UrlScheme) -> dict[str, Any]:
    declared = [{"note": link_to(site, urls, dup), "canonical": link_to(site, urls, canon)}
                for dup, canon in sorted(site.canonicals().items())]  # fmt: skip
    near = []
    for pair in site.near_duplicates():
        if pair.a in site.vault.notes and pair.b in site.vault.notes:
            near.append({"a": link_to(site, urls, pair.a), "b": link_to(site, urls, pair.b),
                         "similarity": round(pair.similarity, 2),
                         "keep": link_to(site, urls, pair.keep),
                         "reason": pair.reason, "kind": pair.kind})  # fmt: skip
    return {"title": "Duplicates", "declared": declared, "near": near,
            "detected": site.dupes is not None}  # fmt: skip


def changes(site: Site, urls: UrlScheme) -> dict[str, Any]:
    return {"title": "Recent changes", "changes": _changes(site, urls, 200)}


def lint(site: Site, urls: UrlScheme) -> dict[str, Any]:
    found = site.diagnostics()
    codes = Counter(d.code for d in found)
    groups: dict[str, dict[str, Any]] = {}
    for item in found[:MAX_LINT_ROWS]:
        group = groups.get(item.path)
        if group is None:
            path = NotePath(item.path)
            url = urls.note(path) if path in site.vault.notes else ""
            group = groups[item.path] = {"path": item.path, "url": url, "items": []}
        group["items"].append({"line": item.line, "code": item.code,
                               "message": message_html(item.message),
                               "severity": str(item.severity)})  # fmt: skip
    return {"title": "Lint report", "total": len(found), "shown": min(len(found), MAX_LINT_ROWS),
            "codes": sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])),
            "groups": list(groups.values())}  # fmt: skip


def trust(site: Site, urls: UrlScheme) -> dict[str, Any]:
    overview = site.trust_overview()
    stale_days = site.config.trust.stale_days

    def rows(items: tuple[Any, ...]) -> list[dict[str, Any]]:
        return [{**link_to(site, urls, row.path), "trust": trust_data(row.trust, stale_days)}
                for row in items[:500] if row.path in site.vault.notes]  # fmt: skip

    return {"title": "Trust", "counts": dict(overview.counts), "total": overview.total,
            "rated": overview.rated,
            "mean": None if overview.mean_score is None else round(overview.mean_score, 2),
            "stale": rows(overview.stale), "low": rows(overview.low),
            "stale_total": len(overview.stale), "low_total": len(overview.low),
            "stale_days": stale_days}  # fmt: skip
