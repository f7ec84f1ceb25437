"""Articles in any language and script: quotes anchor whatever the Unicode form, line endings or
quote marks, pages declare their languages, and aliases in several scripts find mentions."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from scholion.text.normalize import normalize_quote
from tests.dom import parse_file

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "multilingual"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("multilingual") / "_site"
    report = build(Project.at(FIXTURE, output), search=False)
    assert report.diagnostics == []
    return output


def highlighted(page, anchor: str) -> str:
    """The words marked for an annotation, named by its id or an old id the page keeps."""
    alias = page.by_id(anchor)
    if alias is not None and "former-id" in alias.classes:
        anchor = alias.attr("data-id")
    marks = [m for m in page.all("mark") if anchor in m.attr("data-ann").split()]
    return "".join(m.text for m in marks)


@pytest.mark.parametrize(
    ("slug", "anchor", "quote"),
    [
        ("ru-samolety", "c-two-planes-landed", "два российских самолёта приземлились в Каракасе"),
        ("ru-samolety", "n-1", '"Это обычный визит", - сказал'),
        ("es-mision", "c-two-planes-landed", "La misión militar rusa llegó a Caracas el sábado"),
        ("es-mision", "n-1", '"acuerdo técnico"'),
        ("fr-avion", "n-1", "L'avion Ил-62 est arrivé à Caracas, d'après la presse."),
        ("ar-taira", "n-1", "وصلت الطائرة الروسية"),
    ],
)
def test_every_quote_is_highlighted_exactly(site, slug, anchor, quote):
    page = parse_file(site / "articles" / slug / "index.html")
    text = highlighted(page, anchor)
    assert normalize_quote(text) == normalize_quote(quote)
    assert unicodedata.is_normalized("NFC", text)


def test_the_source_files_really_are_mixed_forms():
    ru = (FIXTURE / "content/articles/ru-samolety.md").read_bytes()
    es = (FIXTURE / "content/articles/es-mision.md").read_text(encoding="utf-8")
    assert b"\r\n" in ru and "\u0435\u0308".encode() in ru
    assert not unicodedata.is_normalized("NFC", es)


@pytest.mark.parametrize(
    ("slug", "language", "direction"),
    [
        ("ru-samolety", "ru", None),
        ("es-mision", "es", None),
        ("fr-avion", "fr", None),
        ("ar-taira", "ar", "rtl"),
    ],
)
def test_article_text_and_quotes_elsewhere_declare_their_language(site, slug, language, direction):
    page = parse_file(site / "articles" / slug / "index.html")
    body = page.one(cls="article-body")
    assert body.attr("lang") == language
    assert (body.attr("dir") or None) == direction
    assert page.one("h1").attr("lang") == language


def test_claim_page_quotes_carry_the_language_of_their_article(site):
    page = parse_file(site / "claims/two-planes-landed/index.html")
    languages = sorted(q.attr("lang") for q in page.all("blockquote"))
    assert languages == ["es", "ru"]


def test_aliases_in_several_scripts_find_mentions(site):
    entity = parse_file(site / "entities/il-62/index.html")
    links = {a.attr("href").split("#")[0] for a in entity.all("a") if "#m-il-62-" in a.attr("href")}
    assert links == {
        "../../articles/ru-samolety/",
        "../../articles/es-mision/",
        "../../articles/fr-avion/",
    }
    caracas = parse_file(site / "entities/caracas/index.html")
    linked = {
        a.attr("href").split("#")[0] for a in caracas.all("a") if "#m-caracas-" in a.attr("href")
    }
    assert "../../articles/ar-taira/" in linked and "../../articles/ru-samolety/" in linked
