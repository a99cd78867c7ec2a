"""Split a note into frontmatter and body, and load the frontmatter as safe, literal YAML.

python-frontmatter drops metadata on a BOM and turns ``id: 0123`` into 83, and PyYAML expands
aliases (a "billion laughs" file) and keeps the last of two duplicate keys silently. The handler
here keeps ids and dates as written, refuses aliases, reports duplicate keys with their line, and
never raises: every problem becomes a diagnostic and the body is kept whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode

from kgwiki.diagnostics import Diagnostic, Severity

try:  # the C parser is ~10x faster; constructors stay in Python either way
    from yaml import CSafeLoader as _FastBase
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _FastBase  # type: ignore[assignment]

_OPEN = re.compile(r"---[ \t]*\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)
_CANONICAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)")


@dataclass(frozen=True, slots=True)
class FrontmatterSplit:
    """The raw frontmatter text (None when there is none) and the body with its first line."""

    raw: str | None
    body: str
    body_line: int


class _LiteralConstructorMixin:
    """Keep scalars whose YAML typing would change what the user wrote."""

    duplicate_keys: list[tuple[str, int]]

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, ScalarNode):
                if key_node.value in seen:
                    self.duplicate_keys.append((key_node.value, key_node.start_mark.line))
                seen.add(key_node.value)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc,no-any-return]


class _FastLoader(_LiteralConstructorMixin, _FastBase):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys = []


class _NoAliasLoader(_LiteralConstructorMixin, yaml.SafeLoader):
    """The pure-Python loader, used only when the text could hold an anchor or alias."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicate_keys = []

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases are not allowed in frontmatter", event.start_mark
            )
        return super().compose_node(parent, index)


def _literal_int(loader: yaml.BaseLoader, node: Node) -> int | str:
    value = str(node.value)
    if _CANONICAL_INT.fullmatch(value):
        return int(value.replace("_", ""))
    return value  # 0123, 0x1F, 1_000:00 … stay as written


def _literal_timestamp(loader: yaml.BaseLoader, node: Node) -> str:
    return str(node.value)  # dates stay strings; the schema types the known ones


for _loader in (_FastLoader, _NoAliasLoader):
    _loader.add_constructor("tag:yaml.org,2002:int", _literal_int)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _literal_timestamp)


class SafeYAMLHandler(YAMLHandler):
    """python-frontmatter's YAML handler with kgwiki's splitting and loading rules."""

    def split(self, text: str) -> tuple[str, str]:
        parts = split_frontmatter(text)
        return parts.raw or "", parts.body

    def load(self, fm: str, **kwargs: object) -> Any:
        loader_cls = _NoAliasLoader if ("&" in fm or "*" in fm) else _FastLoader
        loader = loader_cls(fm)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()


HANDLER = SafeYAMLHandler()


def split_frontmatter(text: str) -> FrontmatterSplit:
    """Split at a leading ``---`` line and the next ``---``/``...`` line."""
    opening = _OPEN.match(text)
    if opening is None:
        return FrontmatterSplit(None, text, 1)
    closing = _CLOSE.search(text, opening.end())
    if closing is None:
        return FrontmatterSplit(None, text, 1)
    raw = text[opening.end() : closing.start()]
    after = closing.end() + 1 if closing.end() < len(text) else closing.end()
    body_line = text.count("\n", 0, after) + 1
    return FrontmatterSplit(raw, text[after:], body_line)


def load_frontmatter(
    raw: str, path: str, first_line: int = 2
) -> tuple[dict[str, Any], list[Diagnostic]]:
    """Load frontmatter YAML into a mapping; on any problem, a diagnostic and what could be kept."""
    diagnostics: list[Diagnostic] = []
    loader_cls = _NoAliasLoader if ("&" in raw or "*" in raw) else _FastLoader
    loader = loader_cls(raw)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark is not None and mark is not None and mark.index >= len(raw.rstrip()):
            mark = err.context_mark  # ran out of input: point at where the open construct began
        line = first_line + (mark.line if mark else 0)
        problem = err.problem or err.context or "invalid YAML"
        diagnostics.append(
            Diagnostic(
                path,
                line,
                "frontmatter-yaml",
                f"invalid frontmatter: {problem}; simple `key: value` lines were kept as text",
                Severity.ERROR,
            )
        )
        return salvage_lines(raw), diagnostics
    except (yaml.YAMLError, RecursionError, ValueError) as err:
        diagnostics.append(
            Diagnostic(
                path, first_line, "frontmatter-yaml", f"invalid frontmatter: {err}", Severity.ERROR
            )
        )
        return {}, diagnostics
    finally:
        loader.dispose()
    for key, line in loader.duplicate_keys:
        diagnostics.append(
            Diagnostic(
                path,
                first_line + line,
                "frontmatter-duplicate-key",
                f"key {key!r} appears more than once; the last value is used",
                Severity.ERROR,
            )
        )
    if data is None:
        return {}, diagnostics
    if not isinstance(data, dict):
        kind = type(data).__name__
        diagnostics.append(
            Diagnostic(
                path,
                first_line,
                "frontmatter-not-mapping",
                f"frontmatter is a {kind}, not a mapping of keys to values; it is ignored",
                Severity.ERROR,
            )
        )
        return {}, diagnostics
    return {str(k): v for k, v in data.items()}, diagnostics


_SIMPLE_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)")


def salvage_lines(raw: str) -> dict[str, Any]:
    """From YAML that will not load, keep top-level ``key: value`` lines as plain strings.

    A value that opens a list or mapping it does not close (``tags: [a, b``) is left out
    rather than read as text: half of a list shown as tags ``#[a`` and ``#b`` is worse than
    none, and the diagnostic already names the line."""
    kept: dict[str, Any] = {}
    for line in raw.split("\n"):
        match = _SIMPLE_LINE.fullmatch(line.rstrip())
        if match and match[1] not in kept:
            value = match[2].strip()
            if value[:1] in "[{":
                flow = _flow(value)
                if flow is not None:
                    kept[match[1]] = flow
                continue
            value = value.strip("\"'")
            kept[match[1]] = value or None
    return kept


def _flow(value: str) -> list[Any] | dict[str, Any] | None:
    """A flow list or mapping written on one line, loaded by itself; None if it does not
    load (left open, or broken). Anchors and aliases are refused here as everywhere."""
    if "&" in value or "*" in value:
        return None
    try:
        loaded = yaml.safe_load(value)
    except yaml.YAMLError:
        return None
    return loaded if isinstance(loaded, (list, dict)) else None
