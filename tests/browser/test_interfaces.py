"""The demo's Spanish version (/es/, from ``languages: [en, es]``) as a reader uses it: the
language menu switches between the versions of the same page, and the Spanish search page
searches the one index and opens every result in the Spanish version, with Spanish filters."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_the_language_menu_switches_to_the_same_page(page: Page, server):
    page.goto(server.url("claims/"))
    menu = page.get_by_role("navigation", name="Language")
    menu.get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile(r"/corpus/es/claims/$"))
    expect(page.locator("h1")).to_have_text("Afirmaciones")
    assert page.evaluate("document.documentElement.lang") == "es"
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/corpus/claims/$"))
    expect(page.locator("h1")).to_have_text("Claims")


def test_the_spanish_search_opens_results_in_the_spanish_version(page: Page, server):
    page.goto(server.url("es/search/"))
    page.wait_for_selector("#search-filters fieldset")
    page.get_by_label("Buscar artículos, afirmaciones, entidades y fuentes").fill("medicines")
    expect(page.locator("#search-status")).to_contain_text("resultado")
    filters = page.locator("#search-filters")
    expect(filters.locator("legend").first).to_have_text("Tipo")
    expect(filters).to_contain_text("Afirmación")
    expect(filters).not_to_contain_text("Claim")
    kinds = page.locator("#search-results .result-kind").all_inner_texts()
    assert kinds and all(not k.startswith(("Claim", "Article")) for k in kinds), kinds
    hrefs = page.locator("#search-results .result-title").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert hrefs and all(h.startswith("/corpus/es/") for h in hrefs), hrefs
    page.get_by_role("group", name="Tipo").get_by_label("Afirmación").check()
    expect(page.locator("#search-results .result-kind").first).to_contain_text("Afirmación")
    page.locator("#search-results .result-title").first.click()
    expect(page).to_have_url(re.compile(r"/corpus/es/claims/[\w-]+/"))
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_the_spanish_search_writes_dates_in_spanish(page: Page, server):
    page.goto(server.url("es/search/?q=Venezuela&filter=kind:Article"))
    kinds = page.locator("#search-results .result-kind")
    expect(kinds.first).to_contain_text(" de 2019")  # "25 de marzo de 2019", not "25 March 2019"
    assert not any(re.search(r"January|February|March|April", k) for k in kinds.all_inner_texts())
