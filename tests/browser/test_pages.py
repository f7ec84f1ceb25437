"""Every page of the demo site, opened in Chromium under the sub-path and at the root.

No page may log a console error, throw, fail a request or ask any host but the site's own for
anything; 404.html must work at any depth under the sub-path, as GitHub Pages serves it.
"""

from __future__ import annotations

import pytest

from tests.browser.harness import SUB_PATH, html_pages, page_kinds, page_url


def load_cleanly(page, server, recorder, urls: list[str], prefix: str) -> None:
    for url in urls:
        response = page.goto(server.url(url, prefix))
        assert response is not None and response.status == 200, url
        if url.startswith("search/"):
            page.wait_for_selector("#search-filters fieldset")
        assert page.title(), url
    assert recorder.problems == []
    assert all(url.startswith(server.origin + prefix) for url in recorder.requests)
    kinds = {url.rsplit(".", 1)[-1] for url in recorder.requests if "/static/" in url}
    assert {"css", "js", "svg"} <= kinds  # the checks above saw the site's own assets load


def test_every_page_loads_cleanly_and_asks_only_its_own_host(page, server, demo_site, recorder):
    pages = [page_url(p) for p in html_pages(demo_site) if p != "404.html"]
    assert len(pages) > 100
    load_cleanly(page, server, recorder, pages, SUB_PATH)


def test_every_kind_of_page_works_at_the_root_too(page, server, demo_site, recorder):
    """The same files served at / (relative links do not depend on the host path)."""
    kinds = [url for name, url in page_kinds(demo_site).items() if name != "not-found"]
    load_cleanly(page, server, recorder, kinds, "/")


@pytest.mark.parametrize("depth", ["missing", "a/missing/", "a/b/c/d/missing.html"])
def test_404_page_works_at_any_depth(page, server, recorder, depth):
    url = server.url(depth)
    recorder.missing.add(url)
    response = page.goto(url)
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    styled = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Iowan Old Style" in styled  # the stylesheet loaded from the sub-path
    page.get_by_role("link", name="Home", exact=True).click()
    assert page.url == server.url("")
    assert page.locator("h1").inner_text() == "Scholion demo corpus"


def test_the_sub_path_and_the_root_serve_the_same_site(page, server):
    for prefix in (SUB_PATH, "/"):
        page.goto(server.url("claims/", prefix))
        page.get_by_role("link", name="Articles", exact=True).first.click()
        assert page.url == server.url("articles/", prefix)


@pytest.mark.parametrize("width", [320, 1280])
def test_no_kind_of_page_scrolls_sideways(browser, server, demo_site, width):
    """WCAG 1.4.10 (reflow): from a 320 px phone to a wide screen, text wraps instead."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        wide = {}
        for name, url in page_kinds(demo_site).items():
            page.goto(server.url(url))
            overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
            if overflow > 0:
                wide[name] = overflow
        assert wide == {}
    finally:
        context.close()
