"""Note templates: found in the vault (``templates/``, ``_templates/``) or the package, and
rendered by replacing ``{{name}}`` placeholders — no template language, no code.

In the frontmatter a placeholder becomes a YAML value (quoted when needed, lists as ``[a, b]``),
so ``title: {{title}}`` is right for any title; in the body it is the plain text. A line that
holds only a placeholder whose value is empty disappears, and so do an empty ``>`` line and
a section left with nothing in it (``authoring/tidy.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path

from kgwiki.authoring.edit import content, frontmatter_span, split_lines, yaml_value
from kgwiki.authoring.names import NoteRefused, file_name_problem
from kgwiki.authoring.tidy import tidy_body

Value = str | float | Sequence[str]

DEFAULT_TEMPLATE = "note"
VAULT_FOLDERS = ("templates", "_templates")
PLACEHOLDERS = (
    "title", "id", "category", "aliases", "tags", "trust", "confidence", "status", "today",
    "date", "time", "parent", "parent_link", "graph", "body",
)  # fmt: skip
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def load_template(vault_root: Path, name: str | None) -> tuple[str, str]:
    """The template text and where it came from: the vault's own first, then kgwiki's."""
    wanted = (name or DEFAULT_TEMPLATE).strip()
    if wanted.lower().endswith(".md"):
        wanted = wanted[:-3]
    problem = file_name_problem(wanted, "template name")
    if problem:
        raise NoteRefused(problem)
    for folder in VAULT_FOLDERS:
        candidate = vault_root / folder / f"{wanted}.md"
        if candidate.is_file():
            try:
                return candidate.read_text(encoding="utf-8-sig"), f"{folder}/{wanted}.md"
            except (OSError, UnicodeDecodeError) as err:
                raise NoteRefused(f"cannot read template {candidate}: {err}") from err
    packaged = resources.files("kgwiki") / "templates" / f"{wanted}.md"
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8"), f"kgwiki/templates/{wanted}.md"
    raise NoteRefused(f"no template {wanted!r}: looked for templates/{wanted}.md and "
                      f"_templates/{wanted}.md in the vault, and kgwiki's own")  # fmt: skip


def render_template(template: str, values: Mapping[str, Value], where: str = "template") -> str:
    """Fill the placeholders; refuse unknown ones rather than leave ``{{typo}}`` in a note."""
    unknown = sorted({m[1] for m in _PLACEHOLDER.finditer(template)} - set(values))
    if unknown:
        names = ", ".join("{{" + n + "}}" for n in unknown)
        known = ", ".join("{{" + n + "}}" for n in values)
        raise NoteRefused(f"{where} uses unknown placeholders {names} (known: {known})")
    lines = split_lines(template.replace("\r\n", "\n"))
    span = frontmatter_span(lines)
    end = span[1] if span is not None else -1
    out: list[str] = []
    for index, line in enumerate(lines):
        in_frontmatter = span is not None and 0 < index < end
        standalone = _PLACEHOLDER.fullmatch(content(line).strip())
        if standalone and not in_frontmatter and _plain(values[standalone[1]]) == "":
            continue
        out.append(_fill(line, values, _yaml if in_frontmatter else _plain))
    head = end + 1  # the frontmatter lines are kept one for one; 0 without frontmatter
    return "".join(out[:head] + tidy_body(split_lines("".join(out[head:]))))


def _fill(line: str, values: Mapping[str, Value], form: Callable[[Value], str]) -> str:
    return _PLACEHOLDER.sub(lambda m: form(values[m[1]]), line)


def _yaml(value: Value) -> str:
    return yaml_value(value)


def _plain(value: Value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float | int):
        return str(value)
    return ", ".join(value)
