"""Values computed from a changing state, kept until the state's version moves on."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


class Versioned:
    """Named values, each kept with the version of the state it was computed from."""

    def __init__(self) -> None:
        self._values: dict[str, tuple[int, Any]] = {}

    def get(self, name: str, version: int, compute: Callable[[], T]) -> T:
        """The value of ``name`` at ``version``, computed now unless kept from then."""
        hit = self._values.get(name)
        if hit is not None and hit[0] == version:
            return hit[1]  # type: ignore[no-any-return]
        value = compute()
        self._values[name] = (version, value)
        return value

    def kept(self, prefixes: Iterable[str], version: int) -> dict[str, Any]:
        """The values kept at ``version`` whose names start with one of ``prefixes``."""
        starts = tuple(prefixes)
        return {name: value for name, (at, value) in self._values.items()
                if at == version and name.startswith(starts)}  # fmt: skip

    def adopt(self, values: Mapping[str, Any], version: int) -> None:
        """Keep values computed elsewhere from the same state at ``version``."""
        self._values.update((name, (version, value)) for name, value in values.items())
