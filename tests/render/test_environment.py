"""The template filters: dates for readers and for feeds, and counted nouns."""

from __future__ import annotations

import pytest

from scholion.render.environment import human_date, iso_datetime, plural


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2019-03-05", "5 March 2019"), ("2019-12", "December 2019"), ("2019", "2019")],
)
def test_human_date_keeps_partial_dates_partial(value, shown):
    assert human_date(value) == shown


@pytest.mark.parametrize(
    ("value", "stamp"),
    [("2019-03-05", "2019-03-05T00:00:00Z"), ("2019-12", "2019-12-01T00:00:00Z")],
)
def test_iso_datetime_for_feeds(value, stamp):
    assert iso_datetime(value) == stamp


def test_plural():
    assert [plural(1, "claim"), plural(2, "claim"), plural(0, "entity", "entities")] == [
        "1 claim",
        "2 claims",
        "0 entities",
    ]
