"""Which entities the corpus has for each authority id (Wikidata, GND, GeoNames...), scheme by
scheme, for the BEACON files (:mod:`scholion.exports.beacon`) and the open-data page that links
them. Selected here, where pages and exports alike may ask, rather than kept as a join: only the
two that need it iterate the entities (:mod:`scholion.link.where_when` says why that matters).
"""

from __future__ import annotations

from dataclasses import dataclass

from scholion.model import AUTHORITIES, Corpus

WIKIDATA = ("Wikidata", "https://www.wikidata.org/wiki/{}")
"""Wikidata's name and the URL of an item, as entity pages link it."""


@dataclass(frozen=True, slots=True)
class Scheme:
    """One authority file and the entities that carry an id in it."""

    id: str
    """``wikidata``, or a key of :data:`scholion.model.AUTHORITIES` (``gnd``, ``geonames``...)."""
    label: str
    url: str
    """The URL of an id, ``{}`` standing for the id."""
    links: tuple[tuple[str, str], ...]
    """(authority id, entity id), by authority id, then entity id: two entities may name the
    same id (a person and their pseudonym), and each has its page."""


def schemes(corpus: Corpus) -> list[Scheme]:
    """The schemes at least one entity has an id in: Wikidata first, then the authority files
    in the order pages list them. A scheme no entity uses has nothing to list, so none."""
    found: dict[str, set[tuple[str, str]]] = {}
    for entity in corpus.entities.values():
        if entity.wikidata:
            found.setdefault("wikidata", set()).add((entity.wikidata, entity.id))
        for authority in entity.authorities:
            found.setdefault(authority.scheme, set()).add((authority.id, entity.id))
    known = {"wikidata": WIKIDATA, **AUTHORITIES}
    return [
        Scheme(scheme, label, url, tuple(sorted(found[scheme])))
        for scheme, (label, url) in known.items()
        if scheme in found
    ]
