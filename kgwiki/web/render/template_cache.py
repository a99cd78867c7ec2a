"""Compiled page templates kept in the vault's cache folder, beside the parse cache.

Jinja compiles each template to Python the first time a process draws it: about a fifth of
a second for kgwiki's templates, paid by every build that draws a page and by every server
start. Jinja's own bytecode cache keeps the compiled code, keyed by the template's name and
a checksum of its source (a changed template is compiled again). This one lives in
``<vault>/<cache_dir>/templates/`` and never fails a page: a folder it cannot read or write,
or a damaged file, only means compiling again.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

FOLDER = "templates"


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file bytecode cache, made a pure cache: no error of it reaches a page."""

    def __init__(self, cache_dir: Path) -> None:
        super().__init__(str(cache_dir / FOLDER), "%s.jinja")
        self.cache_dir = cache_dir

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # damaged: compiled again, and written over
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        # Only inside a cache folder the vault already has: never one made for a vault that
        # keeps no caches (or for one that is gone).
        if not self.cache_dir.is_dir():
            return
        with contextlib.suppress(OSError):  # a read-only vault compiles next time too
            Path(self.directory).mkdir(exist_ok=True)
            super().dump_bytecode(bucket)


def use_template_cache(env: Environment, cache_dir: Path) -> None:
    """Keep ``env``'s compiled templates under ``cache_dir``, unless it keeps them already.

    The environment is one per process and loads each template once; the first vault to
    draw a page gives the folder.
    """
    if env.bytecode_cache is None:
        env.bytecode_cache = TemplateCache(cache_dir)
