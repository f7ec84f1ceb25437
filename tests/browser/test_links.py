"""The built demo site's links, checked on the files: every ``href``, ``src`` and form
``action`` (with its ``#fragment``) resolves to a file of the site, and ``sitemap.xml`` lists
every page and nothing else. Relative links make the same files right at any host path."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tests.browser.harness import BASE_URL, html_pages, page_url
from tests.render.test_links import broken_links, local_urls

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_every_link_and_fragment_resolves(demo_site):
    pages = html_pages(demo_site)
    assert broken_links(demo_site, pages) == []
    fragments = [v for p in pages for _, v in local_urls(demo_site / p) if "#" in v]
    for kind in ("#hl-c-", "#c-", "#m-", "#rating-", "#type-", "#publisher-"):
        assert any(kind in value for value in fragments), kind  # every kind of deep link checked


def test_sitemap_lists_every_page_and_nothing_else(demo_site):
    tree = ET.parse(demo_site / "sitemap.xml")
    listed = [loc.text for loc in tree.getroot().iter(f"{SITEMAP}loc")]
    pages = [BASE_URL + page_url(p) for p in html_pages(demo_site) if p != "404.html"]
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(pages)
