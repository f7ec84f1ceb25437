"""Stage 4, link: typed records, anchored quotes, found mentions, and the corpus indexes.

Runs only on validated records, so it may assume every value has its schema's shape; the one
kind of content problem it can still find is a quote that does not anchor, reported as a
located diagnostic like any other. After this stage the corpus is read-only: pages are views.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from scholion import parallel
from scholion.config import SiteConfig, site_config
from scholion.diagnostics import Diagnostic
from scholion.incremental.file_cache import FileCache
from scholion.link.aliases import AliasMatcher
from scholion.link.indexes import LinkedRecords, index_corpus
from scholion.link.mentions import find_mentions, title_entities
from scholion.link.quotes import anchor_quotes, notes_of
from scholion.link.records import (
    Markdown,
    article_record,
    corrections_of,
    defined_claims,
    entity_record,
    page_record,
    source_record,
)
from scholion.load.documents import Document, Records
from scholion.model import (
    Annotation,
    Article,
    Claim,
    Corpus,
    Correction,
    History,
    Mention,
    Note,
)
from scholion.text.markup import MarkdownMemo

T = TypeVar("T")


def link(
    records: Records,
    base_url: str | None = None,
    cache: FileCache | None = None,
    history: History | None = None,
) -> tuple[Corpus | None, list[Diagnostic]]:
    """The complete corpus, or None with the diagnostics of quotes that do not anchor.

    ``cache`` keeps the Markdown of each file between builds; ``history`` is what git knows of
    the corpus's past (:func:`scholion.load.history.read_history`: a build reads it, ``check``
    has no use for it)."""
    assert records.config is not None, "link runs only after validation"
    cache = cache or FileCache(None)
    config = site_config(records.config.data, base_url)
    sidecars = {doc.stem: doc for doc in records.sidecars}
    entities = {doc.stem: entity_record(doc) for doc in records.entities}
    articles: dict[str, Article] = {}
    diagnostics: list[Diagnostic] = []
    annotations: dict[str, tuple[Annotation, ...]] = {}
    notes: dict[str, tuple[Note, ...]] = {}
    mentions: dict[str, tuple[Mention, ...]] = {}
    claims_in: dict[str, tuple[Claim, ...]] = {}
    corrections_in: dict[str, tuple[Correction, ...]] = {}
    work = functools.partial(
        _link_article, AliasMatcher(entities.values()), config, sidecars, cache
    )
    for linked in parallel.ordered_map(work, records.articles, chunk=4):
        slug = linked.article.slug
        articles[slug] = linked.article
        annotations[slug] = linked.annotations
        notes[slug] = linked.notes
        mentions[slug] = linked.mentions
        claims_in[slug] = linked.claims
        corrections_in[slug] = linked.corrections
        diagnostics += linked.problems
        for digest, memo in linked.rendered:
            cache.keep_markdown(digest, memo)
    if any(d.is_error for d in diagnostics):
        return None, diagnostics
    claims = {c.id: c for doc in records.sidecars for c in claims_in.get(doc.stem, ())}
    sources = {doc.stem: _cached(cache, doc, source_record) for doc in records.sources}
    pages = {doc.stem: _cached(cache, doc, page_record) for doc in records.pages}
    corrections = {d.stem: corrections_in[d.stem] for d in records.sidecars if d.stem in articles}
    records_linked = LinkedRecords(
        config,
        articles,
        claims,
        entities,
        sources,
        pages,
        annotations,
        notes,
        mentions,
        corrections={slug: items for slug, items in corrections.items() if items},
        history=history or History(),
    )
    return index_corpus(records_linked), diagnostics


def _cached(cache: FileCache, doc: Document, make: Callable[[Document, Markdown], T]) -> T:
    """``make(doc, markdown)``, with the Markdown of ``doc`` kept in ``cache`` (in this process)."""
    memo = cache.markdown(doc)
    made = make(doc, memo.render)
    cache.keep_markdown(doc.digest, memo)
    return made


@dataclass(frozen=True, slots=True)
class _Linked:
    """One article after the work of linking that needs no other article but the alias table:
    its Markdown, anchored quotes, notes, mentions and the claims its sidecar defines."""

    article: Article
    annotations: tuple[Annotation, ...]
    notes: tuple[Note, ...]
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    corrections: tuple[Correction, ...]
    problems: tuple[Diagnostic, ...]
    rendered: tuple[tuple[str, MarkdownMemo], ...]
    """Markdown converted here, by file digest: for the parent to keep in the cache, since
    only the parent writes it."""


def _link_article(
    matcher: AliasMatcher,
    config: SiteConfig,
    sidecars: dict[str, Document],
    cache: FileCache,
    doc: Document,
) -> _Linked:
    """Link one article; pure, so the articles of a corpus are linked on every core at once."""
    sidecar = sidecars.get(doc.stem)
    data = sidecar.data if sidecar else {}
    text, annotated = cache.markdown(doc), cache.markdown(sidecar) if sidecar else MarkdownMemo()
    article = article_record(doc, text.render)
    found, problems = anchor_quotes(article, sidecar)
    notes = notes_of(doc.stem, data, found, annotated.render)
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
    return _Linked(article, found, notes, mentions, claims, corrections, tuple(problems), rendered)
