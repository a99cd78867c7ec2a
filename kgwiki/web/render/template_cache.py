"""Compiled page templates kept in the vault's cache folder, beside the parse cache.

Jinja compiles each template to Python the first time a process draws it: 0.08 s for
kgwiki's templates, paid by every build that draws a page and by every server start.
Jinja's own bytecode cache keeps the compiled code, keyed by the template's name and a
checksum of its source (a changed template is compiled again); the code also depends on the
environment's settings and on Jinja itself, so their digest is part of every key here: a
kgwiki or Jinja that compiles differently never reads another's code. The cache lives in
``<vault>/<cache_dir>/templates/`` and never fails a page: a folder it cannot read or write,
or a damaged file, only means compiling again.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache
from jinja2.bccache import Bucket

FOLDER = "templates"


class TemplateCache(FileSystemBytecodeCache):
    """Jinja's file bytecode cache, made a pure cache: no error of it reaches a page."""

    def __init__(self, cache_dir: Path, env: Environment) -> None:
        super().__init__(str(cache_dir / FOLDER), "%s.jinja")
        self.cache_dir = cache_dir
        self.env = env
        self.compiler = compiler_digest(env)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        autoescape = self.env.autoescape
        escaped = autoescape(name) if callable(autoescape) else autoescape
        key = f"{self.compiler}|{escaped}|{name}|{filename}"
        return hashlib.sha1(key.encode()).hexdigest()

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


def compiler_digest(env: Environment) -> str:
    """What besides a template's source (and whether it is escaped, which goes by its name)
    decides its compiled code: Jinja's version and the environment's syntax, whitespace and
    extension settings."""
    settings = (
        jinja2.__version__, env.block_start_string, env.block_end_string,
        env.variable_start_string, env.variable_end_string, env.comment_start_string,
        env.comment_end_string, env.line_statement_prefix, env.line_comment_prefix,
        env.trim_blocks, env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        sorted(env.extensions), env.optimized, env.finalize is not None, env.is_async,
    )  # fmt: skip
    return hashlib.sha1(repr(settings).encode()).hexdigest()


def use_template_cache(env: Environment, cache_dir: Path) -> None:
    """Keep ``env``'s compiled templates under ``cache_dir``, unless it keeps them already.

    The environment is one per process and loads each template once; the first vault to
    draw a page gives the folder (a second vault's pages are drawn from the same code).
    """
    if env.bytecode_cache is None:
        env.bytecode_cache = TemplateCache(cache_dir, env)
