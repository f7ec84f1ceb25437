"""Where a network's nodes go: the corpus-wide network uses networkx's spring layout with a
fixed seed on its backbone (each node's strongest few links). Positions are in the unit square.
An entity's neighbourhood and a provenance chain are lists on their pages, not pictures: a
picture of two to twelve nodes took 400 px to say what a list says in a few lines.
"""

from __future__ import annotations

from collections.abc import Sequence


def backbone(
    edges: Sequence[tuple[str, str, int]], per_node: int = 3
) -> list[tuple[str, str, int]]:
    """Each node's strongest few edges (ties by name): keeps a dense graph readable."""
    ranked: dict[str, list[tuple[int, str, tuple[str, str, int]]]] = {}
    for edge in edges:
        a, b, weight = edge
        ranked.setdefault(a, []).append((-weight, b, edge))
        ranked.setdefault(b, []).append((-weight, a, edge))
    kept = {item[2] for node in ranked for item in sorted(ranked[node])[:per_node]}
    return sorted(kept)


def spring(
    nodes: Sequence[str], edges: Sequence[tuple[str, str, int]]
) -> dict[str, tuple[float, float]]:
    """A force-directed layout (networkx, fixed seed), scaled into the unit square."""
    import networkx as nx

    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_weighted_edges_from(sorted(edges))
    return _unit(nx.spring_layout(graph, seed=7, weight="weight"))


def _unit(raw: dict) -> dict[str, tuple[float, float]]:
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        n: (round((float(p[0]) - min(xs)) / span_x, 3), round((float(p[1]) - min(ys)) / span_y, 3))
        for n, p in raw.items()
    }
