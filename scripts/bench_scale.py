"""The scale test of issue 22: a vault of the run's size where 30 % of the notes come from one
template (``gen_vault.py --template-share 0.3``), and the commands a user runs on it.

Timed, each as its own process from the command line, with its wall and CPU seconds and its
memory: ``kgwiki info`` (parse cache warm, after an untimed cold one fills it), ``kgwiki lint
--json`` (the same cache), and a cold ``kgwiki build`` (no ``.kgwiki/``, no site). Memory is the
peak of the largest process (``wait4``) and the peak of the whole tree's proportional set size,
sampled (``bench_proc.TreePeak``: a build's pool workers together). The goals (``bench_goals``)
are lint within 2× info, the build within 2× the cold build of the run's plain vault of the
same size, and every peak under 2 GB.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from bench_common import (
    Ran,
    StageContext,
    StageOutput,
    Unavailable,
    kgwiki_command,
    log_tail,
    run_measured,
)
from bench_proc import TreePeak
from bench_vaults import ensure_vault, vault_dir

TEMPLATE_SHARE = 0.3
TIMEOUT = 3600.0


def _vault(ctx: StageContext) -> Path:
    return vault_dir(ctx.workdir.parent, ctx.notes, ctx.seed, TEMPLATE_SHARE)


def scale_vault(ctx: StageContext) -> StageOutput:
    """Setup: generate the template vault (or find it from an earlier run)."""
    _, info = ensure_vault(ctx.workdir.parent, ctx.notes, ctx.seed, TEMPLATE_SHARE)
    return StageOutput(info=info)


def _run(ctx: StageContext, label: str, args: list[str], codes: tuple[int, ...] = (0,)
         ) -> tuple[Ran, float]:  # fmt: skip
    """One ``kgwiki`` command, measured: (how it ran, the tree's sampled peak in MiB)."""
    log = ctx.workdir / "logs" / f"scale-{label}.log"
    peak = TreePeak()
    ran = run_measured([*kgwiki_command(), *args], timeout=TIMEOUT, log=log,
                       on_start=peak.start)  # fmt: skip
    tree = peak.stop()
    if ran.timed_out or ran.code not in codes:
        why = "timed out" if ran.timed_out else f"exited {ran.code}"
        raise Unavailable(f"kgwiki {args[0]} {why}: {log_tail(log)}")
    return ran, max(tree, ran.peak_mib)


def scale(ctx: StageContext) -> StageOutput:
    vault = _vault(ctx)
    if not vault.is_dir():
        raise Unavailable(f"no template vault at {vault} (the scale_vault setup makes it)")
    site = ctx.workdir / "scale-site"
    shutil.rmtree(vault / ".kgwiki", ignore_errors=True)
    cold, _ = _run(ctx, "info-cold", ["info", str(vault), "--json", "-q"])
    info, info_tree = _run(ctx, "info", ["info", str(vault), "--json", "-q"])
    lint, lint_tree = _run(ctx, "lint", ["lint", str(vault), "--json", "-q"], (0, 1))
    lint_bytes = (ctx.workdir / "logs" / "scale-lint.log").stat().st_size
    shutil.rmtree(vault / ".kgwiki", ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    build, build_tree = _run(ctx, "build", ["build", str(vault), "-o", str(site), "--json", "-q"],
                             (0, 1))  # fmt: skip
    out = StageOutput(info={"vault": str(vault), "template_share": TEMPLATE_SHARE,
                            "lint_output_mb": round(lint_bytes / 1e6, 1),
                            "lint_exit": lint.code, "build_exit": build.code,
                            "info_cold_cpu_s": round(cold.cpu_seconds, 1)})  # fmt: skip
    out.add("info, cold", cold.seconds, "s")
    out.add("info", info.seconds, "s")
    out.add("info CPU", info.cpu_seconds, "s")
    out.add("lint --json", lint.seconds, "s")
    out.add("lint --json CPU", lint.cpu_seconds, "s")
    out.add("lint ÷ info", lint.seconds / max(info.seconds, 1e-9), "×")
    out.add("lint peak, one process", lint.peak_mib, "MiB")
    out.add("lint peak, all processes", lint_tree, "MiB")
    out.add("build", build.seconds, "s")
    out.add("build CPU", build.cpu_seconds, "s")
    out.add("build peak, one process", build.peak_mib, "MiB")
    out.add("build peak, all processes", build_tree, "MiB")
    out.info["info_peak_mib"] = round(max(info.peak_mib, info_tree))
    return out


STAGES: dict[str, Callable[[StageContext], StageOutput]] = {
    "scale_vault": scale_vault, "scale": scale,
}  # fmt: skip
