"""The peers: the same vault built by Hugo (Debian's ``hugo``) and by MkDocs (PyPI ``mkdocs``).

Each gets a copy of the vault's Markdown in a site folder of its own (made in the untimed setup
step), then one timed cold build. Neither understands wiki-links, so both do less than kgwiki
(no link resolution, graph, search index or trust views); the comparison is of the engines
at their defaults on the same files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import yaml
from bench_common import StageContext, StageOutput, Unavailable, log_tail, run_measured, venv_tool

PEER_TIMEOUT = 3600.0
HUGO_RETRIES = 50

HUGO_CONFIG = """\
baseURL = "http://localhost/"
title = "kgwiki bench"
disableKinds = []
[markup.goldmark.renderer]
unsafe = false
"""

# A theme-less layout: enough for Hugo to render every page and list, nothing more.
HUGO_LAYOUTS = {
    "baseof.html": "<!doctype html>\n<html><head><meta charset=\"utf-8\">"
                   "<title>{{ .Title }}</title></head>\n"
                   "<body>{{ block \"main\" . }}{{ end }}</body></html>\n",
    "single.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n"
                   "<p>{{ range .Params.tags }}<a href=\"/tags/{{ . | urlize }}/\">#{{ . }}</a> "
                   "{{ end }}</p>{{ end }}\n",
    "list.html": "{{ define \"main\" }}<h1>{{ .Title }}</h1>\n<ul>{{ range .Pages }}"
                 "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>"
                 "{{ end }}\n",
}  # fmt: skip

MKDOCS_CONFIG = """\
site_name: kgwiki bench
docs_dir: docs
site_dir: site
theme:
  name: mkdocs
"""


def _notes(vault: Path) -> list[Path]:
    def hidden(path: Path) -> bool:
        return any(part.startswith(".") for part in path.relative_to(vault).parts)

    return sorted(p for p in vault.rglob("*.md") if not hidden(p))


def _hugo_ok(text: str) -> str | None:
    """Why Hugo would refuse this note's frontmatter (None: it should take it)."""
    first, _, rest = text.partition("\n")
    if first.strip() != "---":
        return "flattened" if first.startswith("---") else None
    head, sep, _ = rest.partition("\n---")
    if not sep:
        return "unterminated"
    try:
        meta = yaml.safe_load(head)
    except yaml.YAMLError:
        return "bad-yaml"
    return None if meta is None or isinstance(meta, dict) else "not-a-mapping"


def hugo_prepare(ctx: StageContext) -> StageOutput:
    site = ctx.workdir / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    skipped: dict[str, int] = {}
    copied = 0
    for note in _notes(ctx.vault):
        text = note.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
        why = _hugo_ok(text.lstrip("\ufeff"))
        if why is not None:
            skipped[why] = skipped.get(why, 0) + 1
            continue
        target = site / "content" / note.relative_to(ctx.vault)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(note, target)
        copied += 1
    if (ctx.vault / "assets").is_dir():
        shutil.copytree(ctx.vault / "assets", site / "static" / "assets")
    return StageOutput(info={"copied": copied, "skipped": skipped})


def hugo(ctx: StageContext) -> StageOutput:
    exe = shutil.which("hugo")
    if exe is None:
        raise Unavailable("hugo not installed (apt-get install -y hugo)")
    site = ctx.workdir / "hugo"
    if not (site / "hugo.toml").is_file():
        raise Unavailable("hugo site not prepared")
    version = subprocess.run([exe, "version"], capture_output=True, text=True).stdout.strip()
    refused: list[str] = []
    log = ctx.workdir / "logs" / "hugo.log"
    for _ in range(HUGO_RETRIES):
        for folder in ("public", "resources"):
            shutil.rmtree(site / folder, ignore_errors=True)
        ran = run_measured([exe, "--source", str(site), "--destination", str(site / "public"),
                            "--quiet"], timeout=PEER_TIMEOUT, log=log)  # fmt: skip
        if ran.ok:
            break
        bad = _refused_file(log, site / "content")
        if bad is None:
            raise Unavailable(f"hugo exited {ran.code}: {log_tail(log)}")
        refused.append(bad.relative_to(site / "content").as_posix())
        bad.unlink()
    else:
        raise Unavailable(f"hugo refused more than {HUGO_RETRIES} notes: {log_tail(log)}")
    pages = sum(1 for _ in (site / "public").rglob("*.html"))
    out = StageOutput(info={"version": version.split(" BuildDate")[0], "html_files": pages,
                            "refused_at_build": refused,
                            "peak_mib_hugo": round(ran.peak_mib),
                            "cpu_s": round(ran.cpu_seconds, 1)})  # fmt: skip
    out.add("cold build", ran.seconds, "s")
    out.add("cold build CPU", ran.cpu_seconds, "s")
    return out


def _refused_file(log: Path, content: Path) -> Path | None:
    """The note a failed Hugo build names in its error (it stops at the first bad file)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    for match in re.finditer(r'"?(/[^"\n]*?\.md)(?::\d+)*"?', text):
        path = Path(match.group(1))
        if path.is_file() and content in path.parents:
            return path
    return None


def mkdocs_prepare(ctx: StageContext) -> StageOutput:
    site = ctx.workdir / "mkdocs"
    shutil.rmtree(site, ignore_errors=True)
    docs = site / "docs"
    for note in _notes(ctx.vault):
        target = docs / note.relative_to(ctx.vault)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(note, target)
    if (ctx.vault / "assets").is_dir():
        shutil.copytree(ctx.vault / "assets", docs / "assets")
    (site / "mkdocs.yml").write_text(MKDOCS_CONFIG, encoding="utf-8")
    return StageOutput(info={"copied": len(_notes(ctx.vault))})


def mkdocs(ctx: StageContext) -> StageOutput:
    exe = venv_tool("mkdocs")
    if exe is None:
        raise Unavailable("mkdocs not installed (pip install mkdocs, or the bench extra)")
    site = ctx.workdir / "mkdocs"
    if not (site / "mkdocs.yml").is_file():
        raise Unavailable("mkdocs site not prepared")
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    shutil.rmtree(site / "site", ignore_errors=True)
    log = ctx.workdir / "logs" / "mkdocs.log"
    ran = run_measured([exe, "build", "-q", "-f", str(site / "mkdocs.yml")],
                       timeout=PEER_TIMEOUT, log=log, cwd=site)  # fmt: skip
    if not ran.ok:
        raise Unavailable(f"mkdocs exited {ran.code}: {log_tail(log)}")
    out = StageOutput(info={"version": version.split(" from ")[0],
                            "peak_mib_mkdocs": round(ran.peak_mib),
                            "cpu_s": round(ran.cpu_seconds, 1)})  # fmt: skip
    out.add("cold build", ran.seconds, "s")
    return out


STAGES: dict[str, Callable[[StageContext], StageOutput]] = {
    "hugo_prepare": hugo_prepare, "hugo": hugo,
    "mkdocs_prepare": mkdocs_prepare, "mkdocs": mkdocs,
}  # fmt: skip
