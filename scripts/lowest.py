"""Print a pip constraints file pinning every runtime dependency to its lowest allowed version.

``bash scripts/test --oldest`` installs kgwiki with these constraints, so the floors written in
``pyproject.toml`` are the versions the suite has run against, not guesses.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
_FLOOR = re.compile(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(?:>=|==)\s*([0-9][^,;\s]*)")


def lowest(requirements: list[str]) -> list[str]:
    """``name==floor`` for each requirement with a ``>=`` (or ``==``) bound; others fail."""
    pins = []
    for requirement in requirements:
        match = _FLOOR.match(requirement)
        if match is None:
            raise SystemExit(f"{PYPROJECT}: {requirement!r} has no lower bound")
        pins.append(f"{match.group(1)}=={match.group(2)}")
    return pins


def main() -> int:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    print("\n".join(lowest(project["dependencies"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
