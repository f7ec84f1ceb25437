"""The joins of each entity, updated after an edit, are those a full computation gives."""

from __future__ import annotations

import dataclasses

from hypothesis import given, settings
from hypothesis import strategies as st

from scholion.link.entity_index import EntityIndex, entity_index
from scholion.model import Article, Author, Mention
from scholion.text.index import TextIndex

ENTITIES = ["caracas", "moscow", "reuters", "jane-doe", "example-times"]
SLUGS = ["alpha", "beta", "gamma", "delta"]


def article(
    slug: str, date: str, publisher: str, author: str | None, titled: tuple[str, ...] = ()
) -> Article:
    authors = (Author(author, author),) if author else ()
    return Article(
        slug, f"content/articles/{slug}.md", slug, date, authors, publisher, "", "", "en", "",
        "", "", TextIndex.from_html(""), 0, titled,
    )  # fmt: skip


@st.composite
def versions(draw: st.DrawFn) -> tuple[dict[str, Article], dict[str, tuple[Mention, ...]]]:
    """A corpus as the index sees it: articles (dates, authors, publishers) and mentions."""
    articles, mentions = {}, {}
    for slug in draw(st.lists(st.sampled_from(SLUGS), unique=True)):
        date = draw(st.sampled_from(["2019-03", "2019-03-24", "2019-04-02", "2020"]))
        author = draw(st.none() | st.sampled_from(ENTITIES))
        titled = tuple(sorted(set(draw(st.lists(st.sampled_from(ENTITIES), max_size=2)))))
        articles[slug] = article(slug, date, draw(st.sampled_from(ENTITIES)), author, titled)
        named = draw(st.lists(st.sampled_from(ENTITIES), max_size=5))
        mentions[slug] = tuple(
            Mention(e, slug, f"m-{e}-{i}", i, i + 1, "", e, "", True) for i, e in enumerate(named)
        )
    return articles, mentions


def joins(index: EntityIndex) -> dict:
    fields = ("mentions", "articles", "co_mentions", "groups", "periods", "pairs", "named")
    return {name: dict(getattr(index, name)) for name in fields}


@settings(max_examples=150, deadline=None)
@given(before=versions(), after=versions(), keep=st.lists(st.sampled_from(SLUGS)))
def test_an_updated_index_equals_a_full_computation(before, after, keep):
    articles, mentions = after
    for slug in keep:  # some articles unchanged, as the same objects
        if slug in before[0]:
            articles[slug], mentions[slug] = before[0][slug], before[1][slug]
    previous = entity_index(*before)
    updated = entity_index(articles, mentions, previous)
    assert joins(updated) == joins(entity_index(articles, mentions))


def test_an_unchanged_corpus_keeps_every_join_as_it_was():
    articles = {"alpha": article("alpha", "2019-03-24", "reuters", "jane-doe")}
    mentions = {
        "alpha": (Mention("caracas", "alpha", "m-caracas-1", 0, 7, "", "Caracas", "", True),)
    }
    previous = entity_index(articles, mentions)
    again = entity_index(dict(articles), dict(mentions), previous)
    assert again.co_mentions is previous.co_mentions and again.mentions is previous.mentions
    relinked = {"alpha": dataclasses.replace(articles["alpha"])}  # the same, made again
    assert entity_index(relinked, mentions, previous).articles is previous.articles


def test_entities_named_with_the_same_one_as_often_hold_one_pair_for_it():
    # Three articles by one publisher name "caracas" beside another entity each: each of
    # those lists the pair ("caracas", 1), the same tuple in all three (a co-mention list per
    # entity grows with the corpus; the distinct pairs far less).
    articles = {slug: article(slug, "2019-03-24", "reuters", None) for slug in SLUGS[:3]}
    mentions = {
        slug: (
            Mention("caracas", slug, "m-1", 0, 7, "", "Caracas", "", True),
            Mention(other, slug, "m-2", 8, 9, "", other, "", True),
        )
        for slug, other in zip(SLUGS[:3], ["moscow", "jane-doe", "example-times"], strict=False)
    }
    co_mentions = entity_index(articles, mentions).co_mentions
    lists = [co_mentions[entity] for entity in ("moscow", "jane-doe", "example-times")]
    assert lists == [(("caracas", 1), ("reuters", 1))] * 3
    assert lists[0][0] is lists[1][0] is lists[2][0]
