"""Places and events as the formats map and timeline tools read: ``data/places.geojson``, a
GeoJSON FeatureCollection (RFC 7946) of the places that have coordinates, and
``data/timeline.json``, the dated events in TimelineJS3's JSON format (what CollectionBuilder
and Knight Lab's TimelineJS load).

Both list exactly what the map and timeline pages show (the same selection and order:
:mod:`scholion.link.where_when`), with each record's page as an absolute URL.
"""

from __future__ import annotations

import html
from typing import Any

from scholion.link.where_when import events, places
from scholion.model import Corpus, Entity


def _url(corpus: Corpus, entity_id: str) -> str:
    return corpus.config.base_url + f"entities/{entity_id}/"


def geojson(corpus: Corpus) -> dict[str, Any]:
    """The places as a FeatureCollection: a Point per place, longitude first as GeoJSON
    requires, with its id, name, type, description, Wikidata id and page."""
    features = []
    for entity in places(corpus):
        assert entity.coordinates is not None  # places() keeps only those
        features.append(
            {
                "type": "Feature",
                "id": entity.id,
                "geometry": {
                    "type": "Point",
                    "coordinates": [entity.coordinates.longitude, entity.coordinates.latitude],
                },
                "properties": {
                    "id": entity.id,
                    "name": entity.name,
                    "type": entity.type,
                    "description": entity.description,
                    "wikidata": entity.wikidata,
                    "url": _url(corpus, entity.id),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def timelinejs(corpus: Corpus) -> dict[str, Any]:
    """The events as a TimelineJS3 timeline: a slide per event with its start (and end) date
    as precise as known (a month-precise date has no ``day``: TimelineJS then shows the month),
    its name as headline and its description, places and page as text. TimelineJS reads
    ``text`` as HTML, so every value in it is escaped."""
    config = corpus.config
    slides = []
    for entity in events(corpus):
        slide: dict[str, Any] = {
            "unique_id": entity.id,
            "start_date": _date(entity.date),
            "text": {"headline": html.escape(entity.name), "text": _text(corpus, entity)},
            "group": config.entity_type(entity.type).plural,
        }
        if entity.end:
            slide["end_date"] = _date(entity.end)
        slides.append(slide)
    title = {"text": {"headline": html.escape(config.title)}}
    if config.description:
        title["text"]["text"] = html.escape(config.description)
    return {"title": title, "events": slides}


def _date(value: str) -> dict[str, int]:
    """ "2019-03" -> {"year": 2019, "month": 3}: only the parts the date has."""
    return dict(
        zip(("year", "month", "day"), (int(part) for part in value.split("-")), strict=False)
    )


def _text(corpus: Corpus, entity: Entity) -> str:
    where = [corpus.entities[p].name for p in entity.places if p in corpus.entities]
    parts = [f"<p>{html.escape(entity.description)}</p>"]
    if where:
        parts.append(f"<p>{html.escape(', '.join(where))}</p>")
    url = html.escape(_url(corpus, entity.id))
    parts.append(f'<p><a href="{url}">{url}</a></p>')
    return "".join(parts)
