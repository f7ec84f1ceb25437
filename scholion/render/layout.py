"""Where a network's nodes go: the corpus-wide network is an arc diagram over its backbone
(each node's strongest few links), its nodes in one column, hubs in the middle, so that every
name has a line of its own and no label can overlap another, and the picture fits a phone. A
spring layout drew the same graph as a tangle of crossing lines and overlapping names. An
entity's neighbourhood and a provenance chain are lists on their pages, not pictures: a picture
of two to twelve nodes took 400 px to say what a list says in a few lines.
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


def arc_order(nodes: Sequence[str], edges: Sequence[tuple[str, str, int]]) -> list[str]:
    """The nodes in the order their rows take: the most linked in the middle and the others
    alternately above and below, by how much they are linked (an "organ pipe"), so that the
    arcs to a hub are short and nest instead of crossing; ties by id, the same every build."""
    degree = dict.fromkeys(nodes, 0)
    for a, b, weight in edges:
        degree[a] += weight
        degree[b] += weight
    ranked = sorted(nodes, key=lambda n: (-degree[n], n))
    above, below = ranked[1::2], ranked[2::2]
    return [*reversed(above), *ranked[:1], *below]
