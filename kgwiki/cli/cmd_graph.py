"""``kgwiki graph …``: how notes connect (links, paths, hubs, wanted notes), and export."""

from __future__ import annotations

import argparse
import textwrap
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.cli import common
from kgwiki.util import counted

if TYPE_CHECKING:
    from kgwiki.graph import KnowledgeGraph
    from kgwiki.vault import Vault

_WIDTH = 100
Handler = Callable[[argparse.Namespace, "Vault", "KnowledgeGraph"], int]


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser(
        "graph",
        help="navigate the knowledge graph: links, paths, hubs, wanted notes, export",
        description="How notes connect. Name notes by title, alias, id or path.",
    )
    actions = parser.add_subparsers(dest="graph_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, *aliases: str) -> argparse.ArgumentParser:
        # --vault/--json on each action, so they may come after it: `kgwiki graph hubs --json`.
        child = actions.add_parser(name, parents=[shared], help=help_text, aliases=list(aliases))
        child.set_defaults(handler=run, graph_action=name)
        return child

    p = action("neighbours", "notes within N hops of a note", "neighbors")
    p.add_argument("note", metavar="NOTE")
    p.add_argument("--depth", type=int, default=1, help="how many hops (default 1)")
    p.add_argument("--direction", choices=["out", "in", "both"], default="both",
                   help="follow links as written (out), backwards (in) or both")  # fmt: skip
    _kinds_option(p)
    for name, help_text in (
        ("backlinks", "notes that link to a note, with the line that does"),
        ("outlinks", "what a note links to, line by line"),
        ("relations", "a note's breadcrumbs and typed relations"),
    ):
        action(name, help_text).add_argument("note", metavar="NOTE")
    p = action("path", "the shortest chain of links between two notes, each hop explained")
    p.add_argument("source", metavar="A")
    p.add_argument("target", metavar="B")
    p.add_argument("--directed", action="store_true", help="follow links only as written")
    _kinds_option(p)
    p = action("hubs", "the most central notes (PageRank)")
    p.add_argument("--limit", type=int, default=20)
    common.add_vault_positional(p)
    common.add_vault_positional(action("orphans", "notes with no link in or out"))
    common.add_vault_positional(action("dead-ends", "notes with no link out to an existing note"))
    p = action("wanted", "missing notes that others link to, most wanted first")
    p.add_argument("--limit", type=int)
    common.add_vault_positional(p)
    common.add_vault_positional(action("communities", "groups of closely linked notes (Louvain)"))
    p = action("export", "write the graph as GraphML, GEXF (Gephi) or node-link JSON")
    p.add_argument("--format", choices=["graphml", "gexf", "json"], default="graphml")
    p.add_argument("-o", "--output", metavar="FILE", required=True, type=Path)
    common.add_vault_positional(p)


# graph.EDGE_KINDS, written out so that building the parser (every command does) does not
# import the graph package; tests/cli/test_whole_vault_commands.py checks the two agree.
KIND_NAMES = ("link", "embed", "parent", "child", "variant", "adjacent", "duplicate-of")


def _kinds_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", action="append", metavar="KIND",
                        help=f"only edges of this kind; repeat or separate with commas "
                        f"({', '.join(KIND_NAMES)})")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    vault = common.load_vault(args)
    graph = common.load_graph(vault)
    handler = _HANDLERS[args.graph_action]
    return handler(args, vault, graph)


# -- the actions -----------------------------------------------------------------------------


def _neighbours(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    if args.depth < 0:
        raise common.CommandError("--depth must be 0 or more", status=2)
    centre = common.note_path(vault, args.note)
    found = graph.neighbours(centre, args.depth, args.direction, _kinds(args.kind))
    if args.json:
        return _dump({**found.to_json(), "titles": {n: graph.title(n) for n in found.nodes}})
    kinds = ", ".join(_kinds(args.kind) or ["all kinds"])
    hops = f"{args.depth} hop{'' if args.depth == 1 else 's'}"
    print(f"{graph.title(centre)} — within {hops} ({args.direction}; {kinds}): "
          f"{len(found.nodes) - 1} nodes, {len(found.edges)} edges")  # fmt: skip
    via: dict[str, set[str]] = {}  # how each node was reached from the ring before it
    for edge in found.edges:
        near, far = found.distance[edge.source], found.distance[edge.target]
        if far == near + 1:
            via.setdefault(edge.target, set()).add(f"{edge.kind}→")
        elif near == far + 1:
            via.setdefault(edge.source, set()).add(f"←{edge.kind}")
    for distance in range(1, args.depth + 1):
        ring = sorted((n for n in found.nodes if found.distance[n] == distance),
                      key=lambda n: graph.title(n).casefold())  # fmt: skip
        if ring:
            print(f"\n{distance} hop{'s' if distance > 1 else ''}:")
            _table([(_label(graph, n), " ".join(sorted(via.get(n, ()))), _where(n)) for n in ring])
    return 0


def _backlinks(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    target = common.note_path(vault, args.note)
    found = graph.backlinks(target)
    if args.json:
        return _dump([{**b.to_json(), "title": graph.title(b.source)} for b in found])
    print(f"{len(found)} links to {graph.title(target)} ({target}) "
          f"from {counted(len({b.source for b in found}), 'note')}")  # fmt: skip
    for b in found:
        print(f"\n  {graph.title(b.source)}  [{b.kind}]  {b.source}:{b.line}")
        _context(b.context)
    return 0


def _outlinks(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    source = common.note_path(vault, args.note)
    found = graph.outlinks(source)
    if args.json:
        return _dump([{**e.to_json(), "title": graph.title(e.target)} for e in found])
    print(f"{graph.title(source)} ({source}) links {len(found)} times")
    _table([(f"{source}:{e.line}", e.kind, _label(graph, e.target)) for e in found])
    return 0


def _relations(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    path = common.note_path(vault, args.note)
    chain, related = graph.parents_chain(path), graph.relations(path)
    if args.json:
        return _dump({"path": path, "breadcrumbs": chain, "relations": related})
    print(" › ".join([*(graph.title(p) for p in chain), graph.title(path)]))
    _table([(kind, ", ".join(graph.title(p) for p in paths)) for kind, paths in related.items()])
    return 0


def _path(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    a, b = common.note_path(vault, args.source), common.note_path(vault, args.target)
    hops = graph.shortest_path(a, b, _kinds(args.kind), args.directed)
    if hops is None:
        if args.json:
            _dump(None)
            return 1
        how = " following links as written" if args.directed else ""
        raise common.CommandError(f"no path from {graph.title(a)} to {graph.title(b)}{how}")
    if args.json:
        return _dump([{**h.to_json(), "source_title": graph.title(h.source),
                       "target_title": graph.title(h.target)} for h in hops])  # fmt: skip
    print(f"{graph.title(a)} → {graph.title(b)}: {len(hops)} hop{'s' if len(hops) != 1 else ''}")
    for hop in hops:
        arrow = f"─{hop.kind}→" if hop.forward else f"←{hop.kind}─"
        print(f"\n  {graph.title(hop.source)}  {arrow}  {graph.title(hop.target)}")
        print(f"      {hop.written_in}:{hop.line}")
        _context(hop.context)
    return 0


def _hubs(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    found = graph.hubs(args.limit)
    if args.json:
        return _dump([{**h.to_json(), "title": graph.title(h.path)} for h in found])
    rows = [("#", "pagerank", "in", "note")]
    rows += [(str(i), f"{h.score:.4f}", str(h.inbound), _label(graph, h.path))
             for i, h in enumerate(found, 1)]  # fmt: skip
    _table(rows)
    return 0


def _listing(args: argparse.Namespace, graph: KnowledgeGraph, paths: Sequence[str],
             what: str) -> int:  # fmt: skip
    if args.json:
        return _dump([{"path": p, "title": graph.title(p)} for p in paths])
    print(f"{counted(len(paths), 'note')} {what}")
    _table([(graph.title(p), p) for p in paths])
    return 0


def _wanted(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    found = graph.wanted()[: args.limit]
    if args.json:
        return _dump([w.to_json() for w in found])
    rows = [("notes", "links", "wanted note", "linked from")]
    for w in found:
        names = ", ".join(graph.title(s) for s in w.sources)
        names = textwrap.shorten(names, 60, placeholder="…")
        rows.append((str(w.count), str(w.links), w.name, names))
    _table(rows)
    return 0


def _communities(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    groups = graph.communities()
    if args.json:
        return _dump([[{"path": p, "title": graph.title(p)} for p in group] for group in groups])
    for number, group in enumerate(groups, 1):
        titles = ", ".join(sorted((graph.title(p) for p in group), key=str.casefold))
        print(textwrap.fill(titles, _WIDTH, initial_indent=f"{number:>3}. ({len(group)}) ",
                            subsequent_indent=" " * 6))  # fmt: skip
    return 0


def _export(args: argparse.Namespace, vault: Vault, graph: KnowledgeGraph) -> int:
    try:
        graph.export(args.output, args.format)
    except OSError as err:
        raise common.CommandError(f"cannot write {args.output}: {err}") from err
    counts = {"nodes": graph.graph.number_of_nodes(), "edges": graph.graph.number_of_edges()}
    if args.json:
        return _dump({"file": str(args.output), "format": args.format, **counts})
    print(f"wrote {counts['nodes']} nodes and {counts['edges']} edges to {args.output} "
          f"({args.format})")  # fmt: skip
    return 0


_HANDLERS: dict[str, Handler] = {
    "neighbours": _neighbours, "backlinks": _backlinks, "outlinks": _outlinks,
    "relations": _relations, "path": _path, "hubs": _hubs, "wanted": _wanted,
    "communities": _communities, "export": _export,
    "orphans": lambda a, v, g: _listing(a, g, g.orphans(), "with no link in or out"),
    "dead-ends": lambda a, v, g: _listing(a, g, g.dead_ends(), "linking to no other note"),
}  # fmt: skip


# -- printing --------------------------------------------------------------------------------


def _kinds(values: Sequence[str] | None) -> list[str] | None:
    if not values:
        return None
    return [kind.strip() for value in values for kind in value.split(",") if kind.strip()]


def _label(graph: KnowledgeGraph, node: str) -> str:
    return f"{graph.title(node)} (wanted)" if graph.node(node).get("wanted") else graph.title(node)


def _where(node: str) -> str:
    from kgwiki.graph import is_wanted

    return "" if is_wanted(node) else node


def _context(text: str) -> None:
    if text:
        print(textwrap.shorten(text, _WIDTH - 6, placeholder=" …").join(["      ", ""]))


def _table(rows: Sequence[Sequence[str]]) -> None:
    """Rows as aligned columns (wide characters such as Hangul count double)."""
    if not rows:
        return
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=False)]
        print("  " + "  ".join([*cells, row[-1]]).rstrip())


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _dump(data: Any) -> int:
    common.print_json(data)
    return 0
