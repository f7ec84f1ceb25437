"""The whole-corpus files (JSON, CSV) are encoded one record at a time, to the same bytes."""

from __future__ import annotations

import json
import tracemalloc
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholion.exports.encoding import BATCH, Items, Keyed, to_json
from scholion.exports.graphs import GRAPHML_NS, Graph
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


@pytest.mark.parametrize("count", [0, 1, BATCH - 1, BATCH, BATCH + 1, 3 * BATCH + 7])
def test_items_encoded_in_batches_give_the_bytes_of_the_list(count):
    items = [{"n": n, "text": f"é{n}\u2028", "none": None} for n in range(count)]
    assert to_json({"x": Items(iter(items))}) == to_json({"x": items})


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
    keys = [f"{number:05}" for number in range(20_000)]

    def row(_: object, key: str) -> tuple[dict[str, str]]:
        return ({"id": f"claim-{key}", "statement": "A statement of some length. " * 4},)

    def listed() -> Keyed:  # every row made as a dictionary first
        made = [row(None, key)[0] for key in keys]
        return Keyed("claims", keys, None, lambda _, key: (made[int(key)],))

    def streamed() -> Keyed:
        return Keyed("claims", keys, None, row)

    columns = (("id", "string", ""), ("statement", "string", ""))

    def peak(rows) -> int:
        tracemalloc.start()
        try:
            Table("claims", "Claims", columns, rows).to_csv()
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    table = Table("claims", "Claims", columns, streamed).to_csv()
    assert table.startswith(b"id,statement\nclaim-00000,A statement")
    assert table.count(b"\n") == 20_001 == len(table.splitlines())
    assert table == Table("claims", "Claims", columns, listed).to_csv()
    assert peak(streamed) < 1.5 * len(table) < peak(listed)


_labels = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("<>&\"\n\t'")
)


@given(
    st.lists(st.tuples(st.text(min_size=1), _labels, _labels), max_size=5),
    st.lists(st.tuples(st.text(min_size=1), st.text(min_size=1), st.integers(0, 9)), max_size=5),
    st.booleans(),
    st.booleans(),
    st.lists(_labels, min_size=5, max_size=5),
)
def test_a_graph_written_element_by_element_is_what_elementtree_writes_of_it_whole(
    nodes, edges, directed, typed, type_names
):
    """The GraphML streamed is byte for byte ElementTree's serialisation of the whole tree (as
    it was written before it was streamed, element by element through ElementTree, and
    before its nodes and edges were written as text), escaping and empty elements included."""
    types = type_names[: len(edges)] if typed else None
    graph = Graph("g", directed, nodes, edges, types)
    ns = "{" + GRAPHML_NS + "}"
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{ns}graphml")
    keys = [("label", "node", "string"), ("kind", "node", "string"), ("weight", "edge", "int")]
    for key, target, kind in keys + ([("type", "edge", "string")] if typed else []):
        attributes = {"for": target, "attr.name": key, "attr.type": kind}
        ET.SubElement(root, f"{ns}key", id=key, attrib=attributes)
    whole = ET.SubElement(
        root, f"{ns}graph", id="g", edgedefault="directed" if directed else "undirected"
    )
    for node_id, label, kind in nodes:
        node = ET.SubElement(whole, f"{ns}node", id=node_id)
        ET.SubElement(node, f"{ns}data", key="label").text = label
        ET.SubElement(node, f"{ns}data", key="kind").text = kind
    for number, (source, target, weight) in enumerate(edges):
        edge = ET.SubElement(whole, f"{ns}edge", source=source, target=target)
        ET.SubElement(edge, f"{ns}data", key="weight").text = str(weight)
        if types:
            ET.SubElement(edge, f"{ns}data", key="type").text = types[number]
    ET.indent(root)
    assert graph.to_graphml() == ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
    assert json.loads(graph.to_json())["edges"] == [
        {"source": s, "target": t, "weight": w, **({"type": types[n]} if types else {})}
        for n, (s, t, w) in enumerate(edges)
    ]


def test_a_graph_is_written_holding_about_its_bytes():
    nodes = [(f"entity-{n}", f"Entity number {n}", "person") for n in range(3_000)]
    edges = [(f"entity-{n}", f"entity-{n + 1}", n) for n in range(3_000)]
    graph = Graph("co-mentions", False, nodes, edges)
    for write in (graph.to_graphml, graph.to_json):
        tracemalloc.start()
        try:
            size = len(write())
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert peak < 2 * size  # built whole first (a tree, a list of dicts): 11 times the bytes
