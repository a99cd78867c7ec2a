"""Imports flow one way: a lower layer never imports a higher one (checked with ``ast``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kgwiki"

# Lower number = lower layer. A module may import modules of its own layer or lower.
LAYERS: dict[str, int] = {
    "types": 0,
    "clock": 0,
    "versions": 0,
    "diagnostics": 0,
    "wikilink": 0,
    "slug": 0,
    "atomic": 0,
    "progress": 0,
    "collector": 0,
    "textio": 1,
    "schema": 1,
    "markdown": 1,
    "markdown_rules": 1,
    "config": 1,
    "frontmatter": 2,
    "flattened": 2,
    "sections": 2,
    "note": 3,
    "resolver": 3,
    "scan": 3,
    "vault": 4,
    "lookup": 5,
    "stats": 5,
    "graph": 6,
    "analysis": 6,
    "search": 6,
    "trust": 6,
    "changelog": 6,
    "duplicates": 6,
    "lint": 7,
    "authoring": 7,
    "repair": 7,
    "web": 8,
    "cli": 9,
}
THIRD_PARTY_HOME = {
    "markdown_it": {"markdown", "markdown_rules"},
    "mdit_py_plugins": {"markdown", "markdown_rules"},
    "networkx": {"graph"},
    "datasketch": {"duplicates"},
    "whoosh": {"search", "analysis"},
    "starlette": {"web"},
    "jinja2": {"web"},
    "uvicorn": {"web", "cli"},
}


def _layer(module: str) -> str:
    """``kgwiki.web.app`` → ``web``; ``kgwiki.search_index`` → ``search``."""
    parts = module.split(".")
    head = parts[1] if len(parts) > 1 else parts[0]
    if head in LAYERS:
        return head
    prefix = next((name for name in LAYERS if head.startswith(name + "_")), None)
    return prefix or head


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    return ".".join(rel.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _module_name(p))
def test_imports_flow_downwards(path: Path) -> None:
    me = _layer(_module_name(path))
    for imported in _imports(path):
        if not imported.startswith("kgwiki."):
            continue
        other = _layer(imported)
        assert other in LAYERS, f"{imported} has no layer in tests/test_architecture.py"
        assert LAYERS[other] <= LAYERS[me], f"{_module_name(path)} (layer {me}) imports {imported}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: _module_name(p))
def test_third_party_libraries_stay_in_their_layer(path: Path) -> None:
    me = _layer(_module_name(path))
    for imported in _imports(path):
        root = imported.split(".")[0]
        homes = THIRD_PARTY_HOME.get(root)
        if homes is not None:
            assert me in homes, f"{_module_name(path)} imports {root}, which belongs to {homes}"


def test_every_module_has_a_layer() -> None:
    names = {_layer(_module_name(p)) for p in _modules()} - {"__init__", "kgwiki"}
    missing = sorted(n for n in names if n not in LAYERS)
    assert not missing, f"add these modules to LAYERS: {missing}"
