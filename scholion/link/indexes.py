"""The corpus indexes: every backlink and join a page reads, built once when linking ends, each in
one pass over the records (linear in the corpus), so that templates only look records up by id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from scholion.config import SiteConfig
from scholion.link import joins
from scholion.link.entity_index import EntityIndex, entity_index
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


def index_corpus(records: LinkedRecords, entities: EntityIndex | None = None) -> Corpus:
    """The complete corpus: ``records`` with every backlink and join pages read; ``entities``
    is their :func:`entity_index`, if already computed (the live site keeps it up to date)."""
    if entities is None:
        entities = entity_index(records.articles, records.mentions)
    order = {slug: (a.date, slug) for slug, a in records.articles.items()}
    appearances = _annotations_by_target(records.annotations, order, "claim")
    citations = _annotations_by_target(records.annotations, order, "citation")
    claims_by_entity, claims_by_source = _claims_by_record(records.claims.values())
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
        articles_by_entity=entities.articles,
        mentions_by_entity=entities.mentions,
        citations_by_source=citations,
        cited_by=_cited_by(records.sources.values()),
        co_mentions=entities.co_mentions,
        stats=joins.article_stats(
            records.config, records.claims, records.annotations, records.notes
        ),
        provenance=joins.provenance(records.sources),
        mention_groups=entities.groups,
        mention_periods=entities.periods,
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


def _cited_by(sources: Iterable[Source]) -> dict[str, tuple[str, ...]]:
    """source id -> the sources that cite it."""
    cited_by: dict[str, set[str]] = defaultdict(set)
    for source in sources:
        for cited in source.cites:
            cited_by[cited].add(source.id)
    return _sorted(cited_by)


def _sorted(table: Mapping[str, set[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(sorted(values)) for key, values in table.items()}
