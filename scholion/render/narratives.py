"""What pages show of narratives: a narrative's claims over time and across articles, and the
narratives an article's claims express (its search filter).

Computed while a page renders, from the corpus it reads, so that a page reading through the
tracked corpus notes every record it depends on (an appearance added to an article changes
the narrative's page on the next edit, as in a clean build).
"""

from __future__ import annotations

from dataclasses import dataclass

from scholion.model import Annotation, Article, Claim, Corpus, Narrative


@dataclass(frozen=True, slots=True)
class Appearance:
    """A claim of a narrative where an article makes it."""

    article: Article
    claim: Claim
    annotation: Annotation


def timeline(corpus: Corpus, narrative: Narrative) -> list[Appearance]:
    """Every appearance of the narrative's claims (each claim is defined with a quote, so each
    has one at least), oldest article first, in reading order within an article."""
    found = [
        Appearance(corpus.articles[ann.article], corpus.claims[claim_id], ann)
        for claim_id in narrative.claims
        for ann in corpus.appearances.get(claim_id, ())
    ]
    return sorted(found, key=lambda a: (a.article.date, a.article.slug, a.annotation.number))


def article_count(appearances: list[Appearance]) -> int:
    """How many articles the appearances are in."""
    return len({a.article.slug for a in appearances})


def articles_of(corpus: Corpus, narrative: Narrative) -> int:
    """How many articles make one of the narrative's claims, from the appearances alone (the
    list of narratives shows only this, so a claim reworded leaves it as it was)."""
    return len(
        {
            ann.article
            for claim_id in narrative.claims
            for ann in corpus.appearances.get(claim_id, ())
        }
    )


def of_article(corpus: Corpus, slug: str) -> list[Narrative]:
    """The narratives the article's claims express, by title."""
    ids = {
        narrative_id
        for ann in corpus.annotations.get(slug, ())
        if ann.kind == "claim"
        for narrative_id in corpus.narratives_by_claim.get(ann.target, ())
    }
    return sorted((corpus.narratives[i] for i in ids), key=lambda n: (n.title.lower(), n.id))
