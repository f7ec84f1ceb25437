"""JSON text written through orjson: the open data, the pages' JSON-LD and the build cache.

At 10,000 articles ``data/corpus.json`` is 192 MB and ``data/annotations.jsonld`` 119 MB, both
written again whenever a claim changes. Python's own encoder (in C) took 2.6 s for each of the
two, orjson 0.9 s, byte for byte the same. JSON is still read with Python's decoder: orjson's
reads an integer beyond 64 bits as a float, and was only a sixth faster on the build cache's
values (3.3 → 2.7 s for all 77,000 at 10,000 articles).

:func:`compact` writes what ``json.dumps(data, ensure_ascii=False, separators=(",", ":"))``
writes, with two differences, both valid JSON that reads back as the same values: a float below
0.0001 in decimals rather than with an exponent (``0.00001``, not ``1e-05``), and a float that is
not a number (never in the corpus: validation refuses YAML's ``.nan``) as ``null``. What orjson
refuses (an integer beyond 64 bits, a key that is not text, text that is not valid Unicode) is
left to Python's encoder, which writes it or raises as it always did.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME
"""Records and dates are not JSON data to Python's encoder: refused, not written as objects."""


def compact(data: Any) -> bytes:
    """``data`` as compact JSON in UTF-8, without spaces; text as it is, not ``\\u`` escaped."""
    try:
        return orjson.dumps(data, option=_OPTIONS)
    except orjson.JSONEncodeError:
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def stored(data: Any) -> str:
    """``data`` as JSON text for the build cache: :func:`compact`, or, for what orjson refuses,
    Python's encoder with every character beyond ASCII escaped, so that even a lone surrogate
    (which YAML's ``"\\ud800"`` can make) is text SQLite can hold."""
    try:
        return orjson.dumps(data, option=_OPTIONS).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(data)
