"""The corpus indexes: every backlink and join a page reads, built once when linking ends, each in
one pass over the records (linear in the corpus), so that templates only look records up by id.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scholion.config import SiteConfig
from scholion.link import joins
from scholion.model import (
    Annotation,
    Article,
    Claim,
    Corpus,
    Correction,
    Entity,
    History,
    Mention,
    Note,
    Page,
    Source,
)


@dataclass(frozen=True, slots=True)
class LinkedRecords:
    """Every record of the corpus, typed and anchored, before the indexes that join them."""

    config: SiteConfig
    articles: Mapping[str, Article]
    claims: Mapping[str, Claim]
    entities: Mapping[str, Entity]
    sources: Mapping[str, Source]
    pages: Mapping[str, Page]
    annotations: Mapping[str, tuple[Annotation, ...]]  # article slug -> in reading order
    notes: Mapping[str, tuple[Note, ...]]
    mentions: Mapping[str, tuple[Mention, ...]]
    corrections: Mapping[str, tuple[Correction, ...]]  # only articles that have some
    history: History


def index_corpus(records: LinkedRecords) -> Corpus:
    """The complete corpus: ``records`` with every backlink and join pages read."""
    order = {slug: (a.date, slug) for slug, a in records.articles.items()}
    appearances = _annotations_by_target(records.annotations, order, "claim")
    citations = _annotations_by_target(records.annotations, order, "citation")
    claims_by_entity, claims_by_source = _claims_by_record(records.claims.values())
    mentions_by_entity, articles_by_entity, co_mentions = _entity_indexes(records, order)
    claims_about, claims_by_claimant = joins.claims_by_role(records.claims.values())
    articles_by_publisher, articles_by_author = joins.articles_by_role(records.articles)
    return Corpus(
        config=records.config,
        articles=records.articles,
        claims=records.claims,
        entities=records.entities,
        sources=records.sources,
        pages=records.pages,
        annotations=records.annotations,
        notes=records.notes,
        mentions=records.mentions,
        appearances=appearances,
        claims_by_entity=claims_by_entity,
        claims_by_source=claims_by_source,
        articles_by_entity=articles_by_entity,
        mentions_by_entity=mentions_by_entity,
        citations_by_source=citations,
        cited_by=_cited_by(records.sources.values()),
        co_mentions=co_mentions,
        stats=joins.article_stats(
            records.config, records.claims, records.annotations, records.notes
        ),
        provenance=joins.provenance(records.sources),
        mention_groups=joins.mention_groups(mentions_by_entity),
        mention_periods=joins.mention_periods(records.articles, mentions_by_entity),
        claims_about=claims_about,
        claims_by_claimant=claims_by_claimant,
        articles_by_publisher=articles_by_publisher,
        articles_by_author=articles_by_author,
        sources_by_publisher=joins.sources_by_publisher(records.sources),
        corrections=records.corrections,
        history=records.history,
    )


Order = Mapping[str, tuple[str, str]]
"""article slug -> (date, slug): earliest first when sorted."""


def _annotations_by_target(
    annotations: Mapping[str, tuple[Annotation, ...]], order: Order, kind: str
) -> dict[str, tuple[Annotation, ...]]:
    """Annotations of one kind by what they point at (a claim, a source), earliest article first."""
    found: dict[str, list[Annotation]] = defaultdict(list)
    for slug in sorted(annotations, key=order.__getitem__):
        for annotation in annotations[slug]:
            if annotation.kind == kind:
                found[annotation.target].append(annotation)
    return {target: tuple(items) for target, items in found.items()}


def _claims_by_record(
    claims: Iterable[Claim],
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Claim ids by each entity they are about or made by, and by each source they rest on."""
    by_entity: dict[str, set[str]] = defaultdict(set)
    by_source: dict[str, set[str]] = defaultdict(set)
    for claim in claims:
        for entity in (*claim.about, *([claim.claimant] if claim.claimant else [])):
            by_entity[entity].add(claim.id)
        for cited in claim.sources:
            by_source[cited.source].add(claim.id)
    return _sorted(by_entity), _sorted(by_source)


def _entity_indexes(
    records: LinkedRecords, order: Order
) -> tuple[
    dict[str, tuple[Mention, ...]],
    dict[str, tuple[str, ...]],
    dict[str, tuple[tuple[str, int], ...]],
]:
    """Per entity: its mentions (earliest article first), the articles naming it, writing or
    publishing it (newest first), and the entities named in the same articles (most shared
    first)."""
    mentions: dict[str, list[Mention]] = defaultdict(list)
    articles: dict[str, set[str]] = defaultdict(set)
    pairs: Counter[tuple[str, str]] = Counter()
    for slug in sorted(records.mentions, key=order.__getitem__):
        named = set()
        for mention in records.mentions[slug]:
            mentions[mention.entity].append(mention)
            named.add(mention.entity)
        article = records.articles[slug]
        named |= {a.entity for a in article.authors if a.entity} | {article.publisher}
        named |= set(article.title_entities)
        for entity in named:
            articles[entity].add(slug)
        ordered = sorted(named)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                pairs[(first, second)] += 1
    co_mentions: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (first, second), count in pairs.items():
        co_mentions[first].append((second, count))
        co_mentions[second].append((first, count))
    return (
        {entity: tuple(items) for entity, items in mentions.items()},
        {
            entity: tuple(sorted(slugs, key=order.__getitem__, reverse=True))
            for entity, slugs in articles.items()
        },
        {k: tuple(sorted(v, key=lambda p: (-p[1], p[0]))) for k, v in co_mentions.items()},
    )


def _cited_by(sources: Iterable[Source]) -> dict[str, tuple[str, ...]]:
    """source id -> the sources that cite it."""
    cited_by: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        for cited in source.cites:
            cited_by[cited].add(source.id)
    return _sorted(cited_by)


def _sorted(table: Mapping[str, set[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(sorted(values)) for key, values in table.items()}
