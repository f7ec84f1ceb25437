"""Where a network's nodes go (measured; see docs/pictures.md): an entity's neighbourhood is
radial (the entity in the centre, its companions on a circle by weight: O(n), and easier to read
than a force layout for a star-shaped graph); the corpus-wide network uses networkx's spring
layout with a fixed seed on its backbone; provenance graphs are laid out in columns by depth
(our own few lines: networkx's multipartite layout was 30 times slower per chart). Positions are
in the unit square.
"""

from __future__ import annotations

import math
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


def radial(centre: str, others: Sequence[str]) -> dict[str, tuple[float, float]]:
    """The centre in the middle, the others evenly on a circle in the order given."""
    positions = {centre: (0.5, 0.5)}
    for i, node in enumerate(others):
        angle = 2 * math.pi * i / max(len(others), 1) - math.pi / 2
        positions[node] = (0.5 + 0.42 * math.cos(angle), 0.5 + 0.42 * math.sin(angle))
    return positions


def spring(
    nodes: Sequence[str], edges: Sequence[tuple[str, str, int]]
) -> dict[str, tuple[float, float]]:
    """A force-directed layout (networkx, fixed seed), scaled into the unit square."""
    import networkx as nx

    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    graph.add_weighted_edges_from(sorted(edges))
    return _unit(nx.spring_layout(graph, seed=7, weight="weight"))


def layered(layers: dict[str, int]) -> dict[str, tuple[float, float]]:
    """Nodes in columns by layer, evenly spaced in each column (for provenance chains).

    networkx's multipartite layout does the same, but costs ~0.3 ms a call against ~0.01 ms
    here: at one chart per claim page that is seconds on a 50,000-claim corpus."""
    columns: dict[int, list[str]] = {}
    for node in sorted(layers, key=lambda n: (layers[n], n)):
        columns.setdefault(layers[node], []).append(node)
    last = max(columns) or 1
    return {
        node: (round(layer / last, 3), round((row + 1) / (len(nodes) + 1), 3))
        for layer, nodes in columns.items()
        for row, node in enumerate(nodes)
    }


def _unit(raw: dict) -> dict[str, tuple[float, float]]:
    xs = [float(p[0]) for p in raw.values()]
    ys = [float(p[1]) for p in raw.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0
    return {
        n: (round((float(p[0]) - min(xs)) / span_x, 3), round((float(p[1]) - min(ys)) / span_y, 3))
        for n, p in raw.items()
    }
