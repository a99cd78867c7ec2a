"""Compare two built sites file by file: which pages were added, removed or changed.

Used to show that a change which should not alter output (a refactor, a speed-up) did not:
build the same vault before and after (with the same ``KGWIKI_TODAY``), then

    python scripts/site_diff.py site-before/ site-after/

Build bookkeeping (``.kgwiki-build.json`` and ``.kgwiki-build/``, which record the code's
fingerprint) is left out. Exits 1 when anything differs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BOOKKEEPING = (".kgwiki-build.json", ".kgwiki-build/")


def files(site: Path) -> dict[str, bytes]:
    """Every file of a built site by relative path, bookkeeping left out."""
    found = {}
    for path in sorted(site.rglob("*")):
        name = path.relative_to(site).as_posix()
        if path.is_file() and not any(name == b or name.startswith(b) for b in BOOKKEEPING):
            found[name] = path.read_bytes()
    return found


def compare(before: Path, after: Path) -> list[str]:
    """``+ name``, ``- name`` and ``~ name`` lines for added, removed and changed files."""
    old, new = files(before), files(after)
    lines = [f"- {name}" for name in sorted(old.keys() - new.keys())]
    lines += [f"+ {name}" for name in sorted(new.keys() - old.keys())]
    lines += [f"~ {name}" for name in sorted(old.keys() & new.keys()) if old[name] != new[name]]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    lines = compare(args.before, args.after)
    count = len(files(args.after))
    print("\n".join(lines) if lines else f"identical: {count} files")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
