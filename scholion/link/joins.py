"""Part of the link stage: the reader's views of the corpus that pages show beyond the core indexes.

Figures per article, provenance chains, an entity's roles, its mentions by article and over time.
Each is one pass over the records, computed once when the corpus is linked, so templates only
look records up by id and a page never recomputes a join (the design's "pages are views").
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping

from scholion.config import SiteConfig
from scholion.model import (
    Annotation,
    Article,
    ArticleStats,
    Claim,
    Mention,
    MentionGroup,
    Note,
    Provenance,
    Source,
)


def article_stats(
    config: SiteConfig,
    claims: Mapping[str, Claim],
    annotations: Mapping[str, tuple[Annotation, ...]],
    notes: Mapping[str, tuple[Note, ...]],
) -> dict[str, ArticleStats]:
    """How many claims (by rating, in scale order), notes and citations each article has."""
    result = {}
    for slug, found in annotations.items():
        kinds = Counter(a.kind for a in found)
        ratings = Counter(claims[a.target].rating for a in found if a.kind == "claim")
        result[slug] = ArticleStats(
            claims=kinds["claim"],
            notes=len(notes.get(slug, ())),
            citations=kinds["citation"],
            ratings=tuple((t.id, ratings[t.id]) for t in config.ratings if ratings[t.id]),
        )
    return result


def provenance(sources: Mapping[str, Source]) -> dict[str, tuple[Provenance, ...]]:
    """For each source that cites others: what it relies on, as a tree. Each source appears
    once per tree, where it is first reached depth first, so a cycle in ``cites`` ends there."""
    result = {}
    for source in sources.values():
        tree = _cited(source.id, sources, {source.id})
        if tree:
            result[source.id] = tree
    return result


def _cited(source_id: str, sources: Mapping[str, Source], seen: set[str]) -> tuple:
    nodes = []
    for cited in sources[source_id].cites:
        if cited in seen or cited not in sources:
            continue
        seen.add(cited)
        nodes.append(Provenance(cited, _cited(cited, sources, seen)))
    return tuple(nodes)


def mention_groups(
    mentions_by_entity: Mapping[str, tuple[Mention, ...]],
) -> dict[str, tuple[MentionGroup, ...]]:
    """Each entity's mentions grouped by article; the input is already earliest article first
    and in reading order within an article, so grouping consecutive runs keeps that order."""
    return {
        entity: tuple(
            MentionGroup(article, tuple(run))
            for article, run in itertools.groupby(mentions, key=lambda m: m.article)
        )
        for entity, mentions in mentions_by_entity.items()
    }


def mention_periods(
    articles: Mapping[str, Article], mentions_by_entity: Mapping[str, tuple[Mention, ...]]
) -> dict[str, tuple[tuple[str, int], ...]]:
    """When each entity was mentioned: mentions per month of publication (per year when an
    article's date has no month), in time order."""
    return {
        entity: tuple(sorted(Counter(articles[m.article].date[:7] for m in mentions).items()))
        for entity, mentions in mentions_by_entity.items()
    }


def sources_by_publisher(sources: Mapping[str, Source]) -> dict[str, tuple[str, ...]]:
    """entity -> the sources it published, sorted by id."""
    published: dict[str, set[str]] = defaultdict(set)
    for source in sources.values():
        if source.publisher:
            published[source.publisher].add(source.id)
    return _sorted_values(published)


def _sorted_values(table: Mapping[str, set[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(sorted(values)) for key, values in table.items()}
