"""The two regions of a written note page a build may take out or put back: its heading and
its body, between the markers ``note.html`` writes (``<!--kg:h-->``, ``<!--kg:body-->``).

The heading region holds the body's own opening ``<h1>`` when it has one, else the title
heading the template draws, ``<h1 class="note-title">`` and the escaped title.
"""

from __future__ import annotations

from markupsafe import escape

_HEAD = ("<!--kg:h-->", "<!--/kg:h-->")
_BODY = ("<!--kg:body-->", "<!--/kg:body-->")
_DESCRIPTION = ("<!--kg:desc-->", "<!--/kg:desc-->")


def title_heading(title: str) -> str:
    """The heading ``note.html`` draws for a body without one (escaped as Jinja escapes)."""
    return f'<h1 class="note-title">{escape(title)}</h1>'


def _span(html: str, start: str, end: str) -> tuple[int, int] | None:
    i = html.find(start)
    j = html.find(end, i + len(start)) if i >= 0 else -1
    return (i + len(start), j) if j >= 0 else None


def page_body(html: str, title: str) -> str | None:
    """The body HTML a page was drawn with (its own heading first, when it had one);
    None when the page has no markers."""
    head, body = _span(html, *_HEAD), _span(html, *_BODY)
    if head is None or body is None:
        return None
    heading = html[head[0] : head[1]]
    rest = html[body[0] : body[1]]
    return rest if heading == title_heading(title) else heading + rest


def splice_description(page: str, tags: str) -> str | None:
    """``page`` with its description tags replaced by ``tags``; None without the markers."""
    span = _span(page, *_DESCRIPTION)
    if span is None:
        return None
    return page[: span[0]] + tags + page[span[1] :]


def splice(page: str, title: str, heading: str, body: str) -> str | None:
    """``page`` with the body ``heading`` + ``body`` put in (``heading`` "" for a body that
    opens without one); None when the page has no markers, or when its heading came from
    its body and the new body has none (the template would draw the title: redraw it)."""
    head = _span(page, *_HEAD)
    if head is None:
        return None
    if not heading:
        heading = title_heading(title)
        if page[head[0] : head[1]] != heading:
            return None
    page = page[: head[0]] + heading + page[head[1] :]
    span = _span(page, *_BODY)
    if span is None:
        return None
    return page[: span[0]] + body + page[span[1] :]
