"""Entries waiting to be written to the build cache, held in memory up to a bound and beyond it
in an anonymous temporary file.

A cold build makes an entry for every file and every article (the data of its YAML, its
Markdown's HTML, what linking it gave) and can write none of them before ``save``: the cache
must not change while the workers read it. At 10,000 articles they come to about 630 MB of
JSON, at 100,000 to several gigabytes, which the parent used to hold beside the linked corpus
until the end of the build, taking the room a second render worker needed. Past
:data:`HELD_AT_MOST` characters they go to a temporary file in the cache's folder instead,
which the system deletes with the process however it ends (``O_TMPFILE``: it never has a name).
"""

from __future__ import annotations

import contextlib
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

HELD_AT_MOST = 32 * 1024 * 1024
"""Characters of pending entries held in memory before they are written out."""

_LENGTHS = struct.Struct("<II")


class Pending:
    """Key → JSON text entries, in the order they were added; a later entry of a key replaces
    an earlier one when written (``INSERT OR REPLACE``), as it would in a dict."""

    def __init__(self, folder: Path | None, held_at_most: int | None = None):
        self._folder = folder
        self._held_at_most = HELD_AT_MOST if held_at_most is None else held_at_most
        self._held: dict[str, str] = {}
        self._size = 0
        self._spilled: IO[bytes] | None = None
        self._spill_failed = folder is None  # no folder: everything held

    def __setitem__(self, key: str, text: str) -> None:
        self._held[key] = text
        self._size += len(text)
        if self._size > self._held_at_most and not self._spill_failed:
            self._spill()

    def items(self) -> Iterator[tuple[str, str]]:
        """Every entry: first those written out, in order, then those held."""
        if self._spilled is not None:
            self._spilled.flush()
            self._spilled.seek(0)
            read = self._spilled.read
            while head := read(_LENGTHS.size):
                key_size, text_size = _LENGTHS.unpack(head)
                key = read(key_size).decode("utf-8")
                yield key, read(text_size).decode("utf-8")
            self._spilled.seek(0, 2)
        yield from self._held.items()

    def clear(self) -> None:
        self._held.clear()
        self._size = 0
        if self._spilled is not None:
            self._spilled.close()
            self._spilled = None

    def _spill(self) -> None:
        """Write the held entries out. A folder that cannot take the file (read-only, full)
        leaves them held, and what was written before stays: the cache is an optimisation, and
        memory the fallback."""
        start = 0
        try:
            if self._spilled is None:
                assert self._folder is not None
                self._folder.mkdir(parents=True, exist_ok=True)
                self._spilled = tempfile.TemporaryFile(dir=self._folder)  # noqa: SIM115
            out = self._spilled
            start = out.tell()
            for key, text in self._held.items():
                encoded_key, encoded = key.encode("utf-8"), text.encode("utf-8")
                out.write(_LENGTHS.pack(len(encoded_key), len(encoded)) + encoded_key + encoded)
            out.flush()
        except OSError:
            self._spill_failed = True
            if self._spilled is not None:
                try:  # drop the part of this spill that went out: the entries are still held
                    self._spilled.truncate(start)
                    self._spilled.seek(start)
                except OSError:
                    with contextlib.suppress(OSError):
                        self._spilled.close()
                    self._spilled = None
            return
        self._held.clear()
        self._size = 0
