"""Which entities are on the map and on the timeline, for pages and exports alike: the places
that have coordinates and the events that have a date, of the entity types marked ``kind:
place`` and ``kind: event`` in ``site_config.yaml``.

Selected here rather than kept as a join of the corpus: a page or export that asks iterates the
entities (so a page's recorded reads cover every entity, and an edit to any marks it stale:
:mod:`scholion.incremental.tracking`), and no other page pays for it.
"""

from __future__ import annotations

from scholion.model import Corpus, Entity


def places(corpus: Corpus) -> list[Entity]:
    """The places that have coordinates, by name (then id)."""
    kinds = corpus.config.types_of_kind("place")
    return sorted(
        (e for e in corpus.entities.values() if e.coordinates and e.type in kinds),
        key=lambda e: (e.name.lower(), e.id),
    )


def events(corpus: Corpus) -> list[Entity]:
    """The dated events, earliest first: by start (a month before the days in it, since
    "2019-03" < "2019-03-01"), then the one that ends first, then by name and id."""
    kinds = corpus.config.types_of_kind("event")
    return sorted(
        (e for e in corpus.entities.values() if e.date and e.type in kinds),
        key=lambda e: (e.date, e.end or e.date, e.name.lower(), e.id),
    )
