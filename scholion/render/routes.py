"""Which pages the site has: one :class:`Route` per output file, planned from the corpus.

Planning is separate from rendering so that output collisions are caught before anything is
rendered, and so tests can ask "which pages will there be" without rendering them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import Corpus


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


@dataclass(frozen=True)
class Paginated:
    """One page of a list: its items and where the other pages are."""

    items: Sequence[Any]
    number: int
    count: int
    base: str  # the first page's URL, e.g. "articles/"

    def url_of(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None


def paginate(items: Sequence[Any], size: int, base: str) -> list[Paginated]:
    """Split ``items`` into pages of ``size``; an empty list still gets one (empty) page."""
    count = max(1, -(-len(items) // size))
    return [Paginated(items[i * size : (i + 1) * size], i + 1, count, base) for i in range(count)]


def plan(corpus: Corpus) -> list[Route]:
    """Every page of the site, in a stable order."""
    size = corpus.config.page_size
    routes = [
        Route("index.html", "home.html", {"latest": corpus.articles_by_date()[:10]}),
        Route("search/index.html", "search.html"),
        Route("404.html", "404.html", in_sitemap=False),
    ]
    routes += _listing("articles/", "list_articles.html", corpus.articles_by_date(), size)
    routes += _listing("claims/", "list_claims.html", _claims_by_rating(corpus), size)
    routes += _listing("entities/", "list_entities.html", _entities_by_type(corpus), size)
    routes += _listing("sources/", "list_sources.html", _sources_by_title(corpus), size)
    routes += _records("articles", corpus.articles, "article.html", "article")
    routes += _records("claims", corpus.claims, "claim.html", "claim")
    routes += _records("entities", corpus.entities, "entity.html", "entity")
    routes += _records("sources", corpus.sources, "source.html", "source")
    routes += [
        Route(f"{slug}/index.html", "page.html", {"page": page})
        for slug, page in sorted(corpus.pages.items())
    ]
    return routes


def _listing(base: str, template: str, items: Sequence[Any], size: int) -> Iterable[Route]:
    for page in paginate(items, size, base):
        yield Route(page.url_of(page.number) + "index.html", template, {"pagination": page})


def _records(prefix: str, records: dict[str, Any], template: str, name: str) -> Iterable[Route]:
    for key in sorted(records):
        yield Route(f"{prefix}/{key}/index.html", template, {name: records[key]})


def _sorted_by(items: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    return sorted(items, key=key)


def _claims_by_rating(corpus: Corpus) -> list[Any]:
    rank = {term.id: i for i, term in enumerate(corpus.config.ratings)}
    return _sorted_by(corpus.claims.values(), lambda c: (rank[c.rating], c.statement.lower(), c.id))


def _entities_by_type(corpus: Corpus) -> list[Any]:
    rank = {term.id: i for i, term in enumerate(corpus.config.entity_types)}
    return _sorted_by(corpus.entities.values(), lambda e: (rank[e.type], e.name.lower(), e.id))


def _sources_by_title(corpus: Corpus) -> list[Any]:
    def publisher(source: Any) -> str:
        entity = corpus.entities.get(source.publisher or "")
        return entity.name.lower() if entity else "~"

    return _sorted_by(corpus.sources.values(), lambda s: (publisher(s), s.title.lower(), s.id))
