"""The claims index as a table: complete without JavaScript (statement, rating, claimant,
articles, date for every claim, in its rating's group), sorted by any column and filtered by
what a reader types with it."""

from __future__ import annotations

import csv

from playwright.sync_api import Page, expect

ROWS = "#claims-table tbody tr:not(.group-row)"


def column(page: Page, n: int, attribute: str = "") -> list[str]:
    """The visible rows' cells of column ``n`` (from 0): their text, or an attribute."""
    read = f"c.dataset.{attribute}" if attribute else "c.textContent.trim()"
    cells = f"rows => rows.filter(r => !r.hidden).map(r => r.cells[{n}]).map(c => {read})"
    return page.eval_on_selector_all(ROWS, cells)


def test_without_javascript_the_table_is_complete(browser, server, demo_site):
    claims = list(csv.DictReader((demo_site / "data/claims.csv").open(encoding="utf-8")))
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(server.url("claims/"))
        expect(page.locator("form.table-filter")).to_be_hidden()
        rows = page.locator(ROWS)
        expect(rows).to_have_count(len(claims))
        statements = column(page, 0)
        assert sorted(statements) == sorted(c["statement"] for c in claims)
        assert all(column(page, 1)) and all(column(page, 3)) and all(column(page, 4))
        with_claimant = sum(1 for c in claims if c.get("claimant"))
        assert sum(1 for name in column(page, 2) if name) == with_claimant > 0
        expect(page.locator("#claims-table .group-row").first).to_be_visible()
    finally:
        context.close()


def test_the_table_sorts_by_each_column_both_ways(page: Page, server):
    page.goto(server.url("claims/"))
    by_rating = column(page, 0)
    page.get_by_role("button", name="Claimed by").click()
    names = column(page, 2)
    assert names == sorted(names, key=str.lower) and names != sorted(
        names, key=str.lower, reverse=True
    )
    expect(page.locator("#claims-table .group-row").first).to_be_hidden()  # one list now
    page.get_by_role("button", name="Claimed by").click()
    assert column(page, 2) == sorted(names, key=str.lower, reverse=True)
    page.get_by_role("button", name="First appeared").click()
    dates = column(page, 4, "sort")
    assert dates == sorted(dates)
    assert page.locator("th[aria-sort]").get_attribute("aria-sort") == "ascending"
    page.get_by_role("button", name="Rating").click()
    assert column(page, 0) == by_rating
    expect(page.locator("#claims-table .group-row").first).to_be_visible()  # groups again


def test_the_filter_shows_only_the_rows_with_the_words_typed(page: Page, server):
    page.goto(server.url("claims/"))
    total = page.locator(ROWS).count()
    page.get_by_label("Show only the claims").fill("reuters")
    shown = page.locator(f"{ROWS}:visible")
    expect(shown.first).to_be_visible()
    texts = shown.all_inner_texts()
    assert 0 < len(texts) < total and all("reuters" in t.lower() for t in texts)
    expect(page.locator(".table-status")).to_have_text(
        f"{len(texts)} of {total} claims on this page shown"
    )
    page.get_by_label("Show only the claims").fill("")
    expect(page.locator(f"{ROWS}:visible")).to_have_count(total)
