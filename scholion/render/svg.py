"""Drawing static, accessible SVG: bar charts, timelines and node-link networks, each a
:class:`Chart` (the markup plus the same data as rows, for a table beside it). ElementTree builds
the markup, so every text and attribute is escaped; colours come from CSS classes and
``currentColor``, so the page's light and dark themes apply; coordinates are rounded so that
floating-point noise cannot change the bytes.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

SVG_NS = "http://www.w3.org/2000/svg"

NARROW = 340
"""Width of a chart that must fit a phone's screen at its own size (text at 13 px)."""

MAX_NODES = 20
"""Largest network drawn (a row each): more makes arcs too many to follow; the table lists
every link of the nodes drawn."""


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

    def __init__(
        self,
        chart_id: str,
        width: int,
        height: int,
        title: str,
        description: str,
        role: str = "img",
    ):
        self.root = ET.Element(
            "svg",
            {
                "xmlns": SVG_NS,
                "viewBox": f"0 0 {width} {height}",
                "class": "chart",
                "role": role,
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
    """Horizontal bars, each under its label, the longest value spanning the width. Narrow
    (:data:`NARROW` wide), so that on a phone's screen it is drawn at its own size."""
    height = 40 * len(bars) + 6
    svg = _Svg(chart_id, NARROW, height, title, description)
    top = max((v for _, v in bars), default=0) or 1
    for i, (label, value) in enumerate(bars):
        y = 40 * i
        svg.add("text", _short(label, 48), x=0, y=y + 15, class_="chart-label")
        width = (NARROW - 50) * value / top
        classes = "chart-bar " + (css[i] if i < len(css) else "")
        svg.add("rect", x=0, y=y + 21, width=max(width, 1.0), height=14, class_=classes.strip())
        svg.add("text", str(value), x=width + 6, y=y + 33, class_="chart-value")
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


ROW = 24
"""Height of a network's row: one name per row, so 13 px names never touch."""


def network(
    chart_id: str,
    title: str,
    description: str,
    labels: dict[str, str],
    edges: Sequence[tuple[str, str, int]],
    order: Sequence[str],
    header: tuple[str, str, str] = ("Entity", "Named with", "Articles"),
    links: dict[str, str] | None = None,
) -> Chart:
    """An arc diagram, :data:`NARROW` wide: the nodes one per row in ``order``, each name ending
    at its dot, and each edge an arc on the right joining two rows (wider: heavier); a node
    with an address in ``links`` is a link (its dot and its name)."""
    height = ROW * len(order) + 8
    # A picture (role img) may hold nothing a reader can use; one whose names are links is a
    # group of them, named by its title and description.
    role = "group" if links else "img"
    svg = _Svg(chart_id, NARROW, height, title, description, role)
    heaviest = max((w for *_, w in edges), default=1)
    dot_x = 176
    row = {node: 4 + ROW * i + ROW / 2 for i, node in enumerate(order)}
    for a, b, weight in sorted(edges, key=lambda e: (e[2], e[0], e[1])):  # heavy ones on top
        y1, y2 = sorted((row[a], row[b]))
        half = (y2 - y1) / 2
        bulge = min(half, NARROW - dot_x - 6)
        svg.add(
            "path",
            d=f"M{dot_x} {_num(y1)}A{_num(bulge)} {_num(half)} 0 0 1 {dot_x} {_num(y2)}",
            class_="chart-edge",
            stroke_width=1 + 2.5 * weight / heaviest,
        )
    for node in order:
        y = row[node]
        href = (links or {}).get(node)
        holder = svg.add("a", href=href, class_="chart-link") if href else svg.root
        label = ET.SubElement(
            holder,
            "text",
            {
                "x": _num(dot_x - 10),
                "y": _num(y + 4.5),
                "class": "chart-label",
                "text-anchor": "end",
            },
        )
        label.text = _short(labels[node], 24)
        ET.SubElement(
            holder, "circle", {"cx": _num(dot_x), "cy": _num(y), "r": "5", "class": "chart-node"}
        )
    rows = tuple((labels[a], labels[b], str(w) if header[2] else "") for a, b, w in edges)
    return Chart(chart_id, title, description, svg.markup(), header, rows)


def _short(label: str, limit: int = 30) -> str:
    """The label, or as many of its first words as fit in ``limit`` characters, and "…"."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    words = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return words.rstrip(" ,;:-\u2013") + "…"
