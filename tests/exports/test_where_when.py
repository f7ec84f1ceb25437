"""data/places.geojson and data/timeline.json read back and compared with the records they come
from (tests/fixtures/where-when), field by field: what a map or timeline tool would load."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from scholion.pipeline import check
from scholion.project import Project
from tests.conftest import BuiltSite
from tests.helpers import FIXTURES

BASE = "https://example.org/corpus/"


def records():
    corpus, diagnostics = check(Project.at(FIXTURES / "where-when"))
    assert corpus is not None and not diagnostics
    return corpus.entities


def test_places_geojson_round_trips_the_places_with_coordinates(where_when_site: BuiltSite):
    data = json.loads((where_when_site.output / "data" / "places.geojson").read_bytes())
    entities = records()
    assert data["type"] == "FeatureCollection"
    read_back = {}
    for feature in data["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        longitude, latitude = feature["geometry"]["coordinates"]  # GeoJSON: longitude first
        props = feature["properties"]
        assert feature["id"] == props["id"] and props["url"] == f"{BASE}entities/{props['id']}/"
        read_back[props["id"]] = (props["name"], props["type"], latitude, longitude)
    assert read_back == {
        e.id: (e.name, e.type, e.coordinates.latitude, e.coordinates.longitude)
        for e in entities.values()
        if e.coordinates is not None
    }
    assert [f["id"] for f in data["features"]] == ["caracas", "damascus", "moscow"]


def date_of(value: dict) -> str:
    """A TimelineJS date object back to the content's form, precision kept."""
    parts = [f"{value['year']:04d}"]
    parts += [f"{value[k]:02d}" for k in ("month", "day") if k in value]
    return "-".join(parts)


def test_timeline_json_round_trips_the_dated_events(where_when_site: BuiltSite):
    data = json.loads((where_when_site.output / "data" / "timeline.json").read_bytes())
    entities = records()
    assert data["title"]["text"]["headline"] == "Places and events"
    read_back = {
        slide["unique_id"]: (
            date_of(slide["start_date"]),
            date_of(slide["end_date"]) if "end_date" in slide else "",
            slide["text"]["headline"],
        )
        for slide in data["events"]
    }
    assert read_back == {e.id: (e.date, e.end, e.name) for e in entities.values() if e.date}
    assert [s["unique_id"] for s in data["events"]] == ["exercises", "crisis", "flights", "landing"]
    assert data["events"][1]["start_date"] == {"year": 2019, "month": 3}  # no invented day
    assert all(slide["group"] == "Happenings" for slide in data["events"])


def test_timeline_text_is_escaped_html_linking_the_event(where_when_site: BuiltSite):
    data = json.loads((where_when_site.output / "data" / "timeline.json").read_bytes())
    (flights,) = [s for s in data["events"] if s["unique_id"] == "flights"]
    text = flights["text"]["text"]
    assert "Damascus &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert f'<a href="{BASE}entities/flights/">' in text


def test_entity_records_carry_coordinates_and_dates_under_the_published_schema(
    where_when_site: BuiltSite,
):
    data = where_when_site.output / "data"
    corpus = json.loads((data / "corpus.json").read_bytes())
    schema = json.loads((data / "corpus.schema.json").read_bytes())
    Draft202012Validator(schema).validate(corpus)
    by_id = {e["id"]: e for e in corpus["entities"]}
    assert by_id["caracas"]["coordinates"] == {"latitude": 10.5, "longitude": -66.9167}
    assert by_id["guarico"]["coordinates"] is None
    assert (by_id["crisis"]["date"], by_id["crisis"]["end"], by_id["crisis"]["places"]) == (
        "2019-03",
        "",
        ["guarico"],
    )
    beside = json.loads((where_when_site.output / "entities/flights/index.json").read_bytes())
    assert beside == by_id["flights"]
