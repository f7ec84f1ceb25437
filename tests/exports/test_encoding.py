"""The whole-corpus files (JSON, CSV) are encoded one record at a time, to the same bytes."""

from __future__ import annotations

import json
import tracemalloc

from hypothesis import given
from hypothesis import strategies as st

from scholion.exports.encoding import Items, to_json
from scholion.exports.tables import Table

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.lists(json_values, max_size=6), st.dictionaries(st.text(), json_values, max_size=3))
def test_items_encode_to_the_bytes_of_the_same_list(items, head):
    listed = {**head, "first": {"items": items, "total": len(items)}, "records": items}
    streamed = {
        **head,
        "first": {"items": Items(iter(items)), "total": len(items)},
        "records": Items(iter(items)),
    }
    encoded = to_json(streamed)  # an Items is read once, as its records are produced
    assert encoded == to_json(listed)
    assert json.loads(encoded) == listed


def test_a_streamed_array_never_holds_its_records_as_values():
    def records():
        for number in range(20_000):
            yield {"id": f"claim-{number}", "statement": "A statement of some length. " * 4}

    def peak(data) -> int:
        tracemalloc.start()
        try:
            to_json(data())
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    listed = peak(lambda: {"claims": list(records())})
    streamed = peak(lambda: {"claims": Items(records())})
    size = len(to_json({"claims": Items(records())}))
    assert streamed < 1.5 * size < listed  # about the encoded bytes alone (listed: 4 times them)


def test_a_csv_table_is_written_row_by_row_holding_about_its_bytes():
    def rows():
        for number in range(20_000):
            yield {"id": f"claim-{number}", "statement": "A statement of some length. " * 4}

    columns = (("id", "string", ""), ("statement", "string", ""))

    def peak(made) -> int:
        tracemalloc.start()
        try:
            Table("claims", "Claims", columns, made).to_csv()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    listed = peak(lambda: list(rows()))  # what the rows took as a list of dictionaries
    streamed = peak(rows)
    table = Table("claims", "Claims", columns, rows).to_csv()
    assert table.startswith(b"id,statement\nclaim-0,A statement") and table.count(b"\n") == 20_001
    assert streamed < 1.5 * len(table) < listed
