"""Interleaved A/B timing of two versions of kgwiki: an earlier commit against the working tree.

This machine's speed drifts by 10–15% from one quarter hour to the next, so comparing a run
now with a run from an hour ago says little. This script checks the earlier commit out into a
git worktree and runs the same measurement with each version in turn (old, new, old, new …),
each in a fresh process with kgwiki imported from that version's tree:

    .venv/bin/python scripts/bench_ab.py --base e0770e6 --mode parse --pairs 3
    .venv/bin/python scripts/bench_ab.py --base e0770e6 --mode build --pairs 2

``parse`` is ``Vault.load(use_cache=False)``; ``build`` is a cold ``build()`` (no output
folder, no ``.kgwiki/`` caches). Both report wall-clock and CPU seconds (the process and its
workers). The vault defaults to the benchmark's 10k vault (``scripts/bench.py`` makes it).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_VAULT = REPO / "bench-out" / "work" / "vaults" / "notes-10000-seed-0"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--base", required=True, help="the earlier commit (any git revision)")
    parser.add_argument("--mode", choices=("parse", "build"), default="parse")
    parser.add_argument("--pairs", type=int, default=3, help="old/new pairs to run (3)")
    parser.add_argument("--vault", type=Path, default=DEFAULT_VAULT)
    parser.add_argument("--json", type=Path, help="also write the runs here")
    parser.add_argument("--trees", type=Path, default=REPO / "bench-out",
                        help="where the base commit's worktree goes (bench-out/ab-<commit>)")
    parser.add_argument("--_tree", dest="tree", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def measure(tree: Path, mode: str, vault: Path) -> dict[str, float]:
    """In this process: import kgwiki from ``tree`` and time one cold parse or build."""
    # the editable install's import hook would find the working tree first: drop it
    sys.meta_path = [f for f in sys.meta_path if "editable" not in repr(f).lower()]
    sys.path.insert(0, str(tree))
    import kgwiki

    if not Path(kgwiki.__file__).resolve().is_relative_to(tree.resolve()):
        raise SystemExit(f"kgwiki came from {kgwiki.__file__}, not {tree}")
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "vault"
        shutil.copytree(vault, copy, ignore=shutil.ignore_patterns(".kgwiki"))
        before = _cpu_seconds()
        start = time.perf_counter()
        if mode == "build":
            from kgwiki.web.build import build

            build(copy, Path(scratch) / "site")
        else:
            from kgwiki.vault import Vault

            Vault.load(copy, use_cache=False)
        wall = time.perf_counter() - start
        cpu = _cpu_seconds() - before
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 1)}


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run_one(tree: Path, mode: str, vault: Path) -> dict[str, float]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--base", "-", "--mode", mode,
           "--vault", str(vault), "--_tree", str(tree)]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def worktree(base: str, folder: Path) -> Path:
    """A checkout of ``base`` in ``folder`` (made once, reused)."""
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", base],
                            capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    path = folder.resolve() / f"ab-{commit}"
    if not (path / "kgwiki").is_dir():
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "-f", str(path),
                        commit], check=True, capture_output=True)  # fmt: skip
    return path


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.tree is not None:
        print(json.dumps(measure(args.tree, args.mode, args.vault.resolve())))
        return 0
    if not args.vault.is_dir():
        raise SystemExit(f"{args.vault}: no such vault (scripts/bench.py makes the 10k one)")
    trees = {"old": worktree(args.base, args.trees), "new": REPO}
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for pair in range(args.pairs):
        for name in ("old", "new") if pair % 2 == 0 else ("new", "old"):
            result = run_one(trees[name], args.mode, args.vault.resolve())
            runs[name].append(result)
            print(f"{name} ({args.base if name == 'old' else 'working tree'}) {args.mode}: "
                  f"{result['wall_s']:.2f} s, {result['cpu_s']:.1f} CPU-s", flush=True)  # fmt: skip
    for name in ("old", "new"):
        walls = [r["wall_s"] for r in runs[name]]
        cpus = [r["cpu_s"] for r in runs[name]]
        print(f"{name}: median {statistics.median(walls):.2f} s "
              f"({min(walls):.2f}–{max(walls):.2f}), {statistics.median(cpus):.1f} CPU-s")
    if args.json is not None:
        args.json.write_text(json.dumps({"base": args.base, "mode": args.mode, "runs": runs}),
                             encoding="utf-8")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
