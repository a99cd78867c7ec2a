"""Add notes to a vault: ``new_note`` writes one from a template, ``add_note`` imports a file.

Both refuse names that another note already answers to, write atomically without ever
overwriting, and tell the vault (``Vault.refresh_file``) so it knows the note at once.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from kgwiki import clock
from kgwiki.authoring.edit import (
    EditRefused,
    TextFile,
    add_frontmatter,
    check_meta,
    create_file,
    frontmatter_span,
    readable_meta,
    replace_if_unchanged,
    set_key,
    yaml_value,
)
from kgwiki.authoring.names import (
    NoteRefused,
    check_alias,
    check_folder,
    check_title,
    default_folder,
    file_name_problem,
    free_stem,
    link_name_problem,
    new_id,
    refuse_taken,
    title_stem,
)
from kgwiki.authoring.reinforcement import reinforce
from kgwiki.authoring.template import load_template, render_template
from kgwiki.note import is_flattened, looks_binary, normalise_tag, parse_note
from kgwiki.trust import canonical_level, level_value, levels_best_first
from kgwiki.types import NotePath
from kgwiki.vault import NoteLookupError, Vault, VaultPathError, disk_path, find_note, is_note_file

__all__ = ["NoteRefused", "add_note", "new_note", "reinforce", "trust_defaults"]


def new_note(
    vault: Vault,
    title: str,
    *,
    category: str | None = None,
    tags: Iterable[str] = (),
    trust: str | None = None,
    aliases: Iterable[str] = (),
    parent: str | None = None,
    template: str | None = None,
    body: str | None = None,
    today: dt.date | None = None,
) -> NotePath:
    """Write a new note from a template and return its path; NoteRefused says why not."""
    day = today or clock.today()
    clean_title = check_title(title)
    clean_aliases = list(dict.fromkeys(check_alias(a) for a in aliases if a.strip()))
    refuse_taken(vault, [clean_title, *clean_aliases])
    parent_path = _find(vault, parent, "parent") if parent else None
    folder = (check_folder(vault, category) if category is not None
              else default_folder(vault, parent_path))  # fmt: skip
    level, confidence = trust_defaults(vault, trust)
    stem = free_stem(vault, folder, title_stem(clean_title))
    rel = _join(folder, f"{stem}.md")
    link = _link_to(vault, parent_path, rel) if parent_path else ""
    values: dict[str, Any] = {
        "title": clean_title, "id": new_id(vault, stem, day), "category": folder,
        "aliases": clean_aliases, "tags": check_tags(tags), "trust": level,
        "confidence": confidence, "status": "draft", "today": day.isoformat(),
        "date": day.isoformat(), "time": clock.now().strftime("%H:%M"),
        "parent": vault.notes[parent_path].title if parent_path else "", "parent_link": link,
        "graph": f"- 부모: {link}" if link else "",
        "body": (body or "").replace("\r\n", "\n").strip("\n"),
    }  # fmt: skip
    text, where = load_template(vault.root, template)
    data = render_template(text, values, where).encode("utf-8")
    _check_rendered(vault, rel, data, where)
    _create(vault, rel, data)
    vault.refresh_file(rel)
    return rel


def add_note(
    vault: Vault, source: Path | str, *, category: str | None = None, today: dt.date | None = None
) -> NotePath:
    """Import a Markdown file: copy it in with the schema's missing keys added.

    The body and every existing key stay byte for byte. A file already inside the vault is
    completed in place instead of copied.
    """
    day = today or clock.today()
    source = Path(source)
    if not is_note_file(source.name):
        raise NoteRefused(f"{source}: not a Markdown file (.md)")
    try:
        data = source.read_bytes()
    except OSError as err:
        raise NoteRefused(f"{source}: cannot read it: {err.strerror or err}") from err
    if looks_binary(data):
        raise NoteRefused(f"{source}: a binary file, not Markdown text")
    own = _inside(vault, source)
    try:
        file = TextFile.decode(data, source.name)
        if is_flattened(file.text):
            raise NoteRefused(f"{source}: a flattened note; repair it with `kgwiki lint --fix`")
        before = readable_meta(file, source.name)
    except EditRefused as err:
        raise NoteRefused(str(err)) from err
    note = parse_note(NotePath(source.name), data, vault.config.relation_labels)
    if own is not None:
        rel = own
    else:
        problem = file_name_problem(source.name, "file name")
        if problem:
            raise NoteRefused(problem)
        folder = (check_folder(vault, category) if category is not None
                  else default_folder(vault, None))  # fmt: skip
        stem = free_stem(vault, folder, unicodedata.normalize("NFC", source.stem))
        rel = _join(folder, f"{stem}.md")
    refuse_taken(vault, [note.title, *note.aliases], own=own)
    additions = _missing_keys(vault, before[0], note.title, rel, note.meta.date or day, day)
    try:
        if frontmatter_span(file.lines) is None:
            add_frontmatter(file, [(k, yaml_value(v)) for k, v in additions.items()])
        else:
            for key, value in additions.items():
                set_key(file, key, yaml_value(value))
        check_meta(before, file, additions, rel)
        new_data = file.encode(rel)
        if own is not None:
            replace_if_unchanged(disk_path(vault.root, rel), data, new_data)
        else:
            _create(vault, rel, new_data)
    except EditRefused as err:
        raise NoteRefused(str(err)) from err
    vault.refresh_file(rel)
    return rel


def trust_defaults(vault: Vault, trust: str | None) -> tuple[str, float]:
    """The trust level (``--trust``, else the middle of the scale) and its confidence."""
    levels = levels_best_first(vault.config)
    if trust:
        level = canonical_level(trust, vault.config)
        if level is None:
            raise NoteRefused(f"unknown trust level {trust!r} (known: {', '.join(levels)})")
    elif levels:
        level = levels[len(levels) // 2]
    else:
        return "", 0.5
    return level, level_value(level, vault.config) or 0.5


_TAG_REFUSED = frozenset("#[]{}|^,\"'\\")


def check_tags(tags: Iterable[str]) -> list[str]:
    """Tags without ``#``, unique; refuse spaces, empty parts and characters tags cannot hold."""
    out: list[str] = []
    for raw in tags:
        tag = normalise_tag(raw)
        if not tag:
            continue
        bad = any(c.isspace() or c in _TAG_REFUSED or not c.isprintable() for c in tag)
        if bad or "" in tag.split("/"):
            raise NoteRefused(f"tag {raw!r} may not contain spaces, empty parts or #[]{{}}|^,")
        if tag not in out:
            out.append(tag)
    return out


def _missing_keys(vault: Vault, raw: dict[str, Any], title: str, rel: NotePath,
                  id_day: dt.date, day: dt.date) -> dict[str, Any]:  # fmt: skip
    """The schema's keys a file lacks, with the defaults of an unverified draft."""
    level, confidence = trust_defaults(vault, None)
    folder = PurePosixPath(rel).parent.as_posix()
    defaults: dict[str, Any] = {
        "id": None, "title": title, "category": "" if folder == "." else folder,
        "status": "draft", "canonical_id": "self", "duplicate_of": "none",
        "source_trust_level": level, "confidence_score": confidence,
        "verification_status": "unverified", "raw_sources": [], "last_reinforced": day.isoformat(),
    }  # fmt: skip
    missing = {key: value for key, value in defaults.items() if key not in raw}
    if "id" in missing:
        missing["id"] = new_id(vault, PurePosixPath(rel).stem, id_day)
    return missing


def _find(vault: Vault, name: str, what: str) -> NotePath:
    try:
        return find_note(vault, name)
    except NoteLookupError as err:
        raise NoteRefused(f"{what}: {err}") from err


def _join(folder: str, name: str) -> NotePath:
    return NotePath(f"{folder}/{name}" if folder else name)


def _link_to(vault: Vault, target: NotePath, source: NotePath) -> str:
    """``[[Title]]`` when the title leads there from ``source``, else ``[[path|Title]]``."""
    title = vault.notes[target].title
    found = vault.resolve(title, source)
    if found.path == target and not found.ambiguous and not link_name_problem(title, "title"):
        return f"[[{title}]]"
    path = target[: -len(PurePosixPath(target).suffix)]
    if link_name_problem(title, "title"):
        return f"[[{path}]]"
    return f"[[{path}|{title}]]"


def _check_rendered(vault: Vault, rel: NotePath, data: bytes, where: str) -> None:
    """The template's output must load cleanly and not take another note's names."""
    note = parse_note(rel, data, vault.config.relation_labels)
    broken = [d for d in note.diagnostics if d.code.startswith("frontmatter-")]
    if broken:
        raise NoteRefused(f"{where} gives invalid frontmatter: {broken[0].message}")
    refuse_taken(vault, [note.title, *note.aliases, *([note.id] if note.id else [])])


def _create(vault: Vault, rel: NotePath, data: bytes) -> None:
    try:
        create_file(vault.root / rel, data, vault.root / vault.config.cache_dir)
    except FileExistsError as err:
        existing = rel if rel in vault.notes else None
        raise NoteRefused(f"{rel} already exists", existing=existing) from err
    except OSError as err:
        raise NoteRefused(f"cannot write {rel}: {err.strerror or err}") from err


def _inside(vault: Vault, source: Path) -> NotePath | None:
    try:
        rel = vault.relative(str(source.resolve()))
    except VaultPathError:
        return None
    return rel
