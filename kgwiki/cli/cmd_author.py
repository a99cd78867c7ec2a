"""``kgwiki new``, ``kgwiki add`` and ``kgwiki reinforce``: write notes into the vault."""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgwiki.cli import common

if TYPE_CHECKING:
    from kgwiki.types import NotePath
    from kgwiki.vault import Vault


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], shared: argparse.ArgumentParser
) -> None:
    new = sub.add_parser("new", parents=[shared], help="write a new note from a template",
                         description="Write a new note with the vault's frontmatter schema, its "
                         "standard sections and a first changelog row.")  # fmt: skip
    new.add_argument("title", metavar="TITLE")
    new.add_argument("--category", metavar="FOLDER",
                     help="folder for the note (default: the parent's, else 10_Wiki/Topics, "
                          "else the vault root)")  # fmt: skip
    new.add_argument("--tags", metavar="A,B", default="", help="comma-separated tags")
    new.add_argument("--trust", metavar="LEVEL", help="source_trust_level (default: mid-scale)")
    new.add_argument("--alias", action="append", default=[], metavar="NAME",
                     help="another name for the note (repeat for more)")  # fmt: skip
    new.add_argument("--parent", metavar="NOTE", help="the parent note (title, alias, id, path)")
    new.add_argument(
        "--template",
        metavar="NAME",
        help="templates/NAME.md or _templates/NAME.md in the vault (default: note)",
    )
    new.add_argument("--edit", action="store_true", help="open the note in $VISUAL or $EDITOR")
    new.set_defaults(handler=run, author_action="new")

    add = sub.add_parser("add", parents=[shared], help="import Markdown files into the vault",
                         description="Copy Markdown files into the vault, adding the schema's "
                         "missing frontmatter keys; the body and existing keys stay as they are. "
                         "A file already in the vault is completed in place.")  # fmt: skip
    add.add_argument("files", nargs="+", metavar="FILE")
    add.add_argument("--category", metavar="FOLDER", help="folder for the notes")
    add.set_defaults(handler=run, author_action="add")

    again = sub.add_parser(
        "reinforce", parents=[shared], help="set last_reinforced to today and add a changelog row"
    )
    again.add_argument("note", metavar="NOTE", help="title, alias, id or path")
    again.add_argument("-m", "--message", help='the changelog text (default: "Reinforced")')
    again.set_defaults(handler=run, author_action="reinforce")


def run(args: argparse.Namespace) -> int:
    vault = common.load_vault(args)
    action = {"new": _new, "add": _add, "reinforce": _reinforce}[args.author_action]
    return action(args, vault)


def _new(args: argparse.Namespace, vault: Vault) -> int:
    from kgwiki.authoring import NoteRefused, new_note

    tags = [t for t in args.tags.split(",") if t.strip()]
    try:
        path = new_note(vault, args.title, category=args.category, tags=tags, trust=args.trust,
                        aliases=args.alias, parent=args.parent, template=args.template)  # fmt: skip
    except NoteRefused as err:
        raise common.CommandError(err.message) from err
    edited = _edit(_file(vault.root, path)) if args.edit else True
    vault.refresh_file(path)
    _report(args, vault, path, "created")
    return 0 if edited else 1


def _add(args: argparse.Namespace, vault: Vault) -> int:
    from kgwiki.authoring import NoteRefused, add_note

    refused = 0
    added: list[dict[str, Any]] = []
    for file in args.files:
        try:
            path = add_note(vault, Path(file), category=args.category)
        except NoteRefused as err:
            refused += 1
            print(f"kgwiki add: {file}: {err.message}", file=sys.stderr)
            continue
        if args.json:
            added.append({"file": file, **_describe(vault, path)})
        else:
            print(f"added {file} → {path}")
    if args.json:
        common.print_json({"added": added, "refused": refused})
    return 1 if refused else 0


def _reinforce(args: argparse.Namespace, vault: Vault) -> int:
    from kgwiki.authoring import NoteRefused, reinforce

    try:
        path = reinforce(vault, args.note, message=args.message)
    except NoteRefused as err:
        raise common.CommandError(err.message) from err
    _report(args, vault, path, "reinforced")
    return 0


def _describe(vault: Vault, path: NotePath) -> dict[str, Any]:
    note = vault.notes[path]
    return {"path": path, "file": str(_file(vault.root, path)), "title": note.title,
            "id": note.id, "last_reinforced": note.meta.last_reinforced}  # fmt: skip


def _report(args: argparse.Namespace, vault: Vault, path: NotePath, verb: str) -> None:
    if args.json:
        common.print_json(_describe(vault, path))
        return
    print(f"{verb} {path}")
    for problem in vault.notes[path].diagnostics:
        print(problem.format(), file=sys.stderr)


def _edit(file: Path) -> bool:
    """Open the note in the user's editor and wait for it to close; False if that failed."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        editor = "notepad" if os.name == "nt" else "vi"
    try:
        status = subprocess.run([*shlex.split(editor), str(file)], check=False).returncode
    except OSError as err:
        print(f"kgwiki new: the note was written, but {editor!r} did not start: {err}",
              file=sys.stderr)  # fmt: skip
        return False
    if status != 0:
        print(f"kgwiki new: {editor} exited with status {status}", file=sys.stderr)
    return status == 0


def _file(root: Path, path: str) -> Path:
    from kgwiki.vault import disk_path  # imported here: building the parser stays light

    return disk_path(root, path)
