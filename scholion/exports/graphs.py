"""The entity co-mention graph, the relation graph, the source provenance graph and the claim
link graph, as JSON and as GraphML. An edge of the relation and claim link graphs has a type
(its relation type or link type); the others' edges have none, and their files no type key."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from typing import Any

from scholion.exports.encoding import Items, escape_attribute, escape_text, to_json, xml_element
from scholion.model import Corpus

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


@dataclass(frozen=True)
class Graph:
    """Nodes (id, label, kind) and weighted directed or undirected edges; ``types``, if any,
    the type of each edge (in the order of ``edges``)."""

    name: str
    directed: bool
    nodes: list[tuple[str, str, str]]
    edges: list[tuple[str, str, int]]
    types: list[str] | None = None

    def to_json(self) -> bytes:
        """The graph as JSON, its nodes and edges encoded one at a time (:class:`Items`): at
        100,000 articles the co-mention graph alone has millions of edges."""
        nodes = ({"id": i, "label": label, "kind": kind} for i, label, kind in self.nodes)
        data = {
            "directed": self.directed,
            "nodes": Items(nodes),
            "edges": Items(_edge(edge, kind) for edge, kind in self._typed_edges()),
        }
        return to_json(data)

    def to_graphml(self) -> bytes:
        """The graph as GraphML, written element by element: ElementTree would hold the whole
        graph as elements first (several hundred bytes each), then its text. The few elements
        of the head are made and serialised by ElementTree; the nodes and edges, hundreds of
        thousands at 10,000 articles, are written as text in the same layout and escaping
        (:func:`_node`, :func:`_edge_element`): through ElementTree they took 25 of the 30 s
        the graphs took at 10,000 articles, on one core."""
        keys = [("label", "node", "string"), ("kind", "node", "string"), ("weight", "edge", "int")]
        if self.types is not None:
            keys.append(("type", "edge", "string"))
        out = io.BytesIO()
        out.write(b"<?xml version='1.0' encoding='utf-8'?>\n")
        out.write(f'<graphml xmlns="{GRAPHML_NS}">\n'.encode())
        for key, target, kind in keys:
            attributes = {"for": target, "attr.name": key, "attr.type": kind, "id": key}
            out.write(xml_element(ET.Element("key", attributes), 1))
        direction = "directed" if self.directed else "undirected"
        graph = ET.Element("graph", id=self.name, edgedefault=direction)
        if not self.nodes and not self.edges:
            out.write(xml_element(graph, 1) + b"</graphml>\n")  # <graph … /> as ElementTree has it
            return out.getvalue()
        out.write(xml_element(graph, 1).removesuffix(b" />\n") + b">\n")  # its elements follow
        for node in self.nodes:
            out.write(_node(*node))
        for edge, edge_type in self._typed_edges():
            out.write(_edge_element(*edge, edge_type))
        out.write(b"  </graph>\n</graphml>\n")
        return out.getvalue()

    def _typed_edges(self) -> Iterable[tuple[tuple[str, str, int], str | None]]:
        """Each edge with its type (None in a graph whose edges have none)."""
        types: Iterable[str | None] = self.types if self.types is not None else repeat(None)
        return zip(self.edges, types, strict=False)  # repeat() never ends


def _node(node_id: str, label: str, kind: str) -> bytes:
    """A GraphML node two levels deep, as ElementTree writes it (tests/exports/test_graphs.py
    holds them to it)."""
    return (
        f'    <node id="{escape_attribute(node_id)}">\n'
        f"      {_data('label', label)}\n      {_data('kind', kind)}\n    </node>\n"
    ).encode("utf-8", "xmlcharrefreplace")


def _edge_element(source: str, target: str, weight: int, kind: str | None) -> bytes:
    """A GraphML edge two levels deep, as ElementTree writes it."""
    typed = "" if kind is None else f"\n      {_data('type', kind)}"
    return (
        f'    <edge source="{escape_attribute(source)}" target="{escape_attribute(target)}">\n'
        f"      {_data('weight', str(weight))}{typed}\n    </edge>\n"
    ).encode("utf-8", "xmlcharrefreplace")


def _data(key: str, text: str) -> str:
    """``<data key="…">text</data>``; an empty one closed at once, as ElementTree does."""
    if not text:
        return f'<data key="{key}" />'
    return f'<data key="{key}">{escape_text(text)}</data>'


def _edge(edge: tuple[str, str, int], kind: str | None) -> dict[str, Any]:
    source, target, weight = edge
    found: dict[str, Any] = {"source": source, "target": target, "weight": weight}
    if kind is not None:
        found["type"] = kind
    return found


def co_mention_graph(corpus: Corpus) -> Graph:
    """Entities named in the same article; weight = how many articles name both."""
    nodes = [(e.id, e.name, e.type) for e in sorted(corpus.entities.values(), key=lambda e: e.id)]
    edges = [
        (a, b, n)
        for a in sorted(corpus.co_mentions)
        for b, n in sorted(corpus.co_mentions[a])
        if a < b
    ]
    return Graph("co-mentions", False, nodes, edges)


def provenance_graph(corpus: Corpus) -> Graph:
    """Claims and sources; an edge points from what relies to what it relies on."""
    nodes = [
        (f"claim:{c.id}", c.statement, "claim")
        for c in sorted(corpus.claims.values(), key=lambda c: c.id)
    ]
    nodes += [
        (f"source:{s.id}", s.title, "source")
        for s in sorted(corpus.sources.values(), key=lambda s: s.id)
    ]
    edges = [
        (f"claim:{c.id}", f"source:{cs.source}", 1)
        for c in sorted(corpus.claims.values(), key=lambda c: c.id)
        for cs in c.sources
    ]
    edges += [
        (f"source:{s.id}", f"source:{cited}", 1)
        for s in sorted(corpus.sources.values(), key=lambda s: s.id)
        for cited in s.cites
    ]
    return Graph("provenance", True, nodes, edges)


def relation_graph(corpus: Corpus) -> Graph:
    """The entities at either end of a relation; an edge points from the entity that declares
    it to the other, typed by its relation type id."""
    declared = [r for e in sorted(corpus.entities) for r in corpus.entities[e].relations]
    ends = sorted({end for r in declared for end in (r.subject, r.object)})
    nodes = [(e, corpus.entities[e].name, corpus.entities[e].type) for e in ends]
    edges = [(r.subject, r.object, 1) for r in declared]
    return Graph("relations", True, nodes, edges, [r.type for r in declared])


def claim_link_graph(corpus: Corpus) -> Graph:
    """The claims at either end of a link; an edge points from the claim whose definition gives
    it to the other, typed rewords, contradicts or follows-from."""
    links = [link for c in sorted(corpus.claims) for link in corpus.claims[c].links]
    ends = sorted({end for link in links for end in (link.claim, link.other)})
    nodes = [(c, corpus.claims[c].statement, corpus.claims[c].rating) for c in ends]
    edges = [(link.claim, link.other, 1) for link in links]
    return Graph("claim-links", True, nodes, edges, [link.type for link in links])


GRAPHS = (co_mention_graph, provenance_graph, relation_graph, claim_link_graph)
"""Every graph of the open data, each made by its own function (and export job)."""


def graphs(corpus: Corpus) -> list[Graph]:
    return [make(corpus) for make in GRAPHS]


def graph_summary(graph: Graph) -> dict[str, Any]:
    return {"name": graph.name, "nodes": len(graph.nodes), "edges": len(graph.edges)}
