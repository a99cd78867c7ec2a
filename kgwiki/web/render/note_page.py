"""What a note page shows besides its body: trust, relations, backlinks, local graph, history.

The context is plain data (strings, numbers, lists, dicts) so the static build can hash it:
a page is rewritten exactly when its context or its body changes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from html import escape
from typing import TYPE_CHECKING, Any, Protocol

from markupsafe import escape as markup_escape

from kgwiki.changelog import Commit
from kgwiki.graph import is_wanted
from kgwiki.note import Note
from kgwiki.trust import Trust
from kgwiki.types import NotePath
from kgwiki.web.render.backlink_text import context_text
from kgwiki.web.render.inline_html import change_html
from kgwiki.web.render.links import wanted_anchor
from kgwiki.web.render.properties import properties
from kgwiki.web.render.urls import UrlScheme, attachment_location

if TYPE_CHECKING:
    from kgwiki.site import Site

MAX_BACKLINKS = 200
MAX_LOCAL_NODES = 48
PREVIEW_CHARS = 600
RELATION_ORDER = ("parent", "child", "variant", "adjacent", "duplicate-of", "duplicated-by")
RELATION_LABELS = {
    "parent": "Parents", "child": "Children", "variant": "Variants", "adjacent": "Adjacent",
    "duplicate-of": "Duplicate of", "duplicated-by": "Duplicated by",
}  # fmt: skip


class Backlink(Protocol):
    """An edge into a note as ``KnowledgeGraph.backlinks`` lists it."""

    @property
    def source(self) -> NotePath: ...
    @property
    def line(self) -> int: ...
    @property
    def context(self) -> str: ...
    @property
    def kind(self) -> str: ...


def ago(days: int | None) -> str:
    """``12 days ago`` for an age in days (live pages; the static site counts in the browser)."""
    if days is None:
        return ""
    if days == 0:
        return "today"
    if days < 0:
        return f"in {-days} day" + ("" if days == -1 else "s")
    return f"{days} day" + ("" if days == 1 else "s") + " ago"


def trust_data(trust: Trust, stale_days: int) -> dict[str, Any]:
    """The badge: ``A · 0.90 · applied`` plus the reinforcement date (its age is shown beside)."""
    parts = [trust.level or "?"]
    if trust.confidence is not None:
        parts.append(f"{trust.confidence:.2f}")
    parts.append(trust.verification or "unverified")
    return {
        "rated": trust.rated,
        "level": trust.level or "",
        "text": " · ".join(parts) if trust.rated else "unrated",
        "date": trust.last_reinforced.isoformat() if trust.last_reinforced else "",
        "ago": ago(trust.age_days),
        "stale": trust.stale,
        "low": trust.low,
        "score": round(trust.score, 2),
        "stale_days": stale_days,
        "flags": list(trust.flags),
    }


def link_to(site: Site, urls: UrlScheme, path: NotePath,
            labels: Labels | None = None) -> dict[str, str]:  # fmt: skip
    """How a page lists another note: title, URL (from this page), path, trust level."""
    title, level = site.label(path) if labels is None else labels.label(path)
    return {"title": title, "url": urls.note(path), "path": path, "level": level}


class Labels:
    """``Site.label`` and ``Site.trust`` for the drawing of one page: the site's trust table
    is looked up once (each ``Site`` call reads the clock), not once per listed note."""

    __slots__ = ("notes", "trusts")

    def __init__(self, site: Site) -> None:
        self.notes = site.vault.notes
        self.trusts = site.trusts()

    def label(self, path: NotePath) -> tuple[str, str]:
        """As ``Site.label``: the note's title and trust level ("" when unrated)."""
        return self.notes[path].title, self.trusts[path].level or ""


def _by_title(site: Site, paths: Iterable[NotePath]) -> list[NotePath]:
    notes = site.vault.notes
    return sorted(set(paths), key=lambda p: (notes[p].title.casefold(), p))


def note_context(site: Site, urls: UrlScheme, path: NotePath) -> dict[str, Any]:
    """The context of a note page (everything but the body)."""
    item = site.vault.notes[path]
    labels = Labels(site)
    trust = labels.trusts[path]
    graph = site.graph
    relations, backlinks = graph.relations(path), graph.backlinks(path)  # each asked for once
    relation_rows = [
        {"kind": kind, "label": RELATION_LABELS.get(kind, kind.capitalize()),
         "notes": [link_to(site, urls, p, labels) for p in _by_title(site, relations[kind])]}
        for kind in sorted(relations, key=_relation_rank)
    ]  # fmt: skip
    canonical = site.canonical(path)
    return {
        "title": item.title,
        "note_path": path,
        "aliases": list(item.aliases),
        "tags": [{"name": t, "url": urls.page("tag", t)} for t in item.tags],
        "trust": trust_data(trust, site.config.trust.stale_days),
        "meta": properties(site, urls, item),
        "breadcrumbs": [link_to(site, urls, p, labels) for p in graph.parents_chain(path)],
        "relations": relation_rows,
        "backlinks": _backlinks(site, urls, backlinks, labels),
        "canonical": link_to(site, urls, canonical, labels) if canonical else None,
        "flattened": item.flattened,
        "frontmatter_problems": [{"line": d.line, "message": d.message}
                                 for d in item.diagnostics
                                 if d.code.startswith("frontmatter-")],
        "local_graph": local_graph(site, urls, path, labels, relations, backlinks),
        "history": [],
        "toc": contents(item),
        "description": description(item),
        "og_image": _og_image(site, urls, item),
    }


def contents(item: Note) -> list[dict[str, Any]]:
    """"On this page": the note's headings down to level 4, but for the level-1 heading the
    page shows as its title. A note whose sections are level-1 headings lists them too; each
    entry's level counts from the top level listed (2, 3, 4: the indents the page has)."""
    headings = list(item.headings)
    if headings and headings[0].level == 1 and not item.h1_sections and (
            headings[0].text == item.title or item.body.lstrip().startswith("# ")):  # fmt: skip
        headings = headings[1:]
    shown = [h for h in headings if h.level <= 4 and h.slug]
    top = min((h.level for h in shown), default=2)
    return [{"level": min(4, 2 + h.level - top), "text": h.text, "id": str(h.slug)}
            for h in shown]  # fmt: skip


DESCRIPTION_CHARS = 160
_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s|(?<=다\.)")


def description(item: Note) -> str:
    """For ``<meta name="description">``: the note's ``description:``, else its first sentence
    (from its text, so comments and markup never show), cut to about 160 characters."""
    if item.meta.description:
        text = " ".join(str(item.meta.description).split())
    else:
        body = item.text[len(item.title):] if item.text.startswith(item.title) else item.text
        headings = {h.text for h in item.headings}
        lines = [line.strip() for line in body.split("\n")]
        text = next((line for line in lines if line and line not in headings), "")
        text = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(text) > DESCRIPTION_CHARS:
        text = text[: DESCRIPTION_CHARS - 1].rstrip() + "…"
    return text


def description_tags(text: str) -> str:
    """The description's ``<meta>`` tags exactly as ``base.html`` writes them (a local-edit build
    puts them back in a page whose text changed)."""
    if not text:
        return ""
    value = markup_escape(text)  # as Jinja's autoescape writes it
    return (f'<meta name="description" content="{value}">'
            f'<meta property="og:description" content="{value}">')  # fmt: skip


_IMAGE_KEYS = ("thumbnail", "cover", "image", "banner")


def _og_image(site: Site, urls: UrlScheme, item: Note) -> str:
    """An absolute image URL for OpenGraph: ``thumbnail``/``cover``/``image`` in the
    frontmatter (a URL, or an attachment when the site has a ``--base-url``)."""
    for key in _IMAGE_KEYS:
        value = item.meta.raw.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        value = value.strip().strip("[]!")
        if value.startswith(("http://", "https://")):
            return value
        absolute = getattr(urls, "absolute", None)
        base = str(getattr(urls, "base", ""))
        resolved = site.vault.resolve(value, item.path)
        if absolute is not None and base and resolved.is_attachment and resolved.path:
            return str(absolute(attachment_location(resolved.path)))
    return ""


def with_history(site: Site, context: dict[str, Any], path: NotePath,
                 commits: Iterable[Commit] | None) -> dict[str, Any]:  # fmt: skip
    """Add the history: changelog rows and git commits in one timeline, newest first.

    Without git the body already shows the changelog table, so the page adds nothing.
    """
    history = site.history(path, commits)
    if not history.commits:
        return context
    rows = [{"date": c.date.isoformat(), "text": change_html(c.text), "source": c.source}
            for c in history.changes]  # fmt: skip
    return {**context, "history": rows}


def _relation_rank(kind: str) -> tuple[int, str]:
    return (RELATION_ORDER.index(kind) if kind in RELATION_ORDER else len(RELATION_ORDER), kind)


def _backlinks(site: Site, urls: UrlScheme, backlinks: Iterable[Backlink],
               labels: Labels) -> dict[str, Any]:  # fmt: skip
    """Backlinks grouped by source note, each with its lines of context (a line that links
    here twice, ``[[A]]`` and ``[[A#^block]]``, is listed once)."""
    groups: dict[NotePath, list[dict[str, Any]]] = {}
    for link in backlinks:
        lines = groups.setdefault(link.source, [])
        row = {"line": link.line, "kind": link.kind, "context": context_text(link.context)}
        if row not in lines:
            lines.append(row)
    ordered = _by_title(site, groups)
    shown = [{**link_to(site, urls, p, labels), "lines": groups[p]}
             for p in ordered[:MAX_BACKLINKS]]  # fmt: skip
    return {"total": len(ordered), "notes": shown}


def local_graph(
    site: Site, urls: UrlScheme, path: NotePath, labels: Labels | None = None,
    relations: Mapping[str, list[NotePath]] | None = None,
    backlinks: Iterable[Backlink] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The note and its neighbours on a ring (typed relations first), for the local graph view.

    Only edges at the centre are drawn, so the page depends on its own neighbours alone.
    ``labels``, ``relations`` and ``backlinks`` may be passed when the caller has them.
    """
    graph = site.graph
    trusts = (labels or Labels(site)).trusts
    relations = graph.relations(path) if relations is None else relations
    backlinks = graph.backlinks(path) if backlinks is None else backlinks
    kinds: dict[str, str] = {}  # node id (a note path or a wanted node) → how it is related
    for kind, members in relations.items():
        for other in members:
            kinds.setdefault(other, kind)
    for edge in graph.outlinks(path):
        kinds.setdefault(edge.target, edge.kind)
    for back in backlinks:
        kinds.setdefault(back.source, "backlink" if back.kind in ("link", "embed") else back.kind)
    kinds.pop(path, None)
    ranked = sorted(kinds, key=lambda n: (_relation_rank(kinds[n])[0], graph.title(n).casefold(),
                                          n))  # fmt: skip
    shown = ranked[:MAX_LOCAL_NODES]
    centre = {"id": path, "title": site.vault.notes[path].title, "url": urls.note(path),
              "x": 0.0, "y": 0.0, "trust": trusts[path].level or "", "wanted": False,
              "centre": True}  # fmt: skip
    nodes = [centre]
    for index, node in enumerate(shown):
        angle = 2 * math.pi * index / max(1, len(shown)) - math.pi / 2
        wanted = is_wanted(node)
        nodes.append({
            "id": node, "title": graph.title(node),
            "url": urls.page("wanted") + "#" + wanted_anchor(graph.title(node)) if wanted
            else urls.note(NotePath(node)),
            "x": round(math.cos(angle), 4), "y": round(math.sin(angle), 4),
            "trust": "" if wanted else trusts[NotePath(node)].level or "",
            "wanted": wanted, "centre": False,
        })  # fmt: skip
    links = [{"source": path, "target": node, "kind": kinds[node]} for node in shown]
    return {"nodes": nodes, "links": links, "more": max(0, len(ranked) - len(shown))}


def preview_card(site: Site, urls: UrlScheme, path: NotePath) -> dict[str, str]:
    """A hover card: title, URL and the first paragraphs of text (escaped, ~600 characters)."""
    item = site.vault.notes[path]
    return {"title": item.title, "url": urls.note(path), "html": preview_html(site, path)}


def preview_html(site: Site, path: NotePath) -> str:
    badge = escape(trust_data(site.trust(path), site.config.trust.stale_days)["text"])
    return f'<p class="preview-trust">{badge}</p>' + preview_paragraphs(site.vault.notes[path])


def preview_paragraphs(item: Note) -> str:
    """The opening paragraphs of a note's text (escaped, ~600 characters) for its hover card."""
    text = item.text
    if text.startswith(item.title):
        text = text[len(item.title) :]
    headings = {h.text for h in item.headings} | {item.title}
    paragraphs: list[str] = []
    used = 0
    for block in text.split("\n"):
        block = block.strip()
        if not block or block in headings:
            continue
        if used + len(block) > PREVIEW_CHARS:
            block = block[: max(40, PREVIEW_CHARS - used)].rstrip() + "…"
        paragraphs.append(f"<p>{escape(block)}</p>")
        used += len(block)
        if used >= PREVIEW_CHARS:
            break
    return "".join(paragraphs)
