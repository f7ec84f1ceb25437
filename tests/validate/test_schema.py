"""Schema diagnostics: every key checked against schemas/, with messages a contributor can act on.

Each test writes its whole corpus inline (plus the shared minimal site_config.yaml from
tests/helpers.py) and asserts the diagnostics exactly as ``build.py check`` prints them.
"""

from __future__ import annotations

from tests.helpers import CONFIG, PUBLISHER, check, minimal_article

ARTICLE = minimal_article()


def test_unknown_key_suggests_the_closest_known_key(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": """\
                type: place
                naem: Caracas
                description: The capital of Venezuela.
                """
        }
    )
    assert check(root) == [
        "content/entities/caracas.yaml:1:1: error: missing required key 'name'\n"
        "  hint: add `name:` (The name to show.)",
        "content/entities/caracas.yaml:2:1: error: unknown key 'naem'\n"
        "  hint: did you mean 'name'?",
    ]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(corpus):
    root = corpus(
        {
            "content/sources/reuters.yaml": """\
                title: Russian planes land in Caracas
                kind: wire
                colour: blue
                """
        }
    )
    assert check(root) == [
        "content/sources/reuters.yaml:3:1: error: unknown key 'colour'\n"
        "  hint: allowed keys: archive_url, author, cites, date, description, evidence, kind, "
        "publisher, retrieved, title, url"
    ]


def test_unknown_key_in_front_matter_is_located_in_the_markdown_file(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": """\
                ---
                title: Aircraft land in Caracas
                date: 2019-03-24
                publisher: example-times
                language: en
                rights: © Example Times.
                author: Jane Doe
                ---
                Two aircraft landed in Caracas on Saturday.
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.md:7:1: error: unknown key 'author'\n"
        "  hint: did you mean 'authors'?"
    ]


def test_unknown_key_in_a_claim_is_located_in_the_sidecar(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                claims:
                  - id: aircraft-landed
                    quote: Two aircraft landed in Caracas
                    statment: Two aircraft landed in Caracas.
                    rating: accurate
                    explanation: Flight data show them.
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:2:5: error: missing required key 'statement' in 'claims'\n"
        "  hint: add `statement:` (The claim as one neutral, checkable sentence.)",
        "content/articles/alpha.yaml:4:5: error: unknown key 'statment' in 'claims'\n"
        "  hint: did you mean 'statement'?",
    ]


def test_a_claim_appearance_takes_only_claim_quote_prefix_and_suffix(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                claims:
                  - id: aircraft-landed
                    quote: Two aircraft landed in Caracas
                    statement: Two aircraft landed in Caracas.
                    rating: accurate
                    explanation: Flight data show them.
                  - claim: aircraft-landed
                    quote: on Saturday
                    rating: accurate
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:9:5: error: unknown key 'rating' in 'claims'\n"
        "  hint: allowed keys: claim, prefix, quote, suffix"
    ]


def test_unknown_key_in_site_config(corpus):
    root = corpus({"site_config.yaml": CONFIG + "titel: Another title\n"})
    assert check(root) == [
        "site_config.yaml:17:1: error: unknown key 'titel'\n  hint: did you mean 'title'?"
    ]


def test_missing_required_key_is_reported_at_the_start_of_its_mapping(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": """\
                type: place
                name: Caracas
                """
        }
    )
    assert check(root) == [
        "content/entities/caracas.yaml:1:1: error: missing required key 'description'\n"
        "  hint: add `description:` (One neutral line on who or what this is.)"
    ]


def test_unquoted_no_where_text_is_expected_says_to_quote_it(corpus):
    root = corpus(
        {
            "content/entities/norway.yaml": """\
                type: place
                name: Norway
                description: The country.
                aliases: [Norge, no]
                """
        }
    )
    assert check(root) == [
        "content/entities/norway.yaml:4:18: error: 'aliases' must be text, but YAML read no as "
        "false\n"
        "  hint: YAML reads unquoted yes, no, on, off, true and false as true or false: "
        'write "no" instead of no'
    ]


def test_unquoted_no_in_front_matter_says_to_quote_it(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": """\
                ---
                title: Aircraft land in Caracas
                date: 2019-03-24
                publisher: example-times
                language: en
                rights: no
                ---
                Two aircraft landed in Caracas on Saturday.
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.md:6:9: error: 'rights' must be text, but YAML read no as false\n"
        "  hint: YAML reads unquoted yes, no, on, off, true and false as true or false: "
        'write "no" instead of no'
    ]


def test_unquoted_digits_and_empty_values_say_to_quote_them(corpus):
    root = corpus(
        {
            "content/sources/report.yaml": """\
                title: 1984
                kind: wire
                author:
                """
        }
    )
    assert check(root) == [
        "content/sources/report.yaml:1:8: error: 'title' must be text, but YAML read 1984 as "
        "the number 1984\n"
        '  hint: YAML reads unquoted digits as a number: write "1984" instead of 1984',
        "content/sources/report.yaml:3:8: error: 'author' must be text, but YAML read it as null\n"
        "  hint: YAML reads an empty value or ~ as null: put the value in quotes, "
        'e.g. author: "…"',
    ]


def test_wrong_shape_names_what_was_expected(corpus):
    root = corpus(
        {
            "content/entities/caracas.yaml": """\
                type: place
                name: Caracas
                description: The capital of Venezuela.
                aliases: Karakas
                """
        }
    )
    assert check(root) == [
        "content/entities/caracas.yaml:4:10: error: 'aliases' must be a list, not text\n"
        "  hint: Other forms as they appear in texts, in any script; used to find mentions."
    ]


def test_a_file_that_is_not_a_mapping(corpus):
    root = corpus({"content/entities/caracas.yaml": "- Caracas\n- Moscow\n"})
    assert check(root) == [
        "content/entities/caracas.yaml:1:1: error: 'document' must be a mapping, not a list\n"
        "  hint: see the schema in schemas/"
    ]


def test_bad_id_pattern_suggests_a_valid_id(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                claims:
                  - id: Aircraft_Landed
                    quote: Two aircraft landed in Caracas
                    statement: Two aircraft landed in Caracas.
                    rating: accurate
                    explanation: Flight data show them.
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:2:9: error: 'id' value 'Aircraft_Landed' is not a valid id\n"
        "  hint: use lower-case letters a-z, digits and single hyphens, e.g. aircraft-landed"
    ]


def test_enum_suggests_the_closest_allowed_value(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/sources/reuters.yaml": "title: Russian planes land\nkind: wire\n",
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": """\
                claims:
                  - id: aircraft-landed
                    quote: Two aircraft landed in Caracas
                    statement: Two aircraft landed in Caracas.
                    rating: accurate
                    explanation: Flight data show them.
                    sources:
                      - source: reuters
                        relation: support
                """,
        }
    )
    assert check(root) == [
        "content/articles/alpha.yaml:9:19: error: 'relation' value 'support' is not allowed\n"
        "  hint: did you mean 'supports'?"
    ]


def test_enum_without_a_close_match_lists_the_allowed_values(corpus):
    root = corpus({"site_config.yaml": CONFIG + "mentions: every\n"})
    assert check(root) == [
        "site_config.yaml:17:11: error: 'mentions' value 'every' is not allowed\n"
        "  hint: use one of: first-per-section, first-per-article, all, none"
    ]


def test_pattern_errors_quote_the_field_description(corpus):
    root = corpus(
        {
            "content/sources/reuters.yaml": """\
                title: Russian planes land in Caracas
                kind: wire
                date: 24 March 2019
                url: example.com/reuters
                """
        }
    )
    assert check(root) == [
        "content/sources/reuters.yaml:3:7: error: 'date' value '24 March 2019' is not in the "
        "expected form\n"
        "  hint: A date as YYYY-MM-DD (or YYYY-MM, or YYYY).",
        "content/sources/reuters.yaml:4:6: error: 'url' value 'example.com/reuters' is not in "
        "the expected form\n"
        "  hint: An absolute http(s) URL.",
    ]


def test_empty_text_and_numbers_out_of_range(corpus):
    root = corpus(
        {
            "site_config.yaml": CONFIG + "page_size: 5\n",
            "content/pages/about.md": """\
                ---
                title: ""
                nav_order: first
                ---
                About this corpus.
                """,
        }
    )
    assert check(root) == [
        "content/pages/about.md:2:8: error: 'title' must not be empty\n"
        "  hint: write a value between the quotes, or remove the key if it is optional",
        "content/pages/about.md:3:12: error: 'nav_order' must be a whole number, not text\n"
        "  hint: Position in the site navigation; pages without one are not in the menu.",
        "site_config.yaml:17:12: error: 'page_size' must be at least 10, not 5\n"
        "  hint: How many records an index page lists before it paginates.",
    ]


def test_vocabulary_keys_must_be_ids(corpus):
    config = CONFIG.replace(
        "  wire: {label: Wire service report}", "  Wire: {label: Wire service report}"
    )
    root = corpus({"site_config.yaml": config})
    assert check(root) == [
        "site_config.yaml:15:3: error: 'source_kinds' value 'Wire' is not a valid id\n"
        "  hint: use lower-case letters a-z, digits and single hyphens, e.g. wire"
    ]


def test_the_search_shard_size_is_a_whole_number_of_at_least_one(corpus):
    root = corpus({"site_config.yaml": CONFIG + "search:\n  shard_pages: 0\n"})
    assert check(root) == [
        "site_config.yaml:18:16: error: 'shard_pages' must be at least 1, not 0\n"
        "  hint: A site of more pages than this is indexed in shards of about this many pages, "
        "one Pagefind process each, merged by the search page (default 3000)."
    ]


def test_a_date_that_does_not_exist_is_refused_wherever_it_is(corpus):
    """Every date is formatted for readers: one that passed the check but does not exist (30
    February, year 0) made the build fail with a traceback."""
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(date="2023-02-30"),
            "content/articles/alpha.yaml": """\
                corrections:
                  - date: 2023-04-31
                    text: Corrected the date.
                """,
            "content/sources/reuters.yaml": """\
                title: Russian planes land in Caracas
                kind: wire
                date: "0000"
                """,
        }
    )
    hint = "  hint: write a real date as YYYY-MM-DD (or YYYY-MM, or YYYY)"
    assert check(root) == [
        "content/articles/alpha.md:3:7: error: 'date' value '2023-02-30' is not a date that "
        f"exists: February 2023 has 28 days\n{hint}",
        "content/articles/alpha.yaml:2:11: error: 'date' value '2023-04-31' is not a date that "
        f"exists: April 2023 has 30 days\n{hint}",
        "content/sources/reuters.yaml:3:7: error: 'date' value '0000' is not a date that "
        f"exists: years start at 0001\n{hint}",
    ]


def test_real_dates_of_every_precision_pass(corpus):
    root = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(date="2024-02-29"),
            "content/sources/reuters.yaml": """\
                title: Russian planes land in Caracas
                kind: wire
                date: 2019-12
                """,
        }
    )
    assert check(root) == []


def test_an_oai_block_needs_an_administrators_address(corpus):
    root = corpus(
        {
            "site_config.yaml": CONFIG
            + "oai:\n  admin_email: data at example.org\n  gateway: gateway.example.net/oai/\n"
        }
    )
    assert check(root) == [
        "site_config.yaml:18:16: error: 'admin_email' value 'data at example.org' is not in the "
        "expected form\n"
        "  hint: The e-mail address of the repository's administrator (OAI-PMH adminEmail), "
        "e.g. data@example.org.",
        "site_config.yaml:19:12: error: 'gateway' value 'gateway.example.net/oai/' is not in "
        "the expected form\n"
        "  hint: The base URL of the OAI Static Repository Gateway that harvesters reach the "
        "file through, with a trailing slash, e.g. https://gateway.example.net/oai/. Without "
        "it, the file names its own URL as baseURL.",
    ]
