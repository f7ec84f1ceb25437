"""The joins of each entity: its mentions (earliest article first), the articles naming it,
writing or publishing it (newest first), the entities named in the same articles (most shared
first), its mentions grouped by article and counted by month.

They are the costliest indexes (at 10,000 articles, every pair of entities named together is
counted), and an edit seldom changes what an article names: :func:`entity_index` given the
index of the previous version recomputes only the entities that an added, removed or changed
article names, before or after. ``tests/test_entity_index.py`` compares it with a full
computation after random edits; ``tests/test_live.py`` with a clean build.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from scholion.incremental.readers import replaced
from scholion.link import joins
from scholion.model import Article, Mention, MentionGroup

Order = Mapping[str, tuple[str, str]]
"""article slug -> (date, slug): earliest first when sorted."""


@dataclass(frozen=True)
class EntityIndex:
    """The joins of every entity, with what they were computed from."""

    mentions: Mapping[str, tuple[Mention, ...]]
    articles: Mapping[str, tuple[str, ...]]
    co_mentions: Mapping[str, tuple[tuple[str, int], ...]]
    groups: Mapping[str, tuple[MentionGroup, ...]]
    periods: Mapping[str, tuple[tuple[str, int], ...]]
    named: Mapping[str, frozenset[str]]
    """article slug -> the entities it names: in its text, as its authors or publisher."""
    pairs: Mapping[str, Mapping[str, int]]
    """entity -> each entity named in the same articles -> how many."""
    sources: Mapping[str, tuple[Article, tuple[Mention, ...]]]
    """article slug -> the article and mentions this index was computed from."""
    inputs: tuple[Mapping[str, Article], Mapping[str, tuple[Mention, ...]]] = ({}, {})
    """The mappings of articles and mentions it was computed from: the next edit's differ
    from them where their values are other objects (found in C)."""


def entity_index(
    articles: Mapping[str, Article],
    mentions: Mapping[str, tuple[Mention, ...]],
    previous: EntityIndex | None = None,
) -> EntityIndex:
    """The joins of every entity; with ``previous`` (the index of an earlier version of the
    corpus), only those of the entities named by an article that changed are computed again."""
    touched = _touched(previous, articles, mentions)
    if previous is None or touched is None:
        order = {slug: (a.date, slug) for slug, a in articles.items()}
        sources = {slug: (articles[slug], mentions[slug]) for slug in mentions}
        named = {
            slug: _kept_named(previous, slug, article, found)
            for slug, (article, found) in sources.items()
        }
        if previous is None:
            return _computed(articles, mentions, order, named, sources)
        order_key = order.__getitem__
        touched = named.keys() | previous.named.keys()
    else:  # no article came or went: only those that are other objects can differ
        sources, named = dict(previous.sources), dict(previous.named)
        for slug in touched:
            sources[slug] = article, found = articles[slug], mentions[slug]
            named[slug] = _kept_named(previous, slug, article, found)
        order_key = _order_of(articles)
    changed = [slug for slug in touched if _changed(previous.sources.get(slug), sources.get(slug))]
    if not changed:
        return dataclasses.replace(
            previous, named=named, sources=sources, inputs=(articles, mentions)
        )
    affected = set().union(
        *(named.get(s, frozenset()) | previous.named.get(s, frozenset()) for s in changed)
    )
    pairs = _pairs_updated(previous, named, changed, affected)
    gone = set(changed)
    found_articles = dict(previous.articles)
    found_mentions = dict(previous.mentions)
    co_mentions = dict(previous.co_mentions)
    groups, periods = dict(previous.groups), dict(previous.periods)
    shared: dict[tuple[str, int], tuple[str, int]] = {}
    for entity in sorted(affected):
        slugs = {s for s in previous.articles.get(entity, ()) if s not in gone}
        slugs |= {s for s in changed if entity in named.get(s, ())}
        ordered = tuple(sorted(slugs, key=order_key, reverse=True))
        _put(found_articles, entity, ordered)
        own = tuple(m for s in reversed(ordered) for m in mentions[s] if m.entity == entity)
        _put(found_mentions, entity, own)
        _put(co_mentions, entity, _ranked(pairs.get(entity, {}), shared))
        _put(groups, entity, joins.mention_groups({entity: own})[entity] if own else ())
        _put(periods, entity, joins.mention_periods(articles, {entity: own})[entity] if own else ())
    return EntityIndex(
        found_mentions,
        found_articles,
        co_mentions,
        groups,
        periods,
        named,
        pairs,
        sources,
        (articles, mentions),
    )


def _touched(
    previous: EntityIndex | None,
    articles: Mapping[str, Article],
    mentions: Mapping[str, tuple[Mention, ...]],
) -> set[str] | None:
    """The articles whose record or mentions are other objects than ``previous`` was computed
    from, when the same articles are there in the same order; else None."""
    if previous is None or mentions.keys() != articles.keys():
        return None
    before_articles, before_mentions = previous.inputs
    replaced_articles = replaced(before_articles, articles)
    replaced_mentions = replaced(before_mentions, mentions)
    if replaced_articles is None or replaced_mentions is None:
        return None
    return {*replaced_articles, *replaced_mentions}


def _order_of(articles: Mapping[str, Article]) -> Callable[[str], tuple[str, str]]:
    """(date, slug) of an article, looked up when asked: the few entities an edit touches sort
    a few articles, where a table of all of them cost a pass over the corpus per edit."""
    return lambda slug: (articles[slug].date, slug)


def _kept_named(
    previous: EntityIndex | None, slug: str, article: Article, found: tuple[Mention, ...]
) -> frozenset[str]:
    """What the article names, as computed last time if it is the same article and mentions."""
    if previous is not None:
        before = previous.sources.get(slug)
        if before is not None and before[0] is article and before[1] is found:
            return previous.named[slug]
    authors = {a.entity for a in article.authors if a.entity}
    titled = set(article.title_entities)  # the headline names them: not a link, but a mention
    return frozenset({m.entity for m in found} | authors | {article.publisher} | titled)


def _changed(
    before: tuple[Article, tuple[Mention, ...]] | None,
    after: tuple[Article, tuple[Mention, ...]] | None,
) -> bool:
    """Whether an article's part in the index may differ: it came or went, or its date,
    authors, publisher, the entities its headline names or its mentions are not what they
    were."""
    if before is None or after is None:
        return before is not after
    (old, old_mentions), (new, new_mentions) = before, after
    if old is not new and (
        old.date != new.date
        or old.authors != new.authors
        or old.publisher != new.publisher
        or old.title_entities != new.title_entities
    ):
        return True
    return old_mentions is not new_mentions and old_mentions != new_mentions


def _pairs_updated(
    previous: EntityIndex,
    named: Mapping[str, frozenset[str]],
    changed: list[str],
    affected: set[str],
) -> dict[str, Mapping[str, int]]:
    """The co-naming counts with what the changed articles named taken out and put back."""
    counts = {entity: Counter(previous.pairs.get(entity, {})) for entity in affected}
    for slug in changed:
        for names, step in ((previous.named.get(slug, ()), -1), (named.get(slug, ()), 1)):
            for first, second in itertools.combinations(sorted(names), 2):
                counts[first][second] += step
                counts[second][first] += step
    pairs = dict(previous.pairs)
    for entity, counted in counts.items():
        _put(pairs, entity, {other: n for other, n in counted.items() if n > 0})
    return pairs


def _computed(
    articles: Mapping[str, Article],
    mentions: Mapping[str, tuple[Mention, ...]],
    order: Order,
    named: Mapping[str, frozenset[str]],
    sources: Mapping[str, tuple[Article, tuple[Mention, ...]]],
) -> EntityIndex:
    """Every entity's joins, in passes over every article."""
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    naming: dict[str, set[str]] = defaultdict(set)
    counted: Counter[tuple[str, str]] = Counter()
    for slug in sorted(mentions, key=order.__getitem__):
        for mention in mentions[slug]:
            by_entity[mention.entity].append(mention)
        for entity in named[slug]:
            naming[entity].add(slug)
        counted.update(itertools.combinations(sorted(named[slug]), 2))  # counted in C
    pairs: dict[str, dict[str, int]] = defaultdict(dict)
    for (first, second), count in counted.items():
        pairs[first][second] = count
        pairs[second][first] = count
    found = {entity: tuple(items) for entity, items in by_entity.items()}
    shared: dict[tuple[str, int], tuple[str, int]] = {}
    return EntityIndex(
        mentions=found,
        articles={
            entity: tuple(sorted(slugs, key=order.__getitem__, reverse=True))
            for entity, slugs in naming.items()
        },
        co_mentions={entity: _ranked(others, shared) for entity, others in pairs.items()},
        groups=joins.mention_groups(found),
        periods=joins.mention_periods(articles, found),
        named=named,
        pairs=dict(pairs),
        sources=sources,
        inputs=(articles, mentions),
    )


def _ranked(
    others: Mapping[str, int], shared: dict[tuple[str, int], tuple[str, int]]
) -> tuple[tuple[str, int], ...]:
    """Entities named with one, most articles in common first, then by id; each pair the one
    in ``shared`` equal to it. Most entities share few articles with each other, so the same
    pair ("caracas", 1) is in the lists of hundreds of entities: one tuple for all of them
    instead of one in each cut the co-mentions of 10,000 articles from 62 to 10.5 MB, and they
    grow faster than the corpus (every pair of entities named together)."""
    ranked = sorted(others.items(), key=lambda pair: (-pair[1], pair[0]))
    return tuple(shared.setdefault(pair, pair) for pair in ranked)


def _put(table: dict, key: str, value: tuple | Mapping) -> None:
    """Set ``key`` to ``value``, or leave it out when empty, as a full computation does."""
    if value:
        table[key] = value
    else:
        table.pop(key, None)
