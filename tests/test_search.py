"""The Pagefind index: written into the site, holding every article, claim, entity, source and
plain page, and nothing else (lists, search, home and 404 are not search results)."""

from __future__ import annotations

import json

import pytest

from scholion import search
from scholion.search import SearchIndexError, build_search_index


def test_the_index_files_exist(site):
    assert (site.output / "pagefind" / "pagefind.js").is_file()
    assert (site.output / "pagefind" / "pagefind-entry.json").is_file()


def test_the_index_holds_every_record_page(site):
    entry = json.loads((site.output / "pagefind" / "pagefind-entry.json").read_text())
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    record_pages = [
        path
        for path in site.html_files()
        if path.split("/")[0] in {"articles", "claims", "entities", "sources"}
        and path.count("/") == 2
        and path != "articles/by-publisher/index.html"
    ] + ["about/index.html", "contributing/index.html"]
    assert len(record_pages) == 3 + 3 + 6 + 3 + 2
    assert indexed == len(record_pages)
    assert site.report.indexed == indexed
    opted_in = [
        p for p in site.html_files() if "data-pagefind-body" in (site.output / p).read_text()
    ]
    assert sorted(opted_in) == sorted(record_pages)


def test_the_index_uses_the_corpus_language(site):
    entry = json.loads((site.output / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]


def test_record_pages_carry_their_filters(site):
    article = (site.output / "articles/alpha/index.html").read_text()
    for name, value in [("kind", "Article"), ("publisher", "Example Times"), ("year", "2019")]:
        assert f'data-pagefind-filter="{name}">{value}</span>' in article
    claim = (site.output / "claims/troops-arrived/index.html").read_text()
    assert 'data-pagefind-filter="rating">Unverified</span>' in claim
    entity = (site.output / "entities/caracas/index.html").read_text()
    assert 'data-pagefind-filter="entity type">Place</span>' in entity


def test_a_pagefind_failure_is_a_site_error(tmp_path, monkeypatch):
    async def broken(site, language, page_languages):
        raise RuntimeError("the binary is missing")

    monkeypatch.setattr(search, "_index", broken)
    with pytest.raises(SearchIndexError) as raised:
        build_search_index(tmp_path, "en")
    assert str(raised.value) == f"Pagefind failed to index {tmp_path}: the binary is missing"
