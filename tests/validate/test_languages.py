"""Checks on the interface languages of site_config.yaml: ``languages`` must include the root's
``language``, two tags must not share a path, no page may take a language's path, and a language
without a message catalogue is a warning (its pages would read in English)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import CONFIG, check, write_corpus

PAGE = """\
    ---
    title: Spanish notes
    ---
    A page whose name is a language's path.
    """


def corpus(tmp_path: Path, languages: str, **files: str) -> Path:
    config = CONFIG.replace("language: en\n", f"language: en\nlanguages: {languages}\n")
    return write_corpus(tmp_path, {"site_config.yaml": config, **files})


def test_shipped_languages_pass(tmp_path: Path):
    assert check(corpus(tmp_path, "[en, es, ru]")) == []


def test_the_root_language_must_be_listed(tmp_path: Path):
    assert check(corpus(tmp_path, "[es, ru]")) == [
        "site_config.yaml:4:1: error: 'languages' does not include the site's language 'en'"
        "\n  hint: add en to the list: it is the language of the interface at the site's root"
    ]


def test_tags_that_differ_only_in_case_are_refused(tmp_path: Path):
    problems = check(corpus(tmp_path, "[en, es, pt-BR, pt-br]", **{"locales/pt.po": ""}))
    assert problems == [
        "site_config.yaml:4:28: error: languages 'pt-BR' and 'pt-br' would both be published "
        "under pt-br/\n  hint: keep one of them (language tags do not depend on letter case)"
    ]


def test_a_language_without_a_catalogue_is_a_warning(tmp_path: Path):
    assert check(corpus(tmp_path, "[en, fr]")) == [
        "site_config.yaml:4:17: warning: no message catalogue for 'fr': its interface under fr/ "
        "would be English\n  hint: add locales/fr.po to the corpus (see docs/i18n.md), or "
        "remove 'fr'"
    ]
    # A catalogue of the corpus's own, or one for the base language of a regional tag, will do.
    assert check(corpus(tmp_path, "[en, fr, es-MX]", **{"locales/fr.po": ""})) == []


def test_a_page_cannot_take_a_language_path(tmp_path: Path):
    problems = check(corpus(tmp_path, "[en, es]", **{"content/pages/es.md": PAGE}))
    assert problems == [
        "content/pages/es.md:1:1: error: page name 'es' is the path of the interface in 'es'"
        "\n  hint: rename the file, e.g. content/pages/es-page.md"
    ]
