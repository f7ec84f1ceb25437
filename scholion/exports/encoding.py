"""How every JSON file of the open data is written, and the XML ones piece by piece."""

from __future__ import annotations

import io
import itertools
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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


def encode_items(items: Iterable[Any]) -> bytes:
    """``items`` encoded as the inside of a JSON array (no brackets)."""
    buffer = io.BytesIO()
    _write_items(buffer, items)
    return buffer.getvalue()


def _write_items(buffer: io.BytesIO, items: Iterable[Any]) -> None:
    """``items`` written as the inside of a JSON array, :data:`BATCH` at a time by one call of
    the C encoder each."""
    separator, items = b"", iter(items)
    while batch := list(itertools.islice(items, BATCH)):
        buffer.write(separator + _encode(batch)[1:-1])  # "[a,b]" less its brackets: "a,b"
        separator = b","


@dataclass(frozen=True)
class Keyed:
    """Each key's items in turn: ``make(source, key)`` gives one key's items (records),
    ``source`` being what they are made from (the corpus); by default a JSON array's items
    (``encode`` writes a run's items, ``separator`` goes between two runs: a CSV table's rows
    have their own).

    Like :class:`Items`, never held whole; unlike it, made a run of keys at a time
    (:func:`runs`), each run encoded by :class:`Pieces`: made afresh, or, in an incremental
    build, taken from the last build's file where nothing the run reads has changed
    (:mod:`scholion.exports.pieces`). ``section`` names the run's records among the file's."""

    section: str
    keys: Sequence[str]
    source: Any
    make: Callable[[Any, str], Iterable[Any]]
    encode: Callable[[Iterable[Any]], bytes] = encode_items
    separator: bytes = b","

    def made(self, source: Any, keys: Sequence[str]) -> bytes:
        """The run of ``keys`` made from ``source``, encoded."""
        return self.encode(item for key in keys for item in self.make(source, key))


class Pieces(Protocol):
    """What gives the encoded items of one run of a :class:`Keyed`'s keys, placed ``at`` that
    byte of the file."""

    def piece(self, keyed: Keyed, keys: Sequence[str], at: int) -> bytes: ...


class Fresh:
    """Every run made afresh from its :class:`Keyed`'s own source."""

    def piece(self, keyed: Keyed, keys: Sequence[str], at: int) -> bytes:
        return keyed.made(keyed.source, keys)


RUN = 64
"""Keys in a run of a :class:`Keyed`, on average (:func:`runs`)."""


def runs(keys: Sequence[str]) -> Iterator[Sequence[str]]:
    """``keys`` cut into runs of about :data:`RUN` keys, each ending after a key whose
    checksum says so (or after 8 times as many keys): a key added or removed changes its own
    run alone, where runs of a fixed length would all shift after it."""
    start = 0
    for end, key in enumerate(keys, 1):
        if zlib.crc32(key.encode()) % RUN == 0 or end - start >= 8 * RUN:
            yield keys[start:end]
            start = end
    if start < len(keys):
        yield keys[start:]


def to_json(data: Any, pieces: Pieces | None = None) -> bytes:
    """Stable JSON: the same corpus always gives the same bytes. Compact, because Python's JSON
    encoder is written in C only without ``indent``: indented, the open-data files took a tenth
    of a build (json.dumps, 8.6 of 100 s profiled at 1,000 articles). Browsers and ``jq``
    indent it for reading. :class:`Items` and :class:`Keyed` anywhere in ``data`` (in
    dictionaries) are encoded a few items at a time, giving the bytes a list of the same items
    would; ``pieces`` gives a :class:`Keyed`'s runs (by default: :class:`Fresh`)."""
    buffer = io.BytesIO()  # not b"".join: that would keep every chunk until the end
    _write(buffer, data, pieces or Fresh())
    buffer.write(b"\n")
    return buffer.getvalue()


def _write(buffer: io.BytesIO, data: Any, pieces: Pieces) -> None:
    if isinstance(data, Items):
        buffer.write(b"[")
        _write_items(buffer, data.items)
        buffer.write(b"]")
    elif isinstance(data, Keyed):
        buffer.write(b"[")
        write_runs(buffer, data, pieces)
        buffer.write(b"]")
    elif isinstance(data, dict) and _has_items(data):
        buffer.write(b"{")
        for number, (key, value) in enumerate(data.items()):
            buffer.write((b"," if number else b"") + _encode(str(key)) + b":")
            _write(buffer, value, pieces)
        buffer.write(b"}")
    else:
        buffer.write(_encode(data))


def write_runs(buffer: io.BytesIO, keyed: Keyed, pieces: Pieces) -> None:
    """``keyed``'s runs, each as ``pieces`` gives it, placed where ``buffer`` is."""
    separator = b""
    for keys in runs(keyed.keys):
        piece = pieces.piece(keyed, keys, buffer.tell() + len(separator))
        if piece:
            buffer.write(separator + piece)
            separator = keyed.separator


def _has_items(data: dict[Any, Any]) -> bool:
    return any(
        isinstance(value, Items | Keyed) or (isinstance(value, dict) and _has_items(value))
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
