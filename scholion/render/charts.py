"""Pictures of the corpus as static, accessible SVG: no JavaScript, same bytes every build.

Each chart is an :class:`Chart`: the SVG markup plus the same data as rows, so templates show a
table beside it for screen readers and print. Colours come from CSS classes and
``currentColor``, so the page's light and dark themes apply. Layouts (measured; see
docs/pictures.md): bars and timelines are computed directly; an entity's neighbourhood is a
radial layout (the entity in the centre, its companions on a circle by weight: O(n) and easier to
read than a force layout for a star-shaped graph); the corpus-wide network uses networkx's
spring layout with a fixed seed; provenance graphs are laid out in columns by depth (our own
few lines: networkx's multipartite layout was 30 times slower per chart).
Coordinates are rounded so floating-point noise cannot change the bytes.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scholion.model import Corpus

SVG_NS = "http://www.w3.org/2000/svg"
MAX_NODES = 30
"""Largest network drawn: beyond this labels overlap; the rest is listed in the table only."""


@dataclass(frozen=True)
class Chart:
    """An SVG picture and its data as a table (header, rows) for the accessible fallback."""

    id: str
    title: str
    description: str
    svg: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


class _Svg:
    """A small ElementTree wrapper: every text and attribute is escaped by the serializer."""

    def __init__(self, chart_id: str, width: int, height: int, title: str, description: str):
        self.root = ET.Element(
            "svg",
            {
                "xmlns": SVG_NS,
                "viewBox": f"0 0 {width} {height}",
                "class": "chart",
                "role": "img",
                "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
                "width": str(width),
                "height": str(height),
            },
        )
        ET.SubElement(self.root, "title", id=f"{chart_id}-title").text = title
        ET.SubElement(self.root, "desc", id=f"{chart_id}-desc").text = description

    def add(self, tag: str, text: str | None = None, **attrs: object) -> ET.Element:
        element = ET.SubElement(
            self.root, tag, {k.rstrip("_").replace("_", "-"): _num(v) for k, v in attrs.items()}
        )
        if text is not None:
            element.text = text
        return element

    def markup(self) -> str:
        return ET.tostring(self.root, encoding="unicode", short_empty_elements=True)


def _num(value: object) -> str:
    if isinstance(value, float):
        text = f"{value:.1f}"
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: Sequence[tuple[str, int]],
    css: Sequence[str] = (),
    label_header: str = "Period",
    count_header: str = "Count",
) -> Chart:
    """Horizontal bars, one per label, longest value spanning the width."""
    height = 28 * len(bars) + 10
    svg = _Svg(chart_id, 640, height, title, description)
    top = max((v for _, v in bars), default=0) or 1
    for i, (label, value) in enumerate(bars):
        y = 5 + 28 * i
        svg.add("text", label, x=0, y=y + 17, class_="chart-label")
        width = 380 * value / top
        classes = "chart-bar " + (css[i] if i < len(css) else "")
        svg.add("rect", x=200, y=y + 4, width=max(width, 1.0), height=18, class_=classes.strip())
        svg.add("text", str(value), x=200 + width + 6, y=y + 17, class_="chart-value")
    return Chart(
        chart_id,
        title,
        description,
        svg.markup(),
        (label_header, count_header),
        tuple((label, str(value)) for label, value in bars),
    )


def timeline(
    chart_id: str,
    title: str,
    description: str,
    periods: Sequence[tuple[str, int, int]],
    header: tuple[str, str, str] = ("Period", "Articles", "Claims"),
) -> Chart:
    """Articles and claims per period as paired columns (periods in time order)."""
    width = max(640, 24 * len(periods) + 60)
    svg = _Svg(chart_id, width, 240, title, description)
    top = max((max(a, c) for _, a, c in periods), default=0) or 1
    step = (width - 60) / max(len(periods), 1)
    svg.add("line", x1=40, y1=200, x2=width - 10, y2=200, class_="chart-axis")
    svg.add("text", str(top), x=0, y=24, class_="chart-value")
    label_every = max(1, math.ceil(len(periods) / 12))
    for i, (period, articles, claims) in enumerate(periods):
        x = 44 + step * i
        bar = min(max(step / 2 - 2, 2.0), 28.0)
        svg.add(
            "rect",
            x=x,
            y=200 - 170 * articles / top,
            width=bar,
            height=170 * articles / top,
            class_="chart-bar series-articles",
        )
        svg.add(
            "rect",
            x=x + bar,
            y=200 - 170 * claims / top,
            width=bar,
            height=170 * claims / top,
            class_="chart-bar series-claims",
        )
        if i % label_every == 0:
            svg.add("text", period, x=x, y=220, class_="chart-label")
    svg.add("text", header[1], x=width - 200, y=236, class_="chart-legend series-articles")
    svg.add("text", header[2], x=width - 100, y=236, class_="chart-legend series-claims")
    return Chart(
        chart_id,
        title,
        description,
        svg.markup(),
        header,
        tuple((p, str(a), str(c)) for p, a, c in periods),
    )


def network(
    chart_id: str,
    title: str,
    description: str,
    labels: dict[str, str],
    edges: Sequence[tuple[str, str, int]],
    positions: dict[str, tuple[float, float]],
    centre: str | None = None,
    header: tuple[str, str, str] = ("Entity", "Named with", "Articles"),
) -> Chart:
    """Nodes at ``positions`` (unit square), edges as lines with width by weight."""
    svg = _Svg(chart_id, 640, 480, title, description)
    heaviest = max((w for *_, w in edges), default=1)

    def at(node: str) -> tuple[float, float]:
        x, y = positions[node]
        return 30 + 400 * x, 30 + 420 * y  # the right third is left for labels

    for a, b, weight in edges:
        (x1, y1), (x2, y2) = at(a), at(b)
        svg.add(
            "line",
            x1=x1,
            y1=y1,
            x2=x2,
            y2=y2,
            class_="chart-edge",
            stroke_width=1 + 3 * weight / heaviest,
        )
    for node in sorted(positions):
        x, y = at(node)
        svg.add(
            "circle",
            cx=x,
            cy=y,
            r=9 if node == centre else 6,
            class_="chart-node" + (" chart-centre" if node == centre else ""),
        )
        svg.add("text", _short(labels[node]), x=x + 11, y=y + 4, class_="chart-label")
    rows = tuple((labels[a], labels[b], str(w) if header[2] else "") for a, b, w in edges)
    return Chart(chart_id, title, description, svg.markup(), header, rows)


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


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

    graph = nx.Graph()
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


# Charts of a corpus ---------------------------------------------------------------------------
# Each takes ``_``, the interface's gettext (templates pass ``interface.gettext``), so titles,
# descriptions, legends and table headings are in the reader's language. Names and labels that
# come from the corpus are shown as written.

Gettext = Callable[[str], str]


def _same(text: str) -> str:
    return text


def rating_distribution(corpus: Corpus, _: Gettext = _same) -> Chart:
    counts = Counter(c.rating for c in corpus.claims.values())
    bars = [(t.label, counts[t.id]) for t in corpus.config.ratings]
    listing = ", ".join(f"{label}: {n}" for label, n in bars)
    return bar_chart(
        "ratings-chart",
        _("Claims by rating"),
        _("Claims by rating: %(list)s") % {"list": listing},
        bars,
        [f"rating-{t.id}" for t in corpus.config.ratings],
        _("Rating"),
        _("Claims"),
    )


def activity_timeline(corpus: Corpus, _: Gettext = _same) -> Chart:
    """Articles and claim appearances per month (per year when the corpus spans > 5 years)."""
    months = sorted({a.date[:7] for a in corpus.articles.values()})
    by_year = len(months) > 60 or any(len(m) < 7 for m in months)
    key = (lambda date: date[:4]) if by_year else (lambda date: date[:7])
    articles = Counter(key(a.date) for a in corpus.articles.values())
    claims = Counter(
        key(corpus.articles[a.article].date) for apps in corpus.appearances.values() for a in apps
    )
    periods = [(p, articles[p], claims[p]) for p in sorted(articles)]
    title = _("Articles and claims by year") if by_year else _("Articles and claims by month")
    values = {
        "articles": len(corpus.articles),
        "claims": sum(claims.values()),
        "periods": len(periods),
    }
    return timeline(
        "timeline-chart",
        title,
        _("Articles: %(articles)s; claim appearances: %(claims)s; periods: %(periods)s") % values,
        periods,
        (_("Period"), _("Articles"), _("Claims")),
    )


def entity_network(
    corpus: Corpus, entity_id: str, limit: int = 12, _: Gettext = _same
) -> Chart | None:
    """The entities most often named alongside one entity, around it."""
    neighbours = list(corpus.co_mentions.get(entity_id, ()))[:limit]
    if not neighbours:
        return None
    labels = {e: corpus.entities[e].name for e in [entity_id, *(n for n, _w in neighbours)]}
    edges = [(entity_id, other, weight) for other, weight in neighbours]
    name = labels[entity_id]
    return network(
        f"network-{entity_id}",
        _("Entities named with %(name)s") % {"name": name},
        _("The entities most often named in the same articles as %(name)s: %(count)s")
        % {"name": name, "count": len(neighbours)},
        labels,
        edges,
        radial(entity_id, [n for n, _w in neighbours]),
        centre=entity_id,
        header=(_("Entity"), _("Named with"), _("Articles")),
    )


def corpus_network(corpus: Corpus, _: Gettext = _same) -> Chart | None:
    """Co-mentions among the most-mentioned entities (at most :data:`MAX_NODES`)."""
    mentioned = sorted(
        corpus.entities, key=lambda e: (-len(corpus.articles_by_entity.get(e, ())), e)
    )[:MAX_NODES]
    keep = set(mentioned)
    edges = backbone(
        [
            (a, b, w)
            for a in sorted(keep)
            for b, w in corpus.co_mentions.get(a, ())
            if b in keep and a < b
        ]
    )
    if not edges:
        return None
    labels = {e: corpus.entities[e].name for e in mentioned}
    return network(
        "corpus-network",
        _("Who is named with whom"),
        _("Links between the %(count)s most-mentioned entities; each keeps its three strongest")
        % {"count": len(mentioned)},
        labels,
        edges,
        spring(mentioned, edges),
        header=(_("Entity"), _("Named with"), _("Articles")),
    )


def provenance_chart(corpus: Corpus, claim_id: str, _: Gettext = _same) -> Chart | None:
    """The claim, the sources it rests on, and what those rely on, in columns by depth."""
    claim = corpus.claims[claim_id]
    return _provenance(
        corpus,
        f"provenance-{claim_id}",
        _("This claim"),
        [cs.source for cs in claim.sources],
        _("What the claim rests on"),
        _,
    )


def source_provenance_chart(corpus: Corpus, source_id: str, _: Gettext = _same) -> Chart | None:
    """The source and everything it relies on, down to the primary sources."""
    return _provenance(
        corpus,
        f"provenance-{source_id}",
        _("This source"),
        list(corpus.sources[source_id].cites),
        _("What the source relies on"),
        _,
    )


def _provenance(
    corpus: Corpus, chart_id: str, root_label: str, first: list[str], title: str, _: Gettext
) -> Chart | None:
    if not first:
        return None
    root = "this"
    layers = {root: 0}
    labels = {root: root_label}
    edges: list[tuple[str, str, int]] = []
    frontier = [(root, source_id) for source_id in first]
    depth = 1
    while frontier and depth < 8:
        following = []
        for parent, source_id in frontier:
            node = f"source:{source_id}"
            edges.append((parent, node, 1))
            if node not in layers:
                layers[node] = depth
                labels[node] = corpus.sources[source_id].title
                following += [(node, cited) for cited in corpus.sources[source_id].cites]
        frontier, depth = following, depth + 1
    return network(
        chart_id,
        title,
        _("%(item)s and the sources in its chain, from left to right: %(count)s")
        % {"item": root_label, "count": len(layers) - 1},
        labels,
        edges,
        layered(layers),
        centre=root,
        header=(_("Item"), _("Relies on"), ""),
    )


def mentions_over_time(corpus: Corpus, entity_id: str, _: Gettext = _same) -> Chart | None:
    """How often an entity is mentioned per month (or year)."""
    periods = corpus.mention_periods.get(entity_id, ())
    if len(periods) < 2:
        return None
    name = corpus.entities[entity_id].name
    total = sum(n for _p, n in periods)
    return bar_chart(
        f"mentions-{entity_id}",
        _("Mentions of %(name)s over time") % {"name": name},
        _("Mentions: %(total)s; periods: %(periods)s") % {"total": total, "periods": len(periods)},
        list(periods),
        label_header=_("Period"),
        count_header=_("Mentions"),
    )
