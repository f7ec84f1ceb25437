"""Maps on every core: results in order, and the garbage collector's state left as it was."""

from __future__ import annotations

import gc

from scholion import parallel


def _square(number: int) -> int:
    return number * number


def test_results_come_back_in_order_from_the_workers(monkeypatch):
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    assert list(parallel.ordered_map(_square, range(50), chunk=3, threshold=0)) == [
        n * n for n in range(50)
    ]


def test_objects_frozen_before_a_map_stay_frozen(monkeypatch):
    """The live site freezes its corpus between edits; a map that unfroze it made the next full
    collection walk every object of the corpus (seconds at 10,000 articles)."""
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    kept = [[n] for n in range(1000)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        list(parallel.ordered_map(_square, range(10), threshold=0))
        assert gc.get_freeze_count() >= frozen
    finally:
        gc.unfreeze()
    list(parallel.ordered_map(_square, range(10), threshold=0))
    assert gc.get_freeze_count() == 0  # nothing frozen before: nothing left frozen
    assert kept
