"""Joins updated by difference (:mod:`scholion.link.regroup`, used by every join of
:func:`scholion.link.indexes.index_corpus`) equal the same joins computed from nothing, key
order included, after any change to any records."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scholion.link.regroup import Grouping, changed_keys

IDS = ["a", "b", "c", "d", "e"]
KEYS = ["x", "y", "z", "w"]

Record = tuple[tuple[str, str, int], ...]
"""A record as the grouping sees it: the (key, owner, position) values it contributes."""


@st.composite
def versions(draw: st.DrawFn) -> dict[str, Record]:
    found = {}
    for record_id in draw(st.lists(st.sampled_from(IDS), unique=True)):
        keys = draw(st.lists(st.sampled_from(KEYS), max_size=4))
        found[record_id] = tuple((key, record_id, i) for i, key in enumerate(keys))
    return found


GROUPINGS = [
    Grouping(lambda r: [(key, v) for v in r for key in [v[0]]], lambda v: v[1], lambda v: v[1]),
    Grouping(
        lambda r: [(v[0], v) for v in r], lambda v: v[1], lambda v: (v[1], v[2]), descending=True
    ),
]


@settings(max_examples=200, deadline=None)
@given(
    before=versions(),
    after=versions(),
    keep=st.lists(st.sampled_from(IDS)),
    which=st.sampled_from(GROUPINGS),
)
def test_a_join_updated_by_difference_equals_one_computed_from_nothing(before, after, keep, which):
    for record_id in keep:  # some records unchanged, as the same objects
        if record_id in before:
            after[record_id] = before[record_id]
    updated = which.regroup(which.table(before), changed_keys(before, after), before, after)
    expected = which.table(after)
    assert list(updated.items()) == list(expected.items())


def test_changed_keys_are_told_by_identity():
    kept, edited = ("x", "a", 0), ("x", "a", 0)
    before = {"a": (kept,), "b": (edited,), "gone": ()}
    after = {"a": before["a"], "b": (edited,), "new": ()}
    assert changed_keys(before, after) == {"b", "gone", "new"}
