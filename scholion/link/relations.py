"""The joins of relations, claim links and narratives: each record is declared at one end (a
relation in its subject's file, a link in its claim's definition, a narrative's claims in its
own file) and shown at both, so each join lists a record under every id it names.

Each is computed from nothing on every build and edit, in one pass over the entities, claims
or narratives: a pass over 40,000 claims takes milliseconds, and the live site's
:func:`~scholion.incremental.readers.settle` finds which keys changed by comparison.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TypeVar

from scholion.config import SiteConfig
from scholion.model import CLAIM_LINK_TYPES, Claim, ClaimLink, Entity, Narrative, Relation

T = TypeVar("T")


def relations_by_entity(
    config: SiteConfig, entities: Mapping[str, Entity]
) -> dict[str, tuple[Relation, ...]]:
    """entity id -> the relations it is either end of: by type (the configuration's order),
    those it declares before those naming it, then by date, then by the other entity."""
    rank = {term.id: i for i, term in enumerate(config.relation_types)}
    found: dict[str, list[tuple[tuple, Relation]]] = defaultdict(list)
    for entity in entities.values():
        for relation in entity.relations:
            found[relation.subject].append(
                ((rank.get(relation.type, len(rank)), 0, relation.start, relation.object), relation)
            )
            found[relation.object].append(
                (
                    (rank.get(relation.type, len(rank)), 1, relation.start, relation.subject),
                    relation,
                )
            )
    return _sorted(found)


def claim_links(claims: Iterable[Claim]) -> dict[str, tuple[ClaimLink, ...]]:
    """claim id -> the links it is either end of: by type, its own before those naming it,
    then by the other claim."""
    rank = {kind: i for i, kind in enumerate(CLAIM_LINK_TYPES)}
    found: dict[str, list[tuple[tuple, ClaimLink]]] = defaultdict(list)
    for claim in claims:
        for link in claim.links:
            found[link.claim].append(((rank[link.type], 0, link.other), link))
            found[link.other].append(((rank[link.type], 1, link.claim), link))
    return _sorted(found)


def narratives_by_claim(narratives: Mapping[str, Narrative]) -> dict[str, tuple[str, ...]]:
    """claim id -> the ids of the narratives it expresses, sorted."""
    found: dict[str, list[str]] = defaultdict(list)
    for narrative in narratives.values():
        for claim_id in narrative.claims:
            found[claim_id].append(narrative.id)
    return {key: tuple(sorted(ids)) for key, ids in sorted(found.items())}


def _sorted(found: Mapping[str, list[tuple[tuple, T]]]) -> dict[str, tuple[T, ...]]:
    return {
        key: tuple(item for _, item in sorted(entries, key=lambda entry: entry[0]))
        for key, entries in sorted(found.items())
    }
