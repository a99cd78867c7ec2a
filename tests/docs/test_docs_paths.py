"""Every code file the docs name in backticks (``search/index.py``, ``tests/graph/test_x.py``,
``scripts/bench.py``) exists, so a reader who follows a doc finds the code it describes."""

from __future__ import annotations

import re

import pytest
from doc_blocks import doc_files
from paths import REPO

# Code files only: the docs also name files of a built site (index.html, data/graph.js) and of
# a user's vault (kgwiki.toml), which are not in the repository.
NAMED = re.compile(r"`((?:[\w.-]+/)*[\w-]+\.(?:py|sh))`")


def _repo_files() -> set[str]:
    roots = ["kgwiki", "scripts", "tests", "docs", ".ci"]
    found = {p.relative_to(REPO).as_posix() for root in roots
             for p in (REPO / root).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    return found | {p.name for p in REPO.iterdir() if p.is_file()}  # fmt: skip


FILES = _repo_files()


def _exists(name: str) -> bool:
    return any(f == name or f.endswith("/" + name) for f in FILES)


NAMES = sorted({(path.relative_to(REPO).as_posix(), text.count("\n", 0, m.start()) + 1, m[1])
                for path in doc_files()
                for text in [path.read_text(encoding="utf-8")]
                for m in NAMED.finditer(text)})  # fmt: skip


def test_the_docs_name_files() -> None:
    assert len(NAMES) > 50


@pytest.mark.parametrize("doc", sorted({d for d, _, _ in NAMES}))
def test_every_file_a_doc_names_exists(doc: str) -> None:
    missing = [f"{d}:{line} {name}" for d, line, name in NAMES if d == doc and not _exists(name)]
    assert not missing, "files named in the docs that are not in the repository:\n" + "\n".join(
        missing)
