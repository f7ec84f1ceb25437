"""Which pages the site has: one :class:`Route` per output file, planned from the corpus.

Planning is separate from rendering so that output collisions are caught before anything is
rendered, and so tests can ask "which pages will there be" without rendering them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scholion.i18n import N_, Translator
from scholion.link.changes import all_changes
from scholion.model import Annotation, Article, Corpus, Note
from scholion.render.entity_lists import LISTS
from scholion.render.pagination import Paginated, paginate


@dataclass(frozen=True)
class Route:
    """An output file: its path in the site, its template, and what the template gets."""

    path: str  # e.g. "claims/some-claim/index.html"
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    in_sitemap: bool = True

    @property
    def url(self) -> str:
        """The site-relative URL ("claims/some-claim/"), as links and the sitemap use it."""
        return self.path.removesuffix("index.html")

    @property
    def root(self) -> str:
        """The relative prefix from this page back to the site root ("../../")."""
        return "../" * self.path.count("/")


def plan(corpus: Corpus, gettext: Callable[[str], str] = str) -> list[Route]:
    """Every page of the site, in a stable order; ``gettext`` translates the few labels the
    plan itself writes (group headings that are not the corpus's own words)."""
    listings = _listings(corpus, gettext)
    home = {
        "latest": listings["articles/"][0].items[:10],
        "ratings": listings["claims/"][0].jumps,
        "entity_types": listings["entities/"][0].jumps,
    }
    routes = [
        Route("index.html", "home.html", home),
        Route("search/index.html", "search.html"),
        Route("data/index.html", "data.html"),
        Route("overview/index.html", "overview.html"),
        *_changes(corpus),
        Route("404.html", "404.html", in_sitemap=False),
    ]
    for base, pages in listings.items():
        routes += [
            Route(
                page.url_of(page.number) + "index.html",
                LISTING_TEMPLATES[base],
                {"pagination": page},
            )
            for page in pages
        ]
    routes += _records("articles", corpus.articles, "article.html", "article")
    routes += _records("claims", corpus.claims, "claim.html", "claim")
    routes += _records("entities", corpus.entities, "entity.html", "entity")
    routes += _entity_lists(corpus)
    routes += _records("sources", corpus.sources, "source.html", "source")
    routes += [
        Route(f"{slug}/index.html", "page.html", {"page": page})
        for slug, page in sorted(corpus.pages.items())
    ]
    return routes


LISTING_TEMPLATES = {
    "articles/": "list_articles.html",
    "articles/by-publisher/": "list_articles.html",
    "claims/": "list_claims.html",
    "entities/": "list_entities.html",
    "sources/": "list_sources.html",
    "notes/": "list_notes.html",
}


def _listings(corpus: Corpus, gettext: Callable[[str], str]) -> dict[str, list[Paginated]]:
    """The pages of every index, by the URL of their first page."""
    size = corpus.config.page_size
    by_date = corpus.articles_by_date()

    def publisher(record: Any) -> tuple[str, str]:
        entity = corpus.entities.get(record.publisher or "")
        return record.publisher or "", entity.name if entity else gettext(NO_PUBLISHER)

    return {
        "articles/": paginate(
            by_date, size, "articles/", lambda a: _month(corpus.config.language, a), "month"
        ),
        "articles/by-publisher/": paginate(
            _articles_by_publisher(corpus, by_date),
            size,
            "articles/by-publisher/",
            publisher,
            "publisher",
        ),
        "claims/": paginate(
            _claims_by_rating(corpus),
            size,
            "claims/",
            lambda c: (c.rating, corpus.config.rating(c.rating).label),
            "rating",
            whole_groups=True,
        ),
        "entities/": paginate(
            _entities_by_type(corpus),
            size,
            "entities/",
            lambda e: (e.type, corpus.config.entity_type(e.type).plural),
            "type",
            whole_groups=True,
        ),
        "sources/": paginate(_sources_by_title(corpus), size, "sources/", publisher, "publisher"),
        "notes/": paginate(
            _notes_by_kind(corpus, by_date),
            size,
            "notes/",
            lambda n: (n.note.kind, corpus.config.note_kind(n.note.kind).label),
            "kind",
        ),
    }


def _month(language: str, article: Any) -> tuple[str, str]:
    """Articles by date are grouped by month of publication (by year when the month is not
    known), named in the interface ``language``."""
    key = article.date[:7]
    return key, Translator(language).date(key)


NO_PUBLISHER = N_("No publisher recorded")


def _entity_name(corpus: Corpus, entity_id: str | None) -> str:
    entity = corpus.entities.get(entity_id or "")
    return entity.name if entity else NO_PUBLISHER


def _articles_by_publisher(corpus: Corpus, by_date: Sequence[Any]) -> list[Any]:
    """By publisher name A to Z, newest first within a publisher (``by_date`` is newest first and
    the sort is stable)."""
    return sorted(by_date, key=lambda a: (_entity_name(corpus, a.publisher).lower(), a.publisher))


def _records(
    prefix: str, records: Mapping[str, object], template: str, name: str
) -> Iterable[Route]:
    for key in sorted(records):
        yield Route(f"{prefix}/{key}/index.html", template, {name: records[key]})


def _entity_lists(corpus: Corpus) -> Iterable[Route]:
    """Pages of every entity list longer than ``page_size``: the entity's page shows the first
    ``page_size`` items and links here. Without them one page would grow with the corpus (the
    most-mentioned entity of 3,000 articles had a 4.4 MB page listing 10,600 passages)."""
    size = corpus.config.page_size
    for entity_id in sorted(corpus.entities):
        for name, listed in LISTS.items():
            items = listed.items(corpus, entity_id)
            if len(items) <= size:
                continue
            total = len(corpus.mentions_by_entity.get(entity_id, ())) if name == "mentions" else 0
            context = {"entity": corpus.entities[entity_id], "list": name}
            context["total"] = total or len(items)  # passages for mentions, paged by article
            for page in paginate(items, size, f"entities/{entity_id}/{name}/"):
                yield Route(
                    page.url_of(page.number) + "index.html",
                    "entity_list.html",
                    {**context, "pagination": page},
                )


def _sorted_by(items: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    return sorted(items, key=key)


def _claims_by_rating(corpus: Corpus) -> list[Any]:
    rank = {term.id: i for i, term in enumerate(corpus.config.ratings)}
    return _sorted_by(corpus.claims.values(), lambda c: (rank[c.rating], c.statement.lower(), c.id))


@dataclass(frozen=True, slots=True)
class NoteItem:
    """A note in the notes index: the note, its article and, for a quoted note, its quote."""

    note: Note
    article: Article
    annotation: Annotation | None


def _notes_by_kind(corpus: Corpus, by_date: Sequence[Article]) -> list[NoteItem]:
    """Every note, by kind (in the order of ``note_kinds``), then newest article first, then
    in reading order, notes on a whole article after its quoted ones."""
    rank = {term.id: i for i, term in enumerate(corpus.config.note_kinds)}
    items = []
    for place, article in enumerate(by_date):
        quoted = {a.anchor: a for a in corpus.annotations.get(article.slug, ()) if a.kind == "note"}
        for note in corpus.notes.get(article.slug, ()):
            annotation = quoted.get(note.anchor)
            order = annotation.number if annotation else 1 << 30  # after the quoted ones
            items.append((rank[note.kind], place, order, NoteItem(note, article, annotation)))
    return [item for *_, item in sorted(items, key=lambda entry: entry[:3])]


def _entities_by_type(corpus: Corpus) -> list[Any]:
    rank = {term.id: i for i, term in enumerate(corpus.config.entity_types)}
    return _sorted_by(corpus.entities.values(), lambda e: (rank[e.type], e.name.lower(), e.id))


def _sources_by_title(corpus: Corpus) -> list[Any]:
    def publisher(source: Any) -> tuple[bool, str, str]:
        entity = corpus.entities.get(source.publisher or "")
        return (entity is None, entity.name.lower() if entity else "", source.publisher or "")

    return _sorted_by(corpus.sources.values(), lambda s: (*publisher(s), s.title.lower(), s.id))


def _changes(corpus: Corpus) -> list[Route]:
    """The changes pages, newest first, paged like the other listings."""
    pages = paginate(all_changes(corpus), corpus.config.page_size, "changes/")
    return [
        Route(p.url_of(p.number) + "index.html", "changes.html", {"pagination": p}) for p in pages
    ]
