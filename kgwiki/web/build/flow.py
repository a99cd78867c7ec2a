"""``kgwiki build``: the site as files — the same pages the server shows, plus what a static
host needs (client search index, graph data, feed, sitemap, alias redirects, 404 page).

The flow: compare the vault with the last build and stop when nothing changed (reading only
the manifest's header); when only notes' text changed, patch their pages without loading the
vault (``build_local``); otherwise load the Site — from the link tables and graph the last
load kept, when the vault differs from then in a few notes — and let ``build_run.Builder``
bring the output up to date (only pages whose inputs changed are rendered), then record the
build and keep the tables and graph for the next.
A marker file lives in the build's cache folder while a build writes: the next build that
finds it knows the last one was interrupted and writes the site afresh.
"""

from __future__ import annotations

import gc
import shutil
import time
from pathlib import Path

from kgwiki.config import Config, config_for_vault
from kgwiki.web.build.cache import (
    CACHE_DIR,
    MANIFEST_NAME,
    Manifest,
    PageRecord,
    fingerprint,
    template_fingerprint,
    vault_snapshot,
    writing_marker,
)
from kgwiki.web.build.report import BuildError, BuildResult
from kgwiki.web.render import OUTPUT_AREAS

__all__ = ["BuildError", "BuildResult", "build"]


def build(
    vault_root: Path,
    out: Path,
    *,
    base_url: str = "",
    clean: bool = False,
    near_duplicates: bool = True,
    show_progress: bool = False,
    jobs: int | None = None,
    config: Config | None = None,
    hold: list[object] | None = None,
) -> BuildResult:
    """Build (or bring up to date) the static site of ``vault_root`` in ``out``.

    ``hold``: a list the loaded site is put in rather than freed when the build returns (a
    process about to end without freeing anything — the ``kgwiki`` command — saves the
    quarter of a second it takes at 10,000 notes).
    """
    start = time.perf_counter()
    root = Path(vault_root).resolve()
    out = _prepare(root, Path(out).resolve(), clean)
    config = config or config_for_vault(root)
    print_fp = fingerprint(config, base_url, template_fingerprint(), {"near": near_duplicates})
    snapshot = vault_snapshot(root, config)
    marker = writing_marker(out)
    interrupted = marker.exists()
    head = Manifest.read(out, header_only=True)
    if (not interrupted and head.complete and head.fingerprint == print_fp
            and head.snapshot == snapshot):  # fmt: skip
        broken = [line for line in head.problems if " broken-link " in line]
        return BuildResult(out, head.counts.get("notes", 0), head.counts.get("pages", 0),
                           unchanged=True, problems=[p for p in head.problems if p not in broken],
                           broken=broken, seconds=time.perf_counter() - start,
                           mode="unchanged")  # fmt: skip
    manifest = head.with_records(out)
    if manifest.fingerprint != print_fp or interrupted:  # everything is rebuilt
        if interrupted:
            why_full = "the last build was interrupted while writing"
        elif manifest.fingerprint:
            why_full = "the configuration, the templates, kgwiki or a library it uses changed"
        elif head.fingerprint:
            why_full = "the records of the last build are missing, damaged or not its own"
        else:
            why_full = "no earlier build of this site"
        _mark(marker)  # first: until this build's manifest is written, trust no record
        manifest = _forget_records(manifest, out if interrupted else None)
        _clear_cache(out / CACHE_DIR, keep=marker)
    else:
        from kgwiki.web.build.local import build_locally
        from kgwiki.web.build.local_sketches import NotLocal

        _mark(marker)
        try:
            local = build_locally(root, out, config, manifest, snapshot, base_url)
        except NotLocal as verdict:
            why_full = str(verdict)  # and nothing was written
        else:
            marker.unlink()
            local.seconds = time.perf_counter() - start
            return local
    # The Site (markdown, graph, templates) is imported only now: a build with nothing to
    # do never pays for it.
    from kgwiki.graph import LayoutWorker
    from kgwiki.site import Site
    from kgwiki.util import collector_paused
    from kgwiki.web.build.run import Builder
    from kgwiki.web.render import make_template

    loading = time.perf_counter()
    worker = LayoutWorker.fork(jobs)  # gets ready to lay out the graph while the vault loads
    # The loaded site is over a million long-lived, acyclic objects: load it with the cycle
    # collector paused, then exempt it from the collector's full passes while pages are drawn
    # (each pass would walk them all, about a second).
    try:
        with collector_paused():
            site = Site.load(root, config, show_progress=show_progress, with_search=False,
                             with_duplicates=near_duplicates, jobs=jobs, reuse=True,
                             derive=make_template)  # fmt: skip
    except BaseException:
        if worker is not None:
            worker.wait()
        raise
    gc.freeze()
    if hold is not None:
        hold.append(site)
    try:
        builder = Builder(site, out, base_url, manifest, show_progress, jobs)
        builder.timings["load"] = time.perf_counter() - loading
        result = builder.run(str(snapshot["git"]), worker)
        result.why_full = why_full
        manifest.fingerprint, manifest.snapshot, manifest.complete = print_fp, snapshot, True
        manifest.write(out)
        marker.unlink()
        keeping = time.perf_counter()
        site.save_state()  # the link tables and graph the next load starts from
        result.timings["keep"] = time.perf_counter() - keeping
    finally:
        gc.unfreeze()
    result.seconds = time.perf_counter() - start
    return result


def _mark(marker: Path) -> None:
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.touch()


def _forget_records(manifest: Manifest, interrupted: Path | None = None) -> Manifest:
    """A manifest that still lists the previous files (to remove stale ones) but no hashes.

    After an interrupted build (``interrupted``: its output folder) the files it wrote are
    on no list: every file where a build writes is listed, so the next build removes those
    it does not write. Files elsewhere in the folder (a ``CNAME``, say) are left alone.
    """
    pages = {name: PageRecord("", "") for name in manifest.pages}
    files = dict.fromkeys(manifest.files, "")
    if interrupted is not None:
        for area in OUTPUT_AREAS:
            where = interrupted / area
            found = [where] if where.is_file() else where.rglob("*") if where.is_dir() else []
            for file in found:
                name = file.relative_to(interrupted).as_posix()
                if file.is_file() and name not in pages:
                    files.setdefault(name, "")
    return Manifest(pages=pages, files=files)


def _clear_cache(folder: Path, keep: Path) -> None:
    """Empty the build's cache folder but for ``keep``."""
    if not folder.is_dir():
        return
    for child in folder.iterdir():
        if child == keep:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _prepare(root: Path, out: Path, clean: bool) -> Path:
    """Refuse output folders that would eat the vault; empty the folder for --clean."""
    if out == root or root.is_relative_to(out):
        raise BuildError(f"{out}: the output folder must not contain the vault")
    if out.is_relative_to(root) and not any(p.startswith(".") for p in out.relative_to(root).parts):
        raise BuildError(f"{out}: the output folder must not be inside the vault ({root})")
    if clean and out.exists():
        if any(out.iterdir()) and not (out / MANIFEST_NAME).is_file():
            raise BuildError(f"{out}: not a kgwiki site (no {MANIFEST_NAME}); refusing --clean")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    return out
