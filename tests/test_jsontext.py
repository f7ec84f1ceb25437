"""JSON written through orjson gives what Python's encoder gave, and reads back the same."""

import dataclasses
import datetime
import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholion import jsontext

_TEXT = st.text(st.characters(exclude_categories=("Cs",)))  # every character but surrogates
_INT = st.integers(-(2**63), 2**64 - 1)
_FLOAT = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: f == 0 or abs(f) >= 1e-4)
_JSON = st.recursive(
    st.none() | st.booleans() | _INT | _FLOAT | _TEXT,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(_TEXT, inner, max_size=4)
    ),
    max_leaves=20,
)


def _python(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@given(_JSON)
def test_compact_writes_what_pythons_encoder_wrote(data: object) -> None:
    assert jsontext.compact(data) == _python(data)


@given(_JSON | st.floats(allow_nan=False, allow_infinity=False))
def test_what_is_written_reads_back_as_the_same_value(data: object) -> None:
    as_read = json.loads(json.dumps(data))  # tuples read back as lists
    assert json.loads(jsontext.compact(data)) == as_read
    assert json.loads(jsontext.stored(data)) == as_read


def test_small_floats_are_written_in_decimals_and_nan_as_null() -> None:
    assert jsontext.compact([0.00001, 1e16, 1.5]) == b"[0.00001,1e+16,1.5]"
    assert jsontext.compact(math.nan) == b"null"


@pytest.mark.parametrize("data", [2**64, {1: "a", None: "b"}, [-(2**70)]])
def test_what_orjson_refuses_is_written_by_pythons_encoder(data: object) -> None:
    assert jsontext.compact(data) == _python(data)
    assert jsontext.stored(data) == json.dumps(data)


def test_a_lone_surrogate_is_refused_in_utf8_and_escaped_for_the_cache() -> None:
    with pytest.raises(UnicodeEncodeError):
        jsontext.compact({"text": "a\ud800b"})
    kept = jsontext.stored({"text": "a\ud800b"})
    assert kept.isascii() and json.loads(kept) == {"text": "a\ud800b"}


def test_records_and_dates_are_not_json_data() -> None:
    @dataclasses.dataclass
    class Record:
        value: int

    with pytest.raises(TypeError):
        jsontext.compact(Record(1))
    with pytest.raises(TypeError):
        jsontext.stored({"when": datetime.date(2019, 3, 24)})
