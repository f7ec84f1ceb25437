"""The reader's views the link stage adds (scholion/link/joins.py): figures per article, provenance
trees, an entity's roles, and its mentions by article and over time.

Each test writes its whole corpus inline (plus the shared minimal site_config.yaml from
tests/helpers.py: ratings accurate, unverified; entity types person, media, place).
"""

from __future__ import annotations

from scholion.model import ArticleStats, Provenance
from tests.helpers import minimal_article
from tests.test_corpus import linked

TIMES = "type: media\nname: Example Times\ndescription: A daily newspaper.\n"
POST = "type: media\nname: Daily Post\ndescription: A tabloid.\n"
CARACAS = "type: place\nname: Caracas\naliases: [Karakas]\ndescription: A capital.\n"
JANE = "type: person\nname: Jane Doe\ndescription: A reporter.\n"


def article(date: str, publisher: str, body: str) -> str:
    return minimal_article(
        body, title=f"On {date}", date=date, publisher=publisher, authors="[jane-doe]"
    )


def source(title: str, cites: str = "[]", publisher: str = "") -> str:
    extra = f"publisher: {publisher}\n" if publisher else ""
    return f"title: {title}\nkind: wire\ncites: {cites}\n{extra}"


def test_article_figures_count_claims_by_rating_in_scale_order(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": TIMES,
            "content/entities/jane-doe.yaml": JANE,
            "content/articles/alpha.md": article(
                "2019-03-24", "example-times", "One two three. Four five six. Seven eight."
            ),
            "content/articles/alpha.yaml": """\
                claims:
                  - {id: a, quote: One two, statement: A., rating: unverified, explanation: X.}
                  - {id: b, quote: Four five, statement: B., rating: accurate, explanation: X.}
                  - {id: c, quote: Seven, statement: C., rating: unverified, explanation: X.}
                notes:
                  - {kind: context, quote: three, text: Note.}
                  - {kind: context, text: On the whole article.}
                """,
        }
    )
    assert linked(root).stats == {
        "alpha": ArticleStats(
            claims=3, notes=2, citations=0, ratings=(("accurate", 1), ("unverified", 2))
        )
    }


def test_provenance_is_a_tree_that_stops_at_a_cycle(corpus):
    root = corpus(
        {
            "content/sources/report.yaml": source("Report", "[wire, data]"),
            "content/sources/wire.yaml": source("Wire", "[data, report]"),
            "content/sources/data.yaml": source("Data"),
        }
    )
    provenance = linked(root).provenance
    assert provenance["report"] == (Provenance("wire", (Provenance("data", ()),)),)
    assert provenance["wire"] == (
        Provenance("data", ()),
        Provenance("report", ()),  # report cites wire again: the chain ends here
    )
    assert "data" not in provenance


def test_an_entity_s_mentions_by_article_and_over_time_and_its_roles(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": TIMES,
            "content/entities/daily-post.yaml": POST,
            "content/entities/caracas.yaml": CARACAS,
            "content/entities/jane-doe.yaml": JANE,
            "content/articles/early.md": article(
                "2019-03-24", "example-times", "Caracas at dawn.\n\n## Later\n\nKarakas at dusk."
            ),
            "content/articles/late.md": article("2019-04", "daily-post", "Caracas again."),
            "content/articles/late.yaml": """\
                claims:
                  - id: c
                    quote: Caracas again
                    statement: Again.
                    rating: accurate
                    explanation: X.
                    claimant: daily-post
                    about: [caracas]
                """,
            "content/sources/wire.yaml": source("Wire", publisher="example-times"),
        }
    )
    corpus_ = linked(root)
    groups = corpus_.mention_groups["caracas"]
    assert [(g.article, [m.text for m in g.mentions]) for g in groups] == [
        ("early", ["Caracas", "Karakas"]),
        ("late", ["Caracas"]),
    ]
    assert corpus_.mention_periods["caracas"] == (("2019-03", 2), ("2019-04", 1))
    assert corpus_.claims_about == {"caracas": ("c",)}
    assert corpus_.claims_by_claimant == {"daily-post": ("c",)}
    assert corpus_.claims_by_rating == {"accurate": ("c",)}
    assert corpus_.articles_by_publisher == {"daily-post": ("late",), "example-times": ("early",)}
    assert corpus_.articles_by_author == {"jane-doe": ("late", "early")}
    assert corpus_.sources_by_publisher == {"example-times": ("wire",)}


def test_an_entity_named_only_in_a_headline_counts_that_article(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": TIMES,
            "content/entities/caracas.yaml": CARACAS,
            "content/articles/headline.md": minimal_article(
                "Two aircraft landed on Saturday.", title="Aircraft land in Caracas"
            ),
            "content/articles/other.md": minimal_article(
                "Nothing about it here.", title="Another day"
            ),
        }
    )
    corpus_ = linked(root)
    assert corpus_.articles["headline"].title_entities == ("caracas",)
    assert corpus_.articles_by_entity["caracas"] == ("headline",)
    assert "caracas" not in corpus_.mentions_by_entity  # no passage names it: no mention
