"""Edit a note's file in place with targeted line edits that keep every other byte.

Frontmatter is never re-dumped: a key's line is replaced, or a line is inserted before the
closing ``---``, so comments, key order, unknown keys, quoting, CRLF and a BOM survive. Each
edit is checked by loading the new frontmatter and comparing it with the mapping intended.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kgwiki.note import load_frontmatter, split_frontmatter
from kgwiki.util import atomic_write_bytes

_BOM = "\ufeff"
_ENCODINGS = ("utf-8", "cp949")  # the two the parser reads without loss
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")
_BARE_CR = re.compile(r"\r(?!\n)")
_COMMENT = re.compile(r"[ \t]+#.*\Z")
_QUOTED = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'")


class EditRefused(ValueError):
    """A file that cannot be changed safely; the message says why and nothing was written."""


@dataclass(slots=True)
class TextFile:
    """A file as lines that keep their own line endings, its encoding and BOM."""

    lines: list[str]
    encoding: str = "utf-8"
    bom: bool = False

    @classmethod
    def decode(cls, data: bytes, name: str) -> TextFile:
        """Decode bytes that re-encode to exactly themselves; refuse anything else."""
        for encoding in _ENCODINGS:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if text.encode(encoding) == data:
                break
        else:
            raise EditRefused(f"{name}: not UTF-8 or CP949 text; not edited")
        bom = text.startswith(_BOM)
        text = text[1:] if bom else text
        if _BARE_CR.search(text):
            raise EditRefused(f"{name}: uses bare CR line endings; not edited")
        return cls(split_lines(text), encoding, bom)

    @property
    def newline(self) -> str:
        """The file's line ending (from its first line; LF for a file of one line)."""
        for line in self.lines:
            if line.endswith("\n"):
                return "\r\n" if line.endswith("\r\n") else "\n"
        return "\n"

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def encode(self, name: str) -> bytes:
        try:
            return ((_BOM if self.bom else "") + self.text).encode(self.encoding)
        except UnicodeEncodeError as err:
            raise EditRefused(f"{name}: the new text cannot be written as {self.encoding}") from err

    def ensure_final_newline(self) -> None:
        if self.lines and not self.lines[-1].endswith("\n"):
            self.lines[-1] += self.newline


def split_lines(text: str) -> list[str]:
    """Lines with their endings; only LF ends a line (unlike ``str.splitlines``)."""
    return _LINE.findall(text)


def content(line: str) -> str:
    return line.rstrip("\r\n")


def frontmatter_span(lines: Sequence[str]) -> tuple[int, int] | None:
    """Indexes of the opening and closing fence lines, by the parser's rules; None if absent."""
    if not lines or not lines[0].endswith("\n") or content(lines[0]).rstrip(" \t") != "---":
        return None
    for index in range(1, len(lines)):
        if content(lines[index]).rstrip(" \t") in ("---", "..."):
            return 0, index
    return None


def _key_line(lines: Sequence[str], span: tuple[int, int], key: str) -> int | None:
    """The last top-level line of ``key`` (the one YAML keeps when a key repeats)."""
    pattern = re.compile(rf"{re.escape(key)}[ \t]*:(?:[ \t]|$)")
    found = None
    for index in range(span[0] + 1, span[1]):
        if pattern.match(content(lines[index])):
            found = index
    return found


def _value_end(lines: Sequence[str], start: int, close: int) -> int:
    """One past the last line of a value that continues below its key (block list or text)."""
    end = start + 1
    for index in range(start + 1, close):
        text = content(lines[index])
        if not text.strip():
            continue
        if text[0] in " \t-":
            end = index + 1
        else:
            break
    return end


def set_key(file: TextFile, key: str, value: str) -> None:
    """Set a top-level key to a YAML value text: replace its line(s) or insert it at the end."""
    span = frontmatter_span(file.lines)
    if span is None:
        raise EditRefused("no frontmatter block")
    index = _key_line(file.lines, span, key)
    if index is None:
        file.lines.insert(span[1], f"{key}: {value}{file.newline}")
        return
    end = _value_end(file.lines, index, span[1])
    old = file.lines[index]
    ending = old[len(content(old)) :]
    match = re.match(rf"({re.escape(key)}[ \t]*:[ \t]*)(.*)", content(old))
    assert match is not None
    prefix = match[1] if match[1][-1] in " \t" else match[1] + " "
    comment = _comment(match[2]) if end == index + 1 else ""
    file.lines[index:end] = [f"{prefix}{value}{comment}{ending}"]


def _comment(written: str) -> str:
    """The trailing ``  # comment`` of a one-line value (after a quoted scalar, if any)."""
    quoted = _QUOTED.match(written)
    found = _COMMENT.search(written[quoted.end() :] if quoted else written)
    return found[0] if found else ""


def add_frontmatter(file: TextFile, items: Sequence[tuple[str, str]]) -> None:
    """Put a new frontmatter block of ``key: value`` lines at the top of a file without one."""
    newline = file.newline
    block = ["---" + newline, *(f"{k}: {v}{newline}" for k, v in items), "---" + newline]
    file.lines[0:0] = block


def load_meta(file: TextFile, name: str) -> tuple[dict[str, Any], list[str]]:
    """The frontmatter mapping and the codes of its problems, read as the parser reads it."""
    split = split_frontmatter(file.text.replace("\r\n", "\n"))
    if split.raw is None:
        return {}, []
    data, problems = load_frontmatter(split.raw, name)
    return data, sorted(p.code for p in problems)


def check_meta(before: tuple[dict[str, Any], list[str]], after: TextFile,
               changes: Mapping[str, Any], name: str) -> None:  # fmt: skip
    """Refuse an edit whose frontmatter is not exactly the old one plus ``changes``."""
    old, old_problems = before
    new, new_problems = load_meta(after, name)
    if new != {**old, **changes} or new_problems != old_problems:
        raise EditRefused(f"{name}: the edit would not give the intended frontmatter; "
                          "nothing was written")  # fmt: skip


def readable_meta(file: TextFile, name: str) -> tuple[dict[str, Any], list[str]]:
    """``load_meta``, refusing frontmatter that does not load (an edit could lose keys)."""
    data, problems = load_meta(file, name)
    if any(code in ("frontmatter-yaml", "frontmatter-not-mapping") for code in problems):
        raise EditRefused(f"{name}: its frontmatter does not load; fix it first (kgwiki lint)")
    return data, problems


# -- YAML values, checked by loading them back -------------------------------------------------


def _loads_as(text: str, expected: object) -> bool:
    if "\n" in text or "\r" in text:
        return False
    data, problems = load_frontmatter(f"v: {text}\n", "")
    return not problems and "v" in data and data["v"] == expected


def yaml_scalar(value: str) -> str:
    """``value`` as a YAML scalar: plain when it loads back as itself, else double-quoted."""
    if _loads_as(value, value):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return quoted if _loads_as(quoted, value) else json.dumps(value)


def yaml_list(items: Sequence[str]) -> str:
    """A flow list (``[a, b]``) whose items load back as exactly these strings."""
    plain = "[" + ", ".join(items) + "]"
    if _loads_as(plain, list(items)):
        return plain
    parts = [i if _loads_as(f"[{i}]", [i]) else json.dumps(i, ensure_ascii=False) for i in items]
    return "[" + ", ".join(parts) + "]"


def yaml_value(value: str | float | Sequence[str]) -> str:
    if isinstance(value, str):
        return yaml_scalar(value)
    if isinstance(value, float | int):
        return repr(value)
    return yaml_list(list(value))


# -- writing -----------------------------------------------------------------------------------


def replace_if_unchanged(path: Path, before: bytes, after: bytes) -> None:
    """Atomically replace ``path`` with ``after`` unless it no longer holds ``before``."""
    try:
        current = path.read_bytes()
    except OSError as err:
        raise EditRefused(f"{path}: cannot read it: {err}") from err
    if current != before:
        raise EditRefused(f"{path} changed while it was being edited; nothing was written")
    atomic_write_bytes(path, after)


@contextlib.contextmanager
def write_lock(folder: Path) -> Iterator[None]:
    """One creator at a time across processes (POSIX); shared with the server's note form."""
    try:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / "write.lock").open("a")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def exists_any_case(target: Path) -> bool:
    """True when ``target`` or a name differing only in case exists (macOS, Windows)."""
    if target.exists():
        return True
    wanted = target.name.casefold()
    try:
        return any(p.name.casefold() == wanted for p in target.parent.iterdir())
    except OSError:
        return False


def create_file(target: Path, data: bytes, lock_folder: Path) -> None:
    """Write a new file atomically; refuse (never overwrite) when the name is already taken."""
    with write_lock(lock_folder):
        if exists_any_case(target):
            raise FileExistsError(str(target))
        atomic_write_bytes(target, data)
