"""A build's checked state kept in ``.cache/`` for the next build to resume from
(:mod:`scholion.pipeline.resume` says what the state is and how a build resumes).

A fresh ``build`` process has no last version of the corpus to compare with, so every build
after an edit loaded, validated and linked the whole corpus again and digested each of its
400,000 values to find the few that changed (17 of the 40 s of one edit at 10,000 articles).
Kept here, the state of the last full check is read back whole in a few seconds, and the edit
is applied to it as ``serve`` applies one.

Trust. The state is a pickle, and loading a pickle runs code, so one is read only when it
carries a checksum of every byte keyed by this user's secret (:mod:`.sealing`), which only this
user's builds can compute: a file brought in with a repository, restored from another machine
or altered in any way is ignored, and the build checks everything as before. Without a secret
nothing is kept. ``.cache/`` is safe to delete; a state of another engine, theme or history
(:func:`restore`'s ``tag``) is ignored too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import hmac
import json
import operator
import os
import pickle
import secrets
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from scholion import parallel
from scholion.incremental import sealing

FILE = "checked.pickle"
MAGIC = b"scholion checked state 1\n"
_MAC = 32
_LENGTH = struct.Struct(">I")


def generation() -> str:
    """A new state's name: the record of each build names the state it resumed from, so that
    a state and a record from different builds are never taken for each other."""
    return secrets.token_hex(12)


def save(cache: Path, tag: str, name: str, state: object) -> bool:
    """Keep ``state`` (named ``name``, valid for ``tag``) in ``cache``, sealed; False when it
    cannot be (no secret, a disk full or read-only: the next build then checks everything)."""
    secret = sealing.secret()
    file = cache / FILE
    _clear_drafts(cache)
    if secret is None:
        forget(cache)
        return False
    draft = file.with_name(f"{_DRAFT}{os.getpid()}")
    header = json.dumps({"tag": tag, "name": name}).encode()
    try:
        with open(draft, "wb") as out:
            out.write(MAGIC + bytes(_MAC) + _LENGTH.pack(len(header)))
            sealed = _Sealed(out, secret)
            sealed.write(header)
            _Pickler(sealed, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
            out.seek(len(MAGIC))
            out.write(sealed.mac.digest())
        os.replace(draft, file)
        return True
    except Exception:  # the site is published already: no state is no error, only slower
        forget(cache)
        return False
    finally:
        with contextlib.suppress(OSError):
            draft.unlink()  # gone already when it took the state's place


def restore(cache: Path, tag: str) -> tuple[str, object] | None:
    """The name and the state kept in ``cache`` if it is sealed with this user's secret and
    valid for ``tag``; else None."""
    secret = sealing.secret()
    if secret is None:
        return None
    try:
        with open(cache / FILE, "rb") as found:
            data = found.read()
    except OSError:
        return None
    start = len(MAGIC) + _MAC + _LENGTH.size
    if len(data) < start or not data.startswith(MAGIC):
        return None
    view = memoryview(data)
    expected = hashlib.blake2b(view[start:], key=secret, digest_size=_MAC).digest()
    if not hmac.compare_digest(expected, data[len(MAGIC) : len(MAGIC) + _MAC]):
        return None  # not written by this user's builds, or damaged: never unpickled
    (length,) = _LENGTH.unpack_from(data, len(MAGIC) + _MAC)
    try:
        header = json.loads(bytes(view[start : start + length]))
        if header.get("tag") != tag or not isinstance(header.get("name"), str):
            return None
        with parallel.collector_paused():  # millions of objects that live as long as the build
            state = pickle.loads(view[start + length :])
    except Exception:  # sealed, so ours: what fails is an engine or library changed since
        return None
    return header["name"], state


class _Pickler(pickle.Pickler):
    """Pickles the records of a state to be read back through their constructors
    (:func:`_constructor`): pickle's default for a frozen dataclass with slots calls, for each
    record, a function in Python that sets its fields one by one through ``dataclasses.fields``
    (at 10,000 articles, 350,000 records: a third of the time reading the state back took)."""

    def reducer_override(self, obj: object) -> Any:
        kind: type = type(obj)
        fields = _constructor(kind)
        if fields is None:
            return NotImplemented
        return kind, fields(obj)


@functools.cache
def _constructor(kind: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """What to call a record of class ``kind`` with to make it again, if that is all it takes:
    a dataclass whose fields are all arguments of its constructor, which does nothing else
    with them (no ``__post_init__``) and which pickle would otherwise rebuild field by field
    (no ``__reduce__`` or ``__setstate__`` of its own); None for any other class."""
    if not dataclasses.is_dataclass(kind) or not hasattr(kind, "__slots__"):
        return None
    own = (kind.__reduce__, kind.__reduce_ex__, getattr(kind, "__setstate__", None))
    if own[0] is not object.__reduce__ or own[1] is not object.__reduce_ex__:
        return None
    setstate = getattr(own[2], "__name__", "")
    if setstate != "_dataclass_setstate" or hasattr(kind, "__post_init__"):
        return None
    fields = dataclasses.fields(kind)
    if not fields or not all(field.init for field in fields):
        return None
    if len(fields) == 1:
        name = fields[0].name
        return lambda record: (getattr(record, name),)
    return operator.attrgetter(*(field.name for field in fields))


_DRAFT = f".{FILE}."
"""How a state being written is named, before the writing process's id."""


def _clear_drafts(cache: Path) -> None:
    """Remove the drafts whose writer is gone: a build stopped (Ctrl-C) while the child that
    writes its state was at it may leave one, hundreds of megabytes at 10,000 articles, that
    nothing would read or remove."""
    with contextlib.suppress(OSError):
        for draft in cache.glob(f"{_DRAFT}*"):
            writer = draft.name.removeprefix(_DRAFT)
            if writer.isdigit() and not _running(int(writer)):
                with contextlib.suppress(OSError):
                    draft.unlink()


def _running(process: int) -> bool:
    try:
        os.kill(process, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # there, but another user's
    return True


def forget(cache: Path) -> None:
    """Remove the kept state (a build whose record no longer matches it)."""
    with contextlib.suppress(OSError):
        (cache / FILE).unlink()


class _Sealed:
    """A file that computes the checksum of what is written to it."""

    def __init__(self, out: BinaryIO, secret: bytes) -> None:
        self.out = out
        self.mac = hashlib.blake2b(key=secret, digest_size=_MAC)

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.out.write(data)
