"""Search in several languages: each language has its own index and stemming, the reader's
language is searched first, and a menu searches another language or all of them.

The multilingual fixture (tests/fixtures/multilingual) has articles in Russian, Spanish,
French and Arabic under an English interface. It is built in a separate process: Pagefind's
indexer needs an event loop of its own, and Playwright's is running here. Every test runs twice:
on one index, and on the fixture forced into search shards of at most two pages, where each
language is found in some shards only and English in three, which the search page merges.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Recorder
from tests.browser.harness import REPO, Server, serve

FIXTURE = REPO / "tests" / "fixtures" / "multilingual"


@pytest.fixture(scope="module", params=["one index", "shards"])
def multilingual(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("multilingual") / "corpus"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns(".cache"))
    if request.param == "shards":
        with (root / "site_config.yaml").open("a") as config:
            config.write("search: {shard_pages: 2}\n")
    output = root.parent / "_site"
    command = [sys.executable, str(REPO / "build.py"), "--root", str(root), "build"]
    subprocess.run([*command, "--output", str(output), "--quiet"], check=True)
    with serve(output) as running:
        yield running


@pytest.fixture
def recorder(multilingual: Server) -> Recorder:
    """Requests are checked against this module's server, not the demo's."""
    return Recorder(multilingual.origin)


def titles(page: Page) -> list[str]:
    return page.locator("#search-results .result-title").all_inner_texts()


def open_search(page: Page, server: Server) -> None:
    page.goto(server.url("search/"))
    page.wait_for_selector("#search-filters fieldset")


def test_each_article_language_has_its_own_index(multilingual: Server):
    shards = json.loads((Path(multilingual.site) / "pagefind/shards.json").read_text())["shards"]
    assert sorted({language for s in shards for language in s["languages"]}) == [
        "ar",
        "en",
        "es",
        "fr",
        "ru",
    ]
    for shard in shards:
        entry = Path(multilingual.site) / "pagefind" / shard["path"] / "pagefind-entry.json"
        assert sorted(json.loads(entry.read_text())["languages"]) == sorted(shard["languages"])
    assert len(shards) in (1, 5)


def test_russian_search_finds_a_word_by_another_inflected_form(page: Page, multilingual):
    open_search(page, multilingual)
    page.get_by_label("Texts in").select_option("ru")
    # The article says "посольства" (genitive) and "военнослужащих"; the reader types the
    # nominative forms.
    page.get_by_label("Search articles, claims, entities and sources").fill("посольство")
    expect(page.locator("#search-status")).to_contain_text("result")
    assert "Самолёты прибыли в Каракас" in titles(page)


def test_the_readers_language_comes_first_and_all_languages_can_be_searched(
    page: Page, multilingual
):
    open_search(page, multilingual)
    assert page.get_by_label("Texts in").input_value() == "en"
    box = page.get_by_label("Search articles, claims, entities and sources")
    box.fill("Caracas")
    expect(page.locator("#search-status")).to_contain_text("result")
    english = titles(page)
    assert "La misión llegó a Caracas" not in english
    page.get_by_label("Texts in").select_option("*")
    expect(page.locator("#search-results")).to_contain_text("La misión llegó a Caracas")
    everywhere = titles(page)
    assert {"La misión llegó a Caracas", "L\u2019avion est arrivé"} <= set(everywhere)
    assert set(english) <= set(everywhere)
