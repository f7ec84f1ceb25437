"""W3C Web Annotation (JSON-LD): every claim appearance, note and citation as an Annotation.

Each targets its article page with a TextQuoteSelector (exact, prefix, suffix) and a
TextPositionSelector on the article's text as exported in ``data/corpus.json`` (code points),
so annotation tools can re-anchor it. One AnnotationCollection per article and one for the
corpus.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scholion.exports.encoding import Keyed
from scholion.exports.records import annotation_record
from scholion.model import Annotation, Corpus

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATION = {"claim": "assessing", "note": "commenting", "citation": "linking"}
SOURCE_PURPOSE = {
    "supports": "assessing",
    "refutes": "assessing",
    "context": "describing",
    "origin": "linking",
}
"""The purpose of a claim's source as a body of its annotation, by relation: evidence for or
against the claim is part of the assessment; the claim's origin (where it comes from) is a link,
as a citation is, and no part of the assessment. The exact relation is :data:`RELATION`."""
RELATION = "scholion:relation"
"""The relation of a claim's source (supports, refutes, context, origin) on its body: a purpose
says ``assessing`` for both supports and refutes, and ``import-annotations`` rebuilding a claim
from this export needs to know which. An absolute IRI in the ``scholion:`` scheme, as JSON-LD
reads a compact name whose prefix the context does not define; other consumers ignore it."""


def annotation(corpus: Corpus, ann: Annotation) -> dict[str, Any]:
    record = annotation_record(corpus, ann)
    base = corpus.config.base_url
    article_url = base + f"articles/{ann.article}/"
    return {
        "id": f"{base}data/annotations/{ann.article}.jsonld#{ann.anchor}",
        "type": "Annotation",
        "motivation": MOTIVATION[ann.kind],
        "body": _body(corpus, ann),
        "target": {
            "source": article_url,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": record["exact"],
                    "prefix": record["prefix"],
                    "suffix": record["suffix"],
                },
                {"type": "TextPositionSelector", "start": ann.start, "end": ann.end},
            ],
        },
    }


def _body(corpus: Corpus, ann: Annotation) -> list[dict[str, Any]]:
    base = corpus.config.base_url
    if ann.kind == "claim":
        claim = corpus.claims[ann.target]
        label = corpus.config.rating(claim.rating).label
        return [
            {
                "type": "TextualBody",
                "purpose": "describing",
                "format": "text/plain",
                "value": claim.statement,
            },
            {"type": "TextualBody", "purpose": "assessing", "format": "text/plain", "value": label},
            {
                "type": "TextualBody",
                "purpose": "assessing",
                "format": "text/html",
                "value": claim.explanation_html,
            },
            {"id": base + f"claims/{claim.id}/", "type": "Text", "format": "text/html"},
            *(
                {
                    "id": base + f"sources/{cs.source}/",
                    "type": "Text",
                    "format": "text/html",
                    "purpose": SOURCE_PURPOSE[cs.relation],
                    RELATION: cs.relation,
                }
                for cs in claim.sources
            ),
        ]
    if ann.kind == "note":
        note = next(n for n in corpus.notes[ann.article] if n.anchor == ann.anchor)
        kind = corpus.config.note_kind(note.kind).label
        return [
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/html",
                "value": note.html,
            },
            {
                "type": "TextualBody",
                "purpose": "classifying",
                "format": "text/plain",
                "value": kind,
            },
        ]
    return [{"id": base + f"sources/{ann.target}/", "type": "Text", "format": "text/html"}]


def _annotations_of(corpus: Corpus, slug: str) -> Iterator[dict[str, Any]]:
    return (annotation(corpus, ann) for ann in corpus.annotations.get(slug, ()))


def collection(corpus: Corpus, slug: str | None) -> dict[str, Any]:
    """The AnnotationCollection of one article, or of the whole corpus (``slug=None``)."""
    base = corpus.config.base_url
    slugs = [slug] if slug else sorted(corpus.annotations)
    total = sum(len(corpus.annotations.get(s, ())) for s in slugs)
    # Made a run of articles at a time (see encoding.Keyed): never the whole corpus's at once.
    items = Keyed("items", slugs, corpus, _annotations_of)
    name = f"annotations/{slug}" if slug else "annotations"
    label = corpus.articles[slug].title if slug else corpus.config.title
    return {
        "@context": CONTEXT,
        "id": f"{base}data/{name}.jsonld",
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
        "first": {
            "id": f"{base}data/{name}.jsonld#page1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
