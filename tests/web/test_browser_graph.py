"""The graph view in a real browser: dragging, the colour switch, opening notes, local depth.

Each scenario runs on the built bundled vault through ``python -m http.server`` and straight
from ``file://``; screenshots at desktop and phone widths go to tests/artifacts/.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import checked_page, chromium, http_server, screenshot

from kgwiki.web.build import build

pytestmark = pytest.mark.browser

HELM = "10_Wiki/Topics/helm.md"
KUBERNETES_PAGE = "n/10_Wiki/Topics/kubernetes/index.html"

PIXEL = """([id, which]) => {
  const view = which === "local" ? window.kgwikiGraph.local : window.kgwikiGraph.global;
  const i = view.g.index.get(id), dpr = window.devicePixelRatio || 1;
  const x = Math.round(view.screenX(i) * dpr), y = Math.round(view.screenY(i) * dpr);
  return Array.from(view.ctx.getImageData(x, y, 1, 1).data.slice(0, 3));
}"""


@pytest.fixture(scope="module")
def site(bundled_vault_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("graph")
    vault = Path(shutil.copytree(bundled_vault_dir, work / "vault",
                                 ignore=shutil.ignore_patterns(".kgwiki")))  # fmt: skip
    build(vault, work / "site")
    return work / "site"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module", params=["http", "file"])
def base(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    if request.param == "file":
        yield site.as_uri() + "/"
        return
    with http_server(site) as url:
        yield url


def mode(base: str) -> str:
    return "file" if base.startswith("file:") else "http"


@pytest.fixture()
def graph_page(browser: Any, base: str) -> Iterator[Any]:
    with checked_page(browser, 1280) as page:
        page.goto(base + "graph/index.html")
        page.wait_for_function("() => window.kgwikiGraph && window.kgwikiGraph.ready")
        page.wait_for_function("() => !window.kgwikiGraph.global.running")  # settled
        yield page


def position(page: Any, node: str) -> tuple[float, float]:
    point = page.evaluate("(id) => window.kgwikiGraph.screenPosition(id)", node)
    return point["x"], point["y"]


def test_dragging_a_node_pulls_its_neighbours(graph_page: Any, base: str) -> None:
    page = graph_page
    # Helm's neighbour with the fewest links of its own follows Helm most closely.
    follower = page.evaluate("""(id) => {
      const g = window.kgwikiGraph.global.g, i = g.index.get(id);
      let best = -1;
      for (let k = g.nbrStart[i]; k < g.nbrStart[i + 1]; k++) {
        const j = g.nbr[k];
        if (best < 0 || g.links[j] < g.links[best]) best = j;
      }
      return g.ids[best];
    }""", HELM)  # fmt: skip
    hx, hy = position(page, HELM)
    fx, fy = position(page, follower)
    far = page.evaluate("""(id) => {
      const v = window.kgwikiGraph.global, g = v.g, i = g.index.get(id);
      const near = new Set([i]);
      for (let k = g.nbrStart[i]; k < g.nbrStart[i + 1]; k++) near.add(g.nbr[k]);
      return g.ids.find((_, j) => !near.has(j));
    }""", HELM)  # fmt: skip
    dx, dy = (150.0 if hx < 640 else -150.0), 80.0
    page.mouse.move(hx, hy)
    page.mouse.down()
    for step in range(1, 21):
        page.mouse.move(hx + dx * step / 20, hy + dy * step / 20)
        page.wait_for_timeout(30)
    page.wait_for_timeout(300)
    nx, ny = position(page, HELM)
    assert abs(nx - (hx + dx)) < 3 and abs(ny - (hy + dy)) < 3  # under the pointer
    gx, gy = position(page, follower)
    along = ((gx - fx) * dx + (gy - fy) * dy) / (dx * dx + dy * dy) ** 0.5
    assert along > 15, f"{follower} moved {along:.1f} px along the drag"
    screenshot(page, f"graph-drag-{mode(base)}", full_page=False)
    page.mouse.up()
    page.wait_for_function("() => !window.kgwikiGraph.global.running", timeout=20000)
    assert far is not None


def test_the_colour_switch_recolours_the_nodes(graph_page: Any, base: str) -> None:
    page = graph_page
    # The bundled vault has trust data, so nodes start coloured by trust level.
    assert page.locator("input[name=colour][value=trust]").is_checked()
    nodes = page.evaluate("window.kgwikiGraph.global.g.ids.slice()")
    before = {n: page.evaluate(PIXEL, [n, "global"]) for n in nodes}
    legend_before = page.locator("#graph-legend").inner_text()
    page.check("input[name=colour][value=folder]")
    page.wait_for_timeout(200)
    after = {n: page.evaluate(PIXEL, [n, "global"]) for n in nodes}
    changed = [n for n in nodes if before[n] != after[n]]
    assert len(changed) >= len(nodes) // 3, changed
    legend = page.locator("#graph-legend").inner_text()
    assert legend != legend_before and "10_Wiki" in legend
    keys = legend.split("\n")  # index.md sits at the top of the vault: named in words
    assert any(k.startswith("top level") for k in keys) and not any(k.startswith("/") for k in keys)
    screenshot(page, f"graph-folder-colours-{mode(base)}", full_page=False)
    page.check("input[name=colour][value=tag]")
    page.wait_for_timeout(200)
    assert page.evaluate(PIXEL, [HELM, "global"]) != after[HELM] or "kubernetes" in (
        page.locator("#graph-legend").inner_text()
    )


def test_wanted_notes_have_their_own_colour_and_legend_entry(graph_page: Any) -> None:
    page = graph_page
    for colour in ("trust", "folder"):
        page.check(f"input[name=colour][value={colour}]")
        page.wait_for_timeout(100)
        found = page.evaluate("""() => { const v = window.kgwikiGraph.global;
          const wanted = [...v.g.wanted.keys()].filter((i) => v.g.wanted[i]);
          const colours = [...new Set(wanted.map((i) => v.nodeColours[i]))];
          return [wanted.length, colours, v.colours.E]; }""")
        count, colours, level_e = found
        assert count > 0  # the bundled vault links to notes it does not have
        legend = " ".join(page.locator("#graph-legend").inner_text().split())
        assert legend.endswith(f"wanted {count}")
        assert len(colours) == 1
        if colour == "trust":
            assert colours[0] != level_e  # not mistaken for level E's red


def test_a_click_opens_the_note_and_search_focuses(graph_page: Any, base: str) -> None:
    page = graph_page
    page.fill("#graph-find", "hel")
    option = page.locator("#graph-find-list [role=option]", has_text="Helm")
    option.wait_for()
    page.press("#graph-find", "Enter")
    page.wait_for_function(f"() => window.kgwikiGraph.global.selected === "
                           f"window.kgwikiGraph.global.g.index.get('{HELM}')")  # fmt: skip
    # the text alternative lists Helm's neighbours, as links
    page.locator("#graph-text summary").click()
    body = page.locator("#graph-text-body")
    assert body.locator("a", has_text="Kubernetes").count() >= 1
    screenshot(page, f"graph-found-{mode(base)}", full_page=False)
    x, y = position(page, HELM)
    assert 0 < x < 1280 and 0 < y < 900
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_url("**/n/10_Wiki/Topics/helm/index.html")


def test_the_keyboard_zooms_and_pans(graph_page: Any) -> None:
    page = graph_page
    scale = page.evaluate("window.kgwikiGraph.global.scale")
    page.focus("#global-graph")
    page.keyboard.press("+")
    zoomed = page.evaluate("window.kgwikiGraph.global.scale")
    assert zoomed > scale
    tx = page.evaluate("window.kgwikiGraph.global.tx")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("window.kgwikiGraph.global.tx") > tx
    page.keyboard.press("0")
    # fitted again: the zoom is undone (the layout may still be settling, so the fit can differ
    # a little from the first one)
    fitted = page.evaluate("window.kgwikiGraph.global.scale")
    assert fitted < zoomed and abs(fitted / scale - 1) < 0.25


def test_the_local_graph_has_a_depth_control(browser: Any, base: str) -> None:
    with checked_page(browser, 1280) as page:
        page.goto(base + KUBERNETES_PAGE)
        page.wait_for_function("() => window.kgwikiGraph && window.kgwikiGraph.local")
        depth = page.locator(".local-graph-controls button")
        assert depth.count() == 3
        assert depth.nth(0).get_attribute("aria-pressed") == "true"
        one = page.evaluate("window.kgwikiGraph.local.g.n")
        # every neighbour is named, in full
        box = page.locator(".local-graph-box")
        box.scroll_into_view_if_needed()
        screenshot(page, f"local-graph-1-{mode(base)}", full_page=False)
        page.locator(".local-graph-controls button[data-depth='2']").click()
        page.wait_for_function(f"() => window.kgwikiGraph.local.g.n > {one}")
        assert depth.nth(1).get_attribute("aria-pressed") == "true"
        page.locator(".local-graph-text summary").click()
        assert page.locator(".local-graph-text a").count() == page.evaluate(
            "window.kgwikiGraph.local.g.n - 1"
        )
        box.scroll_into_view_if_needed()
        screenshot(page, f"local-graph-2-{mode(base)}", full_page=False)
        x, y = position_local(page, "10_Wiki/Topics/helm.md")
        page.mouse.click(x, y)
        page.wait_for_url("**/n/10_Wiki/Topics/helm/index.html")


def test_a_crowded_local_graph_names_its_best_linked_notes(browser: Any, base: str) -> None:
    with checked_page(browser, 1280) as page:
        page.goto(base + "index.html")  # the index note: some forty neighbours
        page.wait_for_function("() => window.kgwikiGraph && window.kgwikiGraph.local"
                               " && window.kgwikiGraph.local.labelled > 0")  # fmt: skip
        assert page.evaluate("window.kgwikiGraph.local.g.n") > 24
        assert 8 <= page.evaluate("window.kgwikiGraph.local.labelled") <= 16
        page.locator(".local-graph-box").scroll_into_view_if_needed()
        screenshot(page, f"local-graph-crowded-{mode(base)}", full_page=False)


def position_local(page: Any, node: str) -> tuple[float, float]:
    point = page.evaluate("(id) => window.kgwikiGraph.screenPosition(id, 'local')", node)
    return point["x"], point["y"]


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots(browser: Any, base: str, width: int) -> None:
    with checked_page(browser, width) as page:
        page.goto(base + "graph/index.html")
        page.wait_for_function("() => window.kgwikiGraph && window.kgwikiGraph.ready")
        page.wait_for_function("() => !window.kgwikiGraph.global.running")
        screenshot(page, f"graph-{width}-{mode(base)}", full_page=False)
        page.goto(base + KUBERNETES_PAGE)
        page.wait_for_function("() => window.kgwikiGraph && window.kgwikiGraph.local")
        page.locator(".local-graph-box").scroll_into_view_if_needed()
        screenshot(page, f"local-graph-{width}-{mode(base)}", full_page=False)
