"""The world's outlines for the site's maps: the vendored Natural Earth countries (TopoJSON,
``theme/basemap/``) decoded once per process, projected to a map's extent and simplified to its
pixels.

Why in Python and at build time: the site must make no request to another host and work without
JavaScript, and the engine is installed from a wheel by teams who run no npm, so the basemap is a
file inside the package and every map is a finished SVG. A TopoJSON decoder is a few lines
(arcs delta-encoded and quantised, rings as lists of arcs), so no GIS library is needed.

The projection is equirectangular with its standard parallel at the middle of the extent (a
degree of longitude is drawn ``cos(latitude)`` as wide as a degree of latitude there). A map
here locates a handful of points and shows which country they are in; it measures no area or
bearing, and this projection keeps shapes recognisable near the middle latitude, is its own
simple inverse, and needs nothing beyond ``math``. Web Mercator would stretch Moscow's latitudes
half as much again as Caracas's.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scholion.project import THEME

BASEMAP = THEME / "basemap" / "countries-110m.json"

Ring = tuple[tuple[float, float], ...]
"""A closed outline as (longitude, latitude) pairs."""


@functools.cache
def countries() -> tuple[Ring, ...]:
    """Every ring of every country (outer rings and holes alike: they are drawn with the
    even-odd rule), in the file's order."""
    topology = json.loads(BASEMAP.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    rings: list[Ring] = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        elif geometry["type"] != "MultiPolygon":
            continue
        for polygon in polygons:
            rings += (_unwrapped(_ring(arcs, ring)) for ring in polygon)
    return tuple(rings)


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees: positions are quantised and each is the difference
    from the one before (the TopoJSON specification, section 2.1.3)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(
    arcs: list[list[tuple[float, float]]], indexes: Iterable[int]
) -> list[tuple[float, float]]:
    """A ring from its arcs: a negative index ``~i`` is arc ``i`` reversed, and each arc
    starts where the one before ended (that shared point is kept once)."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points += arc[1:] if points else arc
    return points


def _unwrapped(points: Sequence[tuple[float, float]]) -> Ring:
    """A ring that crosses the 180th meridian (Russia's Chukotka, Fiji) continued past it
    (longitudes beyond ±180) rather than jumping across the whole map."""
    out: list[tuple[float, float]] = []
    shift = 0.0
    for i, (lon, lat) in enumerate(points):
        if i and abs(lon + shift - out[-1][0]) > 180:
            shift += 360 if out[-1][0] > lon + shift else -360
        out.append((lon + shift, lat))
    return tuple(out)


@dataclass(frozen=True)
class Projection:
    """Longitude and latitude to the pixels of a ``width`` by ``height`` map of the extent
    ``west``..``east``, ``south``..``north`` (see the module's note on the projection)."""

    west: float
    east: float
    south: float
    north: float
    width: float
    height: float

    @property
    def _factor(self) -> float:
        return math.cos(math.radians((self.south + self.north) / 2))

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x = (lon - self.west) * self._factor
        span = (self.east - self.west) * self._factor
        return x * self.width / span, (self.north - lat) * self.height / (self.north - self.south)


MIN_SPAN = 14.0
"""Degrees of latitude the smallest map shows: a single city's locator map still shows its
country and its neighbours."""
MARGIN = 0.2
"""Share of the points' span added on each side, so no point sits on the map's edge."""


def fit(
    points: Sequence[tuple[float, float]], width: int, shape: tuple[float, float]
) -> Projection:
    """The projection of a ``width`` pixels wide map that shows every (longitude, latitude) of
    ``points`` with a margin, and is between ``shape[0]`` and ``shape[1]`` times as tall as
    wide (the extent grows in the short direction to fit)."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    lat_span = max(max(lats) - min(lats), MIN_SPAN)
    middle_lat = (max(lats) + min(lats)) / 2
    factor = math.cos(math.radians(max(-80.0, min(80.0, middle_lat))))
    lon_span = max(max(lons) - min(lons), MIN_SPAN / factor)
    lat_span *= 1 + 2 * MARGIN
    lon_span *= 1 + 2 * MARGIN
    # Drawn size of the extent (degrees of latitude as the unit), then grown to the shape.
    wide, tall = lon_span * factor, lat_span
    low, high = shape
    if tall < wide * low:
        tall = wide * low
    elif tall > wide * high:
        wide = tall / high
    lon_span, lat_span = wide / factor, tall
    centre_lon = (max(lons) + min(lons)) / 2
    south = max(-90.0, middle_lat - lat_span / 2)
    north = min(90.0, south + lat_span)
    south = max(-90.0, north - lat_span)
    return Projection(
        centre_lon - lon_span / 2,
        centre_lon + lon_span / 2,
        south,
        north,
        width,
        round(width * tall / wide),
    )


@functools.lru_cache(maxsize=256)
def outlines(projection: Projection, tolerance: float = 0.6) -> tuple[Ring, ...]:
    """The countries in the map's pixels: rings wholly outside the map or smaller than a
    pixel left out, each simplified (Douglas-Peucker) to within ``tolerance`` pixels.
    Remembered by projection: a place's map is drawn the same in every interface language."""
    found: list[Ring] = []
    for ring in countries():
        for offset in _offsets(ring, projection):
            shown = [projection(lon + offset, lat) for lon, lat in ring]
            xs, ys = [p[0] for p in shown], [p[1] for p in shown]
            if max(xs) < 0 or min(xs) > projection.width or max(ys) < 0:
                continue
            if min(ys) > projection.height or max(xs) - min(xs) + max(ys) - min(ys) < 1:
                continue
            simple = simplify(shown, tolerance)
            if len(simple) >= 4:
                found.append(tuple(simple))
    return tuple(found)


def _offsets(ring: Ring, projection: Projection) -> Iterable[float]:
    """The multiples of 360° to draw ``ring`` at: a map around the 180th meridian shows the
    rings on its other side shifted by a turn."""
    west, east = min(p[0] for p in ring), max(p[0] for p in ring)
    for offset in (-360.0, 0.0, 360.0):
        if west + offset <= projection.east and east + offset >= projection.west:
            yield offset


def simplify(points: Sequence[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker: the fewest of ``points`` (first and last kept) such that none left
    out lies further than ``tolerance`` from the line drawn. Iterative, so a long ring cannot
    exhaust the stack."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ax, ay), (bx, by) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        length = math.hypot(dx, dy)
        worst, where = -1.0, first
        for i in range(first + 1, last):
            px, py = points[i]
            if length:
                distance = abs(dy * (px - ax) - dx * (py - ay)) / length
            else:
                distance = math.hypot(px - ax, py - ay)
            if distance > worst:
                worst, where = distance, i
        if worst > tolerance:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [p for p, kept in zip(points, keep, strict=True) if kept]
