"""Every page kind of tests/fixtures/site, asserted on what a reader sees.

The fixture corpus (read it alongside): articles alpha (2019-03-24), beta (2019-03-26) and gamma
(2019-04-02); claims aircraft-landed (accurate, defined in alpha, also in beta), troops-arrived
(unverified, defined in beta, also in alpha) and flights-via-syria (inaccurate); sources
reuters-report (cites flight-data), flight-data and embassy-statement; plain pages about (in the
menu) and contributing. In alpha, a note overlaps a claim, a claim runs through a link and
emphasis, and a note uses prefix: to pick the second "was routine".
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from tests.dom import Document, Element

ARTICLES = ["alpha", "beta", "gamma"]
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def main(doc: Document) -> Element:
    return doc.one("main")


def marked(doc: Document, ann_id: str) -> str:
    """The text a reader sees highlighted for one annotation: every mark[data-ann~=ID] joined."""
    return "".join(m.text for m in doc.all("mark") if ann_id in m.attr("data-ann").split())


def section(page: Element, labelled_by: str) -> Element:
    (found,) = [s for s in page.all("section") if s.attr("aria-labelledby") == labelled_by]
    return found


def annotation_items(doc: Document) -> dict[str, Element]:
    """The list after the text: annotation id -> its item."""
    annotation_list = doc.all("ol", cls="annotation-list")
    return {li.attr("data-ann"): li for ol in annotation_list for li in ol.all("li")}


def sidenotes(doc: Document) -> dict[str, Element]:
    """The annotations beside (or, on a narrow screen, below) each passage: id -> card."""
    return {
        li.attr("id"): li
        for ol in doc.all("ol", cls="sidenotes")
        for li in ol.all("li", cls="sidenote")
    }


def test_every_page_is_well_formed(site):
    for path in site.html_files():
        assert site.page(path).errors == [], path


# Article pages


@pytest.mark.parametrize("slug", ARTICLES)
def test_each_highlight_shows_exactly_its_quote(site, slug):
    doc = site.page(f"articles/{slug}/")
    for ann_id, item in annotation_items(doc).items():
        quote = item.one("p", cls="annotation-quote").words.strip("“”")
        assert " ".join(marked(doc, ann_id).split()) == quote, ann_id


@pytest.mark.parametrize("slug", ARTICLES)
def test_highlights_and_the_annotation_list_link_both_ways(site, slug):
    doc = site.page(f"articles/{slug}/")
    items = annotation_items(doc)
    cards = sidenotes(doc)
    highlighted = {i for m in doc.all("mark") for i in m.attr("data-ann").split()}
    assert highlighted == set(items) == set(cards)
    refs = doc.all("a", cls="ref")
    assert sorted(a.attr("href") for a in refs) == sorted(f"#{i}" for i in items)
    for ann_id in items:
        for holder in (items[ann_id], cards[ann_id]):
            (back,) = [a for a in holder.all("a") if a.attr("href").startswith("#hl-")]
            assert back.attr("href") == f"#hl-{ann_id}"
        assert doc.by_id(f"hl-{ann_id}") is not None


@pytest.mark.parametrize("slug", ARTICLES)
def test_each_sidenote_sits_beside_the_passages_holding_its_number(site, slug):
    doc = site.page(f"articles/{slug}/")
    groups = doc.all("div", cls="passage-group")
    for group in groups:
        text = group.one("div", cls="passages")
        numbers = [a.attr("href").removeprefix("#") for a in text.all("a", cls="ref")]
        cards = [li.attr("id") for li in group.all("li", cls="sidenote")]
        assert cards == numbers, [p.attr("id") for p in text.all("div", cls="passage")]
    assert sum(len(g.all("li", cls="sidenote")) for g in groups) == len(sidenotes(doc))


@pytest.mark.parametrize("slug", ARTICLES)
def test_numbers_in_the_text_read_in_order(site, slug):
    doc = site.page(f"articles/{slug}/")
    numbers = [int(a.all("span")[-1].text) for a in doc.all("a", cls="ref")]
    assert numbers == list(range(1, len(numbers) + 1))


def test_sidenotes_link_to_the_previous_and_next_annotation(site):
    doc = site.page("articles/alpha/")
    order = list(annotation_items(doc))
    for i, (ann_id, card) in enumerate(sidenotes(doc).items()):
        steps = [a.attr("href") for a in card.one("p", cls="sidenote-nav").all("a")]
        expected = [f"#hl-{ann_id}"]
        expected += [f"#{order[i - 1]}"] if i > 0 else []
        expected += [f"#{order[i + 1]}"] if i + 1 < len(order) else []
        assert steps == expected
    first = sidenotes(doc)["c-aircraft-landed"]
    nav = first.one("p", cls="sidenote-nav")
    assert nav.words == "Back to the text (claim 1) Next annotation, 2 →"


def test_passages_have_ids_for_search_to_link_to(site):
    doc = site.page("articles/alpha/")
    passages = doc.all("div", cls="passage")
    ids = [p.attr("id") for p in passages]
    assert all(re.fullmatch(r"p-[0-9a-f]{6}", i) for i in ids) and len(set(ids)) == 4
    # the positional ids of earlier versions still land on their passage, for old links
    assert [p.all("span", cls="former-id")[0].attr("id") for p in passages] == [
        "p-1",
        "p-2",
        "p-3",
        "p-4",
    ]
    assert [text_without_numbers(p) for p in passages] == [
        "Two Russian aircraft landed in Caracas on Saturday, carrying about 100 troops.",
        "According to Reuters on Sunday, the flights came via Syria and the troops were led"
        " by a general.",
        "Reactions",
        "Officials in Caracas said the visit was routine. The visit was routine, they said again.",
    ]


def text_without_numbers(element: Element) -> str:
    """The words of an annotated text without its reference links (the annotation numbers)."""

    def text(node: Element | str) -> str:
        if isinstance(node, str):
            return node
        skipped = {"ref", "passage-link"}  # the numbers, and each passage's link to itself
        return "" if skipped & set(node.classes) else "".join(text(c) for c in node.children)

    return " ".join(text(element).split())


def test_article_annotation_list_is_complete_and_in_reading_order(site):
    doc = site.page("articles/alpha/")
    items = annotation_items(doc)
    summary = [
        (li.attr("value"), ann_id, li.one("span", cls="annotation-kind").text)
        for ann_id, li in items.items()
    ]
    assert list(sidenotes(doc)) == list(items)
    assert summary == [
        ("1", "c-aircraft-landed", "Claim 1"),
        ("2", "n-5084ec", "Note 2"),
        ("3", "c-troops-arrived", "Claim 3"),
        ("4", "s-reuters-report", "Source 4"),
        ("5", "c-flights-via-syria", "Claim 5"),
        ("6", "n-f8eef2", "Note 6"),
    ]
    assert items["c-aircraft-landed"].one("span", cls="rating").text == "Accurate"
    assert items["c-aircraft-landed"].one("p", cls="annotation-statement").links() == [
        "../../claims/aircraft-landed/"
    ]
    assert items["n-5084ec"].one("span", cls="note-kind").text == "Context"
    assert items["n-5084ec"].one("div", cls="annotation-text").words == "Saturday was 23 March."
    assert items["s-reuters-report"].links() == [
        "#hl-s-reuters-report",
        "../../sources/reuters-report/",
    ]
    assert (
        items["n-5084ec"].one("p", cls="annotation-quote").words
        == "“landed in Caracas on Saturday”"
    )


def test_overlapping_quotes_are_both_highlighted(site):
    doc = site.page("articles/alpha/")
    assert marked(doc, "c-aircraft-landed") == "Two Russian aircraft landed in Caracas"
    assert marked(doc, "n-5084ec") == "landed in Caracas on Saturday"
    overlap = [m.text for m in doc.all("mark") if "hl-multi" in m.classes]
    assert "".join(overlap[:2]) == "landed in Caracas"


def test_a_quote_through_a_link_and_emphasis_keeps_both(site):
    doc = site.page("articles/alpha/")
    assert marked(doc, "c-flights-via-syria") == "Reuters on Sunday, the flights came via Syria"
    (original,) = [a for a in doc.all("a") if a.attr("href") == "https://example.com/reuters"]
    assert original.text == "Reuters on Sunday"
    assert original.attr("rel") == "noopener noreferrer nofollow"
    assert doc.one("em").all("mark")[0].text == "via Syria"


def test_prefix_picks_the_second_occurrence(site):
    doc = site.page("articles/alpha/")
    paragraph = next(p for p in doc.all("p") if "they said again" in p.text)
    assert paragraph.words.startswith("Officials in Caracas said the visit was routine.")
    assert marked(doc, "n-f8eef2") == "was routine"
    assert doc.by_id("hl-n-2") in paragraph.all("span")
    assert paragraph.text.index("The visit") < paragraph.text.index("was routine", 40)


def test_entity_mentions_link_to_entity_pages_but_not_inside_links(site):
    doc = site.page("articles/alpha/")
    mentions = [(a.attr("id"), a.attr("href"), a.text) for a in doc.all("a", cls="mention")]
    assert mentions == [
        ("m-caracas-f0fef2", "../../entities/caracas/", "Caracas"),
        ("m-caracas-223a33", "../../entities/caracas/", "Caracas"),
    ]


def test_article_facts(site):
    doc = site.page("articles/alpha/")
    facts = doc.one("dl", cls="facts")
    terms = [dt.text for dt in facts.all("dt")]
    values = [dd.words for dd in facts.all("dd")]
    assert dict(zip(terms, values, strict=True)) == {
        "Publisher": "Example Times",
        "Authors": "Jane Doe, Staff reporter",
        "Published": "24 March 2019",
        "Original": "as published · archived copy",
        "Reading time": "1 minute (46 words)",
        "Annotations": "3 claims, 2 notes, 1 citation Accurate 1 Inaccurate 1 Unverified 1",
    }
    assert doc.one("h1").text == "Russian aircraft land in Caracas"
    assert doc.one("p", cls="rights").words == "Rights: © Example Times; quoted for commentary."


def test_whole_article_notes_are_listed_apart(site):
    doc = site.page("articles/beta/")
    section = doc.one("section", cls="whole-notes")
    assert [li.words for li in section.all("li")] == [
        "Context The embassy did not publish its statement."
    ]


def test_an_article_without_a_sidecar_has_no_annotation_list(site):
    doc = site.page("articles/gamma/")
    assert annotation_items(doc) == {}
    assert doc.all("mark") == []
    body = doc.one("div", cls="article-body")
    assert text_without_numbers(body) == "Nothing happened in Moscow this week."


# Claim pages


def test_claim_page(site):
    doc = main(site.page("claims/troops-arrived/"))
    assert doc.one("h1").text == "About 100 Russian military personnel arrived in Caracas."
    assert doc.one("p", cls="verdict-rating").words == "Rating: Unverified"
    scale = doc.one("details", cls="rating-scale")
    assert [dt.words for dt in scale.all("dt")] == [
        "Accurate",
        "Inaccurate",
        "Unverified this claim",
    ]
    assert section(doc, "explanation").words == "Explanation Only the embassy says so."
    sources = [
        (li.one("span", cls="relation").text, li.all("a")[0].text, li.all("a")[0].attr("href"))
        for li in doc.one("ul", cls="claim-sources").all("li", cls="claim-source")
    ]
    assert sources == [
        ("Origin", "Embassy statement on cooperation", "../../sources/embassy-statement/"),
        ("Context", "Russian planes land in Caracas", "../../sources/reuters-report/"),
    ]
    provenance = doc.one("div", cls="provenance")
    assert provenance.words == "Relies on Flight-tracking records for 23 March 2019 Data service"


def test_claim_page_lists_every_appearance_earliest_first_with_its_quote(site):
    doc = main(site.page("claims/troops-arrived/"))
    appearances = doc.one("ol", cls="appearances").all("li")
    assert [(li.all("a")[0].attr("href"), li.one("mark").text) for li in appearances] == [
        ("../../articles/alpha/#hl-c-troops-arrived", "about 100 troops"),
        ("../../articles/beta/#hl-c-troops-arrived", "about 100 Russian troops in Caracas"),
    ]
    assert [li.one("blockquote").words for li in appearances] == [
        "Two Russian aircraft landed in Caracas on Saturday, carrying about 100 troops.",
        "The arrival of about 100 Russian troops in Caracas was confirmed by the embassy.",
    ]
    for slug in ("alpha", "beta"):
        assert site.page(f"articles/{slug}/").by_id("hl-c-troops-arrived") is not None


# Entity, source and plain pages


def test_entity_page(site):
    doc = main(site.page("entities/caracas/"))
    assert doc.one("p", cls="kicker").text == "Place"
    assert doc.one("h1").text == "Caracas"
    assert doc.one("p", cls="lead").text == "The capital of Venezuela."
    assert doc.one("ul", cls="external").links() == [
        "https://www.wikidata.org/wiki/Q1533",
        "https://www.geonames.org/3646738",
    ]
    assert section(doc, "claims-about").links() == ["../../claims/aircraft-landed/"]
    assert section(doc, "when").words == (
        "When it was mentioned 4 mentions in 2 articles, all in March 2019."
    )
    mentions = section(doc, "mentions")
    assert [h3.all("a")[0].text for h3 in mentions.all("h3")] == [
        "Russian aircraft land in Caracas",
        "Embassy confirms troop arrival",
    ]
    assert [h3.one("span", cls="record-meta").words for h3 in mentions.all("h3")] == [
        "Example Times · 24 March 2019 · 2 mentions",
        "Daily Post · 26 March 2019 · 2 mentions",
    ]
    assert [(li.all("a")[0].attr("href"), li.words) for li in mentions.all("li")] == [
        (
            "../../articles/alpha/#m-caracas-f0fef2",
            "Two Russian aircraft landed in Caracas on Saturday, carrying about 100 troops.",
        ),
        (
            "../../articles/alpha/#m-caracas-223a33",
            "Officials in Caracas said the visit was routine.",
        ),
        (
            "../../articles/beta/#m-caracas-1fc4f8",
            "The arrival of about 100 Russian troops in Caracas was confirmed by the embassy.",
        ),
        (
            "../../articles/beta/#m-caracas-8ef9cd",
            "Two Russian aircraft landed in Caracas, a spokesman said.",
        ),
    ]
    related = section(doc, "related")
    assert [li.words for li in related.all("li")][:1] == ["Daily Post 1 article"]


def test_entity_page_with_aliases_and_links(site):
    doc = main(site.page("entities/moscow/"))
    assert [s.text for s in doc.all("span", cls="alias")] == ["Moskva"]
    assert [(a.text, a.attr("href")) for a in doc.one("ul", cls="external").all("a")] == [
        ("City website", "https://www.mos.ru/")
    ]


def test_source_page_shows_provenance_both_ways(site):
    reuters = main(site.page("sources/reuters-report/"))
    assert reuters.one("p", cls="kicker").text == "Source · Wire service report"
    provenance = section(reuters, "provenance")
    assert provenance.words == (
        "Provenance Relies on Flight-tracking records for 23 March 2019 Data service"
    )
    assert provenance.all("figure") == []  # the list says it all
    assert provenance.links() == ["../../sources/flight-data/"]
    flight_data = main(site.page("sources/flight-data/"))
    provenance = section(flight_data, "provenance")
    assert provenance.words == (
        "Provenance No earlier source recorded: this is where the chain starts. "
        "Relied on by Russian planes land in Caracas Wire service report · Reuters · 24 March 2019"
    )
    assert provenance.links() == ["../../sources/reuters-report/"]


def test_source_page_lists_claims_and_citations(site):
    doc = main(site.page("sources/reuters-report/"))
    assert section(doc, "claims").links() == [
        "../../claims/flights-via-syria/",
        "../../claims/troops-arrived/",
    ]
    # A claim that comes from a source (origin) is listed apart from those checked against it.
    assert section(doc, "claims").one("h2").words == "Claims checked against this source 2"
    embassy = main(site.page("sources/embassy-statement/"))
    assert section(embassy, "claims-from").one("h2").words == "Claims that come from this source 1"
    assert section(embassy, "claims-from").links() == ["../../claims/troops-arrived/"]
    assert [s for s in embassy.all("section") if s.attr("aria-labelledby") == "claims"] == []
    (cited,) = section(doc, "cited-in").all("li")
    assert cited.links() == ["../../articles/alpha/#hl-s-reuters-report"]
    assert cited.one("blockquote").words == (
        "According to Reuters on Sunday, the flights came via Syria and the troops were led "
        "by a general."
    )
    facts = doc.one("dl", cls="facts")
    assert [dt.text for dt in facts.all("dt")] == ["Publisher", "Date", "Link"]


def test_plain_page_and_the_menu(site):
    doc = site.page("about/")
    assert main(doc).one("h1").text == "About this corpus"
    assert main(doc).one("article").all("p")[0].words == (
        "This corpus exists to test Scholion. See the articles."
    )
    for url in ("", "articles/alpha/", "contributing/"):
        menu = site.page(url).one("nav").all("a")
        assert [a.text for a in menu] == [
            "Articles",
            "Claims",
            "Notes",
            "Entities",
            "Sources",
            "Narratives",
            "About this corpus",
            "Search",
        ]
    assert main(site.page("contributing/")).one("h1").text == "How to contribute"


# Home, lists, search, 404


def test_home_page_shows_figures_and_latest_articles(site):
    doc = main(site.page(""))
    figures = doc.one("ul", cls="figures")
    assert [li.words for li in figures.all("li")] == [
        "3 articles",
        "3 claims",
        "6 entities",
        "3 sources",
    ]
    latest = [a.text for a in doc.all("a", cls="record-title")]
    assert latest == [
        "A quiet week in Moscow",
        "Embassy confirms troop arrival",
        "Russian aircraft land in Caracas",
    ]
    assert [(li.words, li.links()) for li in section(doc, "by-rating").all("li")] == [
        ("Accurate 1", ["claims/#rating-accurate"]),
        ("Inaccurate 1", ["claims/#rating-inaccurate"]),
        ("Unverified 1", ["claims/#rating-unverified"]),
    ]
    assert [li.words for li in section(doc, "by-type").all("li")] == [
        "People 1",
        "Media outlets 3",
        "Places 2",
    ]
    assert doc.one("form").attr("action") == "search/"
    assert doc.one("ul", cls="home-pages").links() == ["about/"]


def test_articles_list_is_newest_first(site):
    doc = main(site.page("articles/"))
    assert [a.attr("href") for a in doc.all("a", cls="record-title")] == [
        "../articles/gamma/",
        "../articles/beta/",
        "../articles/alpha/",
    ]
    metas = [s.words for s in doc.all("span", cls="record-meta")]
    assert metas[2] == "Example Times · 24 March 2019 · 3 claims"


def test_claims_list_is_grouped_by_rating_in_scale_order(site):
    doc = main(site.page("claims/"))
    table = doc.one("table", cls="records-table")
    groups = [
        (body.one("tr", cls="group-row").all("span")[0].text, body.links()[:1])
        for body in table.all("tbody")
    ]
    assert [th.words for th in table.one("thead").all("th")] == [
        "Statement",
        "Rating",
        "Claimed by",
        "Articles",
        "First appeared",
    ]
    assert groups == [
        ("Accurate", ["../claims/aircraft-landed/"]),
        ("Inaccurate", ["../claims/flights-via-syria/"]),
        ("Unverified", ["../claims/troops-arrived/"]),
    ]
    assert doc.all("p")[0].words == "3 claims, grouped by rating."


def test_entities_list_is_grouped_by_type(site):
    doc = main(site.page("entities/"))
    groups = [
        (section.one("h2").words, [a.text for a in section.all("a")])
        for section in doc.all("section")
    ]
    assert groups == [
        ("People 1", ["Jane Doe"]),
        ("Media outlets 3", ["Daily Post", "Example Times", "Reuters"]),
        ("Places 2", ["Caracas", "Moscow"]),
    ]


def test_notes_list_every_note_by_kind_with_its_quote_and_article(site):
    doc = main(site.page("notes/"))
    assert doc.all("p")[0].words.startswith("3 notes on the articles")
    found = [
        (
            section.one("h2").words,
            [
                (li.one("div", cls="note-text").words, li.one("p", cls="record-meta").links())
                for li in section.all("li")
            ],
        )
        for section in doc.all("section")
    ]
    assert found == [
        (
            "Context 2",
            [
                ("The embassy did not publish its statement.", ["../articles/beta/#n-dca75c"]),
                ("Saturday was 23 March.", ["../articles/alpha/"]),
            ],
        ),
        ("Framing 1", [("Repeated for emphasis.", ["../articles/alpha/"])]),
    ]
    quotes = [(q.words, q.links()) for q in doc.all("blockquote")]
    assert quotes == [
        ("“landed in Caracas on Saturday”", ["../articles/alpha/#hl-n-5084ec"]),
        ("“was routine”", ["../articles/alpha/#hl-n-f8eef2"]),
    ]


def test_sources_list_is_ordered_by_publisher(site):
    doc = main(site.page("sources/"))
    assert [li.words for li in doc.all("li", cls="record")] == [
        "Russian planes land in Caracas Wire service report · Reuters · 24 March 2019",
        "Embassy statement on cooperation Official statement",
        "Flight-tracking records for 23 March 2019 Data service",
    ]
    assert [section.one("h2").words for section in doc.all("section")] == [
        "Reuters 1",
        "No publisher recorded 2",
    ]


def test_search_page(site):
    doc = site.page("search/")
    form = main(doc).one("form")
    assert form.attr("role") == "search"
    assert main(doc).by_id("search-input").attr("type") == "search"
    scripts = [(s.attr("type"), s.attr("src")) for s in doc.all("script")]
    code = [s for s in scripts if s[0] != "application/ld+json"]
    assert code == [("module", "../static/scholion.js"), ("module", "../static/search.js")]
    assert main(doc).one("noscript").links() == [
        "../articles/",
        "../claims/",
        "../entities/",
        "../sources/",
    ]


def test_404_links_are_absolute_under_the_base_path(site):
    doc = site.page("404.html")
    assert main(doc).one("h1").text == "Page not found"
    urls = [a.attr("href") for a in doc.all("a")]
    urls += [e.attr("src") for e in doc.all("script") if e.attr("src")]
    urls += [link.attr("href") for link in doc.all("link")]
    local = [u for u in urls if not u.startswith(("https://", "#"))]
    assert local, "the 404 page links to the site"
    assert [u for u in local if not u.startswith("/corpus/")] == []
    for url in local:
        path = url.removeprefix("/corpus/")
        assert (
            site.output / (path + "index.html" if path.endswith("/") or not path else path)
        ).is_file()


# Sitemap and feed


def test_sitemap_lists_every_page_and_nothing_else(site):
    tree = ET.parse(site.output / "sitemap.xml")
    locations = [loc.text for loc in tree.getroot().iter(f"{SITEMAP}loc")]
    pages = [
        "https://example.org/corpus/" + path.removesuffix("index.html")
        for path in site.html_files()
        if path != "404.html"
    ]
    assert sorted(locations) == sorted(pages)
    assert len(locations) == len(set(locations)) == 30


def test_feed_is_atom_with_the_newest_articles_first(site):
    root = ET.parse(site.output / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "Fixture corpus"
    assert root.find(f"{ATOM}updated").text == "2019-04-02T00:00:00Z"
    entries = [
        (e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"))
        for e in root.findall(f"{ATOM}entry")
    ]
    assert entries == [
        ("A quiet week in Moscow", "https://example.org/corpus/articles/gamma/"),
        ("Embassy confirms troop arrival", "https://example.org/corpus/articles/beta/"),
        ("Russian aircraft land in Caracas", "https://example.org/corpus/articles/alpha/"),
    ]
    alpha = root.findall(f"{ATOM}entry")[2]
    authors = [a.find(f"{ATOM}name").text for a in alpha.findall(f"{ATOM}author")]
    assert authors == ["Jane Doe", "Staff reporter"]
