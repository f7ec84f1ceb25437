"""The schemas' references put in place before validating report exactly what resolving each
``$ref`` as validation meets it reports, for any document of any kind."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import ValidationError
from referencing import Registry, Resource

from scholion.validate.schema import (
    SCHEMA_FILES,
    _schemas,
    _Validator,
    inline_references,
    validator_for,
)


@functools.cache
def resolving_validator_for(kind: str) -> _Validator:
    """The schema as written, each ``$ref`` resolved as validation meets it: how the check
    validated before the references were put in place, kept here as the reference."""
    schemas = _schemas()
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema)) for name, schema in schemas.items()
    )
    return _Validator(schemas[SCHEMA_FILES[kind]], registry=registry)


def _property_names(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        yield from node.get("properties", {})
        for value in node.values():
            yield from _property_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _property_names(item)


NAMES = [*sorted(set(_property_names(list(_schemas().values())))), "nonsense", "Claims"]
_leaf = (
    st.none()
    | st.booleans()
    | st.integers(-200, 3000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(
        [
            "an-id",
            "An Id",
            "x\n",
            "2019-03-24",
            "2019-02-30",
            "0000",
            "https://example.org/a",
            "javascript:alert(1)",
            "en",
            "claim",
            "supports",
            "",
            "accurate",
            "person",
        ]
    )
    | st.text(max_size=8)
)
_values = st.recursive(
    _leaf,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(NAMES), inner),
    max_leaves=12,
)
_documents = st.dictionaries(st.sampled_from(NAMES), _values, max_size=6)


def _reported(errors: Iterator[ValidationError]) -> list[tuple]:
    """What the check reads of each error, its context's errors included."""
    found = []
    for error in errors:
        schema = error.schema if isinstance(error.schema, dict) else {}
        found.append(
            (
                error.message,
                tuple(error.absolute_path),
                str(error.validator),
                # a keyword whose value holds subschemas holds them inlined on one side, as
                # "$ref"s on the other: what the check reads of it is compared below
                json.dumps(error.validator_value, sort_keys=True, default=str)
                if error.validator not in ("properties", "$defs", "items", "prefixItems")
                else None,
                sorted(schema.get("properties", {})),
                schema.get("description", ""),
                _reported(iter(error.context or ())),
            )
        )
    return found


@pytest.mark.parametrize("kind", sorted(SCHEMA_FILES))
@settings(max_examples=60, deadline=None)
@given(document=_documents)
def test_inlined_references_report_what_resolving_them_reports(kind, document):
    inlined = _reported(validator_for(kind).iter_errors(document))
    resolved = _reported(resolving_validator_for(kind).iter_errors(document))
    assert inlined == resolved


def test_no_reference_is_left_and_a_cycle_is_refused():
    for name in SCHEMA_FILES.values():
        assert "$ref" not in json.dumps(inline_references(_schemas(), name))
    looping = {"a.json": {"$defs": {"x": {"items": {"$ref": "#/$defs/x"}}}, "$ref": "#/$defs/x"}}
    with pytest.raises(ValueError, match="cycle"):
        inline_references(looping, "a.json")
