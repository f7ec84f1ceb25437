"""An entity's lists — the passages naming it, claims by and about it, articles and sources it
published or wrote — defined once, for its page, the pages of a list longer than ``page_size``
(:mod:`scholion.render.routes`) and their breadcrumbs (:mod:`scholion.render.metadata`).

The name of each list is its section's id on the entity's page (templates/entity.html) and the
URL segment of its own pages, ``entities/<id>/<name>/``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from scholion.i18n import N_
from scholion.model import Corpus


@dataclass(frozen=True)
class EntityList:
    heading: str  # message id, with %(name)s for the entity's name
    index: str  # the Corpus mapping of entity id -> the list

    def items(self, corpus: Corpus, entity_id: str) -> Sequence[Any]:
        return getattr(corpus, self.index).get(entity_id, ())


LISTS: dict[str, EntityList] = {
    name: EntityList(message, index)
    for name, message, index in (
        ("mentions", N_("Passages that mention %(name)s"), "mention_groups"),
        ("claims-by", N_("Claims by %(name)s"), "claims_by_claimant"),
        ("claims-about", N_("Claims about %(name)s"), "claims_about"),
        ("published", N_("Articles published by %(name)s"), "articles_by_publisher"),
        ("written", N_("Articles by %(name)s"), "articles_by_author"),
        ("sources-published", N_("Sources published by %(name)s"), "sources_by_publisher"),
    )
}


def heading(name: str, entity_name: str, gettext: Callable[[str], str] = str) -> str:
    """The heading of one of an entity's lists ("Claims by Example Times"), on its page and
    the entity's."""
    return gettext(LISTS[name].heading) % {"name": entity_name}
