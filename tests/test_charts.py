"""Pictures: chart data equals the corpus; the SVG is well-formed, accessible and stable."""

from __future__ import annotations

import dataclasses
import itertools
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from scholion.config import Term
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
    return [c for c in made if c is not None]


def test_rating_chart_counts_every_claim_once_and_draws_no_empty_row(corpus):
    # A rating no claim got, beside the corpus's own (the demo now uses its whole scale).
    unused = Term("unused", "Never given", "Never given", "")
    config = dataclasses.replace(corpus.config, ratings=(*corpus.config.ratings, unused))
    corpus = dataclasses.replace(corpus, config=config)
    chart = charts.rating_distribution(corpus)
    counts = Counter(c.rating for c in corpus.claims.values())
    used = [t for t in corpus.config.ratings if counts[t.id]]
    assert unused not in used
    assert chart.rows == tuple((t.label, str(counts[t.id])) for t in used)
    labels = [e.text for e in ET.fromstring(chart.svg).iter(f"{SVG}text")][::2]
    assert labels == [t.label for t in used]


def test_every_node_of_the_corpus_network_links_to_its_entity(corpus):
    chart = charts.corpus_network(corpus, root="../")
    root = ET.fromstring(chart.svg)
    links = {a.get("href"): a.findtext(f"{SVG}text") for a in root.iter(f"{SVG}a")}
    names = {e.name: e.id for e in corpus.entities.values()}
    assert len(links) == len(list(root.iter(f"{SVG}circle"))) > 2
    for href, label in links.items():
        if not label.endswith("…"):
            assert href == f"../entities/{names[label]}/"


def test_long_labels_are_cut_between_words():
    assert svg._short("Reuters report of Sunday 24 March 2019 on Russian planes") == (
        "Reuters report of Sunday 24…"
    )
    assert svg._short("Short name") == "Short name"


def test_timeline_counts_articles_and_claim_appearances_per_month(corpus):
    chart = charts.activity_timeline(corpus)
    articles = Counter(a.date[:7] for a in corpus.articles.values())
    appearances = Counter(
        corpus.articles[a.article].date[:7] for apps in corpus.appearances.values() for a in apps
    )
    assert chart.rows == tuple((m, str(articles[m]), str(appearances[m])) for m in sorted(articles))


def test_every_svg_is_well_formed_with_title_and_desc(corpus):
    for chart in all_charts(corpus):
        root = ET.fromstring(chart.svg)
        assert root.tag == f"{SVG}svg"
        links = list(root.iter(f"{SVG}a"))
        assert root.get("role") == ("group" if links else "img")  # an img holds no links
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
    drawn = sorted(nodes)[: svg.MAX_NODES]
    order = layout.arc_order(drawn, [e for e in kept if e[0] in drawn and e[1] in drawn])
    assert sorted(order) == drawn


def test_the_network_gives_each_name_a_row_of_its_own_and_fits_a_phone(corpus):
    chart = charts.corpus_network(corpus)
    root = ET.fromstring(chart.svg)
    rows = [float(t.get("y")) for t in root.iter(f"{SVG}text")]
    assert len(rows) == len(set(rows)) > 2
    assert min(b - a for a, b in itertools.pairwise(sorted(rows))) >= 13 * 1.5
    assert int(root.get("width")) <= svg.NARROW


def test_the_most_linked_entity_sits_in_the_middle_with_the_others_around_it():
    star = [("hub", leaf, 1) for leaf in "abcd"]
    assert layout.arc_order(["a", "b", "c", "d", "hub"], star) == ["c", "a", "hub", "b", "d"]
