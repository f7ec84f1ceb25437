"""Typed records as JSON and back: exactly the record, or a refusal, never a record of another
shape."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholion.diagnostics import Diagnostic
from scholion.incremental.codec import Mismatch, decode, encoded
from scholion.model import Annotation, Claim, Correction, Entity, Mention, Note, Source

RECORDS = [Annotation, Note, Mention, Claim, Correction, Diagnostic, Entity, Source]


@given(st.one_of([st.from_type(kind) for kind in RECORDS]))
def test_a_record_comes_back_from_its_json_as_it_was(record):
    text = json.dumps(encoded(record))
    back = decode(type(record), json.loads(text))
    assert json.dumps(encoded(back)) == text
    assert back == record or "NaN" in text  # a place at NaN degrees is itself, but not equal


@given(st.lists(st.from_type(Claim), max_size=3).map(tuple))
def test_tuples_of_records_come_back(claims):
    assert decode(tuple[Claim, ...], json.loads(json.dumps(encoded(claims)))) == claims


CLAIM = Claim("c", "Said.", "false", "<p>No.</p>", None, ("caracas",), (), "a.yaml")


@pytest.mark.parametrize(
    "damage",
    [
        lambda v: v[:-1],  # a field missing
        lambda v: [*v, "more"],  # one too many
        lambda v: [1, *v[1:]],  # a number for text
        lambda v: [*v[:4], 7, *v[5:]],  # a number for text or nothing
        lambda v: [*v[:5], "caracas", *v[6:]],  # text for a tuple
        lambda v: [*v[:6], [["s", "supports"]], *v[7:]],  # a source of two fields
        lambda v: dict(enumerate(v)),
        lambda v: None,
    ],
)
def test_a_value_of_another_shape_is_refused(damage):
    value = encoded(CLAIM)
    assert decode(Claim, value) == CLAIM
    with pytest.raises(Mismatch):
        decode(Claim, damage(json.loads(json.dumps(value))))


def test_flags_and_numbers_are_not_confused():
    mention = Mention("caracas", "a", "m-1", 3, 10, "in ", "Caracas", ".", True)
    value = encoded(mention)
    assert decode(Mention, value) == mention
    for wrong in ([*value[:3], True, *value[4:]], [*value[:8], 1, *value[9:]]):
        with pytest.raises(Mismatch):
            decode(Mention, wrong)


def test_severity_is_one_of_its_values():
    value = encoded(Diagnostic("a.yaml", 1, 2, "warning", "m", "h"))  # type: ignore[arg-type]
    assert value[3] == "warning"
    with pytest.raises(Mismatch):
        decode(Diagnostic, [*value[:3], "fatal", *value[4:]])
