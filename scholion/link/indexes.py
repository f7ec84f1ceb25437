"""The corpus indexes: every backlink and join a page reads, built once when linking ends, each in
one pass over the records (linear in the corpus), so that templates only look records up by id.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from scholion.config import SiteConfig
from scholion.link import joins
from scholion.link.entity_index import EntityIndex, entity_index
from scholion.link.regroup import Grouping, changed_keys
from scholion.link.relations import claim_links, narratives_by_claim, relations_by_entity
from scholion.model import (
    Annotation,
    Article,
    ArticleStats,
    Claim,
    Corpus,
    Correction,
    Entity,
    History,
    Mention,
    Narrative,
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
    narratives: Mapping[str, Narrative]


@dataclass(frozen=True)
class Indexed:
    """A corpus with the records it was indexed from: what :func:`index_corpus` updates by
    difference after an edit (the live site keeps it between edits)."""

    records: LinkedRecords
    corpus: Corpus


def index_corpus(
    records: LinkedRecords, entities: EntityIndex | None = None, previous: Indexed | None = None
) -> Corpus:
    """The complete corpus: ``records`` with every backlink and join pages read; ``entities``
    is their :func:`entity_index`, if already computed (the live site keeps it up to date).

    With ``previous`` (the same for an earlier version of the corpus), each join is computed
    again only for what the records that changed contribute to (:mod:`.regroup`): an edit
    touches a few records of 10,000 articles, and computing every join took a second."""
    if entities is None:
        entities = entity_index(records.articles, records.mentions)
    if previous is not None and previous.records.config != records.config:
        previous = None  # the rating scale, say: every article's figures
    joined = _Joins(records, previous)
    appearances = joined.annotations("appearances", "claim")
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
        claims_by_entity=joined.claims("claims_by_entity", _entities_of),
        claims_by_source=joined.claims("claims_by_source", _sources_of),
        articles_by_entity=entities.articles,
        mentions_by_entity=entities.mentions,
        citations_by_source=joined.annotations("citations_by_source", "citation"),
        cited_by=joined.sources("cited_by", _cited_by),
        co_mentions=entities.co_mentions,
        stats=joined.stats(appearances),
        provenance=joined.sources("provenance", joins.provenance),
        mention_groups=entities.groups,
        mention_periods=entities.periods,
        claims_about=joined.claims("claims_about", lambda c: c.about),
        claims_by_claimant=joined.claims("claims_by_claimant", _claimant_of),
        claims_by_rating=joined.claims("claims_by_rating", lambda c: [c.rating]),
        articles_by_publisher=joined.articles("articles_by_publisher", lambda a: [a.publisher]),
        articles_by_author=joined.articles("articles_by_author", _authors_of),
        sources_by_publisher=joined.sources("sources_by_publisher", joins.sources_by_publisher),
        corrections=records.corrections,
        history=records.history,
        narratives=records.narratives,
        relations=relations_by_entity(records.config, records.entities),
        claim_links=claim_links(records.claims.values()),
        narratives_by_claim=narratives_by_claim(records.narratives),
    )


class _Joins:
    """The joins of one version of the records, each from nothing or, with ``previous``, by
    difference from the previous version's."""

    def __init__(self, records: LinkedRecords, previous: Indexed | None) -> None:
        self.records, self.previous = records, previous
        before = previous.records if previous else None
        self.articles_changed = (
            changed_keys(before.articles, records.articles)
            | changed_keys(before.annotations, records.annotations)
            | changed_keys(before.notes, records.notes)
            if before
            else set()
        )
        self.claims_changed = changed_keys(before.claims, records.claims) if before else set()
        self.sources_changed = (
            bool(changed_keys(before.sources, records.sources)) if before else True
        )

    def order(self, slug: str) -> tuple[str, str]:
        """Where an article comes in a join: by date, then slug (looked up when asked: an edit
        sorts a few articles, and a table of all of them cost a pass per edit)."""
        return self.records.articles[slug].date, slug

    def _update(
        self, name: str, grouping: Grouping[Any, Any], changed: set[str], field: str
    ) -> dict[str, tuple[Any, ...]]:
        items = getattr(self.records, field)
        if self.previous is None:
            return grouping.table(items)
        table = getattr(self.previous.corpus, name)
        return grouping.regroup(table, changed, getattr(self.previous.records, field), items)

    def annotations(self, name: str, kind: str) -> dict[str, tuple[Annotation, ...]]:
        """Annotations of one kind by what they point at (a claim, a source), earliest article
        first, in reading order within an article."""
        grouping: Grouping[tuple[Annotation, ...], Annotation] = Grouping(
            lambda found: [(a.target, a) for a in found if a.kind == kind],
            lambda a: a.article,
            lambda a: self.order(a.article),
        )
        return self._update(name, grouping, self.articles_changed, "annotations")

    def claims(
        self, name: str, named: Callable[[Claim], Iterable[str]]
    ) -> dict[str, tuple[str, ...]]:
        """Claim ids by each record ``named`` by a claim, sorted."""
        grouping: Grouping[Claim, str] = Grouping(
            lambda claim: [(key, claim.id) for key in dict.fromkeys(named(claim))],
            _itself,
            _itself,
        )
        return self._update(name, grouping, self.claims_changed, "claims")

    def articles(
        self, name: str, named: Callable[[Article], Iterable[str]]
    ) -> dict[str, tuple[str, ...]]:
        """Article slugs by each entity ``named`` by an article, newest first."""
        grouping: Grouping[Article, str] = Grouping(
            lambda article: [(key, article.slug) for key in named(article)],
            _itself,
            self.order,
            descending=True,
        )
        return self._update(name, grouping, self.articles_changed, "articles")

    def sources(self, name: str, make: Callable[[Mapping[str, Source]], T]) -> T:
        """A join of the sources alone, made again whenever one of them changed (they are few
        and seldom edited, and provenance follows chains across them)."""
        if self.previous is None or self.sources_changed:
            return make(self.records.sources)
        return cast(T, getattr(self.previous.corpus, name))

    def stats(self, appearances: Mapping[str, tuple[Annotation, ...]]) -> dict[str, ArticleStats]:
        """The figures of each article, again for the articles that changed and those in which
        a changed claim appears (its rating is counted there)."""
        records, previous = self.records, self.previous
        if previous is None or records.annotations.keys() != previous.records.annotations.keys():
            return joins.article_stats(
                records.config, records.claims, records.annotations, records.notes
            )
        touched = set(self.articles_changed)
        for claim_id in self.claims_changed:
            for found in (previous.corpus.appearances, appearances):
                touched.update(a.article for a in found.get(claim_id, ()))
        fresh = joins.article_stats(
            records.config,
            records.claims,
            {slug: records.annotations[slug] for slug in touched if slug in records.annotations},
            records.notes,
        )
        stats = dict(previous.corpus.stats)
        stats.update(fresh)  # the same keys: the order stays the articles'
        return stats


T = TypeVar("T")


def _itself(value: str) -> str:
    return value


def _entities_of(claim: Claim) -> tuple[str, ...]:
    return (*claim.about, *([claim.claimant] if claim.claimant else []))


def _sources_of(claim: Claim) -> list[str]:
    return [cited.source for cited in claim.sources]


def _claimant_of(claim: Claim) -> list[str]:
    return [claim.claimant] if claim.claimant else []


def _authors_of(article: Article) -> list[str]:
    return [author.entity for author in article.authors if author.entity]


def _cited_by(sources: Mapping[str, Source]) -> dict[str, tuple[str, ...]]:
    """source id -> the sources that cite it."""
    cited_by: dict[str, set[str]] = defaultdict(set)
    for source in sources.values():
        for cited in source.cites:
            cited_by[cited].add(source.id)
    return {key: tuple(sorted(values)) for key, values in cited_by.items()}
