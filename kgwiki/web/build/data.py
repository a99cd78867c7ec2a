"""Data files of a static site that scripts load with ``<script>`` tags (so file:// works).

- ``data/graph.js`` sets ``window.KGWIKI_GRAPH``: every node once (id, title, where it
  links, position from ``KnowledgeGraph.layout()``, trust level, tags) and every edge as
  three integers, so a 10k-note graph stays a few megabytes;
- the hover cards are in ``build_previews``.
"""

from __future__ import annotations

import json
from operator import itemgetter
from typing import Any

from kgwiki.graph import EDGE_KINDS
from kgwiki.site import Site
from kgwiki.types import NotePath
from kgwiki.util import collector_off
from kgwiki.web.render import note_location, wanted_anchor


def graph_script(site: Site) -> bytes:
    """``data/graph.js``: the whole graph in the compact form ``graph.js`` reads."""
    # Hundreds of thousands of short-lived, acyclic dicts, tuples and lists at 10,000 notes:
    # a collection in the middle would free nothing.
    with collector_off():
        return _graph_script(site)


def _graph_script(site: Site) -> bytes:
    data = site.graph.to_node_link()
    kinds = list(EDGE_KINDS)
    kind_index = {kind: i for i, kind in enumerate(kinds)}
    tags: dict[str, int] = {}
    index: dict[str, int] = {}
    nodes: list[list[Any]] = []
    trusts = site.trusts()
    # Sorted, so the file does not depend on the order the vault happened to load notes in.
    for i, node in enumerate(sorted(data["nodes"], key=itemgetter("id"))):
        node_id = node["id"]
        index[node_id] = i
        if node["wanted"]:
            where = "#" + wanted_anchor(node["title"])
            level = ""
        else:
            where = note_location(NotePath(node_id))[2:-1]
            level = trusts[NotePath(node_id)].level or ""
        tag_ids = [tags.setdefault(t.casefold(), len(tags)) for t in node["tags"]]
        nodes.append([node_id, node["title"], where, round(float(node["x"]), 2),
                      round(float(node["y"]), 2), level, int(node["wanted"]), node["degree"],
                      tag_ids])  # fmt: skip
    # Tuples sort natively, far faster than through a key function over 100,000 links.
    ordered = sorted([(index[e["source"]], index[e["target"]], e["kind"]) for e in data["links"]])
    for _, _, kind in ordered:  # a kind outside EDGE_KINDS is numbered where first met
        if kind not in kind_index:
            kind_index[kind] = len(kinds)
            kinds.append(kind)
    links = [n for source, target, kind in ordered for n in (source, target, kind_index[kind])]
    payload = {"v": 1, "kinds": kinds, "tags": list(tags), "nodes": nodes, "links": links}
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return f"window.KGWIKI_GRAPH={body};\n".encode()
