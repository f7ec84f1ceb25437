"""The corpus as plain JSON-ready records: the one shape every export is derived from.

Keys are fixed and ordered, values are text, numbers or lists, so the JSON dump, the CSV tables
and the per-record files agree with each other and with ``schemas/export/corpus.schema.json``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from scholion.exports.encoding import Keyed
from scholion.model import AUTHORITIES, Annotation, Corpus, Entity, Relation

TEXT_CONTEXT = 32
"""Characters of prefix and suffix kept with each exported quote (as annotation tools do)."""


def article_record(corpus: Corpus, slug: str) -> dict[str, Any]:
    article = corpus.articles[slug]
    return {
        "id": slug,
        "url": corpus.config.base_url + f"articles/{slug}/",
        "title": article.title,
        "date": article.date,
        "authors": [
            {"name": _author_name(corpus, a.entity, a.name), "entity": a.entity or ""}
            for a in article.authors
        ],
        "publisher": article.publisher,
        "language": article.language,
        "original_url": article.url,
        "archive_url": article.archive_url,
        "rights": article.rights,
        "summary": article.summary,
        "word_count": article.word_count,
        "text": article.index.text,
    }


def claim_record(corpus: Corpus, claim_id: str) -> dict[str, Any]:
    claim = corpus.claims[claim_id]
    rating = corpus.config.rating(claim.rating)
    return {
        "id": claim_id,
        "url": corpus.config.base_url + f"claims/{claim_id}/",
        "statement": claim.statement,
        "rating": claim.rating,
        "rating_label": rating.label,
        "explanation_html": claim.explanation_html,
        "claimant": claim.claimant or "",
        "about": list(claim.about),
        "sources": [
            {"source": s.source, "relation": s.relation, "note": s.note} for s in claim.sources
        ],
        "defined_in": claim.defined_in,
        "links": [{"type": link.type, "claim": link.other} for link in claim.links],
        "narratives": list(corpus.narratives_by_claim.get(claim_id, ())),
    }


def annotation_record(corpus: Corpus, ann: Annotation) -> dict[str, Any]:
    """A claim appearance, quoted note or citation, with its place in the article's text."""
    text = corpus.articles[ann.article].index.text
    return {
        "article": ann.article,
        "anchor": ann.anchor,
        "url": corpus.config.base_url + f"articles/{ann.article}/#hl-{ann.anchor}",
        "number": ann.number,
        "kind": ann.kind,
        "target": ann.target,
        "exact": text[ann.start : ann.end],
        "prefix": text[max(0, ann.start - TEXT_CONTEXT) : ann.start],
        "suffix": text[ann.end : ann.end + TEXT_CONTEXT],
        "start": ann.start,
        "end": ann.end,
    }


def note_records(corpus: Corpus, slug: str) -> Iterator[dict[str, Any]]:
    """The notes of one article."""
    return (
        {
            "article": note.article,
            "anchor": note.anchor,
            "kind": note.kind,
            "quoted": note.quoted,
            "html": note.html,
        }
        for note in corpus.notes[slug]
    )


def entity_record(corpus: Corpus, entity_id: str) -> dict[str, Any]:
    entity = corpus.entities[entity_id]
    return {
        "id": entity_id,
        "url": corpus.config.base_url + f"entities/{entity_id}/",
        "type": entity.type,
        "name": entity.name,
        "aliases": list(entity.aliases),
        "description": entity.description,
        "wikidata": entity.wikidata,
        "links": [{"title": link.title, "url": link.url} for link in entity.links],
        "authorities": {a.scheme: a.id for a in entity.authorities},
        "relations": [relation_record(corpus, r) for r in entity.relations],
        **_where_when(entity),
    }


def _where_when(entity: Entity) -> dict[str, Any]:
    """A place's coordinates (null for any other entity), an event's dates as precise as given
    ("" when none) and its places (ids)."""
    where = entity.coordinates
    return {
        "coordinates": {"latitude": where.latitude, "longitude": where.longitude}
        if where
        else None,
        "date": entity.date,
        "end": entity.end,
        "places": list(entity.places),
    }


def relation_record(corpus: Corpus, relation: Relation) -> dict[str, Any]:
    """A relation as its subject's file declares it, with both readings of its type."""
    kind = corpus.config.relation_type(relation.type)
    return {
        "subject": relation.subject,
        "type": relation.type,
        "label": kind.label,
        "inverse": kind.inverse,
        "object": relation.object,
        "from": relation.start,
        "to": relation.end,
        "sources": list(relation.sources),
        "claims": list(relation.claims),
    }


def relation_records(corpus: Corpus, entity_id: str) -> Iterator[dict[str, Any]]:
    """The relations of one subject, in the order its file gives them."""
    return (relation_record(corpus, relation) for relation in corpus.entities[entity_id].relations)


def authority_columns(corpus: Corpus, entity_id: str) -> dict[str, str]:
    """An entity's authority ids, a column per scheme ("" where it has none)."""
    found = {a.scheme: a.id for a in corpus.entities[entity_id].authorities}
    return {scheme: found.get(scheme, "") for scheme in AUTHORITIES}


def claim_link_records(corpus: Corpus, claim_id: str) -> Iterator[dict[str, Any]]:
    """The links a claim's definition gives."""
    return (
        {"claim": link.claim, "type": link.type, "other": link.other}
        for link in corpus.claims[claim_id].links
    )


def narrative_record(corpus: Corpus, narrative_id: str) -> dict[str, Any]:
    narrative = corpus.narratives[narrative_id]
    return {
        "id": narrative_id,
        "url": corpus.config.base_url + f"narratives/{narrative_id}/",
        "title": narrative.title,
        "summary_html": narrative.summary_html,
        "claims": list(narrative.claims),
    }


def source_record(corpus: Corpus, source_id: str) -> dict[str, Any]:
    source = corpus.sources[source_id]
    return {
        "id": source_id,
        "url": corpus.config.base_url + f"sources/{source_id}/",
        "title": source.title,
        "kind": source.kind,
        "publisher": source.publisher or "",
        "author": source.author,
        "date": source.date,
        "original_url": source.url,
        "archive_url": source.archive_url,
        "description_html": source.description_html,
        "cites": list(source.cites),
    }


def mention_records(corpus: Corpus, slug: str) -> Iterator[dict[str, Any]]:
    """The mentions of one article."""
    return (
        {
            "entity": m.entity,
            "article": m.article,
            "anchor": m.anchor,
            "start": m.start,
            "end": m.end,
            "text": m.text,
            "linked": m.linked,
        }
        for m in corpus.mentions[slug]
    )


def corpus_record(corpus: Corpus) -> dict[str, Any]:
    """Everything, in one document (``data/corpus.json``); its lists of records are
    :class:`~scholion.exports.encoding.Keyed`, so encode it with
    :func:`~scholion.exports.encoding.to_json`."""
    config = corpus.config
    return {
        "title": config.title,
        "description": config.description,
        "url": config.base_url,
        "license": config.license,
        "ratings": [
            {"id": t.id, "label": t.label, "description": t.description, "verdict": t.verdict}
            for t in config.ratings
        ],
        # Made a run of keys at a time (see encoding.Keyed): never the whole corpus at once.
        "articles": keyed("articles", corpus.articles, corpus, one(article_record)),
        "claims": keyed("claims", corpus.claims, corpus, one(claim_record)),
        "annotations": keyed("annotations", corpus.annotations, corpus, annotation_records),
        "notes": keyed("notes", corpus.notes, corpus, note_records),
        "entities": keyed("entities", corpus.entities, corpus, one(entity_record)),
        "sources": keyed("sources", corpus.sources, corpus, one(source_record)),
        "mentions": keyed("mentions", corpus.mentions, corpus, mention_records),
        "relation_types": [
            {"id": t.id, "label": t.label, "inverse": t.inverse, "schema_org": t.schema_org}
            for t in config.relation_types
        ],
        "relations": keyed("relations", corpus.entities, corpus, relation_records),
        "narratives": keyed("narratives", corpus.narratives, corpus, one(narrative_record)),
    }


def annotation_records(corpus: Corpus, slug: str) -> Iterator[dict[str, Any]]:
    """The annotations of one article, in its order."""
    return (annotation_record(corpus, ann) for ann in corpus.annotations[slug])


def keyed(
    section: str,
    records: Mapping[str, Any],
    corpus: Corpus,
    make: Callable[[Corpus, str], Iterable[dict[str, Any]]],
    encode: Callable[[Iterable[Any]], bytes] | None = None,
) -> Keyed:
    """The records ``make`` gives for each key of ``records``, in the order of the keys; a
    JSON array's items unless ``encode`` writes them otherwise (each ending as it should:
    nothing between two runs)."""
    if encode is None:
        return Keyed(section, sorted(records), corpus, make)
    return Keyed(section, sorted(records), corpus, make, encode, b"")


def one(
    make: Callable[[Corpus, str], dict[str, Any]],
) -> Callable[[Corpus, str], tuple[dict[str, Any]]]:
    """``make``, giving its one record as a key's only item."""
    return lambda corpus, key: (make(corpus, key),)


def _author_name(corpus: Corpus, entity: str | None, name: str) -> str:
    return corpus.entities[entity].name if entity and entity in corpus.entities else name
