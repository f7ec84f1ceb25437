"""Machine-readable descriptions of each page: schema.org JSON-LD, citation and Dublin Core meta.

Search engines, link previews and reference managers (Zotero reads ``citation_*``) see the same
records readers do. Everything is computed from the linked corpus and the route, never from the
clock, so pages stay byte-reproducible.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scholion.i18n import N_
from scholion.link import citations
from scholion.model import Corpus
from scholion.render import entity_lists
from scholion.render.routes import Route

SCHEMA = "https://schema.org"
ENTITY_TYPES = {
    "person": "Person",
    "organization": "Organization",
    "media": "NewsMediaOrganization",
    "place": "Place",
    "event": "Event",
}


def _organization(corpus: Corpus) -> dict[str, Any]:
    return {
        "@type": "Organization",
        "name": corpus.config.organization,
        "url": corpus.config.base_url,
    }


def _person_or_name(corpus: Corpus, entity_id: str | None, name: str) -> dict[str, Any]:
    if entity_id and entity_id in corpus.entities:
        entity = corpus.entities[entity_id]
        return {
            "@type": ENTITY_TYPES.get(entity.type, "Thing"),
            "name": entity.name,
            "url": corpus.config.base_url + f"entities/{entity_id}/",
        }
    return {"@type": "Person", "name": name}


SECTIONS = {
    "articles": N_("Articles"),
    "claims": N_("Claims"),
    "entities": N_("Entities"),
    "sources": N_("Sources"),
    "narratives": N_("Narratives"),
    "data": N_("Data"),
    "search": N_("Search"),
    "changes": N_("Changes"),
}
"""The name of each section of the site, for breadcrumbs."""

PAGE_NAMES = {
    "search.html": N_("Search"),
    "data.html": N_("Data"),
    "changes.html": N_("Changes"),
    "overview.html": N_("The corpus at a glance"),
    "map.html": N_("Map of places"),
    "timeline.html": N_("Timeline of events"),
    "list_articles.html": N_("Articles"),
    "list_claims.html": N_("Claims"),
    "list_entities.html": N_("Entities"),
    "list_sources.html": N_("Sources"),
    "list_narratives.html": N_("Narratives"),
}
"""The names of pages that are not a record, for breadcrumbs."""


def breadcrumbs(
    corpus: Corpus, route: Route, title: str, gettext: Callable[[str], str] = str
) -> dict[str, Any]:
    """Home, the section, the page: one BreadcrumbList per page, named in the interface's
    language (``gettext``)."""
    base = corpus.config.base_url
    trail = [(gettext("Home"), base)]
    first = route.url.split("/")[0]
    if first in SECTIONS and route.url != f"{first}/":
        trail.append((gettext(SECTIONS[first]), base + f"{first}/"))
    if "list" in route.context:  # one of an entity's lists: under the entity's own page
        entity = route.context["entity"]
        trail.append((entity.name, base + f"entities/{entity.id}/"))
    if route.url:
        trail.append((title, base + route.url))
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": url}
            for i, (name, url) in enumerate(trail, 1)
        ],
    }


def entity_list_heading(name: str, entity_name: str, gettext: Callable[[str], str] = str) -> str:
    """For templates: :func:`scholion.render.entity_lists.heading`."""
    return entity_lists.heading(name, entity_name, gettext)


def page_title(route: Route, gettext: Callable[[str], str] = str) -> str:
    """The page's own name, for breadcrumbs."""
    context = route.context
    if "list" in context:
        return entity_list_heading(context["list"], context["entity"].name, gettext)
    for key, attribute in (
        ("article", "title"),
        ("claim", "statement"),
        ("entity", "name"),
        ("source", "title"),
        ("page", "title"),
        ("narrative", "title"),
    ):
        if key in context:
            return str(getattr(context[key], attribute))
    return gettext(PAGE_NAMES.get(route.template, N_("Page")))


def page_data(
    corpus: Corpus, route: Route, gettext: Callable[[str], str] = str
) -> list[dict[str, Any]]:
    """The JSON-LD blocks of one page: its record (if any) and its breadcrumbs."""
    found = [breadcrumbs(corpus, route, page_title(route, gettext), gettext)]
    context = route.context
    if "claim" in context:
        found.insert(0, claim_review(corpus, context["claim"].id))
    elif "article" in context:
        found.insert(0, news_article(corpus, context["article"].slug))
    elif "entity" in context and "list" not in context:
        found.insert(0, entity_thing(corpus, context["entity"].id))
    elif route.template == "data.html":
        found.insert(0, dataset(corpus))
    return found


def claim_review(corpus: Corpus, claim_id: str) -> dict[str, Any]:
    claim = corpus.claims[claim_id]
    ratings = corpus.config.ratings
    verdicts = [t for t in ratings if t.verdict]
    term = corpus.config.rating(claim.rating)
    base = corpus.config.base_url
    appearances = corpus.appearances.get(claim_id, ())
    first = corpus.articles[appearances[0].article] if appearances else None
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": term.label}
    if term.verdict and verdicts:
        # schema.org wants best > worst: the scale is written best first.
        rating |= {
            "bestRating": len(verdicts),
            "worstRating": 1,
            "ratingValue": len(verdicts) - verdicts.index(term),
        }
    works = [_appearance(corpus, a.article, a.anchor) for a in appearances]
    item: dict[str, Any] = {
        "@type": "Claim",
        "appearance": works
        + [_origin(corpus, cs.source) for cs in claim.sources if cs.relation == "origin"],
    }
    if first:
        item["datePublished"] = first.date
        item["firstAppearance"] = works[0]
    if claim.claimant:
        item["author"] = _person_or_name(corpus, claim.claimant, claim.claimant)
    review = {
        "@context": SCHEMA,
        "@type": "ClaimReview",
        "url": base + f"claims/{claim_id}/",
        "claimReviewed": claim.statement,
        "reviewRating": rating,
        "itemReviewed": item,
        "author": _organization(corpus),
    }
    published, modified = citations.review_dates(corpus, claim_id)
    if published:
        review["datePublished"] = published
    if modified != published:
        review["dateModified"] = modified
    return review


def _appearance(corpus: Corpus, slug: str, anchor: str) -> dict[str, Any]:
    """The article a claim appears in, as fact-checking tools look it up: by the address it was
    published at, where that is known (with its archived copy), else by our annotated copy of
    it, which is always given as the page about it."""
    article = corpus.articles[slug]
    ours = corpus.config.base_url + f"articles/{slug}/#hl-{anchor}"
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": article.url or ours,
        "headline": article.title,
        "datePublished": article.date,
    }
    if article.archive_url:
        work["archivedAt"] = article.archive_url
    if article.url:
        work["subjectOf"] = {"@type": "WebPage", "url": ours}
    return work


def _origin(corpus: Corpus, source_id: str) -> dict[str, Any]:
    """A source a claim comes from, as an appearance of the claim: the work that makes it."""
    source = corpus.sources[source_id]
    work: dict[str, Any] = {
        "@type": "CreativeWork",
        "url": source.url or corpus.config.base_url + f"sources/{source_id}/",
        "headline": source.title,
    }
    if source.date:
        work["datePublished"] = source.date
    if source.publisher:
        publisher = corpus.entities[source.publisher].name
        work["publisher"] = {"@type": "Organization", "name": publisher}
    return work


def news_article(corpus: Corpus, slug: str) -> dict[str, Any]:
    article = corpus.articles[slug]
    publisher = corpus.entities[article.publisher]
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date,
        "inLanguage": article.language,
        "url": corpus.config.base_url + f"articles/{slug}/",
        "author": [_person_or_name(corpus, a.entity, a.name) for a in article.authors],
        "publisher": {"@type": "Organization", "name": publisher.name},
        "copyrightNotice": article.rights,
        "wordCount": article.word_count,
    }
    if article.summary:
        data["description"] = article.summary
    if article.url:
        data["isBasedOn"] = article.url
    return data


def entity_thing(corpus: Corpus, entity_id: str) -> dict[str, Any]:
    entity = corpus.entities[entity_id]
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": ENTITY_TYPES.get(entity.type, "Thing"),
        "name": entity.name,
        "description": entity.description,
        "url": corpus.config.base_url + f"entities/{entity_id}/",
    }
    if entity.aliases:
        data["alternateName"] = list(entity.aliases)
    same = [f"https://www.wikidata.org/wiki/{entity.wikidata}"] if entity.wikidata else []
    same += [authority.url for authority in entity.authorities]
    same += [link.url for link in entity.links]
    if same:
        data["sameAs"] = same
    data.update(_where_when(corpus, entity_id))
    for relation in entity.relations:
        prop = corpus.config.relation_type(relation.type).schema_org
        if prop:  # memberOf, parentOrganization, containedInPlace…, as the configuration says
            other = corpus.entities[relation.object]
            data.setdefault(prop, []).append(_person_or_name(corpus, other.id, other.name))
    return data


def _where_when(corpus: Corpus, entity_id: str) -> dict[str, Any]:
    """schema.org's words for a place's coordinates (``geo``) and an event's dates and places
    (``startDate``, ``endDate``, ``location``), and ``Place``/``Event`` as the type of any entity
    type of that ``kind``. Dates keep their precision (ISO 8601 allows "2019-03")."""
    entity = corpus.entities[entity_id]
    kind = corpus.config.entity_type(entity.type).kind
    found: dict[str, Any] = {"@type": "Place"} if kind == "place" else {}
    if kind == "event":
        found["@type"] = "Event"
    if entity.coordinates is not None:
        found["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": entity.coordinates.latitude,
            "longitude": entity.coordinates.longitude,
        }
    if entity.date:
        found["startDate"] = entity.date
    if entity.end:  # none for one that has not ended, or lasted its date
        found["endDate"] = entity.end
    places = [corpus.entities[p] for p in entity.places if p in corpus.entities]
    if places:
        found["location"] = [
            {
                "@type": "Place",
                "name": place.name,
                "url": corpus.config.base_url + f"entities/{place.id}/",
            }
            for place in places
        ]
    return found


def dataset(corpus: Corpus) -> dict[str, Any]:
    base = corpus.config.base_url
    data: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Dataset",
        "name": corpus.config.title,
        "description": corpus.config.description or corpus.config.title,
        "url": base + "data/",
        "creator": _organization(corpus),
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": kind,
                "contentUrl": corpus.config.site_url + path,  # shared by every language
            }
            for path, kind in (
                ("data/corpus.json", "application/json"),
                ("data/datapackage.json", "application/json"),
                ("data/claims.csv", "text/csv"),
                ("data/annotations.jsonld", "application/ld+json"),
            )
        ],
    }
    if corpus.config.license:
        data["license"] = corpus.config.license
    return data


def citation_meta(corpus: Corpus, route: Route) -> list[tuple[str, str]]:
    """``citation_*`` (Google Scholar, Zotero) and Dublin Core ``DC.*`` meta for a record page."""
    context = route.context
    config = corpus.config
    if "article" in context:
        article = context["article"]
        authors = [corpus.entities[a.entity].name if a.entity else a.name for a in article.authors]
        publisher = corpus.entities[article.publisher].name
        pairs = [("citation_title", article.title)]
        pairs += [("citation_author", name) for name in authors]
        pairs += [
            ("citation_publication_date", article.date.replace("-", "/")),
            ("citation_publisher", publisher),
            ("citation_language", article.language),
            ("DC.title", article.title),
        ]
        pairs += [("DC.creator", name) for name in authors]
        return [
            *pairs,
            ("DC.date", article.date),
            ("DC.publisher", publisher),
            ("DC.language", article.language),
            ("DC.rights", article.rights),
            ("DC.type", "Text"),
        ]
    if "claim" in context:
        claim = context["claim"]
        apps = corpus.appearances.get(claim.id, ())
        date = corpus.articles[apps[0].article].date if apps else ""
        pairs = [
            ("citation_title", claim.statement),
            ("citation_author", config.organization),
            ("DC.title", claim.statement),
            ("DC.creator", config.organization),
            ("DC.publisher", config.title),
        ]
        if date:
            pairs += [("citation_publication_date", date.replace("-", "/")), ("DC.date", date)]
        if config.license:
            pairs.append(("DC.rights", config.license))
        return pairs
    return []


def reference(corpus: Corpus, route: Route):
    """What the "Cite this" box shows on a page, or None where there is nothing to cite."""
    context = route.context
    if "article" in context:
        return citations.article_reference(corpus, context["article"].slug)
    if "claim" in context:
        return citations.claim_reference(corpus, context["claim"].id)
    if route.template == "data.html":
        return citations.corpus_reference(corpus)
    return None
