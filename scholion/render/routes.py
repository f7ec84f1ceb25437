"""Which pages the site has: one :class:`Route` per output file, planned from the corpus.

Planning is separate from rendering so that output collisions are caught before anything is
rendered, and so tests can ask "which pages will there be" without rendering them.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from scholion.i18n import N_, Translator
from scholion.link.changes import all_changes
from scholion.model import Annotation, Article, Corpus, Note
from scholion.render.entity_lists import LISTS


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


@dataclass(frozen=True, slots=True)
class Group:
    """The records of one group (a rating, a type, a month…) that fall on one page."""

    key: str  # the rating, type or publisher id ("" for none), or the month ("2019-03")
    anchor: str  # its id on the page, e.g. "rating-accurate"
    label: str
    total: int  # records in the whole group, on every page
    items: Sequence[Any]
    continued: bool  # the group began on an earlier page


@dataclass(frozen=True, slots=True)
class Jump:
    """A link to where a group begins, for the "jump to" list above a long listing."""

    anchor: str
    label: str
    total: int
    url: str  # site-relative, e.g. "claims/page/3/#rating-opinion"


GroupOf = Callable[[Any], tuple[str, str]]
"""A record's group in a listing: (key, label)."""

MAX_JUMPS = 60
"""Above this many groups (publishers, months) a listing shows no "jump to" list: it would
weigh more than the page it sits on."""


@dataclass(frozen=True)
class Paginated:
    """One page of a list: its items, their groups, and where the other pages are."""

    items: Sequence[Any]
    number: int
    count: int
    base: str  # the first page's URL, e.g. "articles/"
    groups: Sequence[Group] = ()
    jumps: Sequence[Jump] = ()

    def url_of(self, number: int) -> str:
        return self.base if number == 1 else f"{self.base}page/{number}/"

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.count else None

    @property
    def window(self) -> list[int | None]:
        """Page numbers to link: the first, the last and two either side of this one; None
        where numbers are left out. Stays short for a listing of any length."""
        shown = {1, self.count, *range(self.number - 2, self.number + 3)}
        numbers = sorted(n for n in shown if 1 <= n <= self.count)
        result: list[int | None] = []
        for n in numbers:
            if result and n - (result[-1] or 0) > 1:
                result.append(None)
            result.append(n)
        return result


def paginate(
    items: Sequence[Any],
    size: int,
    base: str,
    group_of: GroupOf | None = None,
    prefix: str = "",
    whole_groups: bool = False,
) -> list[Paginated]:
    """Split ``items`` into pages of ``size``; an empty list still gets one (empty) page.

    With ``group_of``, the items (already sorted so that each group is one run) are also split
    into groups per page, anchored ``<prefix>-<key>``, and every page gets the same jump list;
    with ``whole_groups`` too, a group that fits on a page is never cut in two: it starts the
    next page when it would not fit on this one (a group longer than a page still runs on)."""
    if group_of is None:
        count = max(1, -(-len(items) // size))
        chunks = [items[i * size : (i + 1) * size] for i in range(count)]
        return [Paginated(chunk, i + 1, count, base) for i, chunk in enumerate(chunks)]
    keys = [group_of(item) for item in items]
    starts = _page_starts([key for key, _ in keys], size, whole_groups)
    count = len(starts)
    bounds = [*starts, len(items)]
    chunks = [items[a:b] for a, b in itertools.pairwise(bounds)]
    totals = Counter(key for key, _ in keys)
    jumps: dict[str, Jump] = {}
    grouped: list[list[Group]] = []
    for i, chunk in enumerate(chunks):
        groups = []
        pairs = zip(keys[bounds[i] : bounds[i + 1]], chunk, strict=True)
        for (key, label), run in itertools.groupby(pairs, key=lambda pair: pair[0]):
            anchor = f"{prefix}-{key}" if key else f"{prefix}s-unknown"
            continued = key in jumps
            url = (base if i == 0 else f"{base}page/{i + 1}/") + f"#{anchor}"
            jumps.setdefault(key, Jump(anchor, label, totals[key], url))
            records = [item for _, item in run]
            groups.append(Group(key, anchor, label, totals[key], records, continued))
        grouped.append(groups)
    listed = tuple(jumps.values()) if len(jumps) <= MAX_JUMPS else ()
    return [
        Paginated(chunk, i + 1, count, base, groups, listed)
        for i, (chunk, groups) in enumerate(zip(chunks, grouped, strict=True))
    ]


def _page_starts(keys: Sequence[str], size: int, whole_groups: bool) -> list[int]:
    """Where each page begins: every ``size`` items, or, keeping groups whole, also before a
    group that fits on a page but not in what is left of this one."""
    if not whole_groups:
        return list(range(0, max(1, len(keys)), size)) or [0]
    starts, filled = [0], 0
    for _, run in itertools.groupby(keys):
        length = len(list(run))
        if filled and length <= size and filled + length > size:
            starts.append(starts[-1] + filled)
            filled = 0
        filled += length
        while filled > size:  # a group longer than a page: whole pages of it
            starts.append(starts[-1] + size)
            filled -= size
    return starts


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
