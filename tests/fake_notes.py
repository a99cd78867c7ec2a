"""A stand-in for a note where only its names matter (the resolver's ``NamedNote``)."""

from __future__ import annotations

from dataclasses import dataclass

from kgwiki.types import NotePath


@dataclass(frozen=True)
class FakeNote:
    path: NotePath
    title: str
    aliases: tuple[str, ...] = ()
    id: str | None = None
