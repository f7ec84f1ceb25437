"""Maps of the corpus's places: the places that have coordinates, and an SVG map of some of them
(the corpus map page, a place's locator map, an event's places) over the vendored basemap
(:mod:`.basemap`), each point a link to its place's page.

The SVG is built with ElementTree like every chart (:mod:`.svg`), so every name and address is
escaped. Its width is :data:`WIDTH` and it shrinks to the screen (unlike the charts, which
scroll): a map cut off at the side hides places, and at 390 px its 15-unit labels are still
drawn at about 11 px. Labels that would overlap another label, a point or the edge are left
out; the point is still a link named by its place, and the list beside every map names each one.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass

from scholion.link.where_when import places
from scholion.model import Corpus, Entity
from scholion.render import basemap
from scholion.render.svg import _num, _Svg

__all__ = ["Map", "Point", "draw", "places", "points", "points_of"]

WIDTH = 480
"""The map's width in its own units (and its largest width on a page, in pixels)."""
SHAPE = (0.5, 0.8)
"""The smallest and largest height of a map, as a share of its width."""
FONT = 15
"""Label size in the map's units (``.map-label`` in the theme's CSS says the same)."""
RADIUS = 6


@dataclass(frozen=True, slots=True)
class Point:
    """A place drawn on a map: where, what it is called, and the address of its page (None
    for the place whose own page shows the map)."""

    id: str
    name: str
    longitude: float
    latitude: float
    href: str | None


def points(entities: Sequence[Entity], root: str, current: str = "") -> list[Point]:
    """The points of ``entities`` that have coordinates, each linking to its page under
    ``root`` (relative to the page), except ``current`` (the page's own place)."""
    return [
        Point(
            e.id,
            e.name,
            e.coordinates.longitude,
            e.coordinates.latitude,
            None if e.id == current else f"{root}entities/{e.id}/",
        )
        for e in entities
        if e.coordinates is not None
    ]


def points_of(corpus: Corpus, ids: Sequence[str], root: str) -> list[Point]:
    """The points of the entities ``ids`` names (an event's places) that have coordinates."""
    return points([corpus.entities[i] for i in ids if i in corpus.entities], root)


@dataclass(frozen=True, slots=True)
class Map:
    """A drawn map: its SVG markup, built with ElementTree (so every text in it is escaped),
    which pages mark as trusted as they do a chart's ``svg``."""

    id: str
    svg: str


def draw(map_id: str, title: str, description: str, shown: Sequence[Point]) -> Map:
    """A map of ``shown`` (at least one point), fitted to them."""
    projection = basemap.fit([(p.longitude, p.latitude) for p in shown], WIDTH, SHAPE)
    width, height = WIDTH, int(projection.height)
    # A picture whose points are links is a group of them; one without is an image.
    role = "group" if any(p.href for p in shown) else "img"
    svg = _Svg(map_id, width, height, title, description, role)
    svg.root.set("class", "map")
    svg.add("rect", x=0, y=0, width=width, height=height, class_="map-sea")
    land = _land(projection)
    if land:
        svg.add("path", d=land, class_="map-land")
    placed = [(projection(p.longitude, p.latitude), p) for p in shown]
    taken = [(x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS) for (x, y), _ in placed]
    for (x, y), point in sorted(placed, key=lambda item: (item[0][1], item[0][0], item[1].id)):
        _point(svg, x, y, point, taken, width, height)
    return Map(map_id, svg.markup())


@functools.lru_cache(maxsize=256)
def _land(projection: basemap.Projection) -> str:
    """The countries of a map as one SVG path, drawn once per extent: a place's map is the
    same in every interface language."""
    return "".join(_path(ring) for ring in basemap.outlines(projection))


def _path(ring: Sequence[tuple[float, float]]) -> str:
    head, *rest = ring
    return (
        f"M{_num(head[0])} {_num(head[1])}"
        + "".join(f"L{_num(x)} {_num(y)}" for x, y in rest)
        + "Z"
    )


def _point(
    svg: _Svg,
    x: float,
    y: float,
    point: Point,
    taken: list[tuple[float, float, float, float]],
    width: int,
    height: int,
) -> None:
    """A point, a link named by its place unless it is the page's own, and its label where
    one fits (``taken``: what is drawn already, as boxes)."""
    css = "map-point" if point.href else "map-point map-current"
    holder = svg.root
    if point.href:
        holder = ET.SubElement(
            svg.root, "a", {"href": point.href, "class": css, "aria-label": point.name}
        )
    circle = {"cx": _num(x), "cy": _num(y), "r": str(RADIUS)}
    if not point.href:
        circle["class"] = css
    ET.SubElement(holder, "circle", circle)
    label = _label_place(x, y, point.name, taken, width, height)
    if label is not None:
        lx, ly, anchor, box = label
        taken.append(box)
        text = ET.SubElement(
            holder,
            "text",
            {"x": _num(lx), "y": _num(ly), "text-anchor": anchor, "class": "map-label"},
        )
        text.text = point.name
        if point.href:
            text.set("aria-hidden", "true")  # the link's name says it already


def _label_place(
    x: float,
    y: float,
    name: str,
    taken: list[tuple[float, float, float, float]],
    width: int,
    height: int,
) -> tuple[float, float, str, tuple[float, float, float, float]] | None:
    """Where the label goes: right of the point, left, above or below, whichever first
    overlaps nothing drawn and stays inside the map; None when none does."""
    w, h = 0.58 * FONT * len(name), FONT
    gap = RADIUS + 3
    for lx, ly, anchor, box in (
        (x + gap, y + h / 3, "start", (x + gap, y - h / 2, x + gap + w, y + h / 2)),
        (x - gap, y + h / 3, "end", (x - gap - w, y - h / 2, x - gap, y + h / 2)),
        (x, y - gap - 3, "middle", (x - w / 2, y - gap - h, x + w / 2, y - gap)),
        (x, y + gap + h - 2, "middle", (x - w / 2, y + gap, x + w / 2, y + gap + h)),
    ):
        inside = box[0] >= 2 and box[1] >= 2 and box[2] <= width - 2 and box[3] <= height - 2
        if inside and not any(_overlap(box, other) for other in taken if other != _dot(x, y)):
            return lx, ly, anchor, box
    return None


def _dot(x: float, y: float) -> tuple[float, float, float, float]:
    return (x - RADIUS, y - RADIUS, x + RADIUS, y + RADIUS)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
