"""Contributors are untrusted: scripts, event handlers and javascript: links never reach a page.

The corpus below puts the same attacks in every Markdown field (article body, note, claim
explanation, source description, plain page) and markup in plain-text fields; the tests look
at every element and attribute of every built page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from tests.dom import parse_file
from tests.helpers import check, write_corpus

ATTACKS = """\
<script>alert("script")</script>
<img src="x.png" onerror="alert('onerror')">
<svg onload="alert('svg')"></svg>
<iframe src="https://example.com/frame"></iframe>
<style>body { display: none }</style>
<p onclick="alert('onclick')" style="color: red">Styled paragraph.</p>
[markdown link](javascript:alert('md'))
<a href="javascript:alert('a')">html link</a>
<a href="JaVaScRiPt:alert('case')">mixed case</a>
<a href="&#106;avascript:alert('entity')">entity-encoded</a>
<a href=" javascript:alert('space')">leading space</a>
[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"""


def indented(text: str) -> str:
    """ATTACKS as a YAML block scalar's body."""
    return "\n".join("      " + line for line in text.splitlines())


def hostile_corpus() -> dict[str, str]:
    return {
        "content/entities/example-times.yaml": """\
            type: media
            name: <script>alert("name")</script> Times
            description: <img src=x onerror=alert(1)> A daily newspaper.
            """,
        "content/articles/alpha.md": f"""\
            ---
            title: <script>alert("title")</script> Aircraft land
            date: 2019-03-24
            publisher: example-times
            language: en
            rights: <b onmouseover="alert(1)">Example Times</b>
            summary: <script>alert("summary")</script>
            ---
            Two aircraft landed in Caracas on Saturday.

            {ATTACKS.replace(chr(10), chr(10) + " " * 12)}
            """,
        "content/articles/alpha.yaml": "claims:\n"
        "  - id: aircraft-landed\n"
        "    quote: Two aircraft landed\n"
        '    statement: <script>alert("statement")</script> Two aircraft landed.\n'
        "    rating: accurate\n"
        "    explanation: |\n" + indented(ATTACKS) + "\n"
        "notes:\n"
        "  - quote: on Saturday\n"
        "    kind: context\n"
        "    text: |\n" + indented(ATTACKS) + "\n"
        "citations:\n"
        "  - source: reuters\n"
        "    quote: in Caracas\n",
        "content/sources/reuters.yaml": "title: Russian planes land\n"
        "kind: wire\n"
        "description: |\n" + indented(ATTACKS).replace("      ", "  ") + "\n",
        "content/pages/about.md": "---\ntitle: About\n---\n" + ATTACKS + "\n",
    }


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_corpus(tmp_path_factory.mktemp("hostile"), hostile_corpus())
    assert check(root) == []
    output = root / "_site"
    build(Project.at(root, output), search=False)
    return output


def pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_the_attacks_reached_the_renderer(output):
    """Guards the tests below: the hostile fields are on the pages, minus their attacks."""
    article = parse_file(output / "articles/alpha/index.html")
    assert "Styled paragraph." in article.one("div", cls="article-body").text
    assert "markdown link" in article.one("div", cls="article-body").text
    for page in ("claims/aircraft-landed/", "sources/reuters/", "about/"):
        assert "Styled paragraph." in parse_file(output / page / "index.html").text, page


def test_no_script_element_except_the_search_page_module(output):
    scripts = {
        path.relative_to(output).as_posix(): [
            (s.attr("src"), s.text) for s in parse_file(path).all("script")
        ]
        for path in pages(output)
    }
    assert {page: found for page, found in scripts.items() if found} == {
        "search/index.html": [("../static/search.js", "")]
    }


@pytest.mark.parametrize("tag", ["iframe", "style", "svg", "object", "embed", "form"])
def test_no_active_or_styling_elements(output, tag):
    for path in pages(output):
        found = parse_file(path).all(tag)
        if tag == "form" and path.relative_to(output).as_posix() == "search/index.html":
            continue
        assert found == [], path


def test_no_event_handler_or_style_attributes(output):
    for path in pages(output):
        for element in parse_file(path).iter():
            bad = [a for a in element.attrs if a.startswith("on") or a == "style"]
            assert bad == [], f"{path}: <{element.tag} {bad}>"


def test_no_javascript_or_data_urls(output):
    for path in pages(output):
        for element in parse_file(path).iter():
            for name in ("href", "src", "action"):
                value = "".join(element.attr(name).split()).lower()
                assert not value.startswith(("javascript:", "data:")), f"{path}: {value}"


def test_markup_in_plain_text_fields_is_shown_as_text(output):
    article = parse_file(output / "articles/alpha/index.html")
    assert article.one("h1").text == '<script>alert("title")</script> Aircraft land'
    raw = (output / "articles/alpha/index.html").read_text()
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Aircraft land" in raw
    feed = (output / "feed.xml").read_text()
    assert "<script>" not in feed


def test_javascript_urls_are_refused_in_url_fields(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": """\
                type: place
                name: Caracas
                description: The capital of Venezuela.
                links:
                  - title: Click
                    url: javascript:alert(1)
                """
        }
    )
    assert check(root) == [
        "content/entities/caracas.yaml:6:10: error: 'url' value 'javascript:alert(1)' is not in "
        "the expected form\n"
        "  hint: An absolute http(s) URL."
    ]
