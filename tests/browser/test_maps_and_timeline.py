"""The map of places and the events timeline as readers meet them: every point and entry is a
link that leads to its page, Tab reaches each with a focus that can be seen, and on a phone the
map fits the screen with labels still legible. (axe, the Nu checker and "no sideways scroll" run
over these pages with every other kind: tests/browser/harness.py lists them.)"""

from __future__ import annotations

from playwright.sync_api import Page

POINTS = "svg.map a.map-point"

FOCUSED = """() => {
  const el = document.activeElement;
  const circle = el.querySelector && el.querySelector('circle');
  const style = getComputedStyle(el);
  return {
    href: el.getAttribute('href'),
    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    ring: circle ? parseFloat(getComputedStyle(circle).strokeWidth) : 0,
  };
}"""


def tab_through(page: Page, limit: int = 200) -> list[dict]:
    """Every stop Tab makes on the page, from its top, with how its focus shows."""
    page.locator("body").focus()
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stops and stop == stops[0]:
            break
        stops.append(stop)
    return stops


def test_each_point_on_the_map_leads_to_its_place(page: Page, server):
    page.goto(server.url("map/"))
    count = page.locator(POINTS).count()
    names = [page.locator(POINTS).nth(i).get_attribute("aria-label") for i in range(count)]
    listed = page.locator(".map-list a").all_text_contents()
    assert count >= 4 and sorted(names) == sorted(listed)
    for i, name in enumerate(names):
        page.goto(server.url("map/"))
        point = page.locator(POINTS).nth(i)
        # Its label where one is drawn: two places a few kilometres apart (Moscow and its air
        # base) share a dot at this scale, and the label is what tells them apart.
        label = point.locator("text")
        (label if label.count() else point.locator("circle")).click()
        assert page.locator("h1").inner_text() == name


def test_tab_reaches_every_point_and_list_entry_with_a_visible_focus(page: Page, server):
    page.goto(server.url("map/"))
    points = page.locator(POINTS)
    hrefs = [points.nth(i).get_attribute("href") for i in range(points.count())]
    stops = tab_through(page)
    on_map = [s for s in stops if s["href"] in hrefs and s["ring"]]
    assert sorted(s["href"] for s in on_map) == sorted(hrefs)
    assert all(s["ring"] >= 4 for s in on_map)  # the focus ring on the point
    in_list = [s for s in stops if s["href"] in hrefs and not s["ring"]]
    assert sorted(s["href"] for s in in_list) == sorted(hrefs)
    assert all(s["outline"] for s in in_list)


def test_the_map_fits_a_phone_with_legible_labels(narrow: Page, server):
    narrow.goto(server.url("map/"))
    box = narrow.locator("svg.map").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
    sizes = narrow.evaluate(
        """() => [...document.querySelectorAll('svg.map')].flatMap((svg) => {
          const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
          return [...svg.querySelectorAll('text')].map(
            (t) => parseFloat(getComputedStyle(t).fontSize) * scale);
        })"""
    )
    assert sizes and min(sizes) >= 10


def test_the_timeline_is_an_ordered_list_whose_entries_lead_to_their_events(page: Page, server):
    page.goto(server.url("timeline/"))
    entries = page.locator("ol.events-timeline li.events-item h3 a")
    names = entries.all_text_contents()
    assert names[-1] == "Russian military flights to Caracas (March 2019)"
    dates = page.locator("ol.events-timeline li.events-item .events-date").all_inner_texts()
    assert dates[0] == "December 2018"  # the month alone, as the file gives it
    entries.last.click()
    assert page.locator("h1").inner_text() == names[-1]


def test_tab_reaches_every_timeline_entry_with_a_visible_focus(page: Page, server):
    page.goto(server.url("timeline/"))
    links = page.locator("ol.events-timeline a")
    hrefs = {links.nth(i).get_attribute("href") for i in range(links.count())}
    stops = tab_through(page, limit=400)
    reached = {s["href"] for s in stops if s["outline"]}
    assert hrefs <= reached
