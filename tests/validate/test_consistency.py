"""A claim's rating must agree with how its sources bear on it: each rating of the scale says, in
site_config.yaml, which source relations it requires and which it excludes, and `check` warns,
at the rating or at the offending relation, about a claim that breaks those terms.

Each test writes its whole corpus inline; the configuration is the shared minimal one with a
scale whose ratings declare their terms (the rule knows no rating ids of its own).
"""

from __future__ import annotations

from tests.helpers import CONFIG, PUBLISHER, check, minimal_article, write_corpus

SCALE = """\
    title: Test corpus
    base_url: https://example.org/corpus/
    language: en
    ratings:
      confirmed:
        label: Confirmed
        description: Independent evidence confirms it.
        requires: [supports]
        excludes: [refutes]
      contradicted:
        label: Contradicted
        description: Independent evidence contradicts it.
        requires: [refutes]
        excludes: [supports]
      split:
        label: Split
        description: Partly confirmed, partly contradicted.
        requires: [supports, refutes]
      as-stated:
        label: As stated
        description: What a source said; not checked.
        verdict: false
        requires: [origin]
      unchecked: {label: Unchecked, description: Not checked., verdict: false}
    entity_types:
      media: {label: Media outlet, plural: Media outlets}
    note_kinds:
      context: {label: Context}
    source_kinds:
      wire: {label: Wire service report}
      official: {label: Official statement}
    """

SOURCES = {
    "content/entities/example-times.yaml": PUBLISHER,
    "content/articles/alpha.md": minimal_article(),
    "content/sources/minister.yaml": "title: The minister's statement\nkind: official\n",
    "content/sources/wire.yaml": "title: A wire report\nkind: wire\n",
}


def corpus(tmp_path, claims: str, config: str = SCALE):
    return write_corpus(
        tmp_path,
        {
            "site_config.yaml": config,
            **SOURCES,
            "content/articles/alpha.yaml": "claims:\n" + claims,
        },
    )


def claim(rating: str, *sources: tuple[str, str]) -> str:
    lines = [
        "  - id: aircraft-landed",
        "    quote: Two aircraft landed in Caracas",
        "    statement: Two aircraft landed in Caracas.",
        f"    rating: {rating}",
        "    explanation: Checked.",
    ]
    if sources:
        lines.append("    sources:")
        for source, relation in sources:
            lines += [f"      - source: {source}", f"        relation: {relation}"]
    return "\n".join(lines) + "\n"


def test_a_confirming_rating_whose_only_source_refutes_it(tmp_path):
    root = corpus(tmp_path, claim("confirmed", ("wire", "refutes")))
    assert check(root) == [
        "content/articles/alpha.yaml:5:13: warning: claim 'aircraft-landed' is rated "
        "'confirmed', which needs a source that supports the claim, but has none (its sources: "
        "'wire' refutes)\n"
        "  hint: add the source the rating rests on with `relation: supports`, or choose the "
        "rating the sources bear out ('Confirmed' requires supports in site_config.yaml)",
        "content/articles/alpha.yaml:9:19: warning: claim 'aircraft-landed' is rated "
        "'confirmed', but its source 'wire' refutes the claim\n"
        "  hint: choose the rating this source bears out, or correct the relation if the "
        "source does not refute it ('Confirmed' excludes refutes in site_config.yaml)",
    ]


def test_a_rating_contradicting_a_source_among_others_is_located_at_that_source(tmp_path):
    root = corpus(tmp_path, claim("contradicted", ("wire", "refutes"), ("minister", "supports")))
    assert check(root) == [
        "content/articles/alpha.yaml:11:19: warning: claim 'aircraft-landed' is rated "
        "'contradicted', but its source 'minister' supports the claim\n"
        "  hint: choose the rating this source bears out, or correct the relation if the "
        "source does not support it ('Contradicted' excludes supports in site_config.yaml)",
    ]


def test_a_verdict_without_sources(tmp_path):
    """Both missing relations are reported at the rating (diagnostics sort by their text)."""
    root = corpus(tmp_path, claim("split"))
    assert check(root) == [
        "content/articles/alpha.yaml:5:13: warning: claim 'aircraft-landed' is rated 'split', "
        "which needs a source that refutes the claim, but has none (it lists no sources)\n"
        "  hint: add the source the rating rests on with `relation: refutes`, or choose the "
        "rating the sources bear out ('Split' requires refutes in site_config.yaml)",
        "content/articles/alpha.yaml:5:13: warning: claim 'aircraft-landed' is rated 'split', "
        "which needs a source that supports the claim, but has none (it lists no sources)\n"
        "  hint: add the source the rating rests on with `relation: supports`, or choose the "
        "rating the sources bear out ('Split' requires supports in site_config.yaml)",
    ]


def test_an_origin_is_no_support(tmp_path):
    """Where a claim comes from does not confirm it: a claim resting only on its origin cannot
    carry a confirming rating, and an attributed one needs its origin."""
    root = corpus(tmp_path, claim("confirmed", ("minister", "origin")))
    assert [line.split("\n")[0] for line in check(root)] == [
        "content/articles/alpha.yaml:5:13: warning: claim 'aircraft-landed' is rated "
        "'confirmed', which needs a source that supports the claim, but has none (its sources: "
        "'minister' origin)",
    ]
    root = corpus(tmp_path, claim("as-stated", ("wire", "context")))
    assert [line.split("\n")[0] for line in check(root)] == [
        "content/articles/alpha.yaml:5:13: warning: claim 'aircraft-landed' is rated "
        "'as-stated', which needs a source that is where the claim comes from (origin), but has "
        "none (its sources: 'wire' context)",
    ]


def test_claims_that_keep_their_ratings_terms_pass(tmp_path):
    claims = claim("split", ("wire", "supports"), ("minister", "refutes"))
    claims += (
        claim("as-stated", ("minister", "origin"), ("wire", "supports"))
        .replace("aircraft-landed", "minister-said")
        .replace("Two aircraft landed in Caracas\n", "on Saturday\n", 1)
    )
    claims += (
        claim("unchecked")
        .replace("aircraft-landed", "unchecked-claim")
        .replace("Two aircraft landed in Caracas\n", "Two aircraft\n", 1)
    )
    root = corpus(tmp_path, claims)
    assert check(root) == []


def test_a_scale_without_terms_checks_nothing(tmp_path):
    """The rule comes from the configuration: the shared minimal scale declares no terms."""
    root = corpus(tmp_path, claim("accurate", ("wire", "refutes")), config=CONFIG)
    assert check(root) == []


def test_an_appearance_is_not_checked_again(tmp_path):
    claims = claim("confirmed", ("wire", "refutes"))
    claims += "  - claim: aircraft-landed\n    quote: on Saturday\n"
    root = corpus(tmp_path, claims)
    assert len(check(root)) == 2


def test_the_terms_must_name_relations(tmp_path):
    config = SCALE.replace("requires: [refutes]", "requires: [refuted]")
    root = corpus(tmp_path, claim("unchecked"), config=config)
    assert check(root) == [
        "site_config.yaml:13:16: error: 'requires' value 'refuted' is not allowed\n"
        "  hint: did you mean 'refutes'?",
    ]
