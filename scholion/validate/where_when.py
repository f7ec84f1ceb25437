"""Where and when: coordinates only on places, dates and places only on events, an event's end
not before its start, and every place an event names a place entity.

Which entity types are places and which are events is the configuration's ``kind:`` flag
(``site_config.yaml``), so these checks read the configuration and every entity's type: they
run over all entity files on each check (``serve`` checks again only the entities an edit
changed, while no type changed). The schema
has already checked each value's shape and range; like :mod:`.references`, values of the wrong
shape are skipped here.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document, Records
from scholion.load.per_document import PerDocument, flattened

PLACE_KEYS = ("coordinates",)
"""What only an entity of a ``kind: place`` type may have."""
EVENT_KEYS = ("date", "end", "places")
"""What only an entity of a ``kind: event`` type may have."""


@dataclass
class WhereWhenMemo:
    """What the last check found for each entity, and from which kinds and types: ``serve``
    keeps one between edits, so an edit that changes no entity's type checks only the entities
    it changed."""

    types: PerDocument[tuple[str, object]] = field(default_factory=PerDocument)
    checked: PerDocument[list[Diagnostic]] = field(default_factory=PerDocument)
    context: tuple[dict[str, str], dict[str, object]] | None = None


def check_where_when(records: Records, memo: WhereWhenMemo | None = None) -> list[Diagnostic]:
    """Every misplaced coordinate, date or place, every event ending before it starts, and
    every event place that is no place entity. Nothing is checked without a readable
    configuration (its own error says why), since kinds come from it."""
    if records.config is None:
        return []
    memo = memo or WhereWhenMemo()
    kinds = _kinds(records.config.data.get("entity_types"))
    types = dict(memo.types.each(records.entities, _type_of))
    places = sorted(
        stem for stem, t in types.items() if isinstance(t, str) and kinds.get(t) == "place"
    )
    same = memo.context == (kinds, types)
    memo.context = (kinds, types)

    def check(doc: Document) -> list[Diagnostic]:
        found = list(_not_a_number(doc))
        entity_type = doc.data.get("type")
        if not isinstance(entity_type, str) or entity_type not in kinds:
            return found  # an unknown type is reported by the reference check
        kind = kinds[entity_type]
        found += _misplaced(doc, entity_type, kind, kinds)
        if kind == "event":
            found += _range(doc)
            found += _places(doc, types, kinds, places)
        return found

    return flattened(memo.checked.each(records.entities, check, same_context=same))


def _type_of(doc: Document) -> tuple[str, object]:
    return doc.stem, doc.data.get("type")


def _kinds(table: object) -> dict[str, str]:
    """Entity type id -> its kind ("place", "event" or "")."""
    if not isinstance(table, dict):
        return {}
    return {
        type_id: term.get("kind", "") if isinstance(term, dict) else ""
        for type_id, term in table.items()
    }


def _error(doc: Document, path: tuple, message: str, hint: str, key: bool = False) -> Diagnostic:
    mark = doc.located.key_at(path) if key else doc.located.at(path)
    return Diagnostic(doc.path, mark.line, mark.col, Severity.ERROR, message, hint)


def _misplaced(
    doc: Document, entity_type: str, kind: str, kinds: dict[str, str]
) -> Iterator[Diagnostic]:
    for keys, wanted in ((PLACE_KEYS, "place"), (EVENT_KEYS, "event")):
        if kind == wanted:
            continue
        fitting = sorted(t for t, k in kinds.items() if k == wanted)
        for key in keys:
            if key not in doc.data:
                continue
            how = (
                f"give it a type of kind {wanted} ({', '.join(fitting)})"
                if fitting
                else f"mark an entity type `kind: {wanted}` in site_config.yaml"
            )
            yield _error(
                doc,
                (key,),
                f"'{key}' is only for {wanted}s, and entity type '{entity_type}' is not a "
                f"kind of {wanted}",
                f"remove `{key}:`, or {how}",
                key=True,
            )


def _not_a_number(doc: Document) -> Iterator[Diagnostic]:
    """YAML's ``.nan`` is a number to JSON Schema and passes every range (each comparison with
    it is false): it would reach the map as a point nowhere."""
    coordinates = doc.data.get("coordinates")
    if not isinstance(coordinates, dict):
        return
    for key in ("latitude", "longitude"):
        value = coordinates.get(key)
        if isinstance(value, float) and math.isnan(value):
            yield _error(
                doc,
                ("coordinates", key),
                f"'{key}' is not a number (YAML reads .nan as 'not a number')",
                f"write the {key} in decimal degrees, e.g. {key}: 10.5",
            )


def _range(doc: Document) -> Iterator[Diagnostic]:
    start, end = doc.data.get("date"), doc.data.get("end")
    if not (isinstance(start, str) and isinstance(end, str)):
        return
    # "2019-03" to "2019-03-20" is a range within March; an end is too early only when it is
    # over before the start begins: compare the two at the shorter precision.
    shorter = min(len(start), len(end))
    if end[:shorter] < start[:shorter]:
        yield _error(
            doc,
            ("end",),
            f"'end' {end} is before 'date' {start}",
            "an event's end is its last day, month or year: put the earlier date in `date:`",
        )
    elif end == start:
        yield _error(
            doc,
            ("end",),
            f"'end' {end} is the same as 'date'",
            "an event of one day, month or year needs only `date:`: remove `end:`",
        )


def _places(
    doc: Document, types: dict[str, object], kinds: dict[str, str], places: Iterable[str]
) -> Iterator[Diagnostic]:
    named = doc.data.get("places")
    if not isinstance(named, list):
        return
    for i, place in enumerate(named):
        if not isinstance(place, str):
            continue
        if place not in types:
            close = difflib.get_close_matches(place, list(places), n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else "define it in content/entities/<id>.yaml with a type of kind place"
            )
            yield _error(doc, ("places", i), f"unknown place '{place}'", hint)
            continue
        place_type = types[place]
        if isinstance(place_type, str) and kinds.get(place_type, "place") != "place":
            yield _error(
                doc,
                ("places", i),
                f"'{place}' is not a place: its entity type is '{place_type}'",
                "name a place entity here (a type with kind: place in site_config.yaml), or "
                "name the entity in the event's articles and claims instead",
            )
