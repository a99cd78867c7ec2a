"""The read tools' answers, from one ``Site``: plain JSON-able dicts, small by default.

Every note a list names comes with its title and trust level, so a model can weigh what it
reads without opening each note (a note nobody has checked says ``verification:
unverified``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kgwiki.duplicates import find_duplicates
from kgwiki.graph import EDGE_KINDS, is_wanted
from kgwiki.mcp.limits import (
    DEFAULT_BODY_CHARS,
    MAX_BODY_CHARS,
    BadArgument,
    bounded,
    clip_items,
    clip_text,
    plain_snippet,
    short,
    with_omitted,
)
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.vault import NoteLookupError, find_note

NOTE_URI = "kgwiki://note/"
DIRECTIONS = ("both", "out", "in")


def note_path(site: Site, name: str) -> NotePath:
    """The note a title, alias, id or path names; BadArgument with suggestions otherwise."""
    if not name.strip():
        raise BadArgument("name a note: its title, an alias, its id or its path")
    try:
        return find_note(site.vault, name)
    except NoteLookupError as err:
        raise BadArgument(str(err)) from err


def card(site: Site, path: NotePath) -> dict[str, Any]:
    """A note as lists show it: path, title, trust level and whether a person checked it."""
    trust = site.trust(path)
    return {"path": path, "title": site.vault.notes[path].title, "trust": trust.level,
            "verification": trust.verification}  # fmt: skip


def _node(site: Site, node: str) -> dict[str, Any]:
    if is_wanted(node) or node not in site.vault.notes:
        return {"wanted": node.removeprefix("wanted:")}
    return card(site, NotePath(node))


def search(site: Site, query: str, limit: int = 10) -> dict[str, Any]:
    if site.search is None:
        raise BadArgument("this server was started without a search index")
    if not query.strip():
        raise BadArgument("the query is empty; see docs/search.md for words, \"phrases\", "
                          "OR, NOT, prefix* and filters such as tag: trust:>=B")  # fmt: skip
    results = site.search.search(query, limit=bounded(limit, "limit"))
    if results.error is not None:
        raise BadArgument(f"cannot read the query: {results.error}")
    hits = [{"path": h.path, "title": h.title, "trust": h.trust_level,
             "verification": h.verification, "score": round(h.score, 3), "tags": list(h.tags),
             "snippet": plain_snippet(h.snippet_html)} for h in results.hits]  # fmt: skip
    answer: dict[str, Any] = {"query": query, "total": results.total, "hits": hits}
    if results.suggestion:
        answer["suggestion"] = results.suggestion
    if results.corrected:
        answer["note"] = f"nothing matched {query!r}; these are for {results.suggestion!r}"
    elif results.any_word:
        answer["note"] = "no note has every word; these have some of them"
    omitted = [] if results.total <= len(hits) else [
        f"hits: showing {len(hits)} of {results.total}; raise limit for more"]
    return with_omitted(answer, omitted)


def read_note(site: Site, name: str, body_chars: int = DEFAULT_BODY_CHARS, body_offset: int = 0,
              limit: int = 30) -> dict[str, Any]:  # fmt: skip
    path = note_path(site, name)
    bounded(body_chars, "body_chars", 0, MAX_BODY_CHARS)
    bounded(limit, "limit")
    note = site.vault.notes[path]
    if body_offset < 0 or body_offset > len(note.body):
        raise BadArgument(f"body_offset must be between 0 and {len(note.body)}")
    omitted: list[str] = []
    outgoing = [{**_node(site, e.target), "kind": e.kind, "line": e.line}
                for e in site.graph.outlinks(path)]  # fmt: skip
    backlinks = [{**card(site, b.source), "kind": b.kind, "line": b.line,
                  "context": short(b.context)} for b in site.graph.backlinks(path)]  # fmt: skip
    relations = {kind: [card(site, p) for p in paths if p in site.vault.notes]
                 for kind, paths in site.graph.relations(path).items()}  # fmt: skip
    changelog = [{"date": e.date_text, "text": e.text} for e in note.changelog]
    answer = {
        "path": path, "uri": NOTE_URI + path, "title": note.title, "aliases": list(note.aliases),
        "tags": list(note.tags), "trust": site.trust(path).to_json(), "meta": note.meta.to_json(),
        "body_chars": len(note.body),
        "body": clip_text(note.body, body_offset, body_chars, omitted),
        "outgoing": clip_items(outgoing, limit, "outgoing", omitted),
        "backlinks": clip_items(backlinks, limit, "backlinks", omitted),
        "relations": relations,
        "changelog": clip_items(changelog[::-1], limit, "changelog (newest first)", omitted),
    }  # fmt: skip
    return with_omitted(answer, omitted)


def note_text(site: Site, path: str) -> str:
    """A note's Markdown as the resource ``kgwiki://note/<path>`` gives it."""
    found = note_path(site, path)
    return site.vault.notes[found].body


def neighbours(site: Site, name: str, depth: int = 1, direction: str = "both",
               kinds: list[str] | None = None, limit: int = 50) -> dict[str, Any]:  # fmt: skip
    path = note_path(site, name)
    bounded(depth, "depth", 1, 3)
    if direction not in DIRECTIONS:
        raise BadArgument(f"direction is one of {', '.join(DIRECTIONS)}, not {direction!r}")
    unknown = sorted(set(kinds or ()) - set(EDGE_KINDS))
    if unknown:
        raise BadArgument(f"unknown edge kinds {unknown}; known: {', '.join(EDGE_KINDS)}")
    found = site.graph.neighbours(path, depth, direction, kinds or None)
    omitted: list[str] = []
    nodes = [{**_node(site, n), "distance": found.distance[n]}
             for n in found.nodes if n != path]  # fmt: skip
    edges = [{"source": e.source, "target": e.target, "kind": e.kind} for e in found.edges]
    return with_omitted({"centre": card(site, path),
                         "nodes": clip_items(nodes, bounded(limit, "limit"), "nodes", omitted),
                         "edges": clip_items(edges, limit * 2, "edges", omitted)},
                        omitted)  # fmt: skip


def path_between(site: Site, source: str, target: str, directed: bool = False) -> dict[str, Any]:
    a, b = note_path(site, source), note_path(site, target)
    hops = site.graph.shortest_path(a, b, directed=directed)
    if hops is None:
        return {"from": card(site, a), "to": card(site, b), "hops": None,
                "note": "no path joins these notes"}  # fmt: skip
    return {"from": card(site, a), "to": card(site, b), "length": len(hops),
            "hops": [{"from": h.source, "to": h.target, "kind": h.kind,
                      "written_in": h.written_in, "line": h.line, "context": short(h.context)}
                     for h in hops]}  # fmt: skip


def backlinks(site: Site, name: str, limit: int = 50) -> dict[str, Any]:
    path = note_path(site, name)
    omitted: list[str] = []
    found = [{**card(site, b.source), "kind": b.kind, "line": b.line, "context": short(b.context)}
             for b in site.graph.backlinks(path)]  # fmt: skip
    return with_omitted({"note": card(site, path), "total": len(found),
                         "backlinks": clip_items(found, bounded(limit, "limit"), "backlinks",
                                                 omitted)}, omitted)  # fmt: skip


def wanted(site: Site, limit: int = 30) -> dict[str, Any]:
    omitted: list[str] = []
    found = [{"name": w.name, "linked_from": w.count, "sources": list(w.sources[:5])}
             for w in site.graph.wanted()]  # fmt: skip
    return with_omitted({"total": len(found), "wanted": clip_items(
        found, bounded(limit, "limit"), "wanted notes", omitted)}, omitted)  # fmt: skip


def trust_report(site: Site, name: str | None = None, limit: int = 20) -> dict[str, Any]:
    """One note's trust in full, or the vault's: counts per level, stale and low-trust notes."""
    if name:
        path = note_path(site, name)
        return {**card(site, path), "trust": site.trust(path).to_json()}
    view = site.trust_overview()
    bounded(limit, "limit")
    omitted: list[str] = []

    def listed(items: Any, what: str) -> list[dict[str, Any]]:
        shown = [{"path": n.path, "title": n.title, "trust": n.trust.label,
                  "flags": list(n.trust.flags)} for n in items]  # fmt: skip
        return clip_items(shown, limit, what, omitted)

    answer = {"notes": view.total, "rated": view.rated, "counts": dict(view.counts),
              "mean_score": None if view.mean_score is None else round(view.mean_score, 3),
              "stale": listed(view.stale, "stale"), "low": listed(view.low, "low trust"),
              "flagged": listed(view.flagged, "flagged")}  # fmt: skip
    return with_omitted(answer, omitted)


def duplicates(site: Site, name: str | None = None, limit: int = 20) -> dict[str, Any]:
    """Declared, name-sharing and near-duplicate pairs, with the note to keep for each."""
    pairs = find_duplicates(site.vault, site.config.duplicate_threshold, detector=site.dupes,
                            today=site.today())  # fmt: skip
    if name:
        path = note_path(site, name)
        pairs = [p for p in pairs if path in (p.a, p.b)]
    omitted: list[str] = []
    shown = [{"a": card(site, p.a), "b": card(site, p.b), "kind": p.kind,
              "similarity": round(p.similarity, 3), "keep": p.keep, "reason": p.reason}
             for p in pairs]  # fmt: skip
    return with_omitted({"total": len(shown), "pairs": clip_items(
        shown, bounded(limit, "limit"), "pairs", omitted)}, omitted)  # fmt: skip


def recent_changes(site: Site, limit: int = 20, since: str | None = None,
                   note: str | None = None) -> dict[str, Any]:  # fmt: skip
    bounded(limit, "limit")
    day = None
    if since:
        try:
            day = dt.date.fromisoformat(since)
        except ValueError:
            raise BadArgument(f"since is a date YYYY-MM-DD, not {since!r}") from None
    path = note_path(site, note) if note else None
    rows = [c for c in site.changes(None)
            if (day is None or c.date >= day) and (path is None or c.path == path)]  # fmt: skip
    omitted: list[str] = []
    shown = [{"date": c.date.isoformat(), **card(site, c.path), "text": c.text} for c in rows]
    return with_omitted({"changes": clip_items(shown, limit, "changes", omitted)}, omitted)
