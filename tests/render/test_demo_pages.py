"""The demo corpus as built: on every article, each highlight shows exactly its quote and links
to its annotation and back; the annotations are all listed; the indexes list every record once.

The demo is dense (an annotation every dozen words, quotes overlapping and crossing links and
emphasis), which makes it the hardest real case the templates meet.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from tests.dom import Document, parse_file
from tests.helpers import REPO
from tests.render.test_pages import annotation_items, marked, sidenotes


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("demo") / "_site"
    build(Project.at(REPO, output), search=False)
    return output


def pages_under(output: Path, prefix: str) -> list[str]:
    return sorted(
        p.parent.relative_to(output).as_posix()
        for p in output.glob(f"{prefix}/*/index.html")
        if p.parent.name not in ("page", "by-publisher")
    )


def article(demo: Path, slug: str) -> Document:
    return parse_file(demo / "articles" / slug / "index.html")


def test_the_demo_has_its_two_articles(demo):
    assert len(pages_under(demo, "articles")) == 2


@pytest.mark.parametrize("index", [0, 1])
def test_each_highlight_shows_its_quote_and_links_both_ways(demo, index):
    slug = pages_under(demo, "articles")[index].split("/")[1]
    doc = article(demo, slug)
    assert doc.errors == []
    items = annotation_items(doc)
    cards = sidenotes(doc)
    assert len(items) > 20
    assert sorted(cards) == sorted(items)  # cards follow their numbers in the text
    for ann_id, item in items.items():
        quote = item.one("p", cls="annotation-quote").words.strip("“”")
        assert " ".join(marked(doc, ann_id).split()) == quote, ann_id
        assert doc.by_id(f"hl-{ann_id}") is not None
        assert doc.by_id(f"ref-{ann_id}").attr("href") == f"#{ann_id}"
    numbers = [int(li.attr("value")) for li in items.values()]
    assert numbers == list(range(1, len(items) + 1))


def test_every_entity_is_listed_once_across_the_index_pages(demo):
    listed = []
    for page in ["entities/index.html", *sorted(demo.glob("entities/page/*/index.html"))]:
        doc = parse_file(demo / page)
        for ul in doc.one("main").all("ul", cls="records"):
            listed += [a.attr("href").split("entities/")[1] for a in ul.all("a")]
    assert len(listed) == len(set(listed)) == len(pages_under(demo, "entities")) == 53
