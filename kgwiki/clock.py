"""The one clock: every "what day is it" in kgwiki is answered here.

Trust staleness, "N days ago", feed dates, changelog rows and the build fingerprint's day
all come from :func:`today` / :func:`now`. ``KGWIKI_TODAY=YYYY-MM-DD`` (or a full ISO
date-time) fixes the clock for a whole process, and :func:`fixed` for a block of code, so
a test that passes today passes next year. Nothing else in kgwiki reads the system date
(``tests/test_clock.py`` fails when something does).

Durations (``time.perf_counter``) and file-modification comparisons (``time.time``) are
not calendar questions and do not come here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["ENV", "ClockError", "fixed", "now", "today"]

ENV = "KGWIKI_TODAY"

_fixed: dt.datetime | None = None


class ClockError(ValueError):
    """``KGWIKI_TODAY`` holds something that is not an ISO date."""


def _parse(text: str) -> dt.datetime:
    try:
        if "T" in text or " " in text.strip():
            return dt.datetime.fromisoformat(text.strip())
        return dt.datetime.combine(dt.date.fromisoformat(text.strip()), dt.time(12, 0))
    except ValueError:
        raise ClockError(f"{ENV}={text!r} is not a date: write YYYY-MM-DD "
                         "(or YYYY-MM-DDTHH:MM)") from None  # fmt: skip


def now() -> dt.datetime:
    """The current local date and time, or the fixed one (a fixed bare date reads as noon)."""
    if _fixed is not None:
        return _fixed
    text = os.environ.get(ENV)
    if text:
        return _parse(text)
    return dt.datetime.now()  # the clock itself


def today() -> dt.date:
    """The current local date, or the fixed one."""
    return now().date()


@contextmanager
def fixed(when: dt.date | dt.datetime | str) -> Iterator[None]:
    """Within the block, the clock reads ``when`` (a date reads as noon of that day)."""
    global _fixed
    if isinstance(when, str):
        moment = _parse(when)
    elif isinstance(when, dt.datetime):
        moment = when
    else:
        moment = dt.datetime.combine(when, dt.time(12, 0))
    previous, _fixed = _fixed, moment
    try:
        yield
    finally:
        _fixed = previous
