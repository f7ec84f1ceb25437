"""The hostile corpus in a real browser: no page opens a dialog, throws, or needs the
Content-Security-Policy to stop anything, with the policy and without it.

Every page of the built hostile site is loaded over HTTP in headless Chromium with a hook that
records any alert, confirm or prompt. The same pages with their policy removed prove that the
sanitizer and escaping alone stop the attacks (the policy is a second wall, not the only one).
A canary page proves the hook sees a dialog when there is one.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.security.browser import browser, serve, visit
from tests.security.hostile import site_pages

CLEAN = {"dialogs": [], "violations": []}
"""What a visit must report: no dialog, and nothing the policy had to block. (Script errors of
the site's own scripts are the theme's tests' business, not a sign of injection.)"""


def _ran(chromium, url: str) -> dict[str, list[str]]:
    seen = visit(chromium, url)
    return {"dialogs": seen["dialogs"], "violations": seen["violations"]}


@pytest.fixture(scope="module")
def chromium(hostile_site):
    """Depends on hostile_site so the site is built first: Playwright's sync API keeps an event
    loop running, and the build's Pagefind step needs its own."""
    with browser() as launched:
        context = launched.new_context()
        yield context
        context.close()


def _urls(site: Path, base: str) -> list[str]:
    return [
        base + p.relative_to(site).as_posix().removesuffix("index.html") for p in site_pages(site)
    ]


def test_the_dialog_hook_sees_a_dialog(chromium, tmp_path):
    (tmp_path / "index.html").write_text(
        '<!DOCTYPE html><title>c</title><script src="c.js"></script>'
        "<details open ontoggle=\"alert('toggle')\">d</details>"
    )
    (tmp_path / "c.js").write_text("alert('script');")
    with serve(tmp_path) as base:
        assert sorted(visit(chromium, base)["dialogs"]) == ["alert: script", "alert: toggle"]


def test_no_hostile_page_runs_anything(chromium, hostile_site):
    with serve(hostile_site) as base:
        urls = _urls(hostile_site, base)
        assert len(urls) > 10
        found = {url: seen for url in urls if (seen := _ran(chromium, url)) != CLEAN}
    assert found == {}


def test_without_the_policy_still_nothing_runs(chromium, hostile_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(hostile_site, site)
    policy = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
    for page in site_pages(site):
        page.write_text(policy.sub("", page.read_text(encoding="utf-8")), encoding="utf-8")
    assert "Content-Security-Policy" not in (site / "articles/alpha/index.html").read_text()
    with serve(site) as base:
        found = {url: dialogs for url in _urls(site, base) if (dialogs := _dialogs(chromium, url))}
    assert found == {}


def _dialogs(chromium, url: str) -> list[str]:
    return visit(chromium, url)["dialogs"]


def test_search_results_show_hostile_text_as_text(chromium, hostile_site):
    """search.js puts Pagefind's excerpts in the page as HTML: Pagefind must have escaped the
    page text, leaving only its own <mark>."""
    with serve(hostile_site) as base:
        page = chromium.new_page()
        page.goto(base + "search/", wait_until="networkidle")
        excerpts = page.evaluate(
            """async () => {
              const pagefind = await import("../pagefind/pagefind.js");
              const search = await pagefind.search("onerror");
              return Promise.all(search.results.map(async (r) => (await r.data()).excerpt));
            }"""
        )
        page.close()
        seen = _ran(chromium, base + "search/?q=onerror")
    assert excerpts, "the hostile text was not indexed"
    assert all("<" not in re.sub(r"</?mark>", "", excerpt) for excerpt in excerpts), excerpts
    assert any("&lt;img" in excerpt for excerpt in excerpts), excerpts
    assert seen == CLEAN
