"""``kgwiki search`` imports what searching needs, not the web server, the graph's libraries or
the duplicate detector (each command module is imported to build the parser)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from kgwiki.cli.main import main

NOT_FOR_SEARCH = ("starlette", "uvicorn", "jinja2", "nh3", "networkx", "numpy", "scipy",
                  "datasketch", "watchfiles", "kgwiki.web", "kgwiki.site", "kgwiki.lint",
                  "kgwiki.duplicates", "kgwiki.graph", "kgwiki.vault", "kgwiki.note",
                  "kgwiki.markdown", "markdown_it", "yaml", "tqdm")  # fmt: skip

PROBE = """
import json, sys
from kgwiki.cli.main import main
status = main(sys.argv[1:])
heavy = sorted(name for name in {names!r} if name in sys.modules)
print(json.dumps({{"status": status, "imported": heavy}}), file=sys.stderr)
"""


def test_a_search_imports_nothing_it_does_not_use(tmp_path: Path, bundled_vault_dir: Path) -> None:
    root = tmp_path / "vault"
    shutil.copytree(bundled_vault_dir, root, ignore=shutil.ignore_patterns(".kgwiki"))
    assert main(["index", str(root), "--quiet"]) == 0
    probe = PROBE.format(names=NOT_FOR_SEARCH)
    done = subprocess.run(
        [sys.executable, "-c", probe, "search", "kubernetes", "--vault", str(root), "--json"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert report == {"status": 0, "imported": []}
    hits = json.loads(done.stdout)["hits"]
    assert hits and hits[0]["path"] == "10_Wiki/Topics/kubernetes.md"
