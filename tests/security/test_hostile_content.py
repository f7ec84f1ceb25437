"""Pages built from the hostile corpus (tests/security/hostile.py): every field that reaches a
page holds an attack, the content passes every check, and no page can run it.

Plain-text fields must show exactly what was written; Markdown fields keep their text and lose
every active part; URL fields stay one attribute. The last tests prove the page checks catch
what they look for.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.dom import parse_file
from tests.security.hostile import TEXT, URL, problems, site_pages, url_scheme


def test_the_attacks_reached_the_pages(hostile_site: Path):
    """Guards the tests below: the hostile fields are on the pages, minus their attacks."""
    article = parse_file(hostile_site / "articles/alpha/index.html")
    body = article.one("div", cls="article-body").text
    for words in ("Styled paragraph.", "markdown link", "hex entities", "1 < 2 > 0 & more"):
        assert words in body
    for page in ("claims/aircraft-landed/", "sources/reuters/", "about/"):
        assert "Styled paragraph." in parse_file(hostile_site / page / "index.html").text, page
    assert len(site_pages(hostile_site)) > 10


def test_no_page_has_a_script_a_handler_or_a_dangerous_url(hostile_site: Path):
    found = [
        problem
        for path in site_pages(hostile_site)
        for problem in problems(path.read_text(encoding="utf-8"), str(path))
    ]
    assert found == []


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("articles/alpha/", TEXT),
        ("claims/aircraft-landed/", TEXT),
        ("entities/example-times/", TEXT + " Times"),
        ("sources/reuters/", TEXT),
        ("about/", TEXT),
    ],
)
def test_plain_text_fields_show_exactly_what_was_written(hostile_site: Path, page, expected):
    document = parse_file(hostile_site / page / "index.html")
    assert document.one("h1").text == expected
    title = document.one("head").one("title")  # charts' SVGs have <title>s of their own
    assert title.text.startswith(expected)
    assert "49" not in title.text  # {{ 7 * 7 }} is text, not a template


def test_attributes_keep_the_whole_value(hostile_site: Path):
    document = parse_file(hostile_site / "articles/alpha/index.html")
    description = [m for m in document.all("meta") if m.attr("name") == "description"]
    assert [m.attr("content") for m in description] == [TEXT]
    original = next(a for a in document.all("a") if a.text == "as published")
    assert original.attrs == {"href": URL, "rel": "noopener noreferrer nofollow"}


def test_url_fields_stay_one_href(hostile_site: Path):
    links = [
        a
        for path in site_pages(hostile_site)
        for a in parse_file(path).all("a")
        if a.attr("href").startswith('https://example.org/"')
    ]
    assert links, "the hostile URL fields were not rendered"
    assert {a.attr("href") for a in links} == {URL}
    assert all(set(a.attrs) <= {"href", "rel", "class", "title"} for a in links)


def test_feed_and_sitemap_stay_well_formed_xml(hostile_site: Path):
    atom = "{http://www.w3.org/2005/Atom}"
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    assert feed.findtext(f"{atom}title") == TEXT
    assert [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")] == [TEXT]
    sitemap = ET.parse(hostile_site / "sitemap.xml").getroot()
    assert len(sitemap) > 10


def test_the_oai_static_repository_stays_well_formed_and_keeps_the_text(hostile_site: Path):
    oai, dc = "{http://www.openarchives.org/OAI/2.0/}", "{http://purl.org/dc/elements/1.1/}"
    repository = ET.parse(hostile_site / "data" / "oai-static.xml").getroot()
    assert repository.findtext(f".//{oai}repositoryName") == TEXT
    record = repository.find(f".//{oai}record")
    for field in ("title", "description", "rights"):
        assert record.findtext(f".//{dc}{field}") == TEXT, field
    assert record.findtext(f".//{dc}source") == URL


@pytest.mark.parametrize(
    "bad",
    [
        "<script>alert(1)</script>",
        '<script src="https://evil.example/x.js"></script>',
        '<script src="../static/x.js">alert(1)</script>',
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>',
        '<script type="application/ld+json">{"a": 1</script>',
        '<img src="x" onerror="alert(1)">',
        '<p style="color: red">x</p>',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" &#x01;JAVASCRIPT:alert(1)">x</a>',
        '<img src="data:image/svg+xml,x">',
        '<iframe src="https://example.org/"></iframe>',
        '<meta http-equiv="refresh" content="0;url=https://example.org/">',
        '<form action="vbscript:x"></form>',
    ],
)
def test_the_page_checks_catch_each_attack(bad):
    assert list(problems(f"<p>ok</p>{bad}")) != []


def test_the_page_checks_let_the_site_own_parts_through():
    page = (
        '<script type="module" src="../static/scholion.js"></script>'
        '<script type="application/ld+json">{"name": "\\u003c/script\\u003e"}</script>'
        '<a href="https://example.org/">a</a> <a href="../x/">b</a> <a href="mailto:a@b.c">c</a>'
        '<a href="#n-1">d</a> <img src="../static/logo.png" alt="">'
    )
    assert list(problems(page)) == []


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        ("https://x/", "https"),
        ("  \x01JavaScript:x", "javascript"),
        ("java\tscr\nipt:x", "javascript"),
        ("../a:b", ""),
        ("a/b:c", ""),
        ("#x", ""),
    ],
)
def test_url_scheme_reads_a_url_as_a_browser_does(url, scheme):
    assert url_scheme(url) == scheme
