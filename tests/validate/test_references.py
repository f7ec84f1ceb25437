"""Cross-file checks: every id a file names must exist (with a "did you mean"), ids defined once.

Each test writes its whole corpus inline (plus the shared minimal site_config.yaml from
tests/helpers.py, whose vocabularies are: ratings accurate, unverified; entity types person,
media, place; note kinds context, framing; source kinds wire, official).
"""

from __future__ import annotations

import pytest

from tests.helpers import PUBLISHER, check, minimal_article, write_corpus

# One misspelt reference of every kind, in several files.
MISSPELT = {
    "content/entities/example-times.yaml": PUBLISHER,
    "content/entities/caracas.yaml": """\
        type: plase
        name: Caracas
        description: The capital of Venezuela.
        """,
    "content/sources/reuters-report.yaml": """\
        title: Russian planes land in Caracas
        kind: wier
        publisher: example-time
        cites: [flight-dat]
        """,
    "content/sources/flight-data.yaml": """\
        title: Flight-tracking records
        kind: wire
        """,
    "content/articles/alpha.md": """\
        ---
        title: Aircraft land in Caracas
        date: 2019-03-24
        authors: [jane-doe]
        publisher: example-tims
        language: en
        rights: © Example Times.
        ---
        Two aircraft landed in Caracas on Saturday.
        """,
    "content/articles/alpha.yaml": """\
        claims:
          - id: aircraft-landed
            quote: Two aircraft landed in Caracas
            statement: Two aircraft landed in Caracas.
            rating: acurate
            explanation: Flight data show them.
            claimant: example-times
            about: [caracaz]
            sources:
              - source: reuters-reprot
                relation: supports
          - claim: aircraft-landd
            quote: on Saturday
        notes:
          - quote: Saturday
            kind: contxt
            text: It was 23 March.
        citations:
          - source: flight-date
            quote: Two aircraft
        mentions:
          - entity: caracass
        """,
}

EXPECTED = {  # in file order, as check reports them
    "author": "content/articles/alpha.md:4:11: error: unknown entity 'jane-doe'\n"
    "  hint: define it in content/entities/<id>.yaml",
    "publisher of an article": "content/articles/alpha.md:5:12: error: unknown entity "
    "'example-tims'\n"
    "  hint: did you mean 'example-times'?",
    "rating": "content/articles/alpha.yaml:5:13: error: unknown rating 'acurate'\n"
    "  hint: did you mean 'accurate'?",
    "entity in about": "content/articles/alpha.yaml:8:13: error: unknown entity 'caracaz'\n"
    "  hint: did you mean 'caracas'?",
    "source of a claim": "content/articles/alpha.yaml:10:17: error: unknown source "
    "'reuters-reprot'\n"
    "  hint: did you mean 'reuters-report'?",
    "claim": "content/articles/alpha.yaml:12:12: error: unknown claim 'aircraft-landd'\n"
    "  hint: did you mean 'aircraft-landed'?",
    "note kind": "content/articles/alpha.yaml:16:11: error: unknown note kind 'contxt'\n"
    "  hint: did you mean 'context'?",
    "source of a citation": "content/articles/alpha.yaml:19:13: error: unknown source "
    "'flight-date'\n"
    "  hint: did you mean 'flight-data'?",
    "entity of a mention": "content/articles/alpha.yaml:22:13: error: unknown entity "
    "'caracass'\n"
    "  hint: did you mean 'caracas'?",
    "entity type": "content/entities/caracas.yaml:1:7: error: unknown entity type 'plase'\n"
    "  hint: did you mean 'place'?",
    "source kind": "content/sources/reuters-report.yaml:2:7: error: unknown source kind 'wier'\n"
    "  hint: did you mean 'wire'?",
    "publisher of a source": "content/sources/reuters-report.yaml:3:12: error: unknown entity "
    "'example-time'\n"
    "  hint: did you mean 'example-times'?",
    "cited source": "content/sources/reuters-report.yaml:4:9: error: unknown source "
    "'flight-dat'\n"
    "  hint: did you mean 'flight-data'?",
}


@pytest.fixture(scope="module")
def misspelt(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return check(write_corpus(tmp_path_factory.mktemp("misspelt"), MISSPELT))


@pytest.mark.parametrize("kind", EXPECTED)
def test_unknown_reference_is_located_with_a_suggestion(misspelt, kind):
    assert EXPECTED[kind] in misspelt


def test_every_unknown_reference_is_reported_in_one_run_in_file_order(misspelt):
    assert misspelt == list(EXPECTED.values())


def test_unknown_claim_without_a_close_match_says_where_claims_are_defined(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(),
            "content/articles/alpha.yaml": """\
                claims:
                  - claim: troops-arrived
                    quote: Two aircraft landed
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:2:12: error: unknown claim 'troops-arrived'\n"
        "  hint: define it in a sidecar's claims (with id:)"
    ]


def test_a_claim_defined_twice_names_the_first_definition(corpus):
    claim = """\
        claims:
          - id: aircraft-landed
            quote: Two aircraft landed in Caracas
            statement: Two aircraft landed in Caracas.
            rating: accurate
            explanation: Flight data show them.
        """
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(title="Alpha"),
            "content/articles/alpha.yaml": claim,
            "content/articles/beta.md": minimal_article(title="Beta"),
            "content/articles/beta.yaml": "\n\n" + claim,
        }
    )
    assert check(root) == [
        "content/articles/beta.yaml:4:9: error: claim 'aircraft-landed' is already defined at "
        "content/articles/alpha.yaml:2:9\n"
        "  hint: a claim is defined once; to record another appearance write "
        "`- claim: aircraft-landed` with its quote, or give this claim another id"
    ]


def test_a_sidecar_without_its_article_is_an_orphan(corpus):
    root = corpus(
        {
            "content/articles/alpah.yaml": """\
                notes:
                  - kind: context
                    text: A note on the whole article.
                """
        }
    )
    assert check(root) == [
        "content/articles/alpah.yaml:1:1: error: annotations for a missing article: "
        "there is no content/articles/alpah.md\n"
        "  hint: name the sidecar after its article (same name, .yaml)"
    ]


def test_an_unreadable_article_does_not_make_its_sidecar_an_orphan(corpus):
    root = corpus(
        {
            "content/articles/alpha.md": b"---\ntitle: Caf\xe9\n---\nText.\n",
            "content/articles/alpha.yaml": """\
                notes:
                  - kind: context
                    text: A note on the whole article.
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.md:2:11: error: invalid UTF-8 (byte 0xe9)\n"
        "  hint: save the file with UTF-8 encoding"
    ]


def test_an_entity_with_a_syntax_error_is_reported_once_not_at_every_reference(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": """\
                type: media
                name: [Example Times
                description: A daily newspaper.
                """,
            "content/articles/alpha.md": minimal_article(),
        }
    )
    assert check(root) == [
        "content/entities/example-times.yaml:3:12: error: YAML syntax error: "
        "did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts at line 2, column 7)\n"
        "  hint: check the indentation and quoting on this line and the one before it"
    ]


def test_a_page_cannot_take_a_name_the_site_uses(corpus):
    root = corpus(
        {
            "content/pages/search.md": """\
                ---
                title: How to search
                ---
                Type in the box.
                """
        }
    )
    assert check(root) == [
        "content/pages/search.md:1:1: error: page name 'search' is used by the site itself\n"
        "  hint: rename the file, e.g. content/pages/about-the-search.md"
    ]


def test_an_article_cannot_take_a_name_the_article_index_uses(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/by-publisher.md": minimal_article(),
        }
    )
    assert check(root) == [
        "content/articles/by-publisher.md:1:1: error: article name 'by-publisher' is used by "
        "the article index\n"
        "  hint: rename the file and its sidecar, e.g. content/articles/by-publisher-article.md"
    ]


def test_a_source_cannot_cite_itself(corpus):
    root = corpus(
        {
            "content/sources/reuters-report.yaml": """\
                title: Russian planes land in Caracas
                kind: wire
                cites: [reuters-report]
                """
        }
    )
    assert check(root) == [
        "content/sources/reuters-report.yaml:3:9: error: a source cannot cite itself\n"
        "  hint: remove it from cites"
    ]


def test_a_note_id_is_used_once_per_article(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(),
            "content/articles/alpha.yaml": """\
                notes:
                  - id: date
                    kind: context
                    text: It was 23 March.
                  - id: date
                    kind: context
                    text: The paper printed it a day later.
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:5:9: error: note id 'date' is used twice in this file\n"
        "  hint: give each note its own id, or leave id out"
    ]


def test_the_same_alias_on_two_entities_is_a_warning(corpus):
    root = corpus(
        {
            "content/entities/georgia-country.yaml": """\
                type: place
                name: Georgia
                description: The country in the Caucasus.
                """,
            "content/entities/georgia-state.yaml": """\
                type: place
                name: State of Georgia
                aliases: [Georgia]
                description: The US state.
                """,
        }
    )
    assert check(root) == [
        "content/entities/georgia-state.yaml:3:11: warning: 'Georgia' is also a name or alias of "
        "entity 'georgia-country'\n"
        "  hint: mentions of it will link to the first entity only; remove one or add explicit "
        "mentions in the sidecar"
    ]


def test_a_sidecar_with_a_syntax_error_hides_no_claim_behind_unknown_claim_errors(corpus):
    """The claims a broken sidecar defines cannot be read; an appearance of one of them in
    another sidecar is not an error of its own (it was one, with a wrong "did you mean")."""
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(body="Two aircraft landed."),
            "content/articles/alpha.yaml": "claims:\n  - id: [aircraft-landed\n",
            "content/articles/beta.md": minimal_article(body="Two aircraft landed again."),
            "content/articles/beta.yaml": """\
                claims:
                  - claim: aircraft-landed
                    quote: Two aircraft landed
                """,
        }
    )
    assert [line.split("\n")[0] for line in check(root)] == [
        "content/articles/alpha.yaml:3:1: error: YAML syntax error: did not find expected ',' "
        "or ']' (while parsing a flow sequence that starts at line 2, column 9)"
    ]


def test_without_site_config_only_its_absence_is_reported(tmp_path):
    """Every rating, kind and type was an unknown id without the configuration that defines
    them: 144 errors for the demo, the one that mattered last."""
    root = write_corpus(
        tmp_path / "corpus",
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(body="Two aircraft landed."),
            "content/articles/alpha.yaml": """\
                claims:
                  - id: aircraft-landed
                    quote: Two aircraft landed
                    statement: Two aircraft landed.
                    rating: accurate
                    explanation: Flight data.
                notes:
                  - quote: landed
                    kind: context
                    text: In Caracas.
                """,
        },
    )
    (root / "site_config.yaml").unlink()
    assert [line.split("\n")[0] for line in check(root)] == [
        "site_config.yaml:1:1: error: site_config.yaml does not exist"
    ]
