"""The map of places, the locator maps and the events timeline, as readers see them in
tests/fixtures/where-when: places caracas, moscow, damascus (whose name holds markup) with
coordinates and guarico without; events the exercises (2018), the crisis (2019-03, in guarico),
the flights (2019-03-22 to 2019-03-24, via moscow, damascus, caracas), the landing
(2019-03-23, in caracas) and an undated one; the article alpha names the flights and its claim
aircraft-landed is about them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from scholion.render import basemap, maps
from tests.conftest import BuiltSite
from tests.dom import Document, Element

SVG = "{http://www.w3.org/2000/svg}"
PLACES = {
    "caracas": "Caracas",
    "damascus": "Damascus <script>alert(1)</script>",
    "moscow": "Moscow",
}


def svg_of(site: BuiltSite, url: str, map_id: str) -> ET.Element:
    """The map ``map_id`` of the page at ``url`` as an XML document: it must be well-formed on
    its own, as an SVG file."""
    html = (site.output / url / "index.html").read_text(encoding="utf-8")
    (markup,) = re.findall(rf'<svg [^>]*aria-labelledby="{map_id}-title .*?</svg>', html, re.S)
    return ET.fromstring(markup)


def points(svg: ET.Element) -> list[tuple[str, str, float, float]]:
    """(address, accessible name, x, y) of every point that is a link."""
    found = []
    for link in svg.iter(f"{SVG}a"):
        circle = link.find(f"{SVG}circle")
        assert circle is not None
        found.append(
            (
                link.get("href"),
                link.get("aria-label"),
                float(circle.get("cx")),
                float(circle.get("cy")),
            )
        )
    return found


def view_box(svg: ET.Element) -> tuple[float, float]:
    _, _, width, height = (float(v) for v in svg.get("viewBox").split())
    return width, height


def test_the_map_page_draws_each_place_with_coordinates_as_a_link(where_when_site: BuiltSite):
    svg = svg_of(where_when_site, "map", "corpus-map")
    width, height = view_box(svg)
    found = points(svg)
    assert sorted((href, name) for href, name, _, _ in found) == sorted(
        (f"../entities/{pid}/", name) for pid, name in PLACES.items()
    )
    for _, _, x, y in found:
        assert 0 < x < width and 0 < y < height
    assert svg.get("role") == "group" and svg.find(f"{SVG}title").text == "Map of places"


def test_the_list_beside_the_map_names_the_same_places(where_when_site: BuiltSite):
    page = where_when_site.page("map/")
    items = page.one("ul", cls="map-list").all("li")
    assert [(li.one("a").attr("href"), li.one("a").text) for li in items] == [
        ("../entities/caracas/", "Caracas"),
        ("../entities/damascus/", PLACES["damascus"]),
        ("../entities/moscow/", "Moscow"),
    ]
    assert "10.5° N, 66.917° W" in items[0].text
    assert "guarico" not in " ".join(page.links())


def test_names_are_escaped_in_the_svg(where_when_site: BuiltSite):
    html = (where_when_site.output / "map" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "Damascus &lt;script&gt;" in html


def test_labels_stay_inside_the_map_and_do_not_overlap():
    shown = [
        maps.Point("a", "Moscow", 37.62, 55.76, "a/"),
        maps.Point("b", "Chkalovsky air base", 38.06, 55.88, "b/"),
        maps.Point("c", "Caracas", -66.9, 10.5, "c/"),
    ]
    svg = ET.fromstring(maps.draw("m", "Map", "Three places", shown).svg)
    width, height = view_box(svg)
    assert len(points(svg)) == 3
    labels = list(svg.iter(f"{SVG}text"))
    assert {t.text for t in labels} <= {"Moscow", "Chkalovsky air base", "Caracas"}
    assert len(labels) >= 2
    for label in labels:
        assert 0 < float(label.get("x")) < width and 0 < float(label.get("y")) < height


coordinates = st.tuples(st.floats(-180, 180, allow_nan=False), st.floats(-90, 90, allow_nan=False))


@settings(max_examples=40, deadline=None)
@given(st.lists(coordinates, min_size=1, max_size=6))
def test_every_point_is_drawn_inside_the_map_wherever_it_is(where: list[tuple[float, float]]):
    shown = [
        maps.Point(f"p{i}", f"Place {i}", lon, lat, f"p{i}/") for i, (lon, lat) in enumerate(where)
    ]
    svg = ET.fromstring(maps.draw("m", "Map", "Anywhere", shown).svg)
    width, height = view_box(svg)
    assert 0.5 * width <= height <= 0.8 * width + 1
    drawn = points(svg)
    assert len(drawn) == len(shown)
    for _, _, x, y in drawn:
        assert 0 <= x <= width and 0 <= y <= height


def test_a_map_around_the_antimeridian_draws_land_on_both_sides():
    projection = basemap.fit([(179.0, -17.0), (-179.0, -16.0)], 480, (0.5, 0.8))
    rings = basemap.outlines(projection)
    xs = [x for ring in rings for x, _ in ring]
    assert rings and min(xs) < projection.width / 2 < max(xs)


def test_simplify_keeps_the_shape_within_the_tolerance():
    line = [(0.0, 0.0), (1.0, 0.1), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0)]
    assert basemap.simplify(line, 0.5) == [(0.0, 0.0), (2.0, -0.1), (3.0, 5.0), (4.0, 0.0)]


def test_a_place_page_has_a_locator_map_with_the_place_itself_not_a_link(
    where_when_site: BuiltSite,
):
    page = where_when_site.page("entities/caracas/")
    svg = svg_of(where_when_site, "entities/caracas", "locator-map")
    assert points(svg) == []
    (current,) = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "map-point map-current"]
    width, height = view_box(svg)
    assert 0 < float(current.get("cx")) < width and 0 < float(current.get("cy")) < height
    assert "../../map/" in page.links()


def test_a_place_without_coordinates_has_no_map(where_when_site: BuiltSite):
    page = where_when_site.page("entities/guarico/")
    assert page.all("svg") == []


def event_item(page: Document, entity_id: str) -> Element:
    (item,) = [
        li
        for li in page.all("li", cls="events-item")
        if li.one("h3").one("a").attr("href") == f"../entities/{entity_id}/"
    ]
    return item


def test_the_timeline_lists_dated_events_in_order_grouped_by_month(where_when_site: BuiltSite):
    page = where_when_site.page("timeline/")
    timeline = page.one("ol", cls="events-timeline")
    periods = timeline.all("li", cls="events-period")
    assert [p.one("h2").attr("id") for p in periods] == ["t-2018", "t-2019-03"]
    assert [p.one("h2").words.split(" ")[0] for p in periods] == ["2018", "March"]
    order = [li.one("h3").text for li in timeline.all("li", cls="events-item")]
    assert order == ["The exercises", "The crisis", "The flights", "The landing"]


def test_the_timeline_keeps_each_date_s_precision(where_when_site: BuiltSite):
    page = where_when_site.page("timeline/")
    dates = {
        entity: [(t.attr("datetime"), t.text) for t in event_item(page, entity).all("time")]
        for entity in ("exercises", "crisis", "flights", "landing")
    }
    assert dates == {
        "exercises": [("2018", "2018")],
        "crisis": [("2019-03", "March 2019")],
        "flights": [("2019-03-22", "22 March 2019"), ("2019-03-24", "24 March 2019")],
        "landing": [("2019-03-23", "23 March 2019")],
    }


def test_a_timeline_event_links_its_places_articles_and_claims(where_when_site: BuiltSite):
    item = event_item(where_when_site.page("timeline/"), "flights")
    assert item.links() == [
        "../entities/flights/",
        "../entities/moscow/",
        "../entities/damascus/",
        "../entities/caracas/",
        "../articles/alpha/",
        "../claims/aircraft-landed/",
    ]


def test_an_event_page_says_when_and_where_with_a_map_of_its_places(where_when_site: BuiltSite):
    page = where_when_site.page("entities/flights/")
    when = page.one("dl", cls="when-where")
    assert when.all("dd")[0].words.startswith("22 March 2019 \u2013 24 March 2019")
    svg = svg_of(where_when_site, "entities/flights", "event-map")
    assert sorted(href for href, *_ in points(svg)) == [
        "../../entities/caracas/",
        "../../entities/damascus/",
        "../../entities/moscow/",
    ]
    crisis = where_when_site.page("entities/crisis/")
    assert crisis.one("dl", cls="when-where").one("time").text == "March 2019"
    assert crisis.all("svg") == []  # its one place has no coordinates


def test_the_navigation_links_the_map_and_the_timeline(where_when_site: BuiltSite):
    nav = where_when_site.page("").one("nav", cls="site-nav")
    assert {"map/", "timeline/"} <= set(nav.links())


def test_a_corpus_without_kinds_has_neither_page(site: BuiltSite):
    assert not (site.output / "map").exists() and not (site.output / "timeline").exists()
    assert "map/" not in site.page("").one("nav", cls="site-nav").links()


def json_ld(site: BuiltSite, url: str) -> list[dict]:
    html = (site.output / url / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_json_ld_gives_coordinates_dates_and_places(where_when_site: BuiltSite):
    (place,) = [d for d in json_ld(where_when_site, "entities/caracas") if d.get("geo")]
    assert place["@type"] == "Place"  # a type of kind place, whatever its id ("site")
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 10.5, "longitude": -66.9167}
    (event,) = [d for d in json_ld(where_when_site, "entities/flights") if d.get("startDate")]
    assert (event["@type"], event["startDate"], event["endDate"]) == (
        "Event",
        "2019-03-22",
        "2019-03-24",
    )
    assert [p["url"] for p in event["location"]] == [
        "https://example.org/corpus/entities/moscow/",
        "https://example.org/corpus/entities/damascus/",
        "https://example.org/corpus/entities/caracas/",
    ]
    (crisis,) = [d for d in json_ld(where_when_site, "entities/crisis") if d.get("startDate")]
    assert crisis["startDate"] == "2019-03" and "endDate" not in crisis
