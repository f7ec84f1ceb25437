"""Located YAML: data plus the line and column of every value and key, and strict parsing."""

from __future__ import annotations

import json
import pickle
import textwrap

import pytest
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from scholion.load import yamlsource
from scholion.load.yamlsource import Located, Mark, parse_yaml


def parse(text: str, line_offset: int = 0):
    located, diagnostics = parse_yaml(textwrap.dedent(text), "f.yaml", line_offset)
    return located, [d.format_text() for d in diagnostics]


def test_keeps_the_position_of_every_value_and_key():
    located, problems = parse(
        """\
        title: Alpha
        claims:
          - id: first
            about: [caracas, moscow]
        """
    )
    assert problems == []
    assert located.data == {
        "title": "Alpha",
        "claims": [{"id": "first", "about": ["caracas", "moscow"]}],
    }
    assert located.at(("title",)) == Mark(1, 8)
    assert located.key_at(("title",)) == Mark(1, 1)
    assert located.at(("claims", 0)) == Mark(3, 5)
    assert located.at(("claims", 0, "id")) == Mark(3, 9)
    assert located.key_at(("claims", 0, "about")) == Mark(4, 5)
    assert located.at(("claims", 0, "about", 1)) == Mark(4, 22)


def test_a_missing_path_falls_back_to_its_nearest_parent():
    located, _ = parse(
        """\
        claims:
          - id: first
        """
    )
    assert located.at(("claims", 0, "statement")) == Mark(2, 5)
    assert located.at(("nothing", "here")) == Mark(1, 1)


def test_line_offset_shifts_every_position():
    located, _ = parse("title: Alpha\n", line_offset=1)
    assert located.at(("title",)) == Mark(2, 8)


def test_dates_stay_the_text_the_contributor_typed():
    located, _ = parse(
        """\
        date: 2019-03-25
        title: 2019-03-25
        count: 12
        flag: yes
        empty: ~
        """
    )
    assert located.data == {
        "date": "2019-03-25",
        "title": "2019-03-25",
        "count": 12,
        "flag": True,
        "empty": None,
    }


def test_an_empty_document_is_an_empty_mapping():
    located, problems = parse("")
    assert (located.data, problems) == ({}, [])


def test_syntax_error_is_located_with_a_hint():
    located, problems = parse(
        """\
        type: place
        name: [Caracas
        description: The capital.
        """
    )
    assert located is None
    assert problems == [
        "f.yaml:3:12: error: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts at line 2, column 7)\n"
        "  hint: check the indentation and quoting on this line and the one before it"
    ]


def test_syntax_error_from_an_unquoted_colon_says_to_quote():
    _, problems = parse(
        """\
        type: place
        name: Caracas: the capital
        """
    )
    assert problems == [
        "f.yaml:2:14: error: YAML syntax error: mapping values are not allowed in this context\n"
        '  hint: a value containing ": " must be quoted, e.g. key: "a: b"'
    ]


def test_syntax_error_from_a_tab_says_to_indent_with_spaces():
    _, problems = parse("aliases:\n\t- Caracas\n")
    assert problems == [
        "f.yaml:2:1: error: YAML syntax error: found character that cannot start any token\n"
        "  hint: YAML does not allow tabs for indentation: indent with spaces"
    ]


def test_duplicate_key_names_both_lines():
    located, problems = parse(
        """\
        type: place
        name: Caracas
        description: The capital.
        name: Karakas
        """
    )
    assert located is None
    assert problems == [
        "f.yaml:4:1: error: duplicate key 'name' (first defined at line 2, column 1)\n"
        "  hint: a key may appear only once in a mapping: merge the two or delete one"
    ]


def test_duplicate_key_in_a_nested_mapping():
    _, problems = parse(
        """\
        claims:
          - id: a
            quote: x
            id: b
        """
    )
    assert problems == [
        "f.yaml:4:5: error: duplicate key 'id' (first defined at line 2, column 5)\n"
        "  hint: a key may appear only once in a mapping: merge the two or delete one"
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("!!python/object:os.system echo", "!!python/object:os.system"),
        ("!!python/object/apply:os.system [echo]", "!!python/object/apply:os.system"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!include other.yaml", "!include"),
    ],
)
def test_unsupported_tag_is_refused_as_written(value, shown):
    located, problems = parse(f"type: place\nname: {value}\n")
    assert located is None
    assert problems == [
        f"f.yaml:2:7: error: unsupported YAML tag '{shown}'\n"
        "  hint: content files hold plain data: remove the tag (write the value as text)"
    ]


def test_standard_scalar_tags_are_allowed():
    located, problems = parse("name: !!str 1984\n")
    assert (located.data, problems) == ({"name": "1984"}, [])


def test_merge_keys_are_refused():
    _, problems = parse(
        """\
        base: &base {type: place}
        <<: *base
        name: Caracas
        """
    )
    assert problems == [
        "f.yaml:2:1: error: YAML merge keys (<<) are not supported\n"
        "  hint: write the keys out in full"
    ]


def test_a_complex_key_is_refused():
    _, problems = parse("? [a, b]\n: c\n")
    assert problems == [
        "f.yaml:1:3: error: a mapping key must be a plain word\n"
        "  hint: use a simple key such as `title:`"
    ]


def test_a_recursive_alias_is_refused():
    _, problems = parse("aliases: &a [*a]\n")
    assert problems == [
        "f.yaml:1:10: error: recursive YAML alias\n  hint: an alias cannot contain itself"
    ]


def test_an_alias_bomb_stops_at_the_alias_that_crosses_the_limit(monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_ALIAS_VALUES", 50)
    _, problems = parse(
        """\
        a: &a [x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        """
    )
    # Each *a repeats 11 values (the list and its ten items): the fifth takes the total past 50.
    assert problems == [
        "f.yaml:2:24: error: the aliases expand the document to more than 50 values "
        "(*a alone stands for 11)\n"
        "  hint: an alias (*name) repeats everything under its anchor (&name): "
        "write the values out or remove the nested aliases"
    ]


def test_values_written_out_do_not_count_towards_the_alias_limit(monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_ALIAS_VALUES", 5)
    located, problems = parse("a: &a [x, y]\nb: *a\nc: [1, 2, 3, 4, 5, 6, 7, 8]\n")
    assert problems == []
    assert located.data["b"] == ["x", "y"]


@pytest.mark.parametrize("escape", ["\\x01", "\\x0b", "\\u007f", "\\x85", "\\uffff"])
def test_a_character_no_page_or_feed_can_carry_is_refused_where_it_is_written(escape):
    """Written as an escape in double quotes, YAML accepts it; an Atom feed or GraphML file
    holding it would not be well-formed XML, so it is a located error here."""
    text = f'title: fine\nstatement: "Two{escape} aircraft"\n'
    _, problems = parse_yaml(text, "x.yaml")
    assert [(d.line, d.col) for d in problems] == [(2, 12)]
    assert "cannot appear on a page or in a feed" in problems[0].message


def test_a_lone_surrogate_is_refused_at_its_line():
    _, problems = parse_yaml('title: fine\nstatement: "Two\\ud800 aircraft"\n', "x.yaml")
    assert [d.line for d in problems if d.is_error] == [2]


def test_tabs_and_line_breaks_in_an_escape_are_kept():
    located, problems = parse_yaml('statement: "a\\tb\\nc"\n', "x.yaml")
    assert problems == [] and located is not None
    assert located.data["statement"] == "a\tb\nc"


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(st.characters(exclude_categories=("Cs", "Cc", "Co", "Cn"))),
    st.sampled_from(["no", "0123", "~", "2019-03-25", "0x1F", "1e3", ".inf", "-.inf", "yes"]),
)
_PLAIN = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(data=_PLAIN, flow=st.booleans(), line_offset=st.integers(0, 3))
def test_data_kept_as_json_with_its_text_is_the_document_parsed_again(data, flow, line_offset):
    """What the build cache keeps of a parsed file is its data as JSON; the positions come from
    parsing its text again when a diagnostic asks. Both must be exactly what parsing gives."""
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=True)
    parsed, problems = parse_yaml(text, "f.yaml", line_offset)
    assume(parsed is not None and not problems)
    kept = Located.deferred(json.loads(json.dumps(parsed.data)), text, line_offset)
    assert not kept.parsed and parsed.parsed
    assert kept.data == parsed.data
    assert kept == parsed  # data and every position, found again from the text
    for path in [*parsed.values, ("not", "there")]:
        assert kept.at(path) == parsed.at(path) and kept.key_at(path) == parsed.key_at(path)
    assert pickle.loads(pickle.dumps(kept)) == parsed  # as a worker hands it to the parent


def test_a_deferred_document_parses_its_text_only_when_a_position_is_asked_for(monkeypatch):
    text = "title: Alpha\nclaims:\n  - id: first\n"
    parsed, _ = parse_yaml(text, "f.yaml", 1)
    kept = Located.deferred(parsed.data, text, 1)
    built = []
    build = yamlsource._Builder.build
    monkeypatch.setattr(
        yamlsource._Builder, "build", lambda self, node: built.append(1) or build(self, node)
    )
    assert kept.data["claims"][0]["id"] == "first" and built == []
    assert kept.at(("claims", 0, "id")) == Mark(4, 9)
    assert kept.key_at(("title",)) == Mark(2, 1) and kept.raw == {}
    assert built == [1]  # once, however many positions are asked for
