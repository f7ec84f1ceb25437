"""The link stage: quotes anchored (or reported with their position), mentions, and indexes.

Each test writes its whole corpus inline (plus the shared minimal site_config.yaml from
tests/helpers.py: ratings accurate, unverified; note kind context; source kind wire).
"""

from __future__ import annotations

import pytest

from scholion.model import Corpus
from scholion.pipeline import check as check_corpus
from scholion.project import Project
from tests.helpers import CONFIG, PUBLISHER, check, minimal_article

TEXT = """\
    Two Russian aircraft landed in Caracas on Saturday.
    The visit was routine. It was routine, they said again.
    """
ARTICLE = minimal_article(TEXT)


def linked(root) -> Corpus:
    corpus, diagnostics = check_corpus(Project.at(root))
    assert [d.format_text() for d in diagnostics] == []
    assert corpus is not None
    return corpus


def test_quote_not_found_shows_the_closest_passage(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                claims:
                  - id: aircraft-landed
                    quote: "Two Russian aircraft landed in Karakas"
                    statement: Two Russian aircraft landed in Caracas.
                    rating: accurate
                    explanation: Flight data show them.
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:3:12: error: quote not found in content/articles/alpha.md\n"
        '  hint: the closest passage is "Two Russian aircraft landed in Caracas"; '
        "copy the exact words from the article"
    ]


def test_quote_not_found_without_a_similar_passage(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                notes:
                  - quote: zebra crossing
                    kind: context
                    text: Wrong article.
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:2:12: error: quote not found in content/articles/alpha.md\n"
        "  hint: copy the exact words from the article"
    ]


def test_quote_found_twice_asks_for_prefix_or_suffix(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                notes:
                  - kind: context
                    text: Repeated for emphasis.
                    quote: was routine
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:4:12: error: quote occurs 2 times in "
        "content/articles/alpha.md\n"
        "  hint: add prefix: (the words just before) or suffix: (the words just after) "
        "to say which occurrence you mean"
    ]


@pytest.mark.parametrize(
    ("narrowing", "expected_start"),
    [("prefix: The visit", "The visit "), ("suffix: ', they said'", "It ")],
)
def test_prefix_or_suffix_picks_one_occurrence(corpus, narrowing, expected_start):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": f"""\
                notes:
                  - kind: context
                    text: Repeated for emphasis.
                    quote: was routine
                    {narrowing}
                """,
        }
    )
    (note,) = linked(root).annotations["alpha"]
    assert note.quote == "was routine"
    assert note.before == expected_start


def test_a_prefix_that_matches_no_occurrence_says_the_quote_itself_exists(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                notes:
                  - kind: context
                    text: Repeated for emphasis.
                    quote: was routine
                    prefix: The meeting
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:4:12: error: quote not found in content/articles/alpha.md "
        "with this prefix/suffix\n"
        "  hint: the quote itself occurs 2 times: copy prefix: from the words just before it "
        "and suffix: from the words just after it"
    ]


def test_every_quote_problem_of_every_sidecar_is_reported_in_one_run(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/entities/caracas.yaml": """\
                type: place
                name: Caracas
                description: The capital of Venezuela.
                """,
            "content/articles/alpha.md": minimal_article(TEXT, title="Alpha"),
            "content/articles/alpha.yaml": """\
                citations:
                  - source: reuters
                    quote: According to Reuters
                mentions:
                  - entity: caracas
                    quote: Karakas
                """,
            "content/articles/beta.md": minimal_article(TEXT, title="Beta"),
            "content/articles/beta.yaml": """\
                notes:
                  - kind: context
                    text: Repeated.
                    quote: was routine
                """,
            "content/sources/reuters.yaml": "title: Russian planes land\nkind: wire\n",
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:3:12: error: quote not found in content/articles/alpha.md\n"
        "  hint: copy the exact words from the article",
        "content/articles/alpha.yaml:6:12: error: quote not found in content/articles/alpha.md\n"
        '  hint: the closest passage is "Caracas"; copy the exact words from the article',
        "content/articles/beta.yaml:4:12: error: quote occurs 2 times in "
        "content/articles/beta.md\n"
        "  hint: add prefix: (the words just before) or suffix: (the words just after) "
        "to say which occurrence you mean",
    ]


def test_annotations_are_numbered_in_reading_order_with_stable_anchors(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                claims:
                  - id: visit-routine
                    quote: was routine
                    suffix: ", they said"
                    statement: The visit was routine.
                    rating: unverified
                    explanation: Only the officials say so.
                  - claim: visit-routine
                    quote: was routine
                    prefix: The visit
                notes:
                  - quote: Two Russian aircraft
                    kind: context
                    text: An An-124 and an Il-62.
                  - id: whole
                    kind: context
                    text: A note on the whole article.
                """,
        }
    )
    corpus_ = linked(root)
    annotations = [(a.number, a.anchor, a.quote, a.former) for a in corpus_.annotations["alpha"]]
    # A claim's first quote in the sidecar is c-<claim>, a later one adds the hash of its words
    # in context; a note without an id is the hash alone; the positional ids of earlier
    # versions stay as aliases where they name nothing else.
    assert annotations == [
        (1, "n-a17906", "Two Russian aircraft", "n-1"),
        (2, "c-visit-routine-660407", "was routine", ""),
        (3, "c-visit-routine", "was routine", "c-visit-routine-2"),
    ]
    notes = [(n.anchor, n.quoted, n.html) for n in corpus_.notes["alpha"]]
    assert notes == [
        ("n-a17906", True, "<p>An An-124 and an Il-62.</p>"),
        ("n-whole", False, "<p>A note on the whole article.</p>"),
    ]


def test_appearances_list_the_earliest_article_first(corpus):
    def article(title, date):
        return minimal_article(
            "About 100 Russian troops arrived in Caracas.", title=title, date=date
        )

    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/early.md": article("Early", "2019-03-24"),
            "content/articles/early.yaml": """\
                claims:
                  - claim: troops-arrived
                    quote: 100 Russian troops
                """,
            "content/articles/late.md": article("Late", "2019-03-30"),
            "content/articles/late.yaml": """\
                claims:
                  - id: troops-arrived
                    quote: About 100 Russian troops arrived
                    statement: About 100 Russian troops arrived in Caracas.
                    rating: unverified
                    explanation: Only the embassy says so.
                """,
        }
    )
    corpus_ = linked(root)
    assert corpus_.claims["troops-arrived"].defined_in == "late"
    assert [(a.article, a.quote) for a in corpus_.appearances["troops-arrived"]] == [
        ("early", "100 Russian troops"),
        ("late", "About 100 Russian troops arrived"),
    ]


MENTIONS_ARTICLE = minimal_article(
    """\
    Caracas welcomed Moscow. Caracas again, and [Caracas in a link](https://example.com).

    ## Later

    Caracas once more, and Moskva.
    """,
    title="Caracas and Moscow",
)

MENTIONS_ENTITIES = {
    "content/entities/example-times.yaml": PUBLISHER,
    "content/entities/caracas.yaml": """\
        type: place
        name: Caracas
        description: The capital of Venezuela.
        """,
    "content/entities/moscow.yaml": """\
        type: place
        name: Moscow
        aliases: [Moskva]
        description: The capital of Russia.
        """,
}


@pytest.mark.parametrize(
    ("policy", "linked_texts"),
    [
        ("first-per-section", ["Caracas", "Moscow", "Caracas", "Moskva"]),
        ("first-per-article", ["Caracas", "Moscow"]),
        ("all", ["Caracas", "Moscow", "Caracas", "Caracas", "Moskva"]),
        ("none", []),
    ],
)
def test_mentions_policy_decides_which_mentions_become_links(corpus, policy, linked_texts):
    root = corpus(
        {
            "site_config.yaml": CONFIG + f"mentions: {policy}\n",
            "content/articles/alpha.md": MENTIONS_ARTICLE,
            **MENTIONS_ENTITIES,
        }
    )
    mentions = linked(root).mentions["alpha"]
    # Every alias match outside a link is a mention; the one inside the link is not.
    assert [(m.entity, m.text) for m in mentions] == [
        ("caracas", "Caracas"),
        ("moscow", "Moscow"),
        ("caracas", "Caracas"),
        ("caracas", "Caracas"),
        ("moscow", "Moskva"),
    ]
    assert [m.text for m in mentions if m.linked] == linked_texts


def test_sidecar_mentions_suppress_an_entity_or_add_one(corpus):
    root = corpus(
        {
            "content/articles/alpha.md": MENTIONS_ARTICLE,
            "content/articles/alpha.yaml": """\
                mentions:
                  - entity: caracas
                    suppress: true
                  - entity: moscow
                    quote: welcomed
                """,
            **MENTIONS_ENTITIES,
        }
    )
    mentions = linked(root).mentions["alpha"]
    assert [(m.entity, m.text, m.anchor) for m in mentions] == [
        ("moscow", "welcomed", "m-moscow-a8479a"),
        ("moscow", "Moscow", "m-moscow-051154"),
        ("moscow", "Moskva", "m-moscow-a0ed14"),
    ]


def test_indexes_for_entities_sources_and_provenance(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/entities/caracas.yaml": """\
                type: place
                name: Caracas
                description: The capital of Venezuela.
                """,
            "content/sources/reuters.yaml": """\
                title: Russian planes land in Caracas
                kind: wire
                cites: [flight-data]
                """,
            "content/sources/flight-data.yaml": "title: Flight-tracking records\nkind: wire\n",
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                claims:
                  - id: aircraft-landed
                    quote: Two Russian aircraft landed
                    statement: Two Russian aircraft landed in Caracas.
                    rating: accurate
                    explanation: Flight data show them.
                    claimant: example-times
                    about: [caracas]
                    sources:
                      - source: flight-data
                        relation: supports
                citations:
                  - source: reuters
                    quote: on Saturday
                """,
        }
    )
    corpus_ = linked(root)
    assert corpus_.claims_by_entity == {
        "caracas": ("aircraft-landed",),
        "example-times": ("aircraft-landed",),
    }
    assert corpus_.claims_by_source == {"flight-data": ("aircraft-landed",)}
    assert corpus_.cited_by == {"flight-data": ("reuters",)}
    assert [a.quote for a in corpus_.citations_by_source["reuters"]] == ["on Saturday"]
    assert corpus_.articles_by_entity == {"caracas": ("alpha",), "example-times": ("alpha",)}
    assert corpus_.co_mentions == {
        "caracas": (("example-times", 1),),
        "example-times": (("caracas", 1),),
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The minister *Padrino* spoke.",
            "content/articles/alpha.yaml:3:12: error: mention quote runs across formatting in "
            "content/articles/alpha.md\n"
            "  hint: quote only words inside one piece of formatting, e.g. just the name",
        ),
        (
            "The [minister Padrino](https://example.com) spoke.",
            "content/articles/alpha.yaml:3:12: error: mention quote is inside a link in "
            "content/articles/alpha.md\n"
            "  hint: links cannot contain links: quote words outside the link, or remove this "
            "mention",
        ),
    ],
)
def test_a_mention_that_cannot_become_a_link_is_an_error(corpus, body, expected):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/entities/padrino.yaml": """\
                type: person
                name: Vladimir Padrino López
                description: Venezuela's defence minister.
                """,
            "content/articles/alpha.md": minimal_article(body),
            "content/articles/alpha.yaml": """\
                mentions:
                  - entity: padrino
                    quote: minister Padrino
                """,
        }
    )
    assert check(root) == [expected]
