"""Distinct string types used across kgwiki, each built in one place."""

from __future__ import annotations

from typing import NewType

NotePath = NewType("NotePath", str)
"""A file's path relative to the vault root, POSIX separators, NFC-normalised (``a/b.md``)."""

Slug = NewType("Slug", str)
"""A heading anchor or URL path segment (Unicode kept, lower-cased, spaces as ``-``)."""

NoteKey = NewType("NoteKey", str)
"""A lookup key: a name case-folded and NFC-normalised, used only for resolution."""
