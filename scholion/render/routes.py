"""Which pages the site has: one :class:`Route` per output file, planned from the corpus.

Planning is separate from rendering so that output collisions are caught before anything is
rendered, and so tests can ask "which pages will there be" without rendering them.
"""

from __future__ import annotations

import bisect
import functools
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from scholion.config import SiteConfig, Term
from scholion.i18n import N_, Translator
from scholion.link.changes import all_changes
from scholion.link.regroup import changed_keys
from scholion.model import Annotation, Article, Claim, Corpus, Entity, Narrative, Note
from scholion.render.entity_lists import LISTS
from scholion.render.pagination import GroupOf, Paginated, paginate, repaginate

T = TypeVar("T")


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
    return Planner(gettext).plan(corpus)


class Planner:
    """Plans the pages of one interface language, and plans them again after an edit doing
    only what the edit requires: a record's page keeps its route while the record is the same
    object, a listing its pages while every mapping it is made from is the same object.

    "The same object" is what an edit leaves unchanged: the live site keeps one planner per
    language and gives it a corpus in which every value equal to the last one's is the last
    one's object (:func:`scholion.incremental.readers.settle`). Planning the 60,000 pages of
    10,000 articles from scratch took 1.5-2 s, on every edit."""

    def __init__(self, gettext: Callable[[str], str] = str) -> None:
        self._gettext = gettext
        self._config: object = None
        self._parts: dict[str, tuple[tuple[object, ...], Any]] = {}
        self._routes: dict[str, Route] = {}
        self._orders: dict[str, tuple[Mapping[str, Any], list[_Entry], dict[str, _Entry]]] = {}
        self._pages: dict[str, tuple[tuple[object, ...], Sequence[Any], list[Paginated]]] = {}
        self._record_routes: dict[str, tuple[Mapping[str, object], list[Route], dict[str, int]]]
        self._record_routes = {}
        self._loose_routes: dict[str, Route] = {}
        self._paths: list[str] = []
        self.paths_changed = True
        """Whether the last :meth:`plan` gave other paths, or in another order, than the plan
        before: if not, no page came or went and none can collide."""
        self.remade: dict[str, Route] = {}
        """The routes the last :meth:`plan` made, by path: every other route it gave is the
        object the plan before gave for that path (the live site compares only these)."""
        self._diffs: dict[tuple[int, int], set[str]] = {}
        """:meth:`_changed` during one plan (keyed by identity: emptied when the plan ends)."""

    def translate_with(self, gettext: Callable[[str], str]) -> None:
        """Translate labels with ``gettext`` (the same catalogue's: a planner kept between
        builds is pickled without it, :meth:`__getstate__`)."""
        self._gettext = gettext

    def __getstate__(self) -> dict[str, Any]:
        """What a pickle keeps (:mod:`scholion.pipeline.resume`): all but the translation
        function, which cannot be pickled and comes with the planner's next plan."""
        state = dict(self.__dict__)
        state["_gettext"] = str
        return state

    def plan(self, corpus: Corpus) -> list[Route]:
        """Every page of the site for ``corpus``, as :func:`plan`."""
        if corpus.config != self._config:  # labels, page size: everything is planned again
            self._config, self._parts, self._routes = corpus.config, {}, {}
            self._orders, self._pages, self._record_routes = {}, {}, {}
            self._loose_routes = {}
        self.remade = {}
        self._diffs.clear()  # also when the last plan raised
        listings = self._listings(corpus)
        home = {
            "latest": listings["articles/"][0].items[:10],
            "ratings": listings["claims/"][0].jumps,
            "entity_types": listings["entities/"][0].jumps,
        }
        changes = (corpus.articles, corpus.claims, corpus.corrections, *_history(corpus))
        loose: dict[str, Route] = {}
        routes = self._loose(
            loose,
            [
                Route("index.html", "home.html", home),
                Route("search/index.html", "search.html"),
                Route("data/index.html", "data.html"),
                Route("overview/index.html", "overview.html"),
                *self._part("changes", changes, lambda: _changes(corpus)),
                *_where_when(corpus.config),
                Route("404.html", "404.html", in_sitemap=False),
            ],
        )
        for base, pages in listings.items():
            routes += self._listing_routes(base, pages)
        routes += self._records("articles", corpus.articles, "article.html", "article")
        routes += self._records("claims", corpus.claims, "claim.html", "claim")
        routes += self._records("entities", corpus.entities, "entity.html", "entity")
        lists = (corpus.entities, corpus.mentions_by_entity, *_lists(corpus))
        routes += self._loose(
            loose, self._part("entity lists", lists, lambda: list(_entity_lists(corpus)))
        )
        routes += self._records("sources", corpus.sources, "source.html", "source")
        routes += self._records("", corpus.pages, "page.html", "page")
        routes += self._narratives(corpus, loose)
        self._diffs.clear()
        self._loose_routes = loose
        paths = list(map(_PATH, routes))  # in C: a tenth of the time of a comprehension
        self.paths_changed = paths != self._paths
        self._paths = paths
        return routes

    def _narratives(self, corpus: Corpus, loose: dict[str, Route]) -> list[Route]:
        """The narratives' list (by title) and a page each; none when there are none."""
        if not corpus.narratives:
            return []
        listing = self._part(
            "narratives",
            (corpus.narratives,),
            lambda: Route(
                "narratives/index.html",
                "list_narratives.html",
                {"narratives": sorted(corpus.narratives.values(), key=_narrative_order)},
            ),
        )
        records = self._records("narratives", corpus.narratives, "narrative.html", "narrative")
        return [*self._loose(loose, [listing]), *records]

    def _part(self, name: str, inputs: tuple[object, ...], make: Callable[[], T]) -> T:
        """What ``make`` gives, made again only when one of ``inputs`` is another object."""
        kept = self._parts.get(name)
        if kept is not None and all(map(operator.is_, kept[0], inputs)):
            return cast(T, kept[1])  # the same number of inputs: one call site per name
        made = make()
        self._parts[name] = (inputs, made)
        return made

    def _loose(self, planned: dict[str, Route], routes: list[Route]) -> list[Route]:
        """Routes of neither a record nor a listing (made anew or kept whole by
        :meth:`_part`): noted in ``planned``, and as made unless they are the objects the last
        plan gave for their paths. Any route a plan gives goes through here,
        :meth:`_record_route` or :meth:`_listing_routes`, or the live site would not see it
        change."""
        last = self._loose_routes
        for route in routes:
            planned[route.path] = route
            if last.get(route.path) is not route:
                self.remade[route.path] = route
        return list(routes)

    def _changed(self, before: Mapping[str, Any], after: Mapping[str, Any]) -> set[str]:
        """:func:`changed_keys`, once per pair of mappings in a plan (the claims' page routes
        and their listing both ask; each asking costs a pass over 40,000 claims)."""
        pair = (id(before), id(after))  # both alive until the plan ends
        if pair not in self._diffs:
            self._diffs[pair] = changed_keys(before, after)
        return self._diffs[pair]

    def _made(self, route: Route) -> Route:
        self.remade[route.path] = route
        return route

    def _sorted(
        self, name: str, records: Mapping[str, Any], key: Callable[[Any], tuple]
    ) -> list[Any]:
        """The values of ``records`` by ``key`` (unique: it ends with the record's id, and
        depends on the record alone). After an edit, the last order is kept and only the
        records that changed are taken out and put in again, each found by bisection: sorting
        40,000 claims on every edit took a tenth of a second."""
        kept = self._orders.get(name)
        if kept is None:
            entries = sorted(((key(r), k, r) for k, r in records.items()), key=_first)
            placed = {entry[1]: entry for entry in entries}
        else:
            before, entries, placed = kept
            for record_id in self._changed(before, records):
                old = placed.pop(record_id, None)
                if old is not None:
                    del entries[bisect.bisect_left(entries, old[0], key=_first)]
                record = records.get(record_id)
                if record is not None:
                    placed[record_id] = (key(record), record_id, record)
                    bisect.insort(entries, placed[record_id], key=_first)
        self._orders[name] = (records, entries, placed)
        return [record for _, _, record in entries]

    def _records(
        self, prefix: str, records: Mapping[str, object], template: str, name: str
    ) -> list[Route]:
        """A page per record, by id; ``prefix`` is the records' folder ("" for pages). After
        an edit that added or removed none of them, only the changed records' routes are
        made again, in place."""
        kept = self._record_routes.get(prefix)
        if kept is not None and kept[0] is records:
            return kept[1]
        if kept is not None and kept[0].keys() == records.keys():
            routes, places = list(kept[1]), kept[2]
            for key in self._changed(kept[0], records):
                routes[places[key]] = self._record_route(prefix, key, records[key], template, name)
        else:
            keys = sorted(records)
            routes = [self._record_route(prefix, k, records[k], template, name) for k in keys]
            places = {key: place for place, key in enumerate(keys)}
        self._record_routes[prefix] = (records, routes, places)
        return routes

    def _record_route(
        self, prefix: str, key: str, record: object, template: str, name: str
    ) -> Route:
        """The page of ``record``: the last plan's route while its record is the same."""
        path = f"{prefix}/{key}/index.html" if prefix else f"{key}/index.html"
        route = self._routes.get(path)
        if route is None or route.context.get(name) is not record:
            route = self._routes[path] = self._made(Route(path, template, {name: record}))
        return route

    def _listings(self, corpus: Corpus) -> dict[str, list[Paginated]]:
        """The pages of every index, by the URL of their first page."""
        size, gettext = corpus.config.page_size, self._gettext

        def publisher(record: Any) -> tuple[str, str]:
            entity = corpus.entities.get(record.publisher or "")
            return record.publisher or "", entity.name if entity else gettext(NO_PUBLISHER)

        by_date = self._part("by date", (corpus.articles,), corpus.articles_by_date)
        entities = corpus.entities
        month = functools.partial(_month, corpus.config.language)
        return {
            "articles/": self._paged("articles/", (by_date,), lambda: by_date, size, month),
            "articles/by-publisher/": self._paged(
                "articles/by-publisher/",
                (by_date, entities),
                lambda: _articles_by_publisher(corpus, by_date),
                size,
                publisher,
            ),
            "claims/": self._paged(
                "claims/",
                (corpus.claims,),
                lambda: self._sorted("claims", corpus.claims, _claim_order(corpus)),
                size,
                _group_by(corpus.config.ratings, lambda c: c.rating),
                whole_groups=True,
            ),
            "entities/": self._paged(
                "entities/",
                (entities,),
                lambda: self._sorted("entities", entities, _entity_order(corpus)),
                size,
                _group_by(corpus.config.entity_types, lambda e: e.type, plural=True),
                whole_groups=True,
            ),
            "sources/": self._paged(
                "sources/",
                (corpus.sources, entities),
                lambda: _sources_by_title(corpus),
                size,
                publisher,
            ),
            "notes/": self._paged(
                "notes/",
                (by_date, corpus.annotations, corpus.notes),
                lambda: _notes_by_kind(corpus, by_date),
                size,
                _group_by(corpus.config.note_kinds, lambda n: n.note.kind),
            ),
        }

    def _paged(
        self,
        base: str,
        inputs: tuple[object, ...],
        items: Callable[[], Sequence[Any]],
        size: int,
        group_of: GroupOf,
        *,
        whole_groups: bool = False,
    ) -> list[Paginated]:
        """The pages of the listing at ``base`` (grouped by ``group_of``, its groups anchored by
        :data:`GROUP_PREFIXES`), kept while ``inputs`` are the same objects, and otherwise
        made from the last pages where :func:`repaginate` can (records replaced in their group,
        the common edit): the pages an edit leaves alone stay the same objects, and so do
        their routes."""
        kept = self._pages.get(base)
        if kept is not None and all(map(operator.is_, kept[0], inputs)):
            return kept[2]
        listed = items()
        pages = repaginate(kept[2], kept[1], listed, group_of) if kept else None
        if pages is None:
            prefix = GROUP_PREFIXES[base]
            pages = paginate(listed, size, base, group_of, prefix, whole_groups)
        self._pages[base] = (inputs, listed, pages)
        return pages

    def _listing_routes(self, base: str, pages: Sequence[Paginated]) -> list[Route]:
        """A route per page of a listing: a page's route is kept while its page is."""
        template, kept, routes = LISTING_TEMPLATES[base], self._routes, []
        for page in pages:
            path = page.url_of(page.number) + "index.html"
            route = kept.get(path)
            if route is None or route.context.get("pagination") is not page:
                route = kept[path] = self._made(Route(path, template, {"pagination": page}))
            routes.append(route)
        return routes


def _where_when(config: SiteConfig) -> list[Route]:
    """The map of places and the timeline of events, for a corpus with entity types of those
    kinds (``kind: place``, ``kind: event`` in ``site_config.yaml``). Planned from the
    configuration alone, as the navigation links to them are, so that no page but these two
    depends on which entities have coordinates or dates."""
    routes = []
    if config.types_of_kind("place"):
        routes.append(Route("map/index.html", "map.html"))
    if config.types_of_kind("event"):
        routes.append(Route("timeline/index.html", "timeline.html"))
    return routes


def _group_by(
    terms: Sequence[Term], term_of: Callable[[Any], str], *, plural: bool = False
) -> Callable[[Any], tuple[str, str]]:
    """A listing's groups by a term of the vocabulary (rating, type, kind): (id, label), the
    labels looked up once (a listing of 40,000 claims asks for each)."""
    labels = {term.id: term.plural if plural else term.label for term in terms}
    return lambda item: (term_of(item), labels[term_of(item)])


def _history(corpus: Corpus) -> tuple[object, ...]:
    """The history's parts, each its own object (the history itself is made anew)."""
    history = corpus.history
    return (history.files, history.claims, history.new_articles, history.shallow)


def _lists(corpus: Corpus) -> tuple[object, ...]:
    """The mappings an entity's lists are made from (:data:`LISTS`)."""
    return tuple(getattr(corpus, listed.index) for listed in LISTS.values())


GROUP_PREFIXES = {
    "articles/": "month",
    "articles/by-publisher/": "publisher",
    "claims/": "rating",
    "entities/": "type",
    "sources/": "publisher",
    "notes/": "kind",
}
"""How each listing's group anchors begin ("rating-accurate")."""

LISTING_TEMPLATES = {
    "articles/": "list_articles.html",
    "articles/by-publisher/": "list_articles.html",
    "claims/": "list_claims.html",
    "entities/": "list_entities.html",
    "sources/": "list_sources.html",
    "notes/": "list_notes.html",
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


def _claim_order(corpus: Corpus) -> Callable[[Claim], tuple]:
    """Claims by rating (in the scale's order), then statement, then id."""
    rank = {term.id: i for i, term in enumerate(corpus.config.ratings)}
    return lambda c: (rank[c.rating], c.statement.lower(), c.id)


_PATH = operator.attrgetter("path")

_Entry = tuple[tuple, str, Any]
"""A record in a sorted listing: (its sort key, its id, the record)."""


def _narrative_order(narrative: Narrative) -> tuple[str, str]:
    return narrative.title.lower(), narrative.id


def _first(entry: _Entry) -> tuple:
    return entry[0]


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


def _entity_order(corpus: Corpus) -> Callable[[Entity], tuple]:
    """Entities by type (in the configuration's order), then name, then id."""
    rank = {term.id: i for i, term in enumerate(corpus.config.entity_types)}
    return lambda e: (rank[e.type], e.name.lower(), e.id)


def _sources_by_title(corpus: Corpus) -> list[Any]:
    def publisher(source: Any) -> tuple[bool, str, str]:
        entity = corpus.entities.get(source.publisher or "")
        return (entity is None, entity.name.lower() if entity else "", source.publisher or "")

    return sorted(corpus.sources.values(), key=lambda s: (*publisher(s), s.title.lower(), s.id))


def _changes(corpus: Corpus) -> list[Route]:
    """The changes pages, newest first, paged like the other listings."""
    pages = paginate(all_changes(corpus), corpus.config.page_size, "changes/")
    return [
        Route(p.url_of(p.number) + "index.html", "changes.html", {"pagination": p}) for p in pages
    ]
