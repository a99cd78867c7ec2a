"""The folder tree is the architecture, checked with ``ast``.

- Between units (a subpackage, or a kernel module at the top): imports flow down the layers.
- A subpackage's ``__init__`` is its only door: code outside it imports names from
  ``kgwiki.<package>``, never a module inside it, and only names the door lists in ``__all__``.
- Inside a subpackage, modules are layered too: a module imports only from earlier groups.
- Each third-party library lives in the units that own it.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from paths import REPO

PACKAGE = REPO / "kgwiki"

# Lower number = lower layer. A unit may import units of a lower layer (or itself).
LAYERS: dict[str, int] = {
    "types": 0, "util": 0,
    "clock": 1, "versions": 1, "diagnostics": 1, "wikilink": 1, "slug": 1,
    "config": 2,
    "markdown": 3,
    "note": 4,
    "vault": 5,
    "graph": 6, "search": 6, "trust": 6, "changelog": 6,
    "duplicates": 7, "authoring": 7,
    "lint": 8,
    "site": 9,
    "web": 10, "web.assets": 10, "mcp": 10,
    "web.render": 11,
    "web.build": 12, "web.serve": 12,
    "cli": 13,
}  # fmt: skip
# "web" is only the folder of the three web packages and their assets.
SUBPACKAGES = {n for n in LAYERS if (PACKAGE / n.replace(".", "/")).is_dir()} - {"web"}

# Inside each subpackage: groups of modules, lowest first. A module imports only modules of
# earlier groups (so no two modules import each other, and nothing low reaches the top).
INSIDE: dict[str, list[str]] = {
    "util": ["atomic collector fingerprint progress_bar versioned words"],
    "markdown": ["callouts comments guards highlight lists live_expressions math rules tasks",
                 "fastpath", "parser"],
    "note": ["frontmatter records schema textio", "collect flattened sections", "changelog_table",
             "parse", "wire"],
    "vault": ["anchors parse_cache resolver scan", "link_cache link_problems names reading", "kept",
              "model", "lookup stats"],
    "graph": ["forces records snapshot tags", "edge_index edges",
              "catch_up export layout rank walk", "layout_worker paths queries", "views",
              "knowledge"],
    # the writer side never reaches the reader (index) or the query runner
    "search": ["analysis merge parallel query rank results", "columns phrase schema",
               "compile postings store", "matches snippet spell writer", "topk", "run",
               "index"],
    "trust": ["levels", "assessment", "lint"],
    "changelog": ["git", "history"],
    "duplicates": ["content_cache declared shingles text", "keep minhash shingle_cache", "detector",
                   "find probe"],
    "authoring": ["edit tidy", "names", "reinforcement template", "create"],
    "lint": ["repair_flattened repair_meta", "repair report"],
    "web.render": ["sanitiser snippets template_cache urls",
                   "atom backlink_text explorer inline_html links properties",
                   "body_template note_page",
                   "folders pages", "feeds renderer"],
    "web.serve": ["events metrics security watch", "ops state sync", "pages server",
                  "api notes warm", "app"],
    "web.build": ["assets cache data forked_views report search_docs splice",
                  "buckets check local_sketches plan previews redirects", "links term_records",
                  "search_postings", "search_writer", "local pages", "run", "flow"],
    "mcp": ["access edits limits probe", "views", "writes", "server"],
    "cli": ["common", "cmd_author cmd_build cmd_graph cmd_info cmd_lint cmd_mcp cmd_search "
            "cmd_serve cmd_trust", "main"],
}  # fmt: skip

THIRD_PARTY_HOME = {
    "markdown_it": {"markdown"},
    "mdit_py_plugins": {"markdown"},
    "latex2mathml": {"markdown"},
    "yaml": {"note"},
    "frontmatter": {"note"},
    "networkx": {"graph"},
    "scipy": {"graph"},
    "datasketch": {"duplicates"},
    "whoosh": {"search"},
    "jinja2": {"web.render"},
    "nh3": {"web.render"},
    "starlette": {"web.serve"},
    "watchfiles": {"web.serve"},
    "uvicorn": {"web.serve", "cli"},
    "tqdm": {"util"},
    "mcp": {"mcp"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _unit(module: str) -> str:
    """``kgwiki.web.build.flow`` → ``web.build``; ``kgwiki.clock`` → ``clock``."""
    rest = module.removeprefix("kgwiki.")
    best = ""
    for name in LAYERS:
        if (rest == name or rest.startswith(name + ".")) and len(name) > len(best):
            best = name
    return best or rest


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def _imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line, module, names)`` for every absolute import (``import x`` gives no names)."""
    found: list[tuple[int, str, list[str]]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, [alias.name for alias in node.names]))
    return found


def _targets(module: str, names: list[str]) -> list[str]:
    """What an import reaches: ``from kgwiki import trust`` reaches ``kgwiki.trust``."""
    if module == "kgwiki":
        return [f"kgwiki.{name}" for name in names if name != "__version__"]
    return [module]


@pytest.mark.parametrize("path", _modules(), ids=_module_name)
def test_imports_flow_downwards(path: Path) -> None:
    me = _unit(_module_name(path))
    assert me in LAYERS, f"{_module_name(path)} has no layer in tests/test_architecture.py"
    for line, module, names in _imports(path):
        for target in _targets(module, names):
            if not target.startswith("kgwiki."):
                continue
            other = _unit(target)
            assert other in LAYERS, f"{target} has no layer in tests/test_architecture.py"
            assert other == me or LAYERS[other] < LAYERS[me], (
                f"{_module_name(path)}:{line} (layer {me}) imports {target} (layer {other})")


@pytest.mark.parametrize("path", _modules(), ids=_module_name)
def test_packages_are_entered_by_their_door(path: Path) -> None:
    me = _unit(_module_name(path))
    for line, module, names in _imports(path):
        for target in _targets(module, names):
            other = _unit(target)
            if other == me or other not in SUBPACKAGES:
                continue
            door = f"kgwiki.{other}"
            where = f"{_module_name(path)}:{line}"
            assert target == door, f"{where} reaches inside {door}: import from {door} instead"
            if module == door:
                public = set(importlib.import_module(door).__all__)
                hidden = sorted(set(names) - public)
                assert not hidden, f"{where} imports {hidden}, which {door}.__all__ does not list"


@pytest.mark.parametrize("package", sorted(INSIDE))
def test_modules_inside_a_package_are_layered(package: str) -> None:
    folder = PACKAGE / package.replace(".", "/")
    group_of = {name: n for n, group in enumerate(INSIDE[package]) for name in group.split()}
    present = {p.stem for p in folder.glob("*.py")} - {"__init__"}
    assert present == set(group_of), f"list every module of {package} in INSIDE, and only those"
    prefix = f"kgwiki.{package}."
    for name in sorted(present):
        for line, module, names in _imports(folder / f"{name}.py"):
            reached = [module] if module != f"kgwiki.{package}" else [prefix + n for n in names]
            for target in reached:
                sibling = target.removeprefix(prefix).split(".")[0]
                if target.startswith(prefix) and sibling in group_of:
                    assert group_of[sibling] < group_of[name], (
                        f"{package}.{name}:{line} imports {package}.{sibling}, "
                        "which is not below it")


def test_doors_list_only_what_they_import() -> None:
    for package in sorted(SUBPACKAGES - {"cli"}):
        door = importlib.import_module(f"kgwiki.{package}")
        listed = getattr(door, "__all__", [])
        assert listed, f"kgwiki.{package} has no __all__"
        assert all(hasattr(door, name) for name in listed), f"kgwiki.{package}.__all__"


@pytest.mark.parametrize("path", _modules(), ids=_module_name)
def test_third_party_libraries_stay_in_their_layer(path: Path) -> None:
    me = _unit(_module_name(path))
    for _, module, _ in _imports(path):
        homes = THIRD_PARTY_HOME.get(module.split(".")[0])
        if homes is not None:
            assert me in homes, f"{_module_name(path)} imports {module}, which belongs to {homes}"


def test_no_module_outgrows_one_idea() -> None:
    """Split a module before it passes ~350 lines (STYLE.md)."""
    long = {_module_name(p): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 350}  # fmt: skip
    assert long == {}
