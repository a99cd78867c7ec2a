"""Active attachments (HTML, XML, scripted SVG) never run on the built site's origin."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import checked_page, chromium
from build_support import small_vault

from kgwiki.types import NotePath
from kgwiki.web.build import build
from kgwiki.web.build.assets import active_attachment, copy_attachments, safe_svg

PWN = "document.title = 'PWNED'; window.name = 'PWNED';"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">{}</svg>'
CLEAN = SVG.format('<rect width="40" height="40" fill="teal"/><title>ok</title>')
PROBES = {
    "evil.html": f"<!doctype html><title>evil</title><script>{PWN}</script>",
    "evil.htm": f"<script>{PWN}</script>",
    "evil.xhtml": ('<html xmlns="http://www.w3.org/1999/xhtml"><body><script>'
                   f"{PWN}</script></body></html>"),
    "evil.xml": ('<x:script xmlns:x="http://www.w3.org/1999/xhtml">'
                 f"{PWN}</x:script>"),
    "script.svg": SVG.format(f"<script>{PWN}</script>"),
    "onload.svg": SVG.replace("<svg ", f'<svg onload="{PWN}" ').format(""),
    "foreign.svg": SVG.format('<foreignObject width="40" height="40"><div '
                              'xmlns="http://www.w3.org/1999/xhtml">hi</div></foreignObject>'),
    "jslink.svg": SVG.format('<a href="javascript:alert(1)"><rect width="9" height="9"/></a>'),
    "animate.svg": SVG.format('<a><set attributeName="href" to="javascript:alert(1)"/>x</a>'),
    "broken.svg": "<svg><script>",
}
NOTE = """# Probes

{links}

![[clean.svg]]
"""


def _vault(root: Path) -> Path:
    links = "\n".join(f"- [[{name}]]" for name in [*PROBES, "clean.svg"])
    vault = small_vault(root, {"probes.md": NOTE.format(links=links)})
    (vault / "assets").mkdir()
    for name, text in {**PROBES, "clean.svg": CLEAN}.items():
        (vault / "assets" / name).write_text(text, encoding="utf-8")
    return vault


def test_active_attachments_are_recognised(tmp_path: Path) -> None:
    vault = _vault(tmp_path / "vault")
    for name in PROBES:
        assert active_attachment(vault / "assets" / name), name
    assert safe_svg(vault / "assets" / "clean.svg")
    assert not active_attachment(vault / "assets" / "clean.svg")
    for bundled in ("cells.svg", "layers.svg"):  # the bundled vault's diagrams stay
        assert safe_svg(Path(__file__).parents[3] / "vault" / "assets" / bundled)


def test_the_build_withholds_them_and_does_not_call_their_links_broken(tmp_path: Path) -> None:
    vault = _vault(tmp_path / "vault")
    site = tmp_path / "site"
    result = build(vault, site)
    copied = {p.name for p in (site / "f" / "assets").iterdir()}
    assert copied == {"clean.svg"}
    assert [line for line in result.broken if line.startswith("n/probes/")] == []
    page = (site / "n" / "probes" / "index.html").read_text(encoding="utf-8")
    assert "f/assets/clean.svg" in page
    assert result.withheld == sorted(f"assets/{name}" for name in PROBES)  # named, not silent


def test_the_build_command_names_what_it_withheld(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kgwiki.cli.main import main

    vault = _vault(tmp_path / "vault")
    (vault / "assets" / "empty.svg").write_bytes(b"")  # a 0-byte picture cannot be checked
    assert main(["build", str(vault), "-o", str(tmp_path / "site")]) == 0
    said = next(line for line in capsys.readouterr().out.splitlines()
                if line.startswith("Withheld"))  # fmt: skip
    assert "copy_active_attachments = true" in said
    for name in [*PROBES, "empty.svg"]:
        assert f"assets/{name}" in said
    assert "assets/clean.svg" not in said


def test_a_copy_an_earlier_build_made_is_removed(tmp_path: Path) -> None:
    vault = _vault(tmp_path / "vault")
    out = tmp_path / "site"
    names = {NotePath(f"assets/{name}") for name in ("evil.html", "clean.svg")}
    copy_attachments(vault, names, out, copy_active=True)
    assert (out / "f" / "assets" / "evil.html").is_file()
    listed = copy_attachments(vault, names, out)
    assert not (out / "f" / "assets" / "evil.html").exists()
    assert (out / "f" / "assets" / "clean.svg").is_file()
    assert sorted(listed.locations) == ["f/assets/clean.svg", "f/assets/evil.html"]
    assert listed.withheld == ["assets/evil.html"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as instance:
        yield instance


@pytest.mark.browser
def test_no_probe_runs_a_script_from_the_built_site(tmp_path: Path, browser: Any) -> None:
    vault = _vault(tmp_path / "vault")
    site = tmp_path / "site"
    build(vault, site)
    with checked_page(browser, width=1024) as page:
        page.goto((site / "n" / "probes" / "index.html").as_uri())
        page.wait_for_function("() => document.querySelector('img[src$=\"clean.svg\"]').complete")
        assert page.evaluate("document.querySelector('img[src$=\"clean.svg\"]').naturalWidth") > 0
        for name in PROBES:
            file = site / "f" / "assets" / name
            if file.exists():  # withheld: a copy would be opened here and seen to run
                page.goto(file.as_uri())
                page.wait_for_timeout(200)
            assert page.evaluate("document.title") != "PWNED", name
            assert page.evaluate("window.name") != "PWNED", name
            assert not file.exists(), name
        page.goto((site / "f" / "assets" / "clean.svg").as_uri())
        assert page.evaluate("document.title") != "PWNED"


EMBEDS = """# Pictures

![[script.svg]]

![a diagram](assets/onload.svg)

See [[evil.html|the report]] and [the same](assets/evil.html).

![[clean.svg]]
"""


def _page(site: Path, name: str) -> str:
    return (site / "n" / name / "index.html").read_text(encoding="utf-8")


def test_a_page_says_where_a_withheld_file_would_be(tmp_path: Path) -> None:
    """No broken picture or dead link: the page names the file and why it is not there."""
    vault = _vault(tmp_path / "vault")
    (vault / "pictures.md").write_text(EMBEDS, encoding="utf-8")
    site = tmp_path / "site"
    build(vault, site)
    page = _page(site, "pictures")
    for name in ("script.svg", "onload.svg", "evil.html"):
        assert f"f/assets/{name}" not in page  # nothing points at a file that is not there
    assert '<span class="embed-withheld"' in page and "<strong>script.svg</strong>" in page
    assert "<strong>onload.svg</strong> is withheld" in page  # a Markdown picture the same
    assert '<span class="wikilink withheld" title="withheld from the site' in page
    assert "the report</span>" in page
    assert 'class="withheld" title="withheld from the site' in page.split("the report")[1]
    assert 'src="../../f/assets/clean.svg"' in page  # a safe picture is drawn as ever


def test_a_picture_that_gains_a_script_is_withheld_on_the_next_build(tmp_path: Path) -> None:
    """Same file names, other bytes: the pages that embed the picture are drawn again."""
    vault = _vault(tmp_path / "vault")
    (vault / "pictures.md").write_text(EMBEDS, encoding="utf-8")
    (vault / "assets" / "script.svg").write_text(CLEAN, encoding="utf-8")
    site = tmp_path / "site"
    build(vault, site)
    assert 'src="../../f/assets/script.svg"' in _page(site, "pictures")
    (vault / "assets" / "script.svg").write_text(PROBES["script.svg"], encoding="utf-8")
    result = build(vault, site)
    assert "assets/script.svg" in result.withheld
    assert "<strong>script.svg</strong> is withheld" in _page(site, "pictures")
    clean = tmp_path / "clean"
    build(vault, clean)
    assert _page(site, "pictures") == _page(clean, "pictures")  # as a clean build draws it
