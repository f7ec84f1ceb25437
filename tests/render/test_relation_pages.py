"""Relations, claim links, narratives and authority ids as tests/fixtures/site shows them.

The fixture (read it alongside): jane-doe "works for" daily-post from May 2018 to 2019,
established by reuters-report and asserted by aircraft-landed, and has an ORCID and an ISNI;
caracas has a GeoNames id; flights-via-syria "follows from" aircraft-landed; the narrative
russian-flights is expressed by troops-arrived and aircraft-landed.
"""

from __future__ import annotations

import json

from tests.render.test_pages import main, section


def items(doc, labelled_by: str) -> list[str]:
    found = section(main(doc), labelled_by).all("ul")[0]
    return [li.words for li in found.all("li") if "relation-evidence" not in li.attr("class")]


def test_both_entities_show_the_relation_each_in_its_own_direction(site):
    jane = items(site.page("entities/jane-doe/"), "relations")
    assert jane[0].startswith("works for Daily Post (from May 2018 to 2019)")
    assert "Source: Russian planes land in Caracas" in jane[0]
    assert "Claim: Two Russian military aircraft landed in Caracas on 23 March 2019." in jane[0]
    post = site.page("entities/daily-post/")
    assert items(post, "relations")[0].startswith("employs Jane Doe (from May 2018 to 2019)")
    links = section(main(post), "relations").links()
    assert "../../entities/jane-doe/" in links
    assert "../../sources/reuters-report/" in links and "../../claims/aircraft-landed/" in links


def test_an_entity_without_relations_has_no_relations_section(site):
    page = main(site.page("entities/moscow/"))
    assert [s for s in page.all("section") if s.attr("aria-labelledby") == "relations"] == []


def test_authority_ids_are_linked_and_in_the_json_ld(site):
    jane = site.page("entities/jane-doe/")
    elsewhere = jane.one("ul", cls="external")
    assert [(a.words, a.attr("href")) for a in elsewhere.all("a")] == [
        ("ORCID 0000-0002-1825-0097", "https://orcid.org/0000-0002-1825-0097"),
        ("ISNI 0000000121032683", "https://isni.org/isni/0000000121032683"),
    ]
    [thing] = [
        data
        for s in jane.all("script")
        if s.attr("type") == "application/ld+json"
        for data in [json.loads(s.text)]
        if data["@type"] == "Person"
    ]
    assert thing["sameAs"] == [
        "https://orcid.org/0000-0002-1825-0097",
        "https://isni.org/isni/0000000121032683",
    ]
    assert thing["worksFor"] == [
        {
            "@type": "NewsMediaOrganization",
            "name": "Daily Post",
            "url": "https://example.org/corpus/entities/daily-post/",
        }
    ]
    caracas = site.page("entities/caracas/").one("ul", cls="external")
    assert "https://www.geonames.org/3646738" in caracas.links()


def test_a_claim_link_shows_on_both_claims_with_its_inverse(site):
    assert items(site.page("claims/flights-via-syria/"), "related-claims") == [
        "Follows from Two Russian military aircraft landed in Caracas on 23 March 2019. Accurate"
    ]
    assert items(site.page("claims/aircraft-landed/"), "related-claims") == [
        "Leads to The flights came to Caracas via Syria. Inaccurate"
    ]


def test_a_claim_links_to_its_narratives_and_is_filtered_by_them(site):
    claim = site.page("claims/troops-arrived/")
    assert section(main(claim), "narratives").links() == ["../../narratives/russian-flights/"]
    filters = [s.words for s in claim.all("span") if s.attr("data-pagefind-filter") == "narrative"]
    assert filters == ["The Russian flights"]
    for slug, expected in (("alpha", ["The Russian flights"]), ("gamma", [])):
        article = site.page(f"articles/{slug}/")
        found = [
            s.words for s in article.all("span") if s.attr("data-pagefind-filter") == "narrative"
        ]
        assert found == expected


def test_a_narrative_page_shows_its_claims_over_time_and_across_articles(site):
    page = site.page("narratives/russian-flights/")
    assert page.errors == []
    body = main(page)
    assert body.one("h1").words == "The Russian flights"
    assert "Russian aircraft brought troops to Caracas." in body.words
    assert section(body, "claims").links() == [
        "../../claims/troops-arrived/",
        "../../claims/aircraft-landed/",
    ]
    timeline = section(body, "over-time")
    assert (
        timeline.all("p")[0].words
        == "4 passages in 2 articles, from 24 March 2019 to 26 March 2019."
    )
    dates = [t.attr("datetime") for t in timeline.all("time")]
    assert dates == sorted(dates) and len(dates) == 4
    assert all(link.startswith("../../") for link in timeline.links())


def test_narratives_are_listed_and_in_the_navigation(site):
    listing = site.page("narratives/")
    assert main(listing).one("ul", cls="records").links() == ["../narratives/russian-flights/"]
    nav = site.page("").one("nav", cls="site-nav")
    assert "narratives/" in nav.links()
