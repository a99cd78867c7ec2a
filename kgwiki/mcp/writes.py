"""The write tools: every write goes through the authoring layer (atomic, the rest of the file
byte for byte), adds a changelog row naming the agent, and leaves model-written content
marked as a person has not checked it (``verification_status: unverified``; a new note one
trust level below what ``kgwiki new`` gives unless the caller names one). The site is told
at once, so the next search sees the write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kgwiki.authoring import (
    EditRefused,
    NoteRefused,
    TextFile,
    check_meta,
    new_note,
    readable_meta,
    reinforce,
    replace_if_unchanged,
    set_key,
    yaml_value,
)
from kgwiki.mcp.access import WriteRefused
from kgwiki.mcp.edits import add_row, append_text
from kgwiki.mcp.limits import BadArgument
from kgwiki.mcp.probe import similar_notes
from kgwiki.mcp.views import NOTE_URI, note_path
from kgwiki.note import is_flattened, parse_note
from kgwiki.site import Site
from kgwiki.trust import canonical_level, levels_best_first
from kgwiki.types import NotePath
from kgwiki.vault import disk_path

UNVERIFIED = "unverified"
MAX_TEXT = 100_000  # characters one write may add
_CREATED = re.compile(r"\|\s*Created\s*\|")


@dataclass(slots=True)
class Writer:
    site: Site
    author: str = "an AI agent"

    def _signed(self, what: str) -> str:
        return f"{what} by {self.author} via kgwiki mcp; not yet checked by a person"

    def agent_level(self, trust: str | None) -> str | None:
        """The caller's level (checked), else one below the middle of the scale."""
        config = self.site.config
        if trust:
            level = canonical_level(trust, config)
            if level is None:
                known = ", ".join(levels_best_first(config))
                raise BadArgument(f"unknown trust level {trust!r} (known: {known})")
            return level
        levels = levels_best_first(config)
        return levels[min(len(levels) // 2 + 1, len(levels) - 1)] if levels else None

    def create_note(self, title: str, body: str, *, tags: list[str] | None = None,
                    aliases: list[str] | None = None, parent: str | None = None,
                    category: str | None = None, trust: str | None = None
                    ) -> dict[str, Any]:  # fmt: skip
        _size(body)
        site = self.site
        with site.lock:
            vault = site.vault
            level = self.agent_level(trust)
            alike = similar_notes(vault, title, body)
            if alike:
                path, similarity = alike[0]
                raise WriteRefused(
                    f"this text reads like {vault.notes[path].title!r} ({path}, {similarity:.0%} "
                    "alike): extend that note with append_to_note instead of adding a copy")
            try:
                path = new_note(vault, title, category=category, tags=tags or [], trust=level,
                                aliases=aliases or [], parent=parent, body=body,
                                today=site.today())  # fmt: skip
            except NoteRefused as err:
                raise WriteRefused(_refusal(site, err)) from err
            self._edit(path, lambda file, note: self._mark_created(file, note), {})
            return self._answer(path, "created", self._signed("Created"))

    def _mark_created(self, file: TextFile, note: Any) -> None:
        """Sign the template's ``Created`` row (or add a row), and say nobody checked it."""
        entry = next((e for e in reversed(note.changelog) if _CREATED.search(
            file.lines[e.line - 1])), None)  # fmt: skip
        if entry is None:
            add_row(file, note, self.site.today(), self._signed("Created"))
        else:
            line = file.lines[entry.line - 1]
            file.lines[entry.line - 1] = _CREATED.sub(
                lambda _: f"| {self._signed('Created')} |", line, count=1)

    def append_to_note(self, name: str, text: str, section: str | None = None,
                       message: str | None = None) -> dict[str, Any]:  # fmt: skip
        if not text.strip():
            raise BadArgument("text is empty: give the Markdown to add")
        _size(text)
        with self.site.lock:
            path = note_path(self.site, name)

            def change(file: TextFile, note: Any) -> None:
                append_text(file, note, text, section)

            row = self._signed(f"Added {message.strip()}" if message and message.strip()
                               else "Added text")  # fmt: skip
            self._edit(path, change, {}, row=row)
            return self._answer(path, "appended", row)

    def set_trust(self, name: str, level: str | None = None, confidence: float | None = None,
                  verification: str | None = None, reason: str | None = None
                  ) -> dict[str, Any]:  # fmt: skip
        if level is None and confidence is None and verification is None:
            raise BadArgument("give at least one of level, confidence, verification")
        changes: dict[str, Any] = {}
        if level is not None:
            changes["source_trust_level"] = self.agent_level(level)
        if confidence is not None:
            if not 0.0 <= confidence <= 1.0:
                raise BadArgument(f"confidence is between 0 and 1, not {confidence}")
            changes["confidence_score"] = float(confidence)
        if verification is not None:
            word = verification.strip()
            if not word or any(c.isspace() for c in word):
                raise BadArgument("verification is one word: verified, unverified, disputed …")
            changes["verification_status"] = word
        with self.site.lock:
            path = note_path(self.site, name)
            said = ", ".join(f"{k}: {v}" for k, v in changes.items())
            why = f" ({reason.strip()})" if reason and reason.strip() else ""
            row = f"Trust set by {self.author} via kgwiki mcp: {said}{why}"
            self._edit(path, None, changes, row=row, mark=False)
            return self._answer(path, "trust set", row)

    def reinforce(self, name: str, message: str | None = None) -> dict[str, Any]:
        with self.site.lock:
            path = note_path(self.site, name)
            row = f"{(message or '').strip() or 'Reinforced'} ({self.author} via kgwiki mcp)"
            try:
                reinforce(self.site.vault, path, message=row,
                          today=self.site.today())  # fmt: skip
            except NoteRefused as err:
                raise WriteRefused(err.message) from err
            self.site.refresh_file(path)
            return self._answer(path, "reinforced", row)

    def _edit(self, path: NotePath, change: Any, changes: dict[str, Any], *,
              row: str | None = None, mark: bool = True) -> None:  # fmt: skip
        """Read, change, check and atomically replace one note; then refresh the site."""
        vault = self.site.vault
        target = disk_path(vault.root, path)
        try:
            data = target.read_bytes()
            file = TextFile.decode(data, path)
            if is_flattened(file.text):
                raise EditRefused(f"{path} is flattened; repair it first with `kgwiki lint --fix`")
            before = readable_meta(file, path)
            if change is not None:
                change(file, parse_note(path, data, vault.config.relation_labels))
            if row is not None:
                add_row(file, parse_note(path, file.encode(path), vault.config.relation_labels),
                        self.site.today(), row)  # fmt: skip
            wanted = dict(changes)
            if mark and before[0] and before[0].get("verification_status") != UNVERIFIED:
                wanted["verification_status"] = UNVERIFIED
            for key, value in wanted.items():
                set_key(file, key, yaml_value(value))
            check_meta(before, file, wanted, path)
            replace_if_unchanged(target, data, file.encode(path))
        except OSError as err:
            raise WriteRefused(f"{path}: cannot read it: {err.strerror or err}") from err
        except EditRefused as err:
            raise WriteRefused(str(err)) from err
        self.site.refresh_file(path)

    def _answer(self, path: NotePath, done: str, row: str) -> dict[str, Any]:
        note = self.site.vault.notes[path]
        wanted = " ".join(row.split())
        last = next((e for e in note.changelog if e.text == wanted), None)
        shown = {"date": last.date_text, "text": last.text} if last else None
        return {"done": done, "path": path, "uri": NOTE_URI + path, "title": note.title,
                "trust": self.site.trust(path).to_json(), "changelog_row": shown}  # fmt: skip


def _size(text: str) -> None:
    if len(text) > MAX_TEXT:
        raise BadArgument(f"at most {MAX_TEXT} characters per write, not {len(text)}")


def _refusal(site: Site, err: NoteRefused) -> str:
    if err.existing is None or err.existing not in site.vault.notes:
        return err.message
    return f"{err.message}; extend that note with append_to_note instead"
