"""The events timeline: the corpus's dated events in time order, grouped by the month they
began in (by year when only the year is known), each with the articles and claims about it.

Dates keep their precision: an event of "2019-03" is in March 2019, not on its first day, so it
sorts before the events of days in March ("2019-03" < "2019-03-01" as text) and reads "March
2019" on the page; an event known only by its year comes before the months of that year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scholion.link.where_when import events
from scholion.model import Corpus, Entity

__all__ = ["Event", "Period", "events", "periods"]


@dataclass(frozen=True, slots=True)
class Event:
    """An event on the timeline and what the corpus says about it."""

    entity: Entity
    articles: tuple[str, ...]  # slugs of the articles naming it, as its page lists them
    claims: tuple[str, ...]  # ids of the claims about it


@dataclass(frozen=True, slots=True)
class Period:
    """A month ("2019-03") or, for events known only by year, a year ("2019"), with its events
    in time order."""

    key: str
    label: str
    events: tuple[Event, ...]


def periods(corpus: Corpus, label: Callable[[str], str]) -> list[Period]:
    """The timeline's groups, earliest first; ``label`` names a period ("March 2019")."""
    grouped: dict[str, list[Event]] = {}
    for entity in events(corpus):
        event = Event(
            entity,
            tuple(corpus.articles_by_entity.get(entity.id, ())),
            tuple(corpus.claims_about.get(entity.id, ())),
        )
        grouped.setdefault(entity.date[:7], []).append(event)
    return [Period(key, label(key), tuple(items)) for key, items in grouped.items()]
