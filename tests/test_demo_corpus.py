"""The demo corpus keeps its annotations: an accidental loss of any of them fails here.

If you add or remove annotations on purpose, update the figures below in the same commit.
"""

from __future__ import annotations

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
        "entities": 52,
        "sources": 16,
        "pages": 2,
    }


def test_every_claim_appears_and_has_an_explanation(demo):
    for claim_id, claim in demo.claims.items():
        assert demo.appearances.get(claim_id), f"claim {claim_id} appears nowhere"
        assert claim.explanation_html.strip()


def test_every_source_is_used(demo):
    used = set(demo.claims_by_source) | set(demo.citations_by_source) | set(demo.cited_by)
    assert set(demo.sources) <= used
