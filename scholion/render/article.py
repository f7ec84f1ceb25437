"""The annotated text of an article: highlights, reference links and entity mention links."""

from __future__ import annotations

import html
from collections import Counter

from ..anchor import LinkSpan, Span, highlight
from ..config import Term
from ..model import Annotation, Article, Corpus

KIND_LABELS = {"claim": "Claim", "note": "Note", "citation": "Source"}


def annotated_body(corpus: Corpus, article: Article, root: str) -> str:
    """The article's HTML with every annotation marked; ``root`` is the page's path to the site."""
    spans = [_span(corpus, ann) for ann in corpus.annotations.get(article.slug, ())]
    links = [
        LinkSpan(
            m.start,
            m.end,
            f"{root}entities/{m.entity}/" if m.linked else "",
            "mention" if m.linked else "mention-plain",
            m.anchor,
        )
        for m in corpus.mentions.get(article.slug, ())
    ]
    return highlight(article.index, spans, links)


def annotation_classes(corpus: Corpus, ann: Annotation) -> str:
    classes = f"hl-{ann.kind}"
    if ann.kind == "claim":
        classes += f" rating-{corpus.claims[ann.target].rating}"
    return classes


def annotation_label(corpus: Corpus, ann: Annotation) -> str:
    """What the reference link says to a screen reader and in its tooltip."""
    label = f"{KIND_LABELS[ann.kind]} {ann.number}"
    if ann.kind == "claim":
        label += f", rated {corpus.config.rating(corpus.claims[ann.target].rating).label}"
    return label


def _span(corpus: Corpus, ann: Annotation) -> Span:
    label = html.escape(annotation_label(corpus, ann))
    ref = (
        f'<a class="ref ref-{ann.kind}" id="ref-{ann.anchor}" href="#{ann.anchor}" '
        f'title="{label}"><span class="visually-hidden">{label}</span>'
        f'<span aria-hidden="true">{ann.number}</span></a>'
    )
    return Span(ann.start, ann.end, ann.anchor, annotation_classes(corpus, ann), ref)


def rating_counts(corpus: Corpus, article: Article) -> list[tuple[Term, int]]:
    """How many of the article's claim appearances have each rating, in scale order."""
    counts = Counter(
        corpus.claims[a.target].rating
        for a in corpus.annotations.get(article.slug, ())
        if a.kind == "claim"
    )
    return [(term, counts[term.id]) for term in corpus.config.ratings if counts[term.id]]
