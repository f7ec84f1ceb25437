"""How every JSON file of the open data is written, and the XML ones piece by piece."""

from __future__ import annotations

import io
import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import Any

from scholion import jsontext


class Items:
    """A JSON array encoded one item at a time, as the items are produced.

    The whole-corpus files (``data/corpus.json``, ``data/annotations.jsonld``) hold a record of
    every article, claim, annotation and mention: 1.9 GB of JSON at 100,000 articles. Built as
    one nested value, then one string, then bytes, they took several times that in memory, and
    the N = 100,000 build was killed for it. An ``Items`` in the data is never a list: each item
    is built, encoded and dropped in turn, so only the encoded bytes are held.

    Items are plain JSON data (records), never themselves holding an ``Items``: they are
    encoded :data:`BATCH` at a time by one call of the C encoder, the list's brackets cut off
    (at 10,000 articles a call per record was 700,000 calls, half of writing ``corpus.json``)."""

    def __init__(self, items: Iterable[Any]):
        self.items = items


BATCH = 256
"""Items of an :class:`Items` encoded at once: a few hundred kilobytes of text."""


def to_json(data: Any) -> bytes:
    """Stable JSON: the same corpus always gives the same bytes. Compact, because Python's JSON
    encoder is written in C only without ``indent``: indented, the open-data files took a tenth
    of a build (json.dumps, 8.6 of 100 s profiled at 1,000 articles). Browsers and ``jq``
    indent it for reading. :class:`Items` anywhere in ``data`` (in dictionaries) are encoded
    item by item, giving the bytes a list of the same items would."""
    buffer = io.BytesIO()  # not b"".join: that would keep every chunk until the end
    for chunk in _chunks(data):
        buffer.write(chunk)
    buffer.write(b"\n")
    return buffer.getvalue()


def _chunks(data: Any) -> Iterator[bytes]:
    if isinstance(data, Items):
        yield b"["
        items, separator = iter(data.items), b""
        while batch := list(itertools.islice(items, BATCH)):
            yield separator + _encode(batch)[1:-1]  # "[a,b]" less its brackets: "a,b"
            separator = b","
        yield b"]"
    elif isinstance(data, dict) and _has_items(data):
        yield b"{"
        for number, (key, value) in enumerate(data.items()):
            yield (b"," if number else b"") + _encode(str(key)) + b":"
            yield from _chunks(value)
        yield b"}"
    else:
        yield _encode(data)


def _has_items(data: dict[Any, Any]) -> bool:
    return any(
        isinstance(value, Items) or (isinstance(value, dict) and _has_items(value))
        for value in data.values()
    )


def _encode(data: Any) -> bytes:
    return jsontext.compact(data)


def xml_element(element: ET.Element, level: int) -> bytes:
    """``element`` as ElementTree writes it ``level`` deep in a tree indented by two spaces: the
    large XML files (GraphML, the OAI static repository) are written an element at a time, so
    that the whole tree is never held, with ElementTree's escaping and layout all the same."""
    ET.indent(element, level=level)
    element.tail = None
    return b"  " * level + ET.tostring(element, encoding="utf-8") + b"\n"


def escape_text(text: str) -> str:
    """``text`` as ElementTree escapes an element's text (``&``, ``<``, ``>``), for the files
    written as text rather than element by element."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


_ATTRIBUTE_ESCAPES = (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def escape_attribute(text: str) -> str:
    """``text`` as ElementTree escapes an attribute's value in double quotes."""
    text = escape_text(text)
    for character, reference in _ATTRIBUTE_ESCAPES:
        if character in text:
            text = text.replace(character, reference)
    return text
