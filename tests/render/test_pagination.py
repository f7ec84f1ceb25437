"""Index pages paginate with page_size 10 and, together, list every record exactly once.

The corpus is generated below (page_size cannot go under 10, so it needs more records than the
fixture site): 12 articles each defining one claim, 22 entities, 25 sources. Example Times
publishes every article, is named in each and makes every claim, so three of its lists are
longer than a page: its page shows the first 10 of each and links to pages of all of them.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import operator
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholion import render
from scholion.pipeline import build
from scholion.project import Project
from scholion.render.pagination import Paginated, paginate, repaginate
from tests.dom import parse_file
from tests.helpers import CONFIG, minimal_article, write_corpus
from tests.render.test_links import broken_links
from tests.render.test_metadata import json_ld


def generated_corpus() -> dict[str, str]:
    files = {
        "site_config.yaml": CONFIG + "page_size: 10\n",
        "content/entities/example-times.yaml": """\
            type: media
            name: Example Times
            description: A daily newspaper.
            """,
    }
    for n in range(1, 22):
        files[f"content/entities/place-{n:02}.yaml"] = (
            f"type: place\nname: Place {n:02}\ndescription: Place number {n}.\n"
        )
    for n in range(1, 26):
        files[f"content/sources/source-{n:02}.yaml"] = f"title: Source {n:02}\nkind: wire\n"
    for n in range(1, 13):
        files[f"content/articles/article-{n:02}.md"] = minimal_article(
            f"Claim number {n} is made here, Example Times says.",
            title=f"Article {n:02}",
            date=f"2019-01-{n:02}",
        )
        files[f"content/articles/article-{n:02}.yaml"] = f"""\
            claims:
              - id: claim-{n:02}
                quote: Claim number {n} is made
                statement: Claim {n:02}.
                claimant: example-times
                rating: {"accurate" if n % 2 else "unverified"}
                explanation: Checked.
            """
    return files


EXPECTED = {
    "articles/": [f"articles/article-{n:02}/" for n in range(12, 0, -1)],  # newest first
    "claims/": [f"claims/claim-{n:02}/" for n in (*range(1, 13, 2), *range(2, 13, 2))],
    "entities/": ["entities/example-times/", *(f"entities/place-{n:02}/" for n in range(1, 22))],
    "sources/": [f"sources/source-{n:02}/" for n in range(1, 26)],
}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_corpus(tmp_path_factory.mktemp("paginated"), generated_corpus())
    output = root / "_site"
    build(Project.at(root, output), search=False)
    return output


def walk(output: Path, first: str) -> list[tuple[str, str, list[str], str | None]]:
    """Follow rel=next from the first page: (url, "Page i of n", record urls, rel=prev) each."""
    pages = []
    url: str | None = first
    while url is not None:
        doc = parse_file(output / url / "index.html")
        main = doc.one("main")
        links = [a for ul in main.all("ul", cls="records") for a in ul.all("a")]
        links += main.all("a", cls="claim-statement")  # the claims' table
        records = [a.attr("href").removeprefix("../" * url.count("/")) for a in links]
        navs = main.all("nav", cls="pagination")
        position = navs[0].one("span", cls="page-position").text if navs else ""
        links = {a.attr("rel"): a.attr("href") for nav in navs for a in nav.all("a")}
        prev = links.get("prev")
        pages.append((url, position, records, prev))
        url = links["next"].removeprefix("../" * url.count("/")) if "next" in links else None
    return pages


@pytest.mark.parametrize("listing", EXPECTED)
def test_pages_together_list_every_record_exactly_once(output, listing):
    pages = walk(output, listing)
    count = math.ceil(len(EXPECTED[listing]) / 10)
    assert [url for url, *_ in pages] == [listing] + [
        f"{listing}page/{n}/" for n in range(2, count + 1)
    ]
    assert [position for _, position, *_ in pages] == [
        f"Page {n} of {count}" for n in range(1, count + 1)
    ]
    records = [record for _, _, page_records, _ in pages for record in page_records]
    assert records == EXPECTED[listing]
    assert all(len(page_records) <= 10 for _, _, page_records, _ in pages)


@pytest.mark.parametrize("listing", EXPECTED)
def test_previous_links_go_back_one_page(output, listing):
    pages = walk(output, listing)
    assert pages[0][3] is None
    for (earlier, *_), (later, _, _, prev) in itertools.pairwise(pages):
        assert prev == "../" * later.count("/") + earlier  # relative to the later page


def test_paginated_site_has_no_broken_links(output):
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html"))
    assert "sources/page/3/index.html" in pages
    assert broken_links(output, pages) == []


def groups(output: Path, url: str) -> list[tuple[str, str, str]]:
    """(heading id, heading words, number of records) of each group on one index page: a
    section each, or in the claims' table a body each, headed by a row (its rating's
    description left out)."""
    main = parse_file(output / url / "index.html").one("main")
    found = [
        (s.one("h2").attr("id"), s.one("h2").words, str(len(s.one("ul").all("li"))))
        for s in main.all("section")
    ]
    for body in (b for t in main.all("table", cls="records-table") for b in t.all("tbody")):
        heading = body.one("th")
        parts = [e for e in heading.children if not isinstance(e, str)]
        label = " ".join(e.words for e in parts if "rating-description" not in e.classes)
        rows = [r for r in body.all("tr") if "group-row" not in r.classes]
        found.append((heading.attr("id"), label, str(len(rows))))
    return found


def test_groups_carry_their_whole_count_and_say_when_they_continue(output):
    # A group that fits on a page is not cut in two: Unverified starts page 2 whole.
    assert groups(output, "claims/") == [("rating-accurate", "Accurate 6", "6")]
    assert groups(output, "claims/page/2/") == [("rating-unverified", "Unverified 6", "6")]
    # One longer than a page runs on, and says so.
    assert groups(output, "entities/page/2/") == [("type-place", "Places 21 (continued)", "10")]
    assert groups(output, "articles/page/2/") == [
        ("month-2019-01", "January 2019 12 (continued)", "2"),
    ]
    assert groups(output, "sources/")[0][:2] == ("publishers-unknown", "No publisher recorded 25")


def test_the_jump_list_links_to_the_page_where_each_group_begins(output):
    main = parse_file(output / "entities/page/3/index.html").one("main")
    jumps = [(a.text, a.attr("href")) for a in main.one("nav", cls="jumps").all("a")]
    assert jumps == [
        ("Media outlets", "../../../entities/#type-media"),
        ("Places", "../../../entities/#type-place"),
    ]
    assert broken_links(output, ["entities/page/3/index.html"]) == []


def test_articles_by_publisher_list_every_article(output):
    pages = walk(output, "articles/by-publisher/")
    records = [record for _, _, page_records, _ in pages for record in page_records]
    assert sorted(records) == sorted(EXPECTED["articles/"])
    assert groups(output, "articles/by-publisher/")[0][1] == "Example Times 12"


@pytest.mark.parametrize(
    ("number", "count", "window"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 200, [1, 2, 3, None, 200]),
        (8, 200, [1, None, 6, 7, 8, 9, 10, None, 200]),
        (4, 200, [1, 2, 3, 4, 5, 6, None, 200]),
        (200, 200, [1, None, 198, 199, 200]),
    ],
)
def test_the_page_links_stay_few_however_long_the_list(number, count, window):
    assert Paginated([], number, count, "x/").window == window


def test_a_long_list_keeps_every_page_small(tmp_path):
    pages = paginate(list(range(10_000)), 50, "articles/")
    assert len(pages) == 200
    assert {len(page.items) for page in pages} == {50}
    assert [i for page in pages for i in page.items] == list(range(10_000))


def entity_list_pages(output: Path, first: str) -> list[tuple[str, list[str]]]:
    """Follow rel=next from an entity list's first page: (url, the records it links) each, the
    records being the articles the passages are in for the mentions."""
    pages = []
    url: str | None = first
    while url is not None:
        main = parse_file(output / url / "index.html").one("main")
        heads = main.all("h2", cls="mention-article") or main.all("ul", cls="records")
        records = [
            a.attr("href").removeprefix("../" * url.count("/")) for h in heads for a in h.all("a")
        ]
        nav = main.all("nav", cls="pagination")
        pages.append((url, records))
        links = {a.attr("rel"): a.attr("href") for a in nav[0].all("a")} if nav else {}
        url = links["next"].removeprefix("../" * url.count("/")) if "next" in links else None
    return pages


ARTICLES_NEWEST_FIRST = EXPECTED["articles/"]
ENTITY_LISTS = {
    "mentions": sorted(ARTICLES_NEWEST_FIRST),
    "claims-by": [f"claims/claim-{n:02}/" for n in range(1, 13)],
    "published": ARTICLES_NEWEST_FIRST,
}


@pytest.mark.parametrize("name", ENTITY_LISTS)
def test_a_long_entity_list_shows_one_page_and_links_to_all_of_it(output, name):
    main = parse_file(output / "entities/example-times/index.html").one("main")
    (section,) = [s for s in main.all("section") if s.attr("aria-labelledby") == name]
    heads = section.all("h3", cls="mention-article") or section.all("ul", cls="records")
    shown = [a.attr("href").removeprefix("../../") for h in heads for a in h.all("a")]
    assert shown == ENTITY_LISTS[name][:10]
    more = section.one("p", cls="more").one("a")
    assert more.attr("href") == f"../../entities/example-times/{name}/"
    assert more.words.startswith("See all 12 on 2 pages")


@pytest.mark.parametrize("name", ENTITY_LISTS)
def test_the_pages_of_an_entity_list_hold_all_of_it_once(output, name):
    pages = entity_list_pages(output, f"entities/example-times/{name}/")
    assert [url for url, _ in pages] == [
        f"entities/example-times/{name}/",
        f"entities/example-times/{name}/page/2/",
    ]
    assert [record for _, records in pages for record in records] == ENTITY_LISTS[name]
    first = parse_file(output / pages[0][0] / "index.html")
    assert first.one("h1").words.startswith(
        {
            "mentions": "Passages that mention",
            "claims-by": "Claims by",
            "published": "Articles published by",
        }[name]
    )
    assert (
        first.one("main").one("p", cls="kicker").one("a").attr("href")
        == "../../../entities/example-times/"
    )


def test_an_entity_list_that_fits_has_no_pages_of_its_own(output):
    assert not (output / "entities/place-01/mentions").exists()
    main = parse_file(output / "entities/example-times/index.html").one("main")
    assert main.all("p", cls="more") and len(main.all("p", cls="more")) == len(ENTITY_LISTS)


def test_an_entity_list_page_is_placed_under_its_entity_for_search_engines(output):
    blocks = json_ld(parse_file(output / "entities/example-times/claims-by/page/2/index.html"))
    assert [block["@type"] for block in blocks] == [
        "BreadcrumbList"
    ]  # the entity's page has the Thing
    assert [(item["name"], item["item"]) for item in blocks[0]["itemListElement"]] == [
        ("Home", "https://example.org/corpus/"),
        ("Entities", "https://example.org/corpus/entities/"),
        ("Example Times", "https://example.org/corpus/entities/example-times/"),
        (
            "Claims by Example Times",
            "https://example.org/corpus/entities/example-times/claims-by/page/2/",
        ),
    ]


def test_a_site_past_the_sitemap_limit_gets_a_sitemap_index(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "SITEMAP_URLS", 20)
    root = write_corpus(tmp_path, generated_corpus())
    build(Project.at(root, root / "_site"), search=False)
    site = root / "_site"
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    index = ET.parse(site / "sitemap.xml").getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    parts = [loc.text for loc in index.findall("s:sitemap/s:loc", ns)]
    base = "https://example.org/corpus/"
    assert len(parts) > 1
    assert parts == [f"{base}sitemaps/{n}.xml" for n in range(1, len(parts) + 1)]
    listed = []
    for part in parts:
        urls = ET.parse(site / part.removeprefix(base)).findall("s:url", ns)
        assert 0 < len(urls) <= 20
        listed += [url.find("s:loc", ns).text for url in urls]
    pages = sorted(
        p.relative_to(site).as_posix().removesuffix("index.html")
        for p in site.rglob("*.html")
        if p.name != "404.html"
    )
    assert sorted(listed) == [f"{base}{page}" for page in pages]


@dataclasses.dataclass(frozen=True)
class _Item:
    group: str
    name: str


def _group(item: _Item) -> tuple[str, str]:
    return item.group, item.group.upper()


_items = st.lists(st.builds(_Item, st.sampled_from("abc"), st.text("xy", max_size=2)), max_size=60)


@settings(max_examples=300, deadline=None)
@given(
    _items,
    st.integers(1, 7),
    st.booleans(),
    st.booleans(),
    st.lists(st.tuples(st.integers(0, 59), st.sampled_from("abc")), max_size=8),
)
def test_pages_made_again_after_an_edit_are_those_made_from_nothing(
    items, size, grouped, whole, edits
):
    """Records replaced (or moved to another group, or added: then it paginates anew) give
    exactly the pages of a fresh pagination, and the pages without a new record stay the same
    objects."""
    old = sorted(items, key=lambda item: item.group)
    group_of = _group if grouped else None
    before = paginate(old, size, "x/", group_of, "g", whole)
    new = list(old)
    for place, group in edits:
        if place < len(new):
            new[place] = _Item(group, "edited")
    new.sort(key=lambda item: item.group)  # each group one run, as paginate expects
    again = repaginate(before, old, new, group_of)
    fresh = paginate(new, size, "x/", group_of, "g", whole)
    if again is None:
        assert grouped and any(a.group != b.group for a, b in zip(old, new, strict=True))
        return
    assert again == fresh
    for page, was in zip(again, before, strict=True):
        assert (page is was) == all(map(operator.is_, page.items, was.items))


def test_a_listing_of_another_length_is_paginated_anew():
    old = [_Item("a", str(n)) for n in range(5)]
    before = paginate(old, 2, "x/", _group, "g")
    assert repaginate(before, old, old[:4], _group) is None


def test_every_page_of_the_notes_says_how_many_there_are_in_all(tmp_path):
    """The count comes with the listing (``Paginated.total``): each page used to count every
    article's notes itself, a second per page at 100,000 articles."""
    files = generated_corpus()
    for n in range(1, 13):
        sidecar = f"content/articles/article-{n:02}.yaml"
        files[sidecar] = (
            files[sidecar].rstrip(" ")
            + f"""\
            notes:
              - quote: Example Times says
                kind: context
                text: Note {n}.
            """
        )
    root = write_corpus(tmp_path, files)
    build(Project.at(root, root / "_site"), search=False)
    pages = [root / "_site/notes/index.html", root / "_site/notes/page/2/index.html"]
    intros = [parse_file(page).one("main").all("p")[0].text for page in pages]
    assert intros == ["12 notes on the articles: what a careful reader should notice, by kind."] * 2
