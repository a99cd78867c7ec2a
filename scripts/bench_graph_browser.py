"""Measure the graph page in headless Chromium: the first frame, and frames while dragging.

Usage::

    .venv/bin/python scripts/gen_vault.py 10000 -o /tmp/graph-10k --quiet
    .venv/bin/kgwiki build /tmp/graph-10k -o /tmp/graph-10k-site --quiet
    .venv/bin/python scripts/bench_graph_browser.py /tmp/graph-10k-site [--runs 3] [--json]

For each way of opening the site (``http`` through ``python -m http.server``, and
``file://``) and each run it loads ``graph/index.html`` in a fresh tab and reads
``window.kgwikiGraph.firstFrame``: the ``performance.now()`` (milliseconds from the start of
the navigation) at which the first frame of the graph was drawn. Then it drags two notes —
the best linked note (the costliest drag: its neighbourhood is the biggest) and a note of
median degree — with the real mouse for ``--seconds`` each, while a ``requestAnimationFrame``
loop in the page records every frame's timestamp: frames per second over the drag, and the
slowest intervals between frames. Debian's Chromium (``/usr/bin/chromium``, or
``KGWIKI_CHROMIUM``) runs with ``--disable-gpu``: the canvas is drawn in software.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("KGWIKI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

RECORD = """() => {
  window.__frames = [];
  window.__recording = true;
  const loop = (t) => {
    window.__frames.push(t);
    if (window.__recording) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}"""

PICK = """() => {
  const v = window.kgwikiGraph.global, g = v.g, rect = v.canvas.getBoundingClientRect();
  const onScreen = [];
  for (let i = 0; i < g.n; i++) {
    const x = v.screenX(i), y = v.screenY(i);
    if (!g.wanted[i] && x > 60 && y > 60 && x < v.width - 60 && y < v.height - 60) onScreen.push(i);
  }
  onScreen.sort((a, b) => g.links[a] - g.links[b]);
  const hub = v.order.find((i) => onScreen.includes(i));
  const median = onScreen[onScreen.length >> 1];
  return [hub, median].map((i) => ({ id: g.ids[i], links: g.links[i] }));
}"""


@contextlib.contextmanager
def http_server(folder: Path) -> Iterator[str]:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(150):
            try:
                with urllib.request.urlopen(base, timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=5)


def drag(page: Any, node_id: str, seconds: float) -> dict[str, Any]:
    """Drag a node in circles for ``seconds``; frame statistics from the page's rAF loop."""
    point = page.evaluate("(id) => window.kgwikiGraph.screenPosition(id)", node_id)
    x, y = point["x"], point["y"]
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 10, steps=2)
    page.wait_for_timeout(100)  # the drag starts: its neighbourhood is chosen
    page.evaluate(RECORD)
    drawn = page.evaluate("window.kgwikiGraph.global.frames")
    start = time.monotonic()
    step = 0
    while time.monotonic() - start < seconds:
        step += 1
        page.mouse.move(x + 80 * _wave(step / 40), y + 60 * _wave(step / 40 + 0.25))
    frames = page.evaluate("() => { window.__recording = false; return window.__frames; }")
    drawn = page.evaluate("window.kgwikiGraph.global.frames") - drawn
    page.mouse.up()
    gaps = sorted(b - a for a, b in itertools.pairwise(frames))
    span = (frames[-1] - frames[0]) / 1000 if len(frames) > 1 else 0.0
    return {"node": node_id, "fps": round((len(frames) - 1) / span, 1) if span else 0.0,
            "frames": len(frames), "drawn": drawn, "moves": step,
            "median_ms": round(statistics.median(gaps), 1) if gaps else None,
            "p95_ms": round(gaps[int(len(gaps) * 0.95)], 1) if gaps else None,
            "worst_ms": round(gaps[-1], 1) if gaps else None}  # fmt: skip


def _wave(turns: float) -> float:
    import math

    return math.sin(2 * math.pi * turns)


def measure(browser: Any, url: str, seconds: float, width: int) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    try:
        page.goto(url)
        page.wait_for_function("window.kgwikiGraph && window.kgwikiGraph.firstFrame !== null",
                               timeout=60000)  # fmt: skip
        first = page.evaluate("window.kgwikiGraph.firstFrame")
        size = page.evaluate("(g => [g.n, g.pairA.length])(window.kgwikiGraph.global.g)")
        page.wait_for_timeout(500)
        hub, median = page.evaluate(PICK)
        result = {"first_frame_ms": round(first, 1), "nodes": size[0], "pairs": size[1]}
        result["drag_hub"] = {**drag(page, hub["id"], seconds), "links": hub["links"]}
        result["drag_median"] = {**drag(page, median["id"], seconds), "links": median["links"]}
    finally:
        context.close()
    if errors:
        raise SystemExit(f"JavaScript errors: {errors}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a built site (kgwiki build … -o SITE)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=3.0, help="length of each drag")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--mode", choices=["http", "file", "both"], default="both")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    site = args.site.resolve()
    modes = ["http", "file"] if args.mode == "both" else [args.mode]
    results: dict[str, list[dict[str, Any]]] = {}
    with sync_playwright() as pw, contextlib.ExitStack() as stack:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        stack.callback(browser.close)
        for mode in modes:
            base = stack.enter_context(http_server(site)) if mode == "http" else site.as_uri() + "/"
            results[mode] = [measure(browser, base + "graph/index.html", args.seconds, args.width)
                             for _ in range(args.runs)]  # fmt: skip
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for mode, runs in results.items():
        print(f"{mode}: {runs[0]['nodes']} nodes, {runs[0]['pairs']} linked pairs")
        for run in runs:
            hub, med = run["drag_hub"], run["drag_median"]
            print(f"  first frame {run['first_frame_ms']:7.1f} ms | "
                  f"drag hub ({hub['links']} links) "
                  f"{hub['fps']:5.1f} fps p95 {hub['p95_ms']} ms worst {hub['worst_ms']} ms | "
                  f"drag median note ({med['links']} links) {med['fps']:5.1f} fps p95 "
                  f"{med['p95_ms']} ms worst {med['worst_ms']} ms")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
