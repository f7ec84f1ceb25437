"""Pictures as a reader on a phone sees them: every chart's text at least 11 px tall at the
size it is drawn (a chart wider than the screen scrolls sideways rather than shrinking), no
empty rows, and the nodes of the network link to their entities' pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

SMALLEST = """() => [...document.querySelectorAll('svg.chart')].flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const size = (text) => parseFloat(getComputedStyle(text).fontSize) * scale;
  return [...svg.querySelectorAll('text')].map(size);
})"""


@pytest.mark.parametrize("url", ["", "claims/", "overview/"])
def test_chart_text_is_legible_on_a_phone(narrow: Page, server, url):
    phone = narrow
    phone.goto(server.url(url))
    sizes = phone.evaluate(SMALLEST)
    assert sizes and min(sizes) >= 11, (url, min(sizes or [0]))


def test_the_rating_chart_has_no_empty_row_and_the_network_links(narrow: Page, server):
    phone = narrow
    phone.goto(server.url("overview/"))
    values = phone.locator("svg[aria-labelledby^='ratings-chart'] .chart-value").all_text_contents()
    assert values and "0" not in values
    link = phone.locator("svg[aria-labelledby^='corpus-network'] a.chart-link").first
    name = link.locator("text").text_content()
    link.click()
    assert phone.locator("h1").inner_text().startswith(name.rstrip("…"))
