"""Every annotation of every article, reached the way readers reach it: by mouse on a wide and
a narrow screen, by keyboard alone (Tab and Enter), and with JavaScript turned off; and entity
pages' deep links landing on the exact passage.

On a wide screen an annotation sits in the margin beside its passage; on a narrow one it is
hidden until its number is followed, then opens below the passage. Either way, following the
number must show it, and its "Back to the text" link must bring the highlight back into view.
"""

from __future__ import annotations

import contextlib

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.harness import html_pages, page_url


@pytest.fixture(scope="module")
def articles(demo_site) -> list[str]:
    return [
        page_url(p)
        for p in html_pages(demo_site)
        if p.startswith("articles/") and p.count("/") == 2 and "by-publisher" not in p
    ]


def refs(page: Page) -> list[str]:
    """The annotation each number in the text links to, in reading order."""
    return page.eval_on_selector_all("a.ref", "links => links.map(a => a.hash.slice(1))")


LANDED = """(fragment) => {
  const target = fragment.startsWith("hl-")
    ? document.querySelector(`mark[data-ann~="${fragment.slice(3)}"]`)
    : document.getElementById(fragment);
  if (!target) return "missing";
  const box = target.getBoundingClientRect();
  if (!target.checkVisibility() || !box.height) return "hidden";
  return box.bottom > 0 && box.top < innerHeight ? location.hash : "out of view";
}"""


def assert_lands_on(page: Page, fragment: str) -> None:
    """The address names ``fragment`` and what it names is shown, in view: for a highlight
    (an empty marker before the marked text), the first piece of its marked text."""
    # A link to another page lands once that page has loaded and scrolled: wait for it (a
    # loaded machine may take a moment), then assert, so a failure says where it stopped.
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(f"(f) => ({LANDED})(f) === '#' + f", arg=fragment, timeout=5000)
    assert page.evaluate(LANDED, fragment) == f"#{fragment}", fragment


def follow_every_number_and_back(page: Page, url: str) -> int:
    page.goto(url)
    anchors = refs(page)
    for anchor in anchors:
        page.locator(f"[id='ref-{anchor}']").click()
        assert_lands_on(page, anchor)
        page.locator(f"[id='{anchor}']").get_by_role("link", name="Back to the text").click()
        assert_lands_on(page, f"hl-{anchor}")
    return len(anchors)


def test_every_number_opens_its_annotation_and_comes_back_on_a_wide_screen(page, server, articles):
    counted = [follow_every_number_and_back(page, server.url(url)) for url in articles]
    assert len(counted) == 2 and min(counted) > 20


def test_numbers_open_their_annotation_inline_on_a_narrow_screen(narrow, server, articles):
    for url in articles:
        narrow.goto(server.url(url))
        anchors = refs(narrow)
        for anchor in (anchors[0], anchors[len(anchors) // 2], anchors[-1]):
            card = narrow.locator(f"[id='{anchor}']")
            expect(card).to_be_hidden()  # closed until its number is followed
            narrow.locator(f"[id='ref-{anchor}']").click()
            assert_lands_on(narrow, anchor)
            card.get_by_role("link", name="Back to the text").click()
            assert_lands_on(narrow, f"hl-{anchor}")
        expect(narrow.locator(".annotation-list")).to_be_visible()  # all of them after the text


def test_every_annotation_is_reached_in_reading_order_by_keyboard_alone(page, server, articles):
    for url in articles:
        page.goto(server.url(url))
        expected = refs(page)
        reached: list[str] = []
        for _ in range(len(expected) * 12):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "[document.activeElement.className, document.activeElement.hash || '']"
            )
            anchor = focused[1].removeprefix("#")
            if "ref" not in focused[0].split() or anchor in reached:
                continue
            reached.append(anchor)
            page.keyboard.press("Enter")
            assert_lands_on(page, anchor)
            tab_to_back_link(page, anchor)
            page.keyboard.press("Enter")
            assert_lands_on(page, f"hl-{anchor}")
            if len(reached) == len(expected):
                break
        assert reached == expected


def tab_to_back_link(page: Page, anchor: str) -> None:
    """Tab from an opened annotation to its own "Back to the text" link: the next few stops."""
    for _ in range(6):
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "(id) => document.activeElement.closest('[id]')?.id === id"
            " && document.activeElement.getAttribute('href') === '#hl-' + id",
            anchor,
        )
        if inside:
            return
    raise AssertionError(f"Tab never reached the back link of {anchor}")


def test_articles_work_without_javascript(browser, server, articles):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        for url in articles:
            page.goto(server.url(url))
            anchor = refs(page)[0]
            page.locator(f"[id='ref-{anchor}']").click()
            assert_lands_on(page, anchor)
            page.locator(f"[id='{anchor}']").get_by_role("link", name="Back to the text").click()
            assert_lands_on(page, f"hl-{anchor}")
        page.goto(server.url("search/"))
        # Playwright's switch does not make Chromium render <noscript>; a reader's does.
        fallback = page.locator("noscript").inner_html()
        assert "Search needs JavaScript" in fallback and 'href="../articles/"' in fallback
    finally:
        context.close()


def test_an_entity_page_deep_links_to_each_passage_that_names_it(page, server):
    page.goto(server.url("entities/caracas/"))
    links = page.locator(".mentions a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) > 5 and all("#m-caracas-" in h for h in hrefs)
    for href in hrefs:
        page.goto(server.url("entities/caracas/"))
        page.locator(f".mentions a[href='{href}']").click()
        fragment = href.split("#")[1]
        assert_lands_on(page, fragment)
        target = page.locator(":target")
        expect(target).to_have_text("Caracas")
        background = target.evaluate("e => getComputedStyle(e).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")  # marked as the place


def test_a_click_on_highlighted_text_opens_its_annotation(page, server, articles):
    page.goto(server.url(articles[0]))
    plain = "[...document.querySelectorAll('mark.hl')].filter(m => !m.closest('a'))"
    anchor = page.evaluate(f"{plain}.reverse()[0].dataset.ann.split(' ').at(-1)")
    page.locator(f"mark[data-ann~='{anchor}']:not(a mark)").last.click()
    assert_lands_on(page, anchor)
