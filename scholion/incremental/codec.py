"""Typed records as JSON values and back, checked on the way back.

What the build cache keeps of linking (:mod:`scholion.link.stored`) is records of the model:
frozen dataclasses of text, numbers, flags, tuples and other such records. Pickle would restore
them fastest, but the cache is a file anyone could have written, and unpickling runs code. So
a record is kept as the JSON list of its fields' values, in field order, and rebuilt from its
class's annotations: every value is checked against its field's type as it is decoded, and a
value of another shape raises :class:`Mismatch` (a damaged or forged entry is a miss, never a
record of the wrong shape). The decoder of each class is made once, from its type hints.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from collections.abc import Callable
from typing import Any

Decoder = Callable[[Any], Any]


class Mismatch(ValueError):
    """A value that is not of the type its field says."""


def encoded(value: Any) -> Any:
    """``value`` as plain JSON data: a record as the list of its compared fields' values (the
    others are caches derived from them), a tuple as a list, an enumeration as its value."""
    if type(value) in _PLAIN:  # most values: asked first, as a linked corpus has millions
        return value
    if isinstance(value, tuple):
        return [encoded(item) for item in value]
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [encoded(getattr(value, name)) for name in _stored_fields(type(value))]
    return value


_PLAIN = frozenset({str, int, float, bool, type(None)})


def decode(kind: Any, value: Any) -> Any:
    """The value of type ``kind`` that :func:`encoded` gave ``value``; raises :class:`Mismatch`
    if ``value`` does not have that shape."""
    return decoder(kind)(value)


@functools.cache
def decoder(kind: Any) -> Decoder:
    """A function decoding JSON data into a value of type ``kind``."""
    if kind in (str, int, bool):
        return functools.partial(_exactly, kind)
    if kind is float:
        return _number
    if kind is type(None) or kind is None:
        return functools.partial(_exactly, type(None))
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return functools.partial(_member, kind)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _record_decoder(kind)
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return functools.partial(_first_of, tuple(decoder(a) for a in arguments))
    if origin is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        return functools.partial(_items, decoder(arguments[0]))
    if origin is tuple:
        return functools.partial(_fixed, tuple(decoder(a) for a in arguments))
    raise TypeError(f"no JSON form for {kind!r}")


def _stored_fields(kind: type) -> tuple[str, ...]:
    return _layout(kind)[0]


@functools.cache
def _layout(kind: type) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    """The names and types of the fields a record of ``kind`` is kept by: those it is compared
    by (the others, such as a text index's derived tables, are made again from them)."""
    hints = typing.get_type_hints(kind)
    kept = [f for f in dataclasses.fields(kind) if f.compare]
    return tuple(f.name for f in kept), tuple(hints[f.name] for f in kept)


def _record_decoder(kind: type) -> Decoder:
    names, hints = _layout(kind)
    fields = tuple(decoder(hint) for hint in hints)
    plain = tuple(hint if hint in (str, int, bool) else None for hint in hints)
    if all(plain):  # the common case (a mention, an annotation): the types compared at once

        def flat(value: Any) -> Any:
            if type(value) is not list or tuple(map(type, value)) != plain:
                raise Mismatch(f"{kind.__name__}: {value!r:.60}")
            return kind(*value)

        return flat

    def nested(value: Any) -> Any:
        if type(value) is not list or len(value) != len(fields):
            raise Mismatch(f"{kind.__name__}: {value!r:.60}")
        return kind(
            **{name: decode(item) for name, decode, item in zip(names, fields, value, strict=True)}
        )

    return nested


def _exactly(kind: type, value: Any) -> Any:
    if type(value) is not kind:
        raise Mismatch(f"not {kind.__name__}: {value!r:.60}")
    return value


def _number(value: Any) -> Any:
    """A float field may hold an integer (``latitude: 10``): JSON keeps which it was."""
    if type(value) not in (int, float):
        raise Mismatch(f"not a number: {value!r:.60}")
    return value


def _member(kind: type[enum.Enum], value: Any) -> Any:
    try:
        return kind(value)
    except ValueError as exc:
        raise Mismatch(f"not {kind.__name__}: {value!r:.60}") from exc


def _first_of(decoders: tuple[Decoder, ...], value: Any) -> Any:
    for decode in decoders:
        try:
            return decode(value)
        except Mismatch:
            continue
    raise Mismatch(f"none of the union's types: {value!r:.60}")


def _items(decode: Decoder, value: Any) -> tuple[Any, ...]:
    if type(value) is not list:
        raise Mismatch(f"not a list: {value!r:.60}")
    return tuple(map(decode, value))


def _fixed(decoders: tuple[Decoder, ...], value: Any) -> tuple[Any, ...]:
    if type(value) is not list or len(value) != len(decoders):
        raise Mismatch(f"not a list of {len(decoders)}: {value!r:.60}")
    return tuple(decode(item) for decode, item in zip(decoders, value, strict=True))
