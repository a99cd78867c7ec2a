"""The cycle collector around bulk loads: paused, then the load aged at once, freezes kept."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from kgwiki.util import collector_paused


@pytest.fixture
def clean_collector() -> Iterator[None]:
    gc.collect()
    gc.unfreeze()
    gc.enable()
    yield
    gc.unfreeze()
    gc.enable()


def _made(count: int) -> list[list[int]]:
    return [[i] for i in range(count)]


def test_paused_inside_and_nested(clean_collector: None) -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the inner pause must not switch it back on"
    assert gc.isenabled()
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled(), "a collector that was off stays off"


def test_what_the_load_made_goes_to_the_oldest_generation(clean_collector: None) -> None:
    with collector_paused():
        kept = _made(50_000)
        assert gc.get_count()[0] > 40_000, "allocations are counted while paused"
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation=generation)}
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(kept[0]) in oldest and id(kept[-1]) in oldest
    assert id(kept[0]) not in young, "the load is not walked again by young collections"
    assert gc.get_freeze_count() == 0
    del kept


def test_a_frozen_site_stays_frozen(clean_collector: None) -> None:
    site = _made(1_000)
    gc.freeze()
    frozen = gc.get_freeze_count()
    assert frozen >= 1_000
    with collector_paused():
        later = _made(10_000)
    assert gc.get_freeze_count() == frozen, "loading later must not thaw the frozen site"
    assert gc.isenabled()
    del site, later
