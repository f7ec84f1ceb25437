"""Relations, claim links, narratives and authority ids: every mistake located, with its fix.

Each corpus is the shared minimal configuration (tests/helpers.py) plus two relation types.
"""

from __future__ import annotations

import pytest

from tests.helpers import CONFIG, PUBLISHER, check, minimal_article

RELATION_TYPES = """\
relation_types:
  member-of: {label: member of, inverse: has member, schema_org: memberOf}
  located-in: {label: located in, inverse: location of}
"""

SIDECAR = """\
    claims:
      - id: aircraft-landed
        quote: Two aircraft landed in Caracas
        statement: Two aircraft landed in Caracas.
        rating: accurate
        explanation: Flight data show them.
      - id: landed-on-saturday
        quote: on Saturday
        statement: They landed on Saturday.
        rating: accurate
        explanation: As reported.
    """


def files(**extra: str) -> dict[str, str]:
    return {
        "site_config.yaml": CONFIG + RELATION_TYPES,
        "content/entities/example-times.yaml": PUBLISHER,
        "content/entities/caracas.yaml": "type: place\nname: Caracas\ndescription: A city.\n",
        "content/sources/flight-data.yaml": "title: Flight data\nkind: wire\n",
        "content/articles/alpha.md": minimal_article(),
        "content/articles/alpha.yaml": SIDECAR,
        **{
            path.replace("__", "/").replace("_", "-") + ".yaml": text
            for path, text in extra.items()
        },
    }


def entity(relations: str) -> str:
    return "type: person\nname: Jane Doe\ndescription: A reporter.\nrelations:\n" + relations


def test_unknown_relation_type_entity_source_and_claim_are_located_with_a_suggestion(corpus):
    root = corpus(
        files(
            content__entities__jane_doe=entity(
                "  - type: member-off\n"
                "    entity: example-time\n"
                "    sources: [flight-dta]\n"
                "    claims: [aircraft-landd]\n"
            )
        )
    )
    assert check(root) == [
        "content/entities/jane-doe.yaml:5:11: error: unknown relation type 'member-off'\n"
        "  hint: did you mean 'member-of'?",
        "content/entities/jane-doe.yaml:6:13: error: unknown entity 'example-time'\n"
        "  hint: did you mean 'example-times'?",
        "content/entities/jane-doe.yaml:7:15: error: unknown source 'flight-dta'\n"
        "  hint: did you mean 'flight-data'?",
        "content/entities/jane-doe.yaml:8:14: error: unknown claim 'aircraft-landd'\n"
        "  hint: did you mean 'aircraft-landed'?",
    ]


def test_a_relation_type_without_relation_types_says_where_to_define_it(corpus):
    root = corpus(
        {
            **files(content__entities__jane_doe=entity("  - {type: works-for, entity: caracas}\n")),
            "site_config.yaml": CONFIG,
        }
    )
    assert check(root) == [
        "content/entities/jane-doe.yaml:5:12: error: unknown relation type 'works-for'\n"
        "  hint: define it in site_config.yaml under relation_types:",
    ]


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        ('from: 2019-03, to: "2019"', []),  # 2019 may be any day of 2019
        ("from: 2019-03-02, to: 2019-03", []),
        (
            "from: 2019-03, to: 2018-12-31",
            [
                "content/entities/jane-doe.yaml:5:65: error: the relation ends (2018-12-31) "
                "before it begins (2019-03)\n"
                "  hint: swap from: and to:, or correct the date"
            ],
        ),
        (
            "from: 2019-02-30",
            [
                "content/entities/jane-doe.yaml:5:52: error: 'from' value '2019-02-30' is not a "
                "date that exists: February 2019 has 28 days\n"
                "  hint: write a real date as YYYY-MM-DD (or YYYY-MM, or YYYY)",
            ],
        ),
    ],
)
def test_relation_dates_keep_their_precision_and_must_be_in_order(corpus, dates, expected):
    relation = f"  - {{type: member-of, entity: example-times, {dates}}}\n"
    root = corpus(files(content__entities__jane_doe=entity(relation)))
    assert check(root) == expected


def test_a_relation_to_itself_and_a_repeated_relation_are_errors(corpus):
    root = corpus(
        files(
            content__entities__jane_doe=entity(
                "  - {type: member-of, entity: jane-doe}\n"
                "  - {type: member-of, entity: example-times}\n"
                "  - {type: member-of, entity: example-times}\n"
            )
        )
    )
    assert check(root) == [
        "content/entities/jane-doe.yaml:5:31: error: an entity cannot be related to itself\n"
        "  hint: name another entity, or remove the relation",
        "content/entities/jane-doe.yaml:7:5: error: this relation is already given at line 6\n"
        "  hint: remove one of the two",
    ]


def test_claim_links_name_a_known_other_claim_of_a_known_type(corpus):
    sidecar = SIDECAR.replace(
        "        explanation: As reported.\n",
        "        explanation: As reported.\n"
        "        links:\n"
        "          - {type: rewords, claim: aircraft-landd}\n"
        "          - {type: contradict, claim: aircraft-landed}\n"
        "          - {type: follows-from, claim: landed-on-saturday}\n",
    )
    root = corpus({**files(), "content/articles/alpha.yaml": sidecar})
    assert check(root) == [
        "content/articles/alpha.yaml:13:32: error: unknown claim 'aircraft-landd'\n"
        "  hint: did you mean 'aircraft-landed'?",
        "content/articles/alpha.yaml:14:16: error: 'type' value 'contradict' is not allowed\n"
        "  hint: did you mean 'contradicts'?",
        "content/articles/alpha.yaml:15:37: error: a claim cannot be linked to itself\n"
        "  hint: name another claim, or remove the link",
    ]


def test_a_narrative_names_known_claims(corpus):
    narrative = "title: Troops\nsummary: A story.\nclaims: [aircraft-landd, landed-on-saturday]\n"
    root = corpus(files(content__narratives__troops=narrative))
    assert check(root) == [
        "content/narratives/troops.yaml:3:10: error: unknown claim 'aircraft-landd'\n"
        "  hint: did you mean 'aircraft-landed'?",
    ]


@pytest.mark.parametrize(
    ("scheme", "good", "bad"),
    [
        ("gnd", "118540238", "11854023"),
        ("gnd", "4005728-8", "4005728-"),
        ("geonames", "3646738", "0364"),
        ("viaf", "113230702", "VIAF113230702"),
        ("orcid", "0000-0002-1825-0097", "0000-0002-1825-009"),
        ("isni", "0000 0001 2103 2683", "0000 0001 2103 268"),
        ("isni", "000000012103268X", "000000012103268x"),
    ],
)
def test_each_authority_id_is_checked_by_its_pattern(corpus, scheme, good, bad):
    person = "type: person\nname: Jane Doe\ndescription: A reporter.\nauthorities:\n"
    root = corpus(files(content__entities__jane_doe=person + f"  {scheme}: '{good}'\n"))
    assert check(root) == []
    root = corpus(files(content__entities__jane_doe=person + f"  {scheme}: '{bad}'\n"))
    [problem] = check(root)
    assert problem.startswith(f"content/entities/jane-doe.yaml:5:{len(scheme) + 5}: error: ")


def test_an_unknown_authority_is_located_with_the_known_ones(corpus):
    person = "type: person\nname: Jane Doe\ndescription: A reporter.\nauthorities:\n  gdn: '1'\n"
    [problem] = check(corpus(files(content__entities__jane_doe=person)))
    assert problem.startswith("content/entities/jane-doe.yaml:5:3: error: ")
    assert "gnd" in problem
