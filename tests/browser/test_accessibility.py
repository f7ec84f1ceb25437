"""axe-core (from npm, injected into the page) finds no WCAG 2.0, 2.1 or 2.2 A/AA violation on
any kind of page, in the light and the dark colour scheme, on a wide and a narrow screen.

Pages are checked as a reader leaves them: an article with an annotation opened (its number
followed), the search page with results and filters drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.harness import REPO, page_kinds

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ` +
    v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", "));
}"""
NO_AXE = "axe-core is missing: run `make node_modules/.installed` (npm ci) first"


@pytest.fixture(scope="module")
def kinds(demo_site: Path) -> dict[str, str]:
    return page_kinds(demo_site)


def axe_page(browser: Browser, scheme: str, width: int) -> Iterator[Page]:
    assert AXE.is_file(), NO_AXE
    # Injecting axe is an inline script, which the site's Content-Security-Policy refuses.
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, bypass_csp=True
    )
    yield context.new_page()
    context.close()


@pytest.fixture(params=["light", "dark"])
def wide(browser, request) -> Iterator[Page]:
    yield from axe_page(browser, request.param, 1280)


@pytest.fixture(params=["light", "dark"])
def narrow(browser, request) -> Iterator[Page]:
    yield from axe_page(browser, request.param, 390)


def violations(page: Page, url: str) -> list[str]:
    page.goto(url)
    if "/search/" in url:
        page.wait_for_selector("#search-results li")
    if "#" in url:
        page.wait_for_function("location.hash && document.querySelector(':target')")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def reader_urls(server, kinds: dict[str, str]) -> dict[str, str]:
    """Each kind of page, articles with their first annotation opened."""
    urls = {}
    for name, url in kinds.items():
        urls[name] = server.url(url)
        if name.startswith("article-"):
            urls[name + "-opened"] = server.url(url) + "#" + _first_annotation(server, url)
    return urls


def _first_annotation(server, url: str) -> str:
    html = (server.site / url / "index.html").read_text(encoding="utf-8")
    return html.split('class="ref ', 1)[1].split('href="#', 1)[1].split('"', 1)[0]


def test_no_violations_on_a_wide_screen(wide, server, kinds):
    found = {name: violations(wide, url) for name, url in reader_urls(server, kinds).items()}
    assert {name: v for name, v in found.items() if v} == {}


def test_no_violations_on_a_narrow_screen(narrow, server, kinds):
    """The pages whose narrow layout differs most: articles (the list after the text, an
    annotation opened inline), search (filters folded), home and an entity page."""
    urls = {
        name: url
        for name, url in reader_urls(server, kinds).items()
        if name.startswith("article-") or name in ("search", "home", "entity")
    }
    found = {name: violations(narrow, url) for name, url in urls.items()}
    assert {name: v for name, v in found.items() if v} == {}


def test_axe_reports_what_it_finds(wide, server):
    """Guards the tests above against passing because axe checked nothing."""
    wide.goto(server.url(""))
    wide.evaluate(
        """() => {
        const img = document.createElement("img");
        img.src = "static/favicon.svg";
        document.querySelector("main").append(img);
        document.querySelector("h1").classList.add("visually-hidden");
        document.querySelector(".lead").style.color = document.body.style.background = "#777";
    }"""
    )
    wide.add_script_tag(path=str(AXE))
    found = wide.evaluate(RUN_AXE, WCAG_TAGS)
    assert {v.split(" ")[0] for v in found} >= {"image-alt", "color-contrast"}
