"""Stage 4, link: typed records, anchored quotes, found mentions, and the corpus indexes.

Runs only on validated records, so it may assume every value has its schema's shape; the one
kind of content problem it can still find is a quote that does not anchor, reported as a
located diagnostic like any other. After this stage the corpus is read-only: pages are views.
"""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from scholion import parallel
from scholion.config import SiteConfig, site_config
from scholion.diagnostics import Diagnostic, Severity
from scholion.incremental.file_cache import FileCache
from scholion.link import joins
from scholion.link.aliases import AliasMatcher
from scholion.load import Document, Records
from scholion.model import (
    Annotation,
    Article,
    Author,
    Claim,
    ClaimSource,
    Corpus,
    Correction,
    Entity,
    Link,
    Mention,
    Note,
    Page,
    Source,
)
from scholion.text.index import TextIndex
from scholion.text.markup import MarkdownMemo

T = TypeVar("T")

ANCHOR_PREFIX = {"claim": "c", "note": "n", "citation": "s"}

Markdown = Callable[..., str]
"""Markdown to sanitized HTML for one file: :meth:`MarkdownMemo.render` of that file's memo."""


@dataclass(frozen=True, slots=True)
class _Quoted:
    """A sidecar item with a quote, before anchoring."""

    kind: str
    target: str
    path: tuple
    quote: str
    prefix: str | None
    suffix: str | None


def link(
    records: Records, base_url: str | None = None, cache: FileCache | None = None
) -> tuple[Corpus | None, list[Diagnostic]]:
    """The linked corpus, or None with the diagnostics of quotes that do not anchor.
    ``cache`` keeps the Markdown of each file between builds."""
    assert records.config is not None, "link runs only after validation"
    cache = cache or FileCache(None)
    config = site_config(records.config, base_url)
    sidecars = {doc.stem: doc for doc in records.sidecars}
    entities = {doc.stem: _entity(doc) for doc in records.entities}
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
    sources = {doc.stem: _cached(cache, doc, _source) for doc in records.sources}
    pages = {doc.stem: _cached(cache, doc, _page) for doc in records.pages}
    corpus = _index(
        config, articles, claims, entities, sources, pages, annotations, notes, mentions
    )
    corrections = {d.stem: corrections_in[d.stem] for d in records.sidecars if d.stem in articles}
    corpus = dataclasses.replace(corpus, corrections={k: v for k, v in corrections.items() if v})
    return corpus, diagnostics


def _cached(cache: FileCache, doc: Document, make: Callable[[Document, Markdown], T]) -> T:
    """``make(doc, markdown)``, with the Markdown of ``doc`` kept in ``cache`` (in this process)."""
    memo = cache.markdown(doc)
    made = make(doc, memo.render)
    cache.keep_markdown(doc.digest, memo)
    return made


def _corrections(doc: Document, markdown: Markdown) -> tuple[Correction, ...]:
    items = [
        Correction(doc.stem, c["date"], markdown(c["text"]), c.get("claim"))
        for c in doc.data.get("corrections", [])
    ]
    return tuple(sorted(items, key=lambda c: c.date, reverse=True))


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
    article = _article(doc, text.render)
    found, problems = _anchor_article(article, sidecar)
    notes = _notes(doc.stem, data, found, annotated.render)
    mentions = _mentions(article, data, matcher, config, sidecar, problems)
    article.index.release()  # quotes and mentions are placed: keep only the text
    claims = tuple(_claims(sidecar, annotated.render)) if sidecar else ()
    corrections = _corrections(sidecar, annotated.render) if sidecar else ()
    rendered = tuple(
        (file.digest, memo)
        for file, memo in ((doc, text), (sidecar, annotated))
        if file is not None and memo.fresh
    )
    return _Linked(article, found, notes, mentions, claims, corrections, tuple(problems), rendered)


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def _article(doc: Document, markdown: Markdown) -> Article:
    data = doc.data
    html = markdown(doc.body, demote_headings=True)
    index = TextIndex.from_html(html)
    authors = tuple(
        Author(name=a, entity=a) if isinstance(a, str) else Author(name=a["name"])
        for a in data.get("authors", [])
    )
    return Article(
        slug=doc.stem,
        path=doc.path,
        title=data["title"],
        date=data["date"],
        authors=authors,
        publisher=data["publisher"],
        url=_text(data, "url"),
        archive_url=_text(data, "archive_url"),
        language=data["language"],
        rights=data["rights"],
        summary=_text(data, "summary"),
        html=html,
        index=index,
        word_count=len(index.text.split()),
    )


def _entity(doc: Document) -> Entity:
    data = doc.data
    return Entity(
        id=doc.stem,
        type=data["type"],
        name=data["name"],
        aliases=tuple(data.get("aliases", [])),
        description=data["description"],
        wikidata=_text(data, "wikidata"),
        links=tuple(
            Link(link.get("title", link["url"]), link["url"]) for link in data.get("links", [])
        ),
    )


def _source(doc: Document, markdown: Markdown) -> Source:
    data = doc.data
    description = _text(data, "description")
    return Source(
        id=doc.stem,
        title=data["title"],
        kind=data["kind"],
        publisher=data.get("publisher"),
        author=_text(data, "author"),
        date=_text(data, "date"),
        url=_text(data, "url"),
        archive_url=_text(data, "archive_url"),
        description_html=markdown(description) if description else "",
        cites=tuple(data.get("cites", [])),
    )


def _page(doc: Document, markdown: Markdown) -> Page:
    data = doc.data
    return Page(
        slug=doc.stem,
        title=data["title"],
        summary=_text(data, "summary"),
        nav_order=data.get("nav_order"),
        html=markdown(doc.body, demote_headings=True),
    )


def _claims(doc: Document, markdown: Markdown) -> Iterable[Claim]:
    for item in doc.data.get("claims", []):
        if "claim" in item:
            continue
        yield Claim(
            id=item["id"],
            statement=item["statement"],
            rating=item["rating"],
            explanation_html=markdown(item["explanation"]),
            claimant=item.get("claimant"),
            about=tuple(item.get("about", [])),
            sources=tuple(
                ClaimSource(s["source"], s["relation"], s.get("note", ""))
                for s in item.get("sources", [])
            ),
            defined_in=doc.stem,
        )


def _quoted_items(data: dict) -> Iterable[_Quoted]:
    for i, item in enumerate(data.get("claims", [])):
        yield _Quoted(
            "claim",
            item.get("claim") or item["id"],
            ("claims", i),
            item["quote"],
            item.get("prefix"),
            item.get("suffix"),
        )
    for i, item in enumerate(data.get("notes", [])):
        if "quote" in item:
            yield _Quoted(
                "note",
                item.get("id") or f"{i + 1}",
                ("notes", i),
                item["quote"],
                item.get("prefix"),
                item.get("suffix"),
            )
    for i, item in enumerate(data.get("citations", [])):
        yield _Quoted(
            "citation",
            item["source"],
            ("citations", i),
            item["quote"],
            item.get("prefix"),
            item.get("suffix"),
        )


def _anchor_article(
    article: Article, sidecar: Document | None
) -> tuple[tuple[Annotation, ...], list[Diagnostic]]:
    """Anchor every quote of one sidecar; number the annotations in reading order."""
    if sidecar is None:
        return (), []
    problems: list[Diagnostic] = []
    placed: list[tuple[int, int, _Quoted]] = []
    for item in _quoted_items(sidecar.data):
        where = _locate(article, sidecar, item, problems)
        if where:
            placed.append((*where, item))
    placed.sort(key=lambda p: (p[0], -p[1]))
    used: Counter[str] = Counter()
    result = []
    for number, (start, end, item) in enumerate(placed, 1):
        base = f"{ANCHOR_PREFIX[item.kind]}-{item.target}"
        used[base] += 1
        anchor = base if used[base] == 1 else f"{base}-{used[base]}"
        before, quote, after = article.index.context(start, end)
        result.append(
            Annotation(
                article.slug,
                anchor,
                number,
                item.kind,
                item.target,
                quote,
                start,
                end,
                before,
                after,
            )
        )
    return tuple(result), problems


def _locate(
    article: Article, sidecar: Document, item: _Quoted, problems: list[Diagnostic]
) -> tuple[int, int] | None:
    matches = article.index.find(item.quote, item.prefix, item.suffix)
    if len(matches) == 1:
        return matches[0]
    mark = sidecar.located.at((*item.path, "quote"))
    unfiltered = article.index.find(item.quote) if item.prefix or item.suffix else []
    if not matches and unfiltered:
        count = "once" if len(unfiltered) == 1 else f"{len(unfiltered)} times"
        hint = (
            f"the quote itself occurs {count}: copy prefix: from the words just before it "
            "and suffix: from the words just after it"
        )
        message = f"quote not found in {article.path} with this prefix/suffix"
    elif not matches:
        closest = article.index.closest(item.quote)
        hint = (
            f'the closest passage is "{closest}"; copy the exact words from the article'
            if closest
            else "copy the exact words from the article"
        )
        message = f"quote not found in {article.path}"
    else:
        hint = (
            "add prefix: (the words just before) or suffix: (the words just after) to say "
            "which occurrence you mean"
        )
        message = f"quote occurs {len(matches)} times in {article.path}"
    problems.append(Diagnostic(sidecar.path, mark.line, mark.col, Severity.ERROR, message, hint))
    return None


def _notes(
    slug: str, data: dict, annotations: Iterable[Annotation], markdown: Markdown
) -> tuple[Note, ...]:
    anchors = {a.target: a.anchor for a in annotations if a.kind == "note"}
    result = []
    for i, item in enumerate(data.get("notes", [])):
        target = item.get("id") or f"{i + 1}"
        anchor = anchors.get(target, f"n-{target}")
        result.append(Note(slug, anchor, item["kind"], markdown(item["text"]), "quote" in item))
    return tuple(result)


def _mentions(
    article: Article,
    data: dict,
    matcher: AliasMatcher,
    config: SiteConfig,
    sidecar: Document | None,
    problems: list[Diagnostic],
) -> tuple[Mention, ...]:
    suppressed = {m["entity"] for m in data.get("mentions", []) if m.get("suppress")}
    found: list[tuple[int, int, str, int]] = []
    for segment in article.index.segments():
        if segment.in_link:
            continue
        for start, end, entity in matcher.find(segment.text):
            if entity not in suppressed:
                found.append((segment.start + start, segment.start + end, entity, segment.section))
    found += _explicit_mentions(article, data, sidecar, problems)
    found.sort()
    return _linked(article, found, config.mentions)


def _explicit_mentions(
    article: Article, data: dict, sidecar: Document | None, problems: list[Diagnostic]
) -> list[tuple[int, int, str, int]]:
    result = []
    for i, item in enumerate(data.get("mentions", [])):
        if item.get("suppress") or "quote" not in item or sidecar is None:
            continue
        quoted = _Quoted(
            "mention",
            item["entity"],
            ("mentions", i),
            item["quote"],
            item.get("prefix"),
            item.get("suffix"),
        )
        where = _locate(article, sidecar, quoted, problems)
        unplaceable = where and _unplaceable_mention(article.index, *where)
        if unplaceable:
            mark = sidecar.located.at(("mentions", i, "quote"))
            problem, hint = unplaceable
            message = f"mention quote {problem} in {article.path}"
            problems.append(
                Diagnostic(sidecar.path, mark.line, mark.col, Severity.ERROR, message, hint)
            )
        elif where:
            result.append((*where, item["entity"], _section_at(article.index, where[0])))
    return result


def _unplaceable_mention(index: TextIndex, start: int, end: int) -> tuple[str, str] | None:
    """Why a mention at ``start:end`` cannot be wrapped in its link (problem, hint), or None.

    Its link (and the id entity pages point to) must sit inside one run of text, outside the
    article's own links: tags cannot overlap and links cannot nest."""
    for segment in index.segments():
        if segment.start <= start < segment.start + len(segment.text):
            if end > segment.start + len(segment.text):
                return (
                    "runs across formatting",
                    "quote only words inside one piece of formatting, e.g. just the name",
                )
            if segment.in_link:
                return (
                    "is inside a link",
                    "links cannot contain links: quote words outside the link, or remove this "
                    "mention",
                )
            return None
    return None


def _section_at(index: TextIndex, offset: int) -> int:
    section = 0
    for segment in index.segments():
        if segment.start > offset:
            break
        section = segment.section
    return section


def _linked(
    article: Article, found: list[tuple[int, int, str, int]], policy: str
) -> tuple[Mention, ...]:
    seen: set[tuple[str, int]] = set()
    used: Counter[str] = Counter()
    result = []
    last_end = -1
    for start, end, entity, section in found:
        if start < last_end:
            continue  # overlaps an earlier mention (an explicit one over an alias match)
        last_end = end
        key = (entity, section if policy == "first-per-section" else 0)
        linked = policy == "all" or (policy != "none" and key not in seen)
        seen.add(key)
        used[entity] += 1
        before, text, after = article.index.context(start, end)
        result.append(
            Mention(
                entity,
                article.slug,
                f"m-{entity}-{used[entity]}",
                start,
                end,
                before,
                text,
                after,
                linked,
            )
        )
    return tuple(result)


def _index(
    config: SiteConfig,
    articles: dict[str, Article],
    claims: dict[str, Claim],
    entities: dict[str, Entity],
    sources: dict[str, Source],
    pages: dict[str, Page],
    annotations: dict[str, tuple[Annotation, ...]],
    notes: dict[str, tuple[Note, ...]],
    mentions: dict[str, tuple[Mention, ...]],
) -> Corpus:
    """Backlinks and joins, each built in one pass over the records (linear in corpus size)."""
    order = {slug: (a.date, slug) for slug, a in articles.items()}
    appearances: dict[str, list[Annotation]] = defaultdict(list)
    citations: dict[str, list[Annotation]] = defaultdict(list)
    for slug in sorted(annotations, key=order.__getitem__):
        for ann in annotations[slug]:
            if ann.kind == "claim":
                appearances[ann.target].append(ann)
            elif ann.kind == "citation":
                citations[ann.target].append(ann)
    claims_by_entity: dict[str, set[str]] = defaultdict(set)
    claims_by_source: dict[str, set[str]] = defaultdict(set)
    for claim in claims.values():
        for entity in (*claim.about, *([claim.claimant] if claim.claimant else [])):
            claims_by_entity[entity].add(claim.id)
        for cs in claim.sources:
            claims_by_source[cs.source].add(claim.id)
    mentions_by_entity: dict[str, list[Mention]] = defaultdict(list)
    articles_by_entity: dict[str, set[str]] = defaultdict(set)
    pair_counts: Counter[tuple[str, str]] = Counter()
    for slug in sorted(mentions, key=order.__getitem__):
        named = set()
        for mention in mentions[slug]:
            mentions_by_entity[mention.entity].append(mention)
            articles_by_entity[mention.entity].add(slug)
            named.add(mention.entity)
        article = articles[slug]
        named |= {a.entity for a in article.authors if a.entity} | {article.publisher}
        for entity in named:
            articles_by_entity[entity].add(slug)
        ordered = sorted(named)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                pair_counts[(first, second)] += 1
    co_mentions: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for (first, second), count in pair_counts.items():
        co_mentions[first].append((second, count))
        co_mentions[second].append((first, count))
    cited_by: dict[str, set[str]] = defaultdict(set)
    for source in sources.values():
        for cited in source.cites:
            cited_by[cited].add(source.id)

    def by_date(slugs: set[str]) -> tuple[str, ...]:
        return tuple(sorted(slugs, key=order.__getitem__, reverse=True))

    by_entity = {k: tuple(v) for k, v in mentions_by_entity.items()}
    claims_about, claims_by_claimant = joins.claims_by_role(claims.values())
    articles_by_publisher, articles_by_author = joins.articles_by_role(articles)
    return Corpus(
        config=config,
        articles=articles,
        claims=claims,
        entities=entities,
        sources=sources,
        pages=pages,
        annotations=annotations,
        notes=notes,
        mentions=mentions,
        appearances={k: tuple(v) for k, v in appearances.items()},
        claims_by_entity={k: tuple(sorted(v)) for k, v in claims_by_entity.items()},
        claims_by_source={k: tuple(sorted(v)) for k, v in claims_by_source.items()},
        articles_by_entity={k: by_date(v) for k, v in articles_by_entity.items()},
        mentions_by_entity=by_entity,
        citations_by_source={k: tuple(v) for k, v in citations.items()},
        cited_by={k: tuple(sorted(v)) for k, v in cited_by.items()},
        co_mentions={
            k: tuple(sorted(v, key=lambda p: (-p[1], p[0]))) for k, v in co_mentions.items()
        },
        stats=joins.article_stats(config, claims, annotations, notes),
        provenance=joins.provenance(sources),
        mention_groups=joins.mention_groups(by_entity),
        mention_periods=joins.mention_periods(articles, by_entity),
        claims_about=claims_about,
        claims_by_claimant=claims_by_claimant,
        articles_by_publisher=articles_by_publisher,
        articles_by_author=articles_by_author,
        sources_by_publisher=joins.sources_by_publisher(sources),
    )
