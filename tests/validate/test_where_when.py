"""Where and when: coordinates in range and only on places, dates with their precision and only
on events, an event's end not before its start, every event place a place — each a located
error that says how to fix it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CONFIG, check, write_corpus

KINDS = CONFIG.replace(
    "  place: {label: Place, plural: Places}\n",
    "  place: {label: Place, plural: Places, kind: place}\n"
    "  event: {label: Event, plural: Events, kind: event}\n",
)


def checked(tmp_path: Path, entities: dict[str, str], config: str = KINDS) -> list[str]:
    files = {f"content/entities/{name}.yaml": text for name, text in entities.items()}
    return check(write_corpus(tmp_path, {"site_config.yaml": config, **files}))


CARACAS = """\
    type: place
    name: Caracas
    description: Capital of Venezuela.
    coordinates: {latitude: 10.5, longitude: -66.9}
    """


def test_places_and_events_that_are_right_pass(tmp_path: Path):
    event = """\
        type: event
        name: The flights
        description: Two aircraft.
        date: 2019-03
        end: 2019-03-24
        places: [caracas]
        """
    assert checked(tmp_path, {"caracas": CARACAS, "flights": event}) == []


def test_a_latitude_that_is_a_longitude_gets_the_swap_as_hint(tmp_path: Path):
    swapped = """\
        type: place
        name: Caracas
        description: Capital of Venezuela.
        coordinates: {latitude: -166.9, longitude: 10.5}
        """
    found = checked(tmp_path, {"caracas": swapped})
    assert found == [
        "content/entities/caracas.yaml:4:25: error: 'latitude' must be at least -90, not -166.9\n"
        "  hint: latitude and longitude look swapped: write latitude: 10.5, longitude: -166.9 "
        "(latitude is north-south, first in 'lat, lon')"
    ]


def test_coordinates_out_of_range_say_the_range(tmp_path: Path):
    wrong = """\
        type: place
        name: Nowhere
        description: Out of range both ways.
        coordinates:
          latitude: 95
          longitude: 200
        """
    found = checked(tmp_path, {"nowhere": wrong})
    assert found == [
        "content/entities/nowhere.yaml:5:13: error: 'latitude' must be at most 90, not 95\n"
        "  hint: Degrees north of the equator, from -90 to 90 (south is negative).",
        "content/entities/nowhere.yaml:6:14: error: 'longitude' must be at most 180, not 200\n"
        "  hint: Degrees east of Greenwich, from -180 to 180 (west is negative).",
    ]


def test_coordinates_must_be_numbers_and_come_in_pairs(tmp_path: Path):
    wrong = """\
        type: place
        name: Nowhere
        description: Text and a missing half.
        coordinates: {latitude: "10.5 N"}
        """
    found = checked(tmp_path, {"nowhere": wrong})
    assert [line.split(": error: ")[1].split("\n")[0] for line in found] == [
        "missing required key 'longitude' in 'coordinates'",
        "'latitude' must be a number, not text",
    ]


def test_coordinates_belong_to_places_only(tmp_path: Path):
    person = """\
        type: person
        name: Jane Doe
        description: A reporter.
        coordinates: {latitude: 10.5, longitude: -66.9}
        """
    assert checked(tmp_path, {"jane-doe": person}) == [
        "content/entities/jane-doe.yaml:4:1: error: 'coordinates' is only for places, and entity "
        "type 'person' is not a kind of place\n"
        "  hint: remove `coordinates:`, or give it a type of kind place (place)"
    ]


def test_without_a_kind_in_the_configuration_it_says_where_to_mark_one(tmp_path: Path):
    assert checked(tmp_path, {"caracas": CARACAS}, config=CONFIG) == [
        "content/entities/caracas.yaml:4:1: error: 'coordinates' is only for places, and entity "
        "type 'place' is not a kind of place\n"
        "  hint: remove `coordinates:`, or mark an entity type `kind: place` in site_config.yaml"
    ]


def test_dates_and_places_belong_to_events_only(tmp_path: Path):
    place = CARACAS.rstrip(" ") + "    date: 2019-03\n    places: [caracas]\n"
    found = checked(tmp_path, {"caracas": place})
    assert [line.split("\n")[0] for line in found] == [
        "content/entities/caracas.yaml:5:1: error: 'date' is only for events, and entity type "
        "'place' is not a kind of event",
        "content/entities/caracas.yaml:6:1: error: 'places' is only for events, and entity type "
        "'place' is not a kind of event",
    ]


@pytest.mark.parametrize(
    ("date", "end", "message"),
    [
        ("2019-03-24", "2019-03-22", "'end' 2019-03-22 is before 'date' 2019-03-24"),
        ("2019-03", "2019-02-28", "'end' 2019-02-28 is before 'date' 2019-03"),
        ("2019", "2019", "'end' 2019 is the same as 'date'"),
    ],
)
def test_an_event_ends_after_it_starts(tmp_path: Path, date: str, end: str, message: str):
    event = f"""\
        type: event
        name: The flights
        description: Two aircraft.
        date: "{date}"
        end: "{end}"
        """
    found = checked(tmp_path, {"flights": event})
    assert [line.split("\n")[0] for line in found] == [
        f"content/entities/flights.yaml:5:6: error: {message}"
    ]


def test_a_range_within_a_month_is_no_error(tmp_path: Path):
    event = """\
        type: event
        name: The flights
        description: From some day in March to the 24th.
        date: 2019-03
        end: 2019-03-24
        """
    assert checked(tmp_path, {"flights": event}) == []


def test_an_event_date_must_exist_and_keep_its_form(tmp_path: Path):
    event = """\
        type: event
        name: The flights
        description: Two aircraft.
        date: 2019-02-30
        end: March 2019
        """
    found = checked(tmp_path, {"flights": event})
    assert [line.split("\n")[0] for line in found] == [
        "content/entities/flights.yaml:4:7: error: 'date' value '2019-02-30' is not a date that "
        "exists: February 2019 has 28 days",
        "content/entities/flights.yaml:5:6: error: 'end' value 'March 2019' is not in the "
        "expected form",
    ]


def test_an_end_needs_a_date(tmp_path: Path):
    event = """\
        type: event
        name: The flights
        description: Two aircraft.
        end: 2019-03-24
        """
    found = checked(tmp_path, {"flights": event})
    assert len(found) == 1 and "'end'" in found[0] and "date" in found[0]


def test_an_unknown_place_gets_a_did_you_mean(tmp_path: Path):
    event = """\
        type: event
        name: The flights
        description: Two aircraft.
        date: 2019-03-22
        places: [caracass, atlantis]
        """
    found = checked(tmp_path, {"caracas": CARACAS, "flights": event})
    assert found == [
        "content/entities/flights.yaml:5:10: error: unknown place 'caracass'\n"
        "  hint: did you mean 'caracas'?",
        "content/entities/flights.yaml:5:20: error: unknown place 'atlantis'\n"
        "  hint: define it in content/entities/<id>.yaml with a type of kind place",
    ]


def test_an_event_place_must_be_a_place(tmp_path: Path):
    person = """\
        type: person
        name: Jane Doe
        description: A reporter.
        """
    event = """\
        type: event
        name: The flights
        description: Two aircraft.
        date: 2019-03-22
        places: [jane-doe]
        """
    found = checked(tmp_path, {"jane-doe": person, "flights": event})
    assert [line.split("\n")[0] for line in found] == [
        "content/entities/flights.yaml:5:10: error: 'jane-doe' is not a place: its entity type "
        "is 'person'"
    ]


def test_a_type_kind_must_be_place_or_event(tmp_path: Path):
    config = KINDS.replace("kind: event", "kind: happening")
    found = checked(tmp_path, {}, config=config)
    assert [line.split("\n")[0] for line in found] == [
        "site_config.yaml:11:47: error: 'kind' value 'happening' is not allowed"
    ]


def test_not_a_number_is_no_coordinate(tmp_path: Path):
    nowhere = """\
        type: place
        name: Nowhere
        description: YAML's not-a-number passes every range.
        coordinates: {latitude: .nan, longitude: -66.9}
        """
    assert checked(tmp_path, {"nowhere": nowhere}) == [
        "content/entities/nowhere.yaml:4:25: error: 'latitude' is not a number (YAML reads .nan "
        "as 'not a number')\n"
        "  hint: write the latitude in decimal degrees, e.g. latitude: 10.5"
    ]
