"""The sanitiser's prepared cleaners clean exactly as one ``nh3.clean`` call with the whole
configuration would, frames or not; and list markup drawn in Python is escaped."""

from __future__ import annotations

import nh3
import pytest
from paths import ROOTS

from kgwiki.web.render import sanitise
from kgwiki.web.render.sanitiser import _ATTRIBUTES, _EMPTY_FRAME, _TAGS, _media_source
from kgwiki.web.render.snippets import level, note_link

SAMPLES = [
    "<p>plain <em>text</em> &amp; <code>a &lt; b</code></p>",
    '<a href="javascript:alert(1)" onclick="x()">x</a><script>alert(2)</script>',
    '<img src="x.png" onerror="alert(3)"><style>p{}</style><a href="../n/a/index.html">a</a>',
    '<IFRAME SRC="https://evil.example/"></IFRAME><p>after</p>',
    '<iFrame src="//evil.example/x"></iFrame><ViDeO src="https://evil.example/v.mp4"></ViDeO>',
    '<iframe src="../f/doc.pdf" title="doc" loading="lazy"></iframe>',
    '<audio src="../f/a.mp3" controls></audio><video src="javascript:x" controls></video>',
    '<p>an audio note about video, no player</p><img src="https://example.org/i.png">',
    '<td style="text-align:right;color:red">n</td><details class="callout"><summary>s</summary>',
]


def reference(html: str) -> str:
    """What the sanitiser did before its cleaners were prepared once: one full nh3 call."""
    cleaned = nh3.clean(html, tags=_TAGS, attributes=_ATTRIBUTES, attribute_filter=_media_source,
                        url_schemes={"http", "https", "mailto"},
                        filter_style_properties={"text-align"}, link_rel=None)  # fmt: skip
    return _EMPTY_FRAME.sub("", cleaned) if "</" in cleaned else cleaned


@pytest.mark.parametrize("html", SAMPLES)
def test_sanitise_cleans_as_one_full_nh3_call(html: str) -> None:
    assert sanitise(html) == reference(html)


def test_sanitise_matches_on_every_test_note() -> None:
    notes = sorted(ROOTS.rglob("*.md"))
    assert notes
    for note in notes:
        text = note.read_text(encoding="utf-8", errors="replace")
        assert sanitise(text) == reference(text), note


def test_foreign_frames_in_any_case_are_removed() -> None:
    html = sanitise('<IFRAME SRC="https://evil.example/"></IFRAME>'
                    '<Video Src="//evil.example/v.mp4" controls></Video>'
                    '<iframe src="../f/doc.pdf"></iframe>')  # fmt: skip
    assert "evil" not in html
    assert html.lower().count("<iframe") == 1 and "<video" not in html.lower()


def test_note_link_and_level_are_escaped() -> None:
    link = note_link({"url": 'a"b.html', "path": "x<y>.md", "title": "<script>alert(1)</script>"})
    assert link == ('<a class="note-link" href="a&#34;b.html" data-path="x&lt;y&gt;.md">'
                    "&lt;script&gt;alert(1)&lt;/script&gt;</a>")  # fmt: skip
    assert level("") == "" and level(None) == ""
    assert level('A"') == '<span class="level" data-level="A&#34;">A&#34;</span>\u00a0'
