"""The open-data page stays the same size however many articles there are, and no article's
annotation file is lost by that: the page lists the latest 20, and every article's own page links
its file from "Cite this".

The corpus is generated below: 23 articles, one a day, so three of them are left off the list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from tests.dom import parse_file
from tests.helpers import CONFIG, PUBLISHER, minimal_article, write_corpus

ARTICLES = 23
LISTED = 20


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = {"site_config.yaml": CONFIG, "content/entities/example-times.yaml": PUBLISHER}
    for n in range(1, ARTICLES + 1):
        files[f"content/articles/day-{n:02}.md"] = minimal_article(
            f"Something happened on day {n}.", title=f"Day {n:02}", date=f"2019-01-{n:02}"
        )
    root = write_corpus(tmp_path_factory.mktemp("data-page"), files)
    build(Project.at(root, root / "_site"), search=False)
    return root / "_site"


def test_data_page_lists_the_latest_articles_and_says_where_the_rest_are(output):
    main = parse_file(output / "data/index.html").one("main")
    listed = [(a.attr("href"), a.text) for a in main.one("ul", cls="data-articles").all("a")]
    newest_first = range(ARTICLES, ARTICLES - LISTED, -1)
    assert listed == [(f"annotations/day-{n:02}.jsonld", f"Day {n:02}") for n in newest_first]
    assert (
        "Listed here are the latest 20 articles; every article's page links its own file, "
        "under “Cite this”." in main.words
    )


def test_every_article_page_links_its_own_annotation_file(output):
    for n in range(1, ARTICLES + 1):
        page = output / f"articles/day-{n:02}/index.html"
        cite = parse_file(page).one("section", cls="cite")
        links = {a.text: a.attr("href") for a in cite.all("a")}
        href = links["its annotations as W3C Web Annotations"]
        assert href == f"../../data/annotations/day-{n:02}.jsonld"
        collection = json.loads((page.parent / href).read_text(encoding="utf-8"))
        assert collection["type"] == "AnnotationCollection"
