"""markdown-it's fast paths, fenced behind one switch.

Three shortcuts make kgwiki's parse about a third faster without changing a single token:
first-character guards on block and delimiter rules (``guards``), inline content with no
character any inline rule starts at taken as one text token (``guards.plain_inline``), and
simple bullet lists tokenised in one step (``lists``). ``tests/test_markdown_guards.py``
parses the bundled vault, the shared corpora and thousands of generated documents with and
without them and compares the streams. ``KGWIKI_FASTPATH=0`` turns them off for a process
(to rule them out when a parse looks wrong).

None of them touches markdown-it's own modules: they replace rules on one ``MarkdownIt``.
"""

from __future__ import annotations

import os

from markdown_it import MarkdownIt

from kgwiki.markdown.guards import (
    guard_block_rules,
    guard_delimiter_rules,
    guard_normalize,
    plain_inline,
)
from kgwiki.markdown.lists import simple_lists

ENV = "KGWIKI_FASTPATH"


def enabled() -> bool:
    """True unless ``KGWIKI_FASTPATH=0``."""
    return os.environ.get(ENV, "1").strip() != "0"


def apply(md: MarkdownIt) -> MarkdownIt:
    """Install every fast path on ``md`` (configured with all its rules first) and return it."""
    return simple_lists(plain_inline(guard_normalize(guard_delimiter_rules(guard_block_rules(md)))))
