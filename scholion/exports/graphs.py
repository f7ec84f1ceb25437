"""The entity co-mention graph and the source provenance graph, as JSON and as GraphML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from scholion.exports.encoding import to_json
from scholion.model import Corpus

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"


@dataclass(frozen=True)
class Graph:
    """Nodes (id, label, kind) and weighted directed or undirected edges."""

    name: str
    directed: bool
    nodes: list[tuple[str, str, str]]
    edges: list[tuple[str, str, int]]

    def to_json(self) -> bytes:
        data = {
            "directed": self.directed,
            "nodes": [{"id": i, "label": label, "kind": kind} for i, label, kind in self.nodes],
            "edges": [{"source": s, "target": t, "weight": w} for s, t, w in self.edges],
        }
        return to_json(data)

    def to_graphml(self) -> bytes:
        ET.register_namespace("", GRAPHML_NS)
        root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
        for key, target, kind in (
            ("label", "node", "string"),
            ("kind", "node", "string"),
            ("weight", "edge", "int"),
        ):
            ET.SubElement(
                root,
                f"{{{GRAPHML_NS}}}key",
                id=key,
                attrib={"for": target, "attr.name": key, "attr.type": kind},
            )
        graph = ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}graph",
            id=self.name,
            edgedefault="directed" if self.directed else "undirected",
        )
        for node_id, label, kind in self.nodes:
            node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", id=node_id)
            ET.SubElement(node, f"{{{GRAPHML_NS}}}data", key="label").text = label
            ET.SubElement(node, f"{{{GRAPHML_NS}}}data", key="kind").text = kind
        for source, target, weight in self.edges:
            edge = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", source=source, target=target)
            ET.SubElement(edge, f"{{{GRAPHML_NS}}}data", key="weight").text = str(weight)
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


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


def graphs(corpus: Corpus) -> list[Graph]:
    return [co_mention_graph(corpus), provenance_graph(corpus)]


def graph_summary(graph: Graph) -> dict[str, Any]:
    return {"name": graph.name, "nodes": len(graph.nodes), "edges": len(graph.edges)}
