"""A site published in several interface languages at once (``languages: [en, es, ru]``): the
whole site again under es/ and ru/, in each language, linked to each other, sharing one copy of
the styles, data and feeds, and indexed for search once."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from tests.dom import parse_file
from tests.render.test_links import BASE, broken_links

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
SPANISH_WORDS = 'msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "Accurate"\nmsgstr "Exacta"\n'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages") / "corpus"
    shutil.copytree(SITE, root)
    config = root / "site_config.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("language: en", "language: en\nlanguages: [en, es, ru]"))
    (root / "locales").mkdir()
    (root / "locales" / "es.po").write_text(SPANISH_WORDS, encoding="utf-8")
    output = root.parent / "_site"
    report = build(Project.at(root, output), search=False)
    assert report.diagnostics == []
    return output


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_is_published_in_each_language_under_its_path(site: Path):
    root = [p for p in pages(site) if not p.startswith(("es/", "ru/"))]
    for language in ("es", "ru"):
        translated = [p.removeprefix(f"{language}/") for p in pages(site) if p.startswith(language)]
        # The host's not-found page is served from the root only.
        assert translated == [p for p in root if p != "404.html"]
    assert len(root) > 20


@pytest.mark.parametrize(
    ("prefix", "language", "nav"),
    [("", "en", "Articles"), ("es/", "es", "Artículos"), ("ru/", "ru", "Статьи")],
)
def test_each_version_speaks_its_language(site: Path, prefix: str, language: str, nav: str):
    claim = parse_file(site / prefix / "claims" / "troops-arrived" / "index.html")
    assert claim.one("html").attr("lang") == language
    assert nav in [a.text for a in claim.one("nav", cls="site-nav").all("a")]
    canonical = next(e for e in claim.all("link") if e.attr("rel") == "canonical")
    assert canonical.attr("href") == f"{BASE}{prefix}claims/troops-arrived/"


def test_language_links_lead_to_the_same_page_in_each_language(site: Path):
    page = "claims/troops-arrived/index.html"
    for prefix in ("", "es/", "ru/"):
        menu = parse_file(site / prefix / page).one("nav", cls="site-languages")
        links = menu.all("a")
        assert [a.text for a in links] == ["English", "Español", "Русский"]
        assert [a.attr("hreflang") for a in links] == ["en", "es", "ru"]
        assert [a.attr("lang") for a in links] == ["en", "es", "ru"]
        current = [a.text for a in links if a.attrs.get("aria-current") == "true"]
        assert current == [{"": "English", "es/": "Español", "ru/": "Русский"}[prefix]]
        targets = [(site / prefix / page).parent.joinpath(a.attr("href")) for a in links]
        assert [t.resolve() / "index.html" for t in targets] == [
            (site / p / page).resolve() for p in ("", "es/", "ru/")
        ]


def test_head_and_sitemap_name_every_version_for_search_engines(site: Path):
    head = parse_file(site / "es" / "articles" / "alpha" / "index.html").one("head")
    alternates = {
        link.attr("hreflang"): link.attr("href")
        for link in head.all("link")
        if link.attrs.get("hreflang")
    }
    assert alternates == {
        "en": f"{BASE}articles/alpha/",
        "es": f"{BASE}es/articles/alpha/",
        "ru": f"{BASE}ru/articles/alpha/",
        "x-default": f"{BASE}articles/alpha/",
    }
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.parse(site / "sitemap.xml").getroot().findall("s:url", ns)
    locs = {u.findtext("s:loc", namespaces=ns) for u in urls}
    assert {f"{BASE}articles/alpha/", f"{BASE}es/articles/alpha/", f"{BASE}ru/"} <= locs
    assert len(locs) == 3 * len([p for p in pages(site) if not p.startswith(("es/", "ru/"))]) - 3
    one = next(u for u in urls if u.findtext("s:loc", namespaces=ns) == f"{BASE}ru/")
    assert {x.get("hreflang") for x in one.findall("x:link", ns)} == {"en", "es", "ru"}


def test_shared_files_exist_once_and_every_link_resolves(site: Path):
    assert not (site / "es" / "static").exists()
    assert not (site / "es" / "data" / "corpus.json").exists()
    assert not (site / "es" / "feed.xml").exists()
    claim = parse_file(site / "es" / "claims" / "troops-arrived" / "index.html")
    assert "../../../static/scholion.css" in [e.attr("href") for e in claim.all("link")]
    assert "../../../claims/troops-arrived/cite.bib" in claim.links()
    assert broken_links(site, pages(site)) == []


def test_the_corpus_words_are_translated_by_its_own_catalogue(site: Path):
    def ratings(prefix: str) -> list[str]:
        listing = parse_file(site / prefix / "claims" / "index.html")
        return [row.words for row in listing.all("tr", cls="group-row")]

    assert "Accurate" in " ".join(ratings(""))
    assert "Exacta" in " ".join(ratings("es/"))
    assert "Accurate" in " ".join(ratings("ru/"))  # no Russian catalogue: as written


def test_only_the_root_version_is_indexed_for_search(site: Path):
    for page in ("articles/alpha/index.html", "claims/troops-arrived/index.html"):
        assert "data-pagefind-body" in (site / page).read_text(encoding="utf-8")
        assert "data-pagefind-body" not in (site / "es" / page).read_text(encoding="utf-8")


def test_a_site_with_one_language_has_no_language_links(tmp_path: Path):
    output = tmp_path / "_site"
    build(Project.at(SITE, output), search=False)
    home = parse_file(output / "index.html")
    assert [n for n in home.all("nav") if "site-languages" in n.classes] == []
    assert [e for e in home.all("link") if e.attrs.get("hreflang")] == []
    assert not (output / "es").exists()
