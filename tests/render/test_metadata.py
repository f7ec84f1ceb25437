"""Machine-readable page descriptions: schema.org JSON-LD, Open Graph, citation and Dublin Core."""

from __future__ import annotations

import json
import re

import pytest

from scholion.link.citations import article_reference
from scholion.pipeline import check
from scholion.project import Project
from tests.helpers import REPO


def json_ld(doc) -> list[dict]:
    blocks = [s.text for s in doc.all("script") if s.attr("type") == "application/ld+json"]
    return [json.loads(b) for b in blocks]


def meta(doc, name: str) -> list[str]:
    return [
        m.attr("content")
        for m in doc.all("meta")
        if m.attr("name") == name or m.attr("property") == name
    ]


def by_type(blocks: list[dict], kind: str) -> dict:
    found = [b for b in blocks if b["@type"] == kind]
    assert len(found) == 1, [b["@type"] for b in blocks]
    return found[0]


def test_claim_page_has_a_claim_review_with_the_scale(site):
    review = by_type(json_ld(site.page("claims/aircraft-landed/")), "ClaimReview")
    assert review["@context"] == "https://schema.org"
    assert (
        review["claimReviewed"]
        == "Two Russian military aircraft landed in Caracas on 23 March 2019."
    )
    rating = review["reviewRating"]
    assert rating["alternateName"] == "Accurate"
    # The fixture's scale: accurate, inaccurate (verdicts, best first), unverified (no verdict).
    assert (rating["bestRating"], rating["worstRating"], rating["ratingValue"]) == (2, 1, 2)
    assert review["author"]["@type"] == "Organization"
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim"
    # Where the claim appeared: the original address when known (alpha's), else our copy.
    assert [a["url"] for a in claim["appearance"]] == [
        "https://example.com/alpha",
        "https://example.org/corpus/articles/beta/#hl-c-aircraft-landed",
    ]
    assert claim["appearance"][0]["archivedAt"] == (
        "https://web.archive.org/web/2019/https://example.com/alpha"
    )
    assert claim["appearance"][0]["subjectOf"]["url"] == (
        "https://example.org/corpus/articles/alpha/#hl-c-aircraft-landed"
    )
    assert claim["firstAppearance"] == claim["appearance"][0]
    assert claim["author"]["name"] == "Example Times"
    # The claim is dated by the article it first appears in; the review by the history
    # (tests/test_history_pages.py pins those dates).
    assert claim["datePublished"] == "2019-03-24"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])


def test_a_rating_without_verdict_has_only_its_name(site):
    review = by_type(json_ld(site.page("claims/troops-arrived/")), "ClaimReview")
    assert review["reviewRating"] == {"@type": "Rating", "alternateName": "Unverified"}


def test_the_source_a_claim_comes_from_is_one_of_its_appearances(site):
    """A source with ``relation: origin`` makes the claim: schema.org's Claim lists it among the
    works it appears in, after the articles; evidence for or against it is not listed there."""
    claim = by_type(json_ld(site.page("claims/troops-arrived/")), "ClaimReview")["itemReviewed"]
    assert claim["appearance"][-1] == {
        "@type": "CreativeWork",
        "url": "https://example.org/corpus/sources/embassy-statement/",
        "headline": "Embassy statement on cooperation",
    }
    assert len(claim["appearance"]) == 3  # two articles, one origin; the context source is not


def test_article_page_is_a_news_article_with_citation_and_dublin_core_meta(site):
    doc = site.page("articles/alpha/")
    article = by_type(json_ld(doc), "NewsArticle")
    assert article["headline"] == meta(doc, "citation_title")[0] == meta(doc, "DC.title")[0]
    assert article["datePublished"] == meta(doc, "DC.date")[0]
    assert meta(doc, "citation_publication_date") == [article["datePublished"].replace("-", "/")]
    assert article["publisher"]["name"] == meta(doc, "citation_publisher")[0]
    assert meta(doc, "og:type") == ["article"]
    assert meta(doc, "og:url") == ["https://example.org/corpus/articles/alpha/"]


@pytest.mark.parametrize(
    ("url", "kind"),
    [("entities/caracas/", "Place"), ("entities/example-times/", "NewsMediaOrganization")],
)
def test_entity_pages_describe_the_entity(site, url, kind):
    thing = by_type(json_ld(site.page(url)), kind)
    assert thing["url"] == "https://example.org/corpus/" + url


def test_every_page_has_breadcrumbs_ending_at_itself(site):
    for path in site.html_files():
        if path == "404.html":
            continue
        crumbs = by_type(json_ld(site.page(path)), "BreadcrumbList")["itemListElement"]
        assert crumbs[0]["item"] == "https://example.org/corpus/"
        assert crumbs[-1]["item"] == "https://example.org/corpus/" + path.removesuffix("index.html")
        assert [c["position"] for c in crumbs] == list(range(1, len(crumbs) + 1))


def test_data_page_is_a_dataset_and_every_download_exists(site):
    doc = site.page("data/")
    dataset = by_type(json_ld(doc), "Dataset")
    for download in dataset["distribution"]:
        path = download["contentUrl"].removeprefix("https://example.org/corpus/")
        assert (site.output / path).is_file(), path


def test_cite_box_offers_bibtex_and_csl_json_that_parse(site):
    doc = site.page("articles/alpha/")
    box = doc.by_id("cite-this")
    assert box.text == "Cite this"
    csl = json.loads((site.output / "articles/alpha/cite.json").read_text(encoding="utf-8"))
    assert csl[0]["title"] == by_type(json_ld(doc), "NewsArticle")["headline"]
    bib = (site.output / "articles/alpha/cite.bib").read_text(encoding="utf-8")
    assert bib.startswith("@misc{") and bib.rstrip().endswith("}")
    assert bib.count("{") == bib.count("}")


def test_a_cite_line_never_doubles_the_full_stop_after_a_title():
    demo, _ = check(Project.at(REPO))
    assert demo is not None
    line = article_reference(demo, "lendman-russia-sends-peacekeeping-troops").line()
    assert "Joint Military Exercises. " in line and ".." not in line
    assert line.startswith("Stephen Lendman (2019-03-25). Russia Sends")
