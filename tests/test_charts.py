"""Pictures: chart data equals the corpus; the SVG is well-formed, accessible and stable."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from scholion.pipeline import check
from scholion.project import Project
from scholion.render import charts, layout, svg

REPO = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module", params=["tests/fixtures/site", "."], ids=["fixture", "demo"])
def corpus(request):
    linked, diagnostics = check(Project.at(REPO / request.param))
    assert linked is not None, diagnostics
    return linked


def all_charts(corpus) -> list[svg.Chart]:
    made = [
        charts.rating_distribution(corpus),
        charts.activity_timeline(corpus),
        charts.corpus_network(corpus),
    ]
    made += [charts.entity_network(corpus, e) for e in sorted(corpus.entities)]
    made += [charts.provenance_chart(corpus, c) for c in sorted(corpus.claims)]
    return [c for c in made if c is not None]


def test_rating_chart_counts_every_claim_once(corpus):
    chart = charts.rating_distribution(corpus)
    counts = Counter(c.rating for c in corpus.claims.values())
    assert chart.rows == tuple((t.label, str(counts[t.id])) for t in corpus.config.ratings)


def test_timeline_counts_articles_and_claim_appearances_per_month(corpus):
    chart = charts.activity_timeline(corpus)
    articles = Counter(a.date[:7] for a in corpus.articles.values())
    appearances = Counter(
        corpus.articles[a.article].date[:7] for apps in corpus.appearances.values() for a in apps
    )
    assert chart.rows == tuple((m, str(articles[m]), str(appearances[m])) for m in sorted(articles))


def test_provenance_chart_edges_follow_the_sources_and_what_they_cite(corpus):
    for claim in corpus.claims.values():
        chart = charts.provenance_chart(corpus, claim.id)
        if not claim.sources:
            assert chart is None
            continue
        titles = {s.id: s.title for s in corpus.sources.values()}
        expected = {("This claim", titles[cs.source]) for cs in claim.sources}
        seen, todo = set(), [cs.source for cs in claim.sources]
        while todo:
            source = todo.pop()
            if source in seen:
                continue
            seen.add(source)
            for cited in corpus.sources[source].cites:
                expected.add((titles[source], titles[cited]))
                todo.append(cited)
        assert {(a, b) for a, b, _ in chart.rows} == expected


def test_every_svg_is_well_formed_with_title_and_desc(corpus):
    for chart in all_charts(corpus):
        root = ET.fromstring(chart.svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.findtext(f"{SVG}title") == chart.title
        assert root.findtext(f"{SVG}desc") == chart.description
        assert root.get("aria-labelledby") == f"{chart.id}-title {chart.id}-desc"


def test_two_runs_give_identical_svg(corpus):
    assert [c.svg for c in all_charts(corpus)] == [c.svg for c in all_charts(corpus)]


def test_networks_stay_legible_for_a_large_corpus():
    edges = [(f"e{i:03d}", f"e{j:03d}", (i * j) % 7 + 1) for i in range(60) for j in range(i)]
    kept = layout.backbone(edges)
    nodes = {n for a, b, _ in kept for n in (a, b)}
    assert len(nodes) == 60
    assert len(kept) <= 3 * 60
    positions = layout.spring(
        sorted(nodes)[: svg.MAX_NODES], [e for e in kept if e[0] < "e030" and e[1] < "e030"]
    )
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in positions.values())
