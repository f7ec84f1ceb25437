"""The search page as a reader uses it: typing, filtering, and following a result.

Words come from the demo corpus: "medicines" is in one claim statement and one article;
"Adsbexchange" and "Чкаловский" are aliases of the entities ADS-B Exchange and Chkalovsky air
base; "troops" is in articles, claims, a source and a page.

The tests marked ``BOTH`` run twice: on the demo as built (one index), and on the demo forced
into search shards of at most 20 pages (ten Pagefind indexes that the search page merges).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.harness import BASE_URL, REPO, Server, html_pages, page_url, serve

KINDS = {
    "articles": "Article",
    "claims": "Claim",
    "entities": "Entity",
    "sources": "Source",
    "narratives": "Narrative",
}


@pytest.fixture(scope="module")
def sharded_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus with ``search: {shard_pages: 20}``, built in a separate process (Pagefind
    needs an event loop of its own, and Playwright's is running)."""
    root = tmp_path_factory.mktemp("sharded-demo")
    for name in ("content", "locales"):
        shutil.copytree(REPO / name, root / name)
    config = (REPO / "site_config.yaml").read_text(encoding="utf-8")
    (root / "site_config.yaml").write_text(config + "search: {shard_pages: 20}\n")
    output = root / "_site"
    command = [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"]
    subprocess.run([*command, "--output", str(output), "--base-url", BASE_URL, "-q"], check=True)
    assert len(json.loads((output / "pagefind/shards.json").read_text())["shards"]) == 10
    return output


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, demo_site: Path) -> Iterator[Server]:
    """The demo served as built, or sharded for the second run of a test marked ``BOTH``."""
    sharded = getattr(request, "param", "one index") == "shards"
    with serve(request.getfixturevalue("sharded_demo") if sharded else demo_site) as running:
        yield running


BOTH = pytest.mark.parametrize("server", ["one index", "shards"], indirect=True)


def search(page: Page, server, words: str) -> list[tuple[str, str]]:
    """Type ``words`` into the search page; the results shown as (kind, title)."""
    page.goto(server.url("search/"))
    page.wait_for_selector("#search-filters fieldset")
    page.get_by_label("Search articles, claims, entities and sources").fill(words)
    expect(page.locator("#search-status")).to_contain_text("result")
    return shown(page)


def shown(page: Page) -> list[tuple[str, str]]:
    items = page.locator("#search-results > li")
    return [
        (
            item.locator(".result-kind").inner_text().split(" · ")[0].title(),
            item.locator(".result-title").inner_text(),
        )
        for item in items.all()
    ]


def filter_by(page: Page, group: str, value: str) -> None:
    status = page.locator("#search-status").inner_text()
    page.get_by_role("group", name=group).get_by_label(value).check()
    expect(page.locator("#search-status")).not_to_have_text(status)


def test_a_word_from_a_claim_lists_the_claim(page, server):
    results = search(page, server, "medicines")
    assert (
        "Claim",
        "By March 2019 Russia had supplied Venezuela with hundreds of tonnes of medicines.",
    ) in results


def test_an_alias_lists_the_entity(page, server):
    assert ("Entity", "ADS-B Exchange") in search(page, server, "Adsbexchange")
    assert ("Entity", "Chkalovsky air base") in search(page, server, "Чкаловский")


@BOTH
def test_filters_narrow_with_or_within_a_group_and_and_across(page, server):
    everything = search(page, server, "troops")
    kinds = {kind for kind, _ in everything}
    assert {"Article", "Claim"} <= kinds and len(kinds) > 2
    filter_by(page, "Kind", "Claim")
    claims = shown(page)
    assert claims and {kind for kind, _ in claims} == {"Claim"}
    filter_by(page, "Kind", "Article")  # OR within the group
    either = shown(page)
    assert {kind for kind, _ in either} == {"Claim", "Article"}
    assert len(claims) < len(either) < len(everything)
    filter_by(page, "Rating", "Opinion")  # AND across groups: only opinion claims remain
    assert {kind for kind, _ in shown(page)} == {"Claim"}
    assert len(shown(page)) < len(claims)
    count = page.get_by_role("group", name="Kind").locator("label", has_text="Entity")
    expect(count.locator(".count")).to_have_text("0")
    assert "filter=kind%3AClaim" in page.url or "filter=kind:Claim" in page.url


def test_a_narrative_filters_its_claims_the_articles_making_them_and_its_page(page, server):
    page.goto(server.url("search/?filter=narrative:Russian%20troops%20as%20peacekeepers"))
    expect(page.locator("#search-status")).to_have_text("5 results")
    assert sorted(shown(page)) == [
        ("Article", 'Russia Sends "Peacekeeping" Troops to Venezuela. Joint Military Exercises.'),
        (
            "Claim",
            "A Russian troop presence in Venezuela would deter the United States from direct "
            "or proxy military intervention there.",
        ),
        (
            "Claim",
            "Russia should send a larger peacekeeping mission to Venezuela than the roughly "
            "100 personnel of March 2019.",
        ),
        (
            "Claim",
            "The arrival of a small Russian contingent led by a senior commander is a "
            "welcome development.",
        ),
        ("Narrative", "Russian troops as peacekeepers"),
    ]
    narrative = page.get_by_role("group", name="Narrative")
    expect(narrative.locator("label", has_text="peacekeepers").locator(".count")).to_have_text("5")


@BOTH
def test_following_a_result_lands_on_the_passage_with_the_words_highlighted(page, server):
    search(page, server, "medicines")
    kind = page.locator(".result-kind", has_text=re.compile("^Article"))
    page.locator("#search-results > li", has=kind).locator(".result-title").click()
    page.wait_for_selector("mark.pagefind-highlight")
    landed = r"/corpus/articles/[\w-]+/\?pagefind-highlight=medicines#p-[0-9a-f]{6}$"
    assert re.search(landed, page.url)  # a passage's id: the hash of its words
    passage = page.locator(":target")
    assert passage.get_attribute("class") == "passage"
    expect(passage.locator("mark.pagefind-highlight")).to_have_text(re.compile("medicines", re.I))
    expect(passage.locator("mark.pagefind-highlight").first).to_be_in_viewport()


def test_a_search_from_the_home_page_opens_the_search_page_with_results(page, server):
    page.goto(server.url(""))
    page.get_by_label("Search articles, claims, entities and sources").fill("Adsbexchange")
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#search-status")).to_contain_text("result")
    assert ("Entity", "ADS-B Exchange") in shown(page)


@BOTH
def test_every_indexed_page_is_found_and_counted(page, server):
    opted_in = [p for p in html_pages(server.site) if "data-pagefind-body" in page_text(server, p)]
    expected = {urlsplit(server.url(page_url(path))).path for path in opted_in}
    per_kind: dict[str, int] = {}
    for path in opted_in:
        kind = KINDS.get(path.split("/")[0], "Page")
        per_kind[kind] = per_kind.get(kind, 0) + 1
    every_kind = "&".join(f"filter=kind:{kind}" for kind in per_kind)
    page.goto(server.url(f"search/?{every_kind}"))
    expect(page.locator("#search-status")).to_have_text(f"{len(expected)} results")
    kinds = page.get_by_role("group", name="Kind")
    for kind, count in per_kind.items():
        expect(kinds.locator("label", has_text=kind).locator(".count")).to_have_text(str(count))
    links = page.locator("#search-results .result-title")
    for shown in range(20, len(expected), 20):  # one page of results more at a time
        expect(links).to_have_count(shown)
        page.locator("#search-more").click()
    expect(links).to_have_count(len(expected))
    expect(page.locator("#search-more")).to_be_hidden()
    found = {urlsplit(href).path for href in links.evaluate_all("(as) => as.map((a) => a.href)")}
    assert found == expected


def page_text(server: Server, path: str) -> str:
    return (Path(server.site) / path).read_text(encoding="utf-8")


def test_quick_clicks_on_show_more_list_each_result_once_in_order(page, server):
    page.goto(server.url("search/?filter=kind:Claim&filter=kind:Entity&filter=kind:Source"))
    links = page.locator("#search-results .result-title")
    expect(links).to_have_count(20)
    page.locator("#search-more").evaluate("(more) => { more.click(); more.click(); }")
    expect(links).to_have_count(60)
    hrefs = links.evaluate_all("(as) => as.map((a) => a.href)")
    assert len(set(hrefs)) == len(hrefs)
    page.reload()  # the same two pages asked for one at a time: the same results, in order
    expect(links).to_have_count(20)
    for count in (40, 60):
        page.locator("#search-more").click()
        expect(links).to_have_count(count)
    assert links.evaluate_all("(as) => as.map((a) => a.href)") == hrefs
