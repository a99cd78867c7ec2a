"""The cycle collector during bulk loads: paused while a vault, a graph or an index is built.

A vault's notes, a graph's edges and their records are acyclic and live as long as the
process: the cycle collector can free none of them, yet with it on, every few thousand
allocations it walks all of them again (a million objects and more at 10,000 notes).
Reference counting still frees whatever is dropped while the collector is paused.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector while loading: notes are acyclic, so it would find nothing.

    Loading 10,000 notes creates about 1.5 million long-lived objects; with the collector on,
    its repeated passes over them cost about a second. Objects still die by reference count.
    On leaving, what the load made is moved to the collector's oldest generation at once
    (``gc.freeze`` then ``gc.unfreeze``, two list splices) — where the collector would have
    put it after it survived two passes — instead of being walked by a full pass at the next
    allocation (0.2 s at 10k notes). Not when something is frozen already (a server freezes
    its loaded site): unfreezing would thaw that too.
    """
    was_enabled = gc.isenabled()
    with collector_off():
        try:
            yield
        finally:
            if was_enabled and gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()


@contextlib.contextmanager
def collector_off() -> Iterator[None]:
    """Pause the cycle collector around short-lived acyclic work, and only restart it.

    For a burst of temporary lists, dicts and sets freed by reference count when it ends (a
    search building its match sets): a collection in the middle would find nothing but promote
    them towards the oldest generation, and every so often that sets off a full pass over
    everything the process holds (0.6 s with a 10k vault loaded and not frozen). Unlike
    ``collector_paused`` nothing is aged on leaving: nothing made here outlives it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
