"""The fenced code blocks of README.md and docs/*.md, for the tests that run them."""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

from paths import REPO

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
_ELLIPSIS_LINE = re.compile(r"^\s*…,?\s*$", re.M)
_TRAILING_COMMA = re.compile(r",(\s*[\]}])")
_INLINE_ELLIPSIS = re.compile(r",\s*…(?=\s*[\]},])")


@dataclass(frozen=True)
class Block:
    """One fenced block: where it is (``docs/api.md:185``), its language tag and its text."""

    file: str
    line: int
    lang: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def doc_files() -> list[Path]:
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def blocks() -> list[Block]:
    found = []
    for path in doc_files():
        text = path.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.append(Block(path.relative_to(REPO).as_posix(), line, match[1], match[2]))
    return found


def commands(block: Block, program: str = "kgwiki") -> list[list[str]]:
    """The command lines of a shell block that run ``program`` (``$ `` prompts and trailing
    ``# comments`` dropped, backslash continuations joined), each as its words."""
    joined = block.text.replace("\\\n", " ")
    found = []
    for raw in joined.splitlines():
        line = raw.strip().removeprefix("$ ")
        words = shlex.split(line, comments=True) if line.startswith(program) else []
        if words and words[0] == program:
            found.append(words)
    return found


def without_optional(words: list[str]) -> list[str]:
    """A synopsis line's words with its ``[optional parts]`` left out."""
    kept: list[str] = []
    depth = 0
    for word in words:
        depth += word.count("[")
        if depth == 0:
            kept.append(word)
        depth -= word.count("]")
    return kept


def options(words: list[str]) -> list[str]:
    """The options a line names (``--port``, ``-o``), wherever they stand (also in ``[…]``)."""
    return [m[1] for word in words for m in [re.match(r"\[?(--?[A-Za-z][-A-Za-z]*)", word)] if m]


def loads_lenient(text: str) -> object:
    """JSON that may stand for a longer answer: ``…`` lines and ``, …`` items are dropped (and
    the commas left before a bracket), so ``[{"a": 1, …}, …]`` reads as ``[{"a": 1}]``."""
    shortened = _INLINE_ELLIPSIS.sub("", _ELLIPSIS_LINE.sub("", text))
    return json.loads(_TRAILING_COMMA.sub(r"\1", shortened))


def same_shape(documented: object, actual: object, where: str = "$") -> list[str]:
    """Where the documented JSON promises keys or kinds the actual answer does not have."""
    if isinstance(documented, dict):
        if not isinstance(actual, dict):
            return [f"{where}: documented an object, got {type(actual).__name__}"]
        problems = [f"{where}.{k}: documented, not in the answer" for k in documented
                    if k not in actual]  # fmt: skip
        for key in documented.keys() & actual.keys():
            problems += same_shape(documented[key], actual[key], f"{where}.{key}")
        return problems
    if isinstance(documented, list):
        if not isinstance(actual, list):
            return [f"{where}: documented a list, got {type(actual).__name__}"]
        if documented and actual:
            return same_shape(documented[0], actual[0], f"{where}[0]")
        return []
    if documented is None or actual is None:
        return []
    kinds = (bool, int | float, str)
    doc_kind = next((k for k in kinds if isinstance(documented, k)), None)
    if doc_kind is not None and not isinstance(actual, doc_kind):
        return [f"{where}: documented {documented!r}, got {actual!r}"]
    return []
