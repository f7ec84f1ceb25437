"""What a page reads of the corpus, and digests of what it read: the means of
:mod:`scholion.incremental.dependencies`.

While a page renders it can see the corpus through :func:`tracked`, whose mappings (the records
and every join: ``corpus.claims``, ``corpus.appearances``, ``corpus.history.claims``…) note each
key the page looks up. Iterating a mapping, taking its keys, values or items reads "the whole
mapping"; taking its length (or its truth) reads only how many entries it has. The tracked
corpus is made for each page, so nothing is shared between pages and nothing is global.

:class:`Digests` describes a value by its content, never by identity or hash order, so a digest
is the same in every process and every build. It knows plain data only (text, numbers, None,
tuples, lists, dicts, dataclasses); anything else raises :class:`Untrackable`, and the page that
holds it is rendered on every build rather than risk being kept out of date.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import marshal
import operator
from collections.abc import Callable, ItemsView, Iterator, KeysView, Mapping, Sequence, ValuesView
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from scholion.model import Corpus  # in annotations only: the no-change build needs no model


Read = tuple[str, str | None]
"""(mapping, key) a page looked up; key None: the whole mapping. A mapping's name followed by
:data:`LENGTH` (with key None) is its length alone."""

LENGTH = "#length"

Dependency = tuple[str, str | None, str]
"""A :data:`Read` with the hex digest of what it found."""


def read_order(read: Read | Dependency) -> tuple[str, bool, str]:
    """The order reads are kept in (an entry's, a drift's): by mapping, the whole mapping
    first, then by key."""
    return read[0], read[1] is not None, read[1] or ""


class Untrackable(Exception):
    """A value :class:`Digests` cannot describe; the page that holds it is always rendered."""


class Reading(Mapping[str, Any]):
    """A corpus mapping as one page sees it: every lookup is noted in ``reads``."""

    __slots__ = ("_data", "_name", "_reads")

    def __init__(self, data: Mapping[str, Any], name: str, reads: set[Read]):
        self._data, self._name, self._reads = data, name, reads

    def _key(self, key: object) -> None:
        if type(key) is not str:
            key = str(key) if isinstance(key, str) else None  # a key of another kind: whole
        self._reads.add((self._name, key))

    def _whole(self) -> None:
        self._reads.add((self._name, None))

    def __getitem__(self, key: str) -> Any:
        self._key(key)
        return self._data[key]

    def get(self, key: str, default: Any = None) -> Any:
        self._key(key)
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        self._key(key)
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self._whole()
        return iter(self._data)

    def __len__(self) -> int:
        self._reads.add((self._name + LENGTH, None))  # a count (or truth) depends on no record
        return len(self._data)

    def keys(self) -> KeysView[str]:
        self._whole()
        return self._data.keys()

    def values(self) -> ValuesView[Any]:
        self._whole()
        return self._data.values()

    def items(self) -> ItemsView[str, Any]:
        self._whole()
        return self._data.items()


class ReadingWhole(Sequence[Any]):
    """A sequence of the corpus (``history.new_articles``) that is only ever read whole."""

    __slots__ = ("_data", "_name", "_reads")

    def __init__(self, data: Sequence[Any], name: str, reads: set[Read]):
        self._data, self._name, self._reads = data, name, reads

    def __getitem__(self, index: Any) -> Any:
        self._reads.add((self._name, None))
        return self._data[index]

    def __len__(self) -> int:
        self._reads.add((self._name, None))
        return len(self._data)


def sources(corpus: Corpus) -> dict[str, dict[str, Any] | tuple[Any, ...]]:
    """What :func:`tracked` tracks, by name: every mapping of the corpus and of its history, and
    the history's sequences (read whole). The rest (the configuration, ``history.shallow``, any
    field of another kind) is in the interface's digest (:func:`untracked`)."""
    found: dict[str, dict[str, Any] | tuple[Any, ...]] = {
        f.name: v for f, v in _fields(corpus) if isinstance(v, dict)
    }
    found.update(
        (f"history.{f.name}", v) for f, v in _fields(corpus.history) if isinstance(v, dict | tuple)
    )
    return found


def untracked(corpus: Corpus) -> dict[str, Any]:
    """The corpus's fields :func:`sources` leaves out: part of every page's interface digest."""
    names = sources(corpus)
    found = {f.name: v for f, v in _fields(corpus) if f.name not in names and f.name != "history"}
    found.update(
        (f"history.{f.name}", v)
        for f, v in _fields(corpus.history)
        if f"history.{f.name}" not in names
    )
    return found


def tracked(corpus: Corpus, reads: set[Read], parts: Mapping[str, Any] | None = None) -> Corpus:
    """``corpus`` as one page sees it: each of its :func:`sources` (``parts``, if already known)
    notes in ``reads`` what the page asks of it. Made for each page, so nothing is shared
    between pages."""
    seen: dict[str, Reading | ReadingWhole] = {
        name: Reading(v, name, reads) if isinstance(v, dict) else ReadingWhole(v, name, reads)
        for name, v in (sources(corpus) if parts is None else parts).items()
    }
    return with_sources(corpus, seen)


def with_sources(corpus: Corpus, parts: Mapping[str, Any]) -> Corpus:
    """``corpus`` with some of its :func:`sources` replaced (``parts``, by the same names)."""
    fields = dict(parts)
    history = {
        name.removeprefix("history."): fields.pop(name)
        for name in list(fields)
        if name.startswith("history.")
    }
    # The fields are named at run time, each given a mapping or a sequence of the kind
    # sources() found there: mypy checks every value of the dict against every field, so it
    # cannot see that each goes to a field of its own kind.
    return dataclasses.replace(
        corpus,
        history=dataclasses.replace(corpus.history, **history) if history else corpus.history,
        **fields,
    )


def _fields(record: Any) -> list[tuple[dataclasses.Field, Any]]:
    return [(f, getattr(record, f.name)) for f in dataclasses.fields(record)]


_ABSENT = object()

Plain: TypeAlias = "str | int | float | bool | bytes | tuple[Plain, ...] | None"
"""What :meth:`Digests._plain` makes of a value: data :mod:`marshal` writes."""


class Digests:
    """Digests of values by their content, for one build. Only plain data is known: text,
    numbers, None, tuples, lists, dicts and dataclasses (every field but private ones, which are
    caches derived from the others); anything else raises :class:`Untrackable`.

    Plain data is written by :mod:`marshal` (format 2: no references, no interning, so the same
    value always gives the same bytes, and different values different bytes); a record inside
    a record or tuple is replaced by its own digest, tagged with its type. A value holding
    records is digested once and remembered by identity, the memo keeping it alive so that its
    id is never reused meanwhile: the corpus does not change during a build."""

    def __init__(self) -> None:
        self._memo: dict[int, bytes] = {}
        self._reads: dict[tuple[int, str, str | None], str] = {}
        self._held: list[object] = []
        """Every value (and mapping) remembered by its id, kept alive so that the id is never
        another object's meanwhile: a digest found under a value's id is that value's. Held
        apart rather than paired with each digest, since a pair is an object the garbage
        collector tracks: 1.3 million of them at 10,000 articles made the collector a third
        of the time comparing the last build's values took."""
        self._sources: dict[int, object] = {}
        self._shapes: dict[type, Shape] = {}

    def of(self, value: object) -> bytes:
        """The digest of ``value`` (16 bytes)."""
        known = self._memo.get(id(value))
        if known is not None:
            return known
        kind = type(value)
        fields, tag = self._shapes.get(kind) or self._shape(kind)
        items: tuple[Any, ...]
        if fields is not None:
            items = fields(value)
        elif isinstance(value, tuple) and kind is tuple:
            items = value
        else:
            items = (value,)
        data = None
        first = type(items[0]) if items else str
        if (self._shapes.get(first) or self._shape(first))[0] is None:  # (a record: marshal fails)
            with contextlib.suppress(ValueError):  # a record inside, or a str subclass
                data = b"m" + marshal.dumps(items, 2)
        if data is None:
            data = b"p" + marshal.dumps(tuple(map(self._plain, items)), 2)
        digest = hashlib.blake2b(tag + data, digest_size=DIGEST_SIZE).digest()
        if fields is not None or kind is tuple:  # a mention is in its article's, its entity's…
            self._memo[id(value)] = digest
            self._held.append(value)
        return digest

    def _plain(self, value: object) -> Plain:
        """``value`` as marshal takes it: a record or tuple as its digest (bytes, which nothing
        else in the corpus is), a list or dict tagged, anything unknown :class:`Untrackable`."""
        kind = type(value)
        if kind in _LEAVES:
            # value's type is one of _LEAVES, all of them Plain: mypy cannot narrow through a set
            return value  # type: ignore[return-value]
        if kind is tuple or (self._shapes.get(kind) or self._shape(kind))[0] is not None:
            return self.of(value)
        if type(value) is list:
            return ("[]", *map(self._plain, value))
        if type(value) is dict:
            pairs = value.items()
            return ("{}", *(item for pair in pairs for item in map(self._plain, pair)))
        if isinstance(value, str):  # Markup
            return (kind.__qualname__, str(value))
        raise Untrackable(f"{kind.__module__}.{kind.__qualname__}")

    def read(self, parts: Mapping[str, Any], name: str, key: str | None) -> str:
        """The hex digest of what looking ``key`` up in ``parts[name]`` finds (the whole of it
        for None); "" for a mapping that does not exist, which matches no recorded digest.
        Remembered, as many pages read the same records."""
        source = parts.get(name.removesuffix(LENGTH))
        known = self._reads.get((id(source), name, key))
        if known is not None:
            return known
        found = self._reads[(id(source), name, key)] = self._read(source, name, key)
        self._hold(source)
        return found

    def remember(
        self, parts: Mapping[str, Any], name: str, key: str | None, found: str, items: bytes = b""
    ) -> None:
        """Take ``found`` as what :meth:`read` gives for ``name`` and ``key`` in ``parts``: read
        in another process (:meth:`scholion.incremental.dependencies.Known.compared`). It is
        the digest of the value read (a record, a mapping), which is remembered too, as are
        its items' (``items``, from :meth:`items_read` in that process): the route of a
        record's page holds that record, and a listing's page a slice of the items it lists
        (an entity's passages, the notes), which were otherwise digested again in every
        worker that checked a page (at 10,000 articles, half a million records)."""
        source = parts.get(name.removesuffix(LENGTH))
        self._reads[(id(source), name, key)] = found
        self._hold(source)
        if len(found) != 32:
            return  # nothing read, a length, or a value absent ("" and "absent" are no digest)
        value = _looked_up(source, name, key)
        if value is _ABSENT:
            return
        if id(value) not in self._memo:
            self._memo[id(value)] = bytes.fromhex(found)
            self._held.append(value)
        listed = _items(value)
        if items and len(items) == DIGEST_SIZE * len(listed):
            # The value, held, holds its items (the corpus does not change during a build).
            digests = [items[at : at + DIGEST_SIZE] for at in range(0, len(items), DIGEST_SIZE)]
            self._memo.update(zip(map(id, listed), digests, strict=True))

    def items_read(self, parts: Mapping[str, Any], name: str, key: str | None) -> bytes:
        """The digests of the items of what :meth:`read` read (a tuple's, a mapping's values),
        one after another, for another process that has the same value (forked) to
        :meth:`remember`; empty unless every item is a record or tuple digested here."""
        value = _looked_up(parts.get(name.removesuffix(LENGTH)), name, key)
        listed = _items(value) if value is not _ABSENT else ()
        found = list(map(self._memo.get, map(id, listed)))
        return b"" if not found or None in found else b"".join(found)  # type: ignore[arg-type]

    def _hold(self, source: object) -> None:
        """Keep a corpus mapping alive while its id keys :meth:`read`'s memo (a few dozen)."""
        if id(source) not in self._sources:
            self._sources[id(source)] = source

    def _read(self, source: Any, name: str, key: str | None) -> str:
        if source is None or (key is not None and not isinstance(source, dict)):
            return ""
        if name.endswith(LENGTH):
            return "" if key is not None else f"{len(source)}"
        if key is None:
            return self.whole(source).hex()
        value = source.get(key, _ABSENT)
        if value is _ABSENT:
            return "absent"
        return self.of(value).hex()

    def whole(self, source: dict[str, Any] | tuple) -> bytes:
        """A mapping's digest, remembered: the corpus's mappings do not change during a build."""
        known = self._memo.get(id(source))
        if known is None:
            known = self._memo[id(source)] = self.of(source)
            self._held.append(source)
        return known

    def _shape(self, kind: type) -> Shape:
        """How a value of ``kind`` is digested: its fields if it is a record, and the tag its
        data follows (its type's name; "()" for a tuple; none for anything else)."""
        fields = _field_getter(kind)
        tag = kind.__qualname__ if fields is not None else "()" if kind is tuple else ""
        shape = self._shapes[kind] = (fields, tag.encode() + b"\0")
        return shape


Shape = tuple["Callable[[Any], tuple] | None", bytes]
"""A record's fields (None for a value of another type) and the tag of its digest's data."""


def _field_getter(kind: type) -> Callable[[Any], tuple] | None:
    """The fields of a dataclass but private ones, as a tuple; None for another type."""
    if not dataclasses.is_dataclass(kind):
        return None
    names = tuple(f.name for f in dataclasses.fields(kind) if not f.name.startswith("_"))
    if len(names) > 1:
        return operator.attrgetter(*names)
    return lambda record: tuple(getattr(record, name) for name in names)


_LEAVES = frozenset({str, int, float, bool, type(None)})

DIGEST_SIZE = 16


def _looked_up(source: Any, name: str, key: str | None) -> Any:
    """The value :meth:`Digests.read` reads, or ``_ABSENT`` (nothing, a length, not there)."""
    if source is None or name.endswith(LENGTH):
        return _ABSENT
    if key is None:
        return source
    return source.get(key, _ABSENT) if isinstance(source, dict) else _ABSENT


def _items(value: Any) -> Sequence[Any]:
    """A tuple's items or a mapping's values, in order; nothing for a value of another kind."""
    if type(value) is tuple:
        return value
    return tuple(value.values()) if type(value) is dict else ()
