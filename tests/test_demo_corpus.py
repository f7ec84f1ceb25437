"""The demo corpus keeps its annotations: an accidental loss of any of them fails here.

If you add or remove annotations on purpose, update the figures below in the same commit.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from scholion.pipeline import check
from scholion.project import Project

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo():
    corpus, diagnostics = check(Project.at(REPO))
    assert diagnostics == [], "\n".join(d.format_text() for d in diagnostics)
    assert corpus is not None
    return corpus


def test_demo_corpus_figures(demo):
    appearances = [a for anns in demo.annotations.values() for a in anns if a.kind == "claim"]
    shared = [c for c, apps in demo.appearances.items() if len({a.article for a in apps}) > 1]
    figures = {
        "articles": len(demo.articles),
        "claims": len(demo.claims),
        "claim appearances": len(appearances),
        "claims in both articles": len(shared),
        "notes": sum(len(notes) for notes in demo.notes.values()),
        "citations": sum(a.kind == "citation" for anns in demo.annotations.values() for a in anns),
        "entities": len(demo.entities),
        "sources": len(demo.sources),
        "pages": len(demo.pages),
    }
    assert figures == {
        "articles": 2,
        "claims": 39,
        "claim appearances": 46,
        "claims in both articles": 7,
        "notes": 36,
        "citations": 22,
        "entities": 53,
        "sources": 37,
        "pages": 2,
    }


def test_the_verdicts_use_the_whole_scale(demo):
    """Every rating of the scale is used, each verdict on evidence that check finds consistent
    with it (the fixture ``demo`` has no diagnostics, warnings included)."""
    ratings = Counter(claim.rating for claim in demo.claims.values())
    assert ratings == {
        "accurate": 10,
        "mostly-accurate": 3,
        "mixed": 2,
        "misleading": 2,
        "inaccurate": 1,
        "attributed": 16,
        "unverified": 1,
        "opinion": 4,
    }
    assert set(ratings) == {term.id for term in demo.config.ratings}


def test_every_claim_has_a_claimant(demo):
    """Every claim of the demo names or implies who makes it; where the article says it in its own
    voice, the claimant is its author."""
    assert [c for c, claim in demo.claims.items() if not claim.claimant] == []


def test_sources_can_be_followed(demo):
    """Both articles and 25 of 37 sources have an address; a source without one says why in its
    description (an anonymous person, a broadcast, data or a post that could not be found)."""
    assert all(article.url for article in demo.articles.values())
    with_url = sorted(s.id for s in demo.sources.values() if s.url)
    assert len(with_url) == 25
    for source in demo.sources.values():
        if not source.url:
            assert "address" in source.description_html, source.id


def test_relations(demo):
    """Where a claim comes from (origin) is recorded apart from the evidence for and against it."""
    relations = Counter(cs.relation for claim in demo.claims.values() for cs in claim.sources)
    assert relations == {"supports": 34, "origin": 31, "context": 23, "refutes": 5}


def test_every_claim_appears_and_has_an_explanation(demo):
    for claim_id, claim in demo.claims.items():
        assert demo.appearances.get(claim_id), f"claim {claim_id} appears nowhere"
        assert claim.explanation_html.strip()


def test_every_source_is_used(demo):
    used = set(demo.claims_by_source) | set(demo.citations_by_source) | set(demo.cited_by)
    assert set(demo.sources) <= used
