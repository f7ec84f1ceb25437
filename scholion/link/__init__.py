"""Stage 4, link: typed records, anchored quotes, found mentions, and the corpus indexes.

Runs only on validated records, so it may assume every value has its schema's shape; the one
kind of content problem it can still find is a quote that does not anchor, reported as a
located diagnostic like any other. After this stage the corpus is read-only: pages are views.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from scholion import parallel
from scholion.config import SiteConfig, site_config
from scholion.diagnostics import Diagnostic
from scholion.incremental.file_cache import FileCache
from scholion.link.aliases import AliasMatcher
from scholion.link.entity_index import EntityIndex, entity_index
from scholion.link.indexes import Indexed, LinkedRecords, index_corpus
from scholion.link.mentions import find_mentions, title_entities
from scholion.link.quotes import anchor_quotes, notes_of
from scholion.link.records import (
    Markdown,
    article_record,
    corrections_of,
    defined_claims,
    entity_record,
    narrative_record,
    page_record,
    source_record,
)
from scholion.link.stored import LinkedArticle, linking_context, stored_key
from scholion.load.documents import Document, Records
from scholion.load.per_document import replaced_documents
from scholion.model import Corpus, Entity, History, Narrative, Page, Source
from scholion.text.markup import MarkdownMemo

T = TypeVar("T")


def quote_problems(
    records: Records,
    unsound: Collection[str],
    base_url: str | None = None,
    cache: FileCache | None = None,
) -> list[Diagnostic]:
    """The quotes that do not anchor in every article whose files are sound, while errors
    elsewhere (an unknown id, a file of the wrong shape: ``unsound`` names those files) stop
    linking: a contributor learns of every broken quote in the same run, not after fixing the
    other errors. Anchoring needs only an article, its sidecar and the entities' names."""
    if records.config is None or records.config.path in unsound:
        return []
    config = site_config(records.config.data, base_url)
    matcher = AliasMatcher(entity_record(d) for d in records.entities if d.path not in unsound)
    sidecars = {d.stem: d for d in records.sidecars if d.path not in unsound}
    articles = [d for d in records.articles if d.path not in unsound and d.stem in sidecars]
    linked = _linked_articles(matcher, config, sidecars, cache or FileCache(None), articles)
    return [problem for article in linked for problem in article.problems]


@dataclass(frozen=True)
class Linking:
    """What linking gave for each file, and from which version of it: :func:`relink` reuses it
    for every file an edit left as it was (``serve`` keeps it between edits)."""

    config: SiteConfig
    matcher: AliasMatcher
    """Every entity name and alias, and the entity it links to (:attr:`AliasMatcher.owner`)."""
    articles: Mapping[str, tuple[Document, Document | None, LinkedArticle]]
    """slug -> (the article's document, its sidecar's, what linking them gave)."""
    entity_records: Mapping[str, Kept[Entity]]
    sources: Mapping[str, Kept[Source]]
    pages: Mapping[str, Kept[Page]]
    narratives: Mapping[str, Kept[Narrative]] = dataclasses.field(default_factory=dict)
    entities: EntityIndex | None = None
    """The joins of each entity, updated for what an edit changed (:mod:`.entity_index`)."""
    indexed: Indexed | None = None
    """The corpus and the records it was indexed from, whose joins an edit updates."""
    records: Records | None = None
    """The documents linked: those of the next edit that are other objects are what changed
    (found in C, :func:`scholion.load.per_document.replaced_documents`)."""


R = TypeVar("R")
Kept = tuple[Document, R]
"""A record with the document it was made from."""
Kept3 = tuple[Document, Document | None, "LinkedArticle"]
"""An article's document, its sidecar's, and what linking them gave."""


def relink(
    records: Records,
    base_url: str | None = None,
    cache: FileCache | None = None,
    history: History | None = None,
    previous: Linking | None = None,
) -> tuple[Corpus | None, list[Diagnostic], Linking | None]:
    """The complete corpus, or None with the diagnostics of quotes that do not anchor; with it
    comes this linking, for the next edit. ``cache`` keeps the Markdown of each file between
    builds; ``history`` is what git knows of the corpus's past (a build reads it, ``check``
    has no use for it).

    With ``previous``, what was linked for files that are the same documents is reused
    (:func:`scholion.load.load` reuses the document of an unchanged file): an article is linked
    again only when its text or sidecar changed, or a name it may mention changed owner (a name
    that is not in its text or headline cannot change its mentions). The result is the same as
    linking everything."""
    assert records.config is not None, "link runs only after validation"
    cache = cache or FileCache(None)
    config = site_config(records.config.data, base_url)
    if previous is not None and previous.config != config:
        previous = None  # the mention policy, say: every article may link differently
    was = previous.records if previous else None
    entities = _kept(
        previous.entity_records if previous else {},
        was.entities if was else (),
        records.entities,
        entity_record,
    )
    matcher = _matcher(previous, entities)
    some = _relinked(previous, matcher.owner, records)
    if previous is None or some is None:
        linked_articles, relinked = _link_all(previous, matcher, config, cache, records)
    else:
        linked_articles = _link_some(previous, matcher, config, cache, some)
        relinked = set(some)
    diagnostics = [p for _, _, linked in linked_articles.values() for p in linked.problems]
    for slug in relinked:  # what a reused article converted was kept when it was made
        for digest, memo in linked_articles[slug][2].rendered:
            cache.keep_markdown(digest, memo)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics, None
    sources = _kept(
        previous.sources if previous else {},
        was.sources if was else (),
        records.sources,
        functools.partial(_cached, cache=cache, make=source_record),
    )
    pages = _kept(
        previous.pages if previous else {},
        was.pages if was else (),
        records.pages,
        functools.partial(_cached, cache=cache, make=page_record),
    )
    narratives = _kept(
        previous.narratives if previous else {},
        was.narratives if was else (),
        records.narratives,
        functools.partial(_cached, cache=cache, make=narrative_record),
    )
    linking = Linking(config, matcher, linked_articles, entities, sources, pages, narratives)
    typed = _linked_records(records, config, linking, history, previous, relinked)
    joined = entity_index(typed.articles, typed.mentions, previous.entities if previous else None)
    corpus = index_corpus(typed, joined, previous.indexed if previous else None)
    linking = dataclasses.replace(
        linking, entities=joined, indexed=Indexed(typed, corpus), records=records
    )
    return corpus, diagnostics, linking


def link_into_cache(records: Records, base_url: str | None, cache: FileCache) -> None:
    """Link every article of ``records`` that ``cache`` does not hold linked, into the cache
    alone: nothing is joined, and no linked article is kept here, only the text the cache
    keeps of it (the workers send nothing else). What a child does for a corpus too large to
    link where it is built (``pipeline._link_in_child``): the build then reads the articles
    back. At 100,000 articles the child that ran a whole ``check`` for this held every linked
    article beside its text for the cache, and built the joins the build then built again:
    14 GB, and 16.7 GB with its two workers, the build's peak."""
    assert records.config is not None, "link runs only after validation"
    config = site_config(records.config.data, base_url)
    matcher = _matcher(None, _kept({}, (), records.entities, entity_record))
    context = linking_context(config, matcher)
    sidecars = {doc.stem: doc for doc in records.sidecars}
    keys = [
        stored_key(doc, sidecars.get(doc.stem), context) if doc.digest else ""
        for doc in records.articles
    ]
    cache.use_linked(key for key in keys if key)
    missing = [
        (doc, key)
        for doc, key in zip(records.articles, keys, strict=True)
        if key and cache.linked(key) is None
    ]
    link = functools.partial(_link_article, matcher, config, sidecars, cache)
    work = functools.partial(_kept_text, link)
    for (_, key), (text, rendered) in zip(
        missing, parallel.ordered_map(work, missing, chunk=4), strict=True
    ):
        cache.keep_linked(key, text)
        for digest, memo in rendered:
            cache.keep_markdown(digest, memo)


def _kept_text(
    link: Callable[[tuple[Document, str]], LinkedArticle], item: tuple[Document, str]
) -> tuple[str, tuple[tuple[str, MarkdownMemo], ...]]:
    """What ``link`` (:func:`_link_article`) gives, as the text the cache keeps and the
    Markdown it converted."""
    linked = link(item)
    return linked.stored or linked.to_json(), linked.rendered


def _link_all(
    previous: Linking | None,
    matcher: AliasMatcher,
    config: SiteConfig,
    cache: FileCache,
    records: Records,
) -> tuple[dict[str, Kept3], set[str]]:
    """Every article linked, or reused from ``previous`` where its files are the same
    documents and no name it holds changed owner; with the slugs linked again."""
    sidecars = {doc.stem: doc for doc in records.sidecars}
    reusable = _reusable(previous, matcher.owner, records.articles, sidecars)
    fresh = _linked_articles(
        matcher, config, sidecars, cache, [d for d in records.articles if d.stem not in reusable]
    )
    before = previous.articles if previous else {}
    linked = {
        doc.stem: (
            doc,
            sidecars.get(doc.stem),
            reusable.get(doc.stem) or _interned(next(fresh), before.get(doc.stem)),
        )
        for doc in records.articles
    }
    return linked, linked.keys() - reusable.keys()


def _relinked(
    previous: Linking | None, owners: Mapping[str, str], records: Records
) -> dict[str, tuple[Document, Document | None]] | None:
    """The articles to link again, with their article's and sidecar's documents, when no
    article or sidecar came or went and no name changed owner: those whose text or sidecar is
    another document. None otherwise (then each article is looked at: :func:`_reusable`)."""
    was = previous.records if previous else None
    if previous is None or was is None or previous.matcher.owner != owners:
        return None
    articles = replaced_documents(was.articles, records.articles)
    sidecars = replaced_documents(was.sidecars, records.sidecars)
    if articles is None or sidecars is None:
        return None
    found: dict[str, tuple[Document, Document | None]] = {}
    for i in articles:
        doc = records.articles[i]
        found[doc.stem] = (doc, previous.articles[doc.stem][1])
    for i in sidecars:
        doc = records.sidecars[i]
        before = previous.articles.get(doc.stem)
        if before is not None:  # else a sidecar without its article, which validation reports
            found[doc.stem] = (found.get(doc.stem, before)[0], doc)
    return found


def _link_some(
    previous: Linking,
    matcher: AliasMatcher,
    config: SiteConfig,
    cache: FileCache,
    relinked: Mapping[str, tuple[Document, Document | None]],
) -> dict[str, Kept3]:
    """The last linking's articles with those ``relinked`` linked again."""
    linked = dict(previous.articles)
    if not relinked:
        return linked
    order = sorted(relinked)
    sidecars = {slug: sidecar for slug, (_, sidecar) in relinked.items() if sidecar is not None}
    made = _linked_articles(matcher, config, sidecars, cache, [relinked[s][0] for s in order])
    for slug, fresh in zip(order, made, strict=True):
        article, sidecar = relinked[slug]
        linked[slug] = (article, sidecar, _interned(fresh, previous.articles[slug]))
    return linked


def _matcher(previous: Linking | None, entities: Mapping[str, Kept[Entity]]) -> AliasMatcher:
    """The names of ``entities``: the last linking's automaton while every entity is the same
    record (building it for 2,000 entities took a tenth of a second, on every edit)."""
    if previous is not None and previous.entity_records is entities:
        return previous.matcher
    if previous is not None and previous.entity_records.keys() == entities.keys():
        before = previous.entity_records
        if all(before[key][1] is record for key, (_, record) in entities.items()):
            return previous.matcher
    return AliasMatcher(record for _, record in entities.values())


def _reusable(
    previous: Linking | None,
    owners: Mapping[str, str],
    articles: Sequence[Document],
    sidecars: Mapping[str, Document],
) -> dict[str, LinkedArticle]:
    """slug -> what linking gave last time, for each article whose files are the same documents
    and whose text and headline hold no name whose owner changed."""
    if previous is None:
        return {}
    was = previous.matcher.owner
    moved = (
        []
        if was is owners  # the same names: nothing moved
        else [name for name in was.keys() | owners.keys() if was.get(name) != owners.get(name)]
    )
    found = {}
    for doc in articles:
        before = previous.articles.get(doc.stem)
        if before is None or before[0] is not doc or before[1] is not sidecars.get(doc.stem):
            continue
        article = before[2].article
        if not any(name in article.index.text or name in article.title for name in moved):
            found[doc.stem] = before[2]
    return found


def _interned(linked: LinkedArticle, before: Kept3 | None) -> LinkedArticle:
    """``linked`` holding the objects of what the article gave last time wherever they are
    equal: linked again (its sidecar edited, a name in it given to another entity), an
    article mostly gives what it gave, and the joins and pages that follow tell what changed
    by identity (a claim reworded in a sidecar is then the one claim that changed, not every
    claim of the sidecar)."""
    if before is None:
        return linked
    was = before[2]
    return dataclasses.replace(
        linked,
        article=was.article if was.article == linked.article else linked.article,
        annotations=_same_items(was.annotations, linked.annotations),
        notes=_same_items(was.notes, linked.notes),
        mentions=_same_items(was.mentions, linked.mentions),
        claims=_same_items(was.claims, linked.claims),
        corrections=_same_items(was.corrections, linked.corrections),
    )


def _same_items(was: tuple[T, ...], now: tuple[T, ...]) -> tuple[T, ...]:
    """``now``, or ``was`` when equal; else ``now`` with each item equal to one of ``was``
    as that object."""
    if was == now:
        return was
    kept = {item: item for item in was}
    return tuple(kept.get(item, item) for item in now)


def _kept(
    before: Mapping[str, Kept[R]],
    was: Sequence[Document],
    documents: Sequence[Document],
    make: Callable[[Document], R],
) -> Mapping[str, Kept[R]]:
    """id -> (document, record) for each document, the record made again only for a document
    that is not the one it was made from last time (``was``: the documents of ``before``);
    ``before`` itself when every document is."""
    positions = replaced_documents(was, documents)
    if positions is not None:
        if not positions:
            return before
        found = dict(before)
        for i in positions:
            doc = documents[i]
            found[doc.stem] = (doc, make(doc))
        return found
    found = {}
    for doc in documents:
        kept = before.get(doc.stem)
        found[doc.stem] = kept if kept is not None and kept[0] is doc else (doc, make(doc))
    return found


def _linked_records(
    records: Records,
    config: SiteConfig,
    linking: Linking,
    history: History | None,
    previous: Linking | None = None,
    relinked: Collection[str] = (),
) -> LinkedRecords:
    """Every record, typed and anchored, in file order, for the indexes. With ``previous``
    (when no article came or went), its records with those of the ``relinked`` articles put
    in, where each mapping stays the last one's when nothing in it changed."""
    if (
        previous is None
        or previous.indexed is None
        or linking.articles.keys() != previous.articles.keys()
    ):
        return _all_records(records, config, linking, history)
    before = previous.indexed.records
    fresh = {slug: linking.articles[slug][2] for slug in relinked}
    was = {slug: previous.articles[slug][2] for slug in relinked}
    same_claims = all(
        [c.id for c in was[slug].claims] == [c.id for c in fresh[slug].claims] for slug in fresh
    )
    same_corrections = all(
        bool(was[slug].corrections) == bool(fresh[slug].corrections) for slug in fresh
    )
    if not (same_claims and same_corrections):
        return _all_records(records, config, linking, history)
    return LinkedRecords(
        config,
        articles=_patched(before.articles, {s: f.article for s, f in fresh.items()}),
        claims=_patched(
            before.claims, {c.id: c for linked in fresh.values() for c in linked.claims}
        ),
        entities=_typed(before.entities, linking.entity_records, previous.entity_records),
        sources=_typed(before.sources, linking.sources, previous.sources),
        pages=_typed(before.pages, linking.pages, previous.pages),
        narratives=_typed(before.narratives, linking.narratives, previous.narratives),
        annotations=_patched(before.annotations, {s: f.annotations for s, f in fresh.items()}),
        notes=_patched(before.notes, {s: f.notes for s, f in fresh.items()}),
        mentions=_patched(before.mentions, {s: f.mentions for s, f in fresh.items()}),
        corrections=_patched(
            before.corrections, {s: f.corrections for s, f in fresh.items() if f.corrections}
        ),
        history=history or History(),
    )


def _patched(before: Mapping[str, T], values: Mapping[str, T]) -> Mapping[str, T]:
    """``before`` with ``values`` for keys it has; ``before`` itself when they are its very
    objects (what follows tells what changed by identity)."""
    if all(before[key] is value for key, value in values.items()):
        return before
    found = dict(before)
    found.update(values)
    return found


def _typed(
    before: Mapping[str, R], kept: Mapping[str, Kept[R]], was: Mapping[str, Kept[R]]
) -> Mapping[str, R]:
    """The records of ``kept``: ``before`` (those of ``was``) when ``kept`` is ``was``."""
    return before if kept is was else {stem: record for stem, (_, record) in kept.items()}


def _all_records(
    records: Records, config: SiteConfig, linking: Linking, history: History | None
) -> LinkedRecords:
    """Every record, typed and anchored, in file order, made from nothing."""
    linked = {slug: item[2] for slug, item in linking.articles.items()}
    return LinkedRecords(
        config,
        articles={slug: item.article for slug, item in linked.items()},
        claims={
            claim.id: claim
            for doc in records.sidecars
            if doc.stem in linked
            for claim in linked[doc.stem].claims
        },
        entities={stem: record for stem, (_, record) in linking.entity_records.items()},
        sources={stem: record for stem, (_, record) in linking.sources.items()},
        pages={stem: record for stem, (_, record) in linking.pages.items()},
        narratives={stem: record for stem, (_, record) in linking.narratives.items()},
        annotations={slug: item.annotations for slug, item in linked.items()},
        notes={slug: item.notes for slug, item in linked.items()},
        mentions={slug: item.mentions for slug, item in linked.items()},
        corrections={
            doc.stem: linked[doc.stem].corrections
            for doc in records.sidecars
            if doc.stem in linked and linked[doc.stem].corrections
        },
        history=history or History(),
    )


def _cached(doc: Document, cache: FileCache, make: Callable[[Document, Markdown], T]) -> T:
    """``make(doc, markdown)``, with the Markdown of ``doc`` kept in ``cache`` (in this process)."""
    memo = cache.markdown(doc)
    made = make(doc, memo.render)
    cache.keep_markdown(doc.digest, memo)
    return made


def _linked_articles(
    matcher: AliasMatcher,
    config: SiteConfig,
    sidecars: dict[str, Document],
    cache: FileCache,
    articles: Sequence[Document],
) -> Iterator[LinkedArticle]:
    """Each of ``articles`` read back from a build's ``cache`` (keyed by :func:`stored_key`)
    or else linked, on every core; what was linked is kept in the cache, from here, since only
    the parent writes it.

    Entries are read back in this process: decoding one costs about what sending it from a
    worker did (pickled there, unpickled here), so on workers the reading was done twice (at
    10,000 articles with a warm cache, 3.9 s in one process against 7.4-8.4 s on two)."""
    context = linking_context(config, matcher) if cache.reads_linked else ""
    keys = [
        stored_key(doc, sidecars.get(doc.stem), context) if context and doc.digest else ""
        for doc in articles
    ]
    cache.use_linked(key for key in keys if key)
    kept = [_read_back(cache, key) for key in keys]
    missing = [
        (doc, key) for doc, key, found in zip(articles, keys, kept, strict=True) if found is None
    ]
    work = functools.partial(_link_article, matcher, config, sidecars, cache)
    linked_now = parallel.ordered_map(work, missing, chunk=4)
    for key, found in zip(keys, kept, strict=True):
        if found is not None:
            yield found
            continue
        linked = next(linked_now)
        if linked.stored:
            cache.keep_linked(key, linked.stored)
        yield dataclasses.replace(linked, stored="") if linked.stored else linked


def _read_back(cache: FileCache, key: str) -> LinkedArticle | None:
    """What linking an article gave, as the cache keeps it under ``key``, if it does."""
    kept = cache.linked(key) if key else None
    return None if kept is None else LinkedArticle.from_json(kept, sealed=cache.sealed)


def _link_article(
    matcher: AliasMatcher,
    config: SiteConfig,
    sidecars: dict[str, Document],
    cache: FileCache,
    item: tuple[Document, str],
) -> LinkedArticle:
    """Link one article (``item``: it and its key in ``cache``); pure, so the articles of a
    corpus are linked on every core at once."""
    doc, key = item
    sidecar = sidecars.get(doc.stem)
    data = sidecar.data if sidecar else {}
    text, annotated = cache.markdown(doc), cache.markdown(sidecar) if sidecar else MarkdownMemo()
    article = article_record(doc, text.render)
    anchored, problems = anchor_quotes(article, sidecar)
    found_annotations = anchored.annotations
    notes = notes_of(doc.stem, data, anchored, annotated.render)
    mentions = find_mentions(article, data, matcher, config, sidecar, problems)
    article = dataclasses.replace(article, title_entities=title_entities(article, data, matcher))
    article.index.release()  # quotes and mentions are placed: keep only the text
    claims = tuple(defined_claims(sidecar, annotated.render)) if sidecar else ()
    corrections = corrections_of(sidecar, annotated.render) if sidecar else ()
    rendered = tuple(
        (file.digest, memo)
        for file, memo in ((doc, text), (sidecar, annotated))
        if file is not None and memo.fresh
    )
    linked = LinkedArticle(
        article, found_annotations, notes, mentions, claims, corrections, tuple(problems), rendered
    )
    return (
        dataclasses.replace(linked, stored=linked.to_json())
        if cache.keeps_linked and key
        else linked
    )
