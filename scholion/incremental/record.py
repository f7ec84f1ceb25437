"""Where the entries of :mod:`scholion.incremental.dependencies` are kept between builds:
``.cache/pages.sqlite3``.

One row per target (a page's path, or an export job's name) with its interface and route
digests, its files as published (path, size, modification time, inode) and the numbers of the
values it read; the values themselves (mapping, key, digest) are rows of their own, shared by
every target that read them; the pieces of the corpus-wide export files have their places in
those files (:data:`PIECE`). A build reads the rows at once and checks and decodes each when a
worker checks its target (:class:`Previous`), and writes back only what it made and what no
longer exists (:func:`save`). At 10,000 articles the same record as one JSON file (48 to
80 MB, 110,000 entries) took 10 to 12 s to read and 16 to 20 s to write on every build, however
small the edit.

The record is untrusted: SQLite holding text, numbers and packed integers (never pickle), each
value's type and every number checked as it is read; a damaged or foreign database, a record
for another output or of another format, a number that names no value: the target is not
found, and it is made again. An entry counts only while every file it made is in the staging
directory as that very file (a hard link to the published one, untouched), which a record that
came with a repository never matches. The parent reads the record before the workers fork,
through a read-only connection it closes; only the parent writes, after the site is published,
with a new generation token each time (a build that finds the token it read trusts the values'
numbers it read: :meth:`Previous.numbering`).
``.cache/`` is safe to delete.
"""

from __future__ import annotations

import array
import contextlib
import json
import os
import secrets
import sqlite3
import stat
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from scholion.incremental.tracking import Dependency, Read, read_order

FILE = "pages.sqlite3"
FORMAT = 4
"""The layout of the database (``PRAGMA user_version``); another value is discarded."""

EXPORT = "export:"
"""How an export job's target begins: a colon no page's path has (ids and slugs are
``[a-z0-9-]``)."""

PIECE = "#"
"""How the target of a piece of an export job's file continues the job's target
(:mod:`scholion.exports.pieces`): a character no job's name has. A piece has an entry without
files, and a place (where its bytes are in its job's file as published, the job's entry
holding that file's status), rewritten whenever the job runs."""

Place = tuple[int, int]
"""Where a piece's bytes are in its file: the offset of the first, and how many."""

_LEGACY = "pages.json"
"""The record's earlier form, removed by :func:`save`."""

_TABLES = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE reads (id INTEGER PRIMARY KEY, name TEXT NOT NULL, key TEXT,"
    " digest TEXT NOT NULL)",
    "CREATE INDEX reads_by_value ON reads (name, key, digest)",
    "CREATE TABLE entries (target TEXT PRIMARY KEY, interface TEXT NOT NULL, route TEXT NOT NULL,"
    " files TEXT NOT NULL, reads BLOB NOT NULL)",
    "CREATE TABLE places (target TEXT PRIMARY KEY, start INTEGER NOT NULL,"
    " length INTEGER NOT NULL)",
)

_ID = "q"
"""How read numbers are packed in an entry's blob (:mod:`array` type code: 8 bytes each)."""


class Damaged(ValueError):
    """Something in the record is not as :func:`save` writes it."""


Status = tuple[int, int, int]
"""A published file's size, modification time (ns) and inode."""


class Recorded(NamedTuple):
    """A target's entry as the last build recorded it: its interface and route digests, the
    numbers of the values it read (:meth:`Previous.value`) and its files."""

    interface: str
    route: str
    numbers: array.array
    files: tuple[str, ...]


class Previous:
    """The last build's entries, given only while their files are in ``staging`` as that build
    published them. The rows are read at once, in the parent, as SQLite gives them (text and
    bytes: a few hundred milliseconds at 10,000 articles); each is checked and decoded only
    when its target is asked for, in the worker that checks it. Forked workers inherit it."""

    def __init__(self, cache: Path, output: Path, staging: Path) -> None:
        self._staged = str(staging)
        self._rows: dict[str, tuple[Any, Any, Any, Any]] = {}
        self._values: dict[int, tuple[Any, Any, Any]] = {}
        self.drift: Drift | None = None
        """What differed from the kept state the last build resumed from, if it did."""
        self._generation: str | None = None
        """The token the build that wrote the record left in it (:func:`save`)."""
        self._pieces: dict[str, list[str]] | None = None
        self._places: dict[str, tuple[Any, Any]] = {}
        connection = _open(cache / FILE, str(output))
        if connection is None:
            return
        try:
            self._values = {row[0]: row[1:] for row in connection.execute("SELECT * FROM reads")}
            query = "SELECT target, interface, route, files, reads FROM entries"
            self._rows = {row[0]: row[1:] for row in connection.execute(query)}
            query = "SELECT target, start, length FROM places"
            self._places = {row[0]: row[1:] for row in connection.execute(query)}
            row = connection.execute("SELECT value FROM meta WHERE name = 'drift'").fetchone()
            self.drift = _drift(row[0]) if row else None
            query = "SELECT value FROM meta WHERE name = 'generation'"
            row = connection.execute(query).fetchone()
            self._generation = row[0] if row and isinstance(row[0], str) else None
        except (sqlite3.Error, TypeError, IndexError):
            self._rows, self._values, self._places = {}, {}, {}
        finally:
            connection.close()

    def get(self, target: str) -> Recorded | None:
        """The entry of ``target`` if the record has it and its files are all still as
        published; else None."""
        row = self._rows.get(target)
        if row is None:
            return None
        interface, route, files, numbers = row
        try:
            _expect(isinstance(interface, str) and isinstance(route, str))
            published = _files(files, target)
            staging = self._staged
            if any(_stat(os.path.join(staging, path)) != status for path, status in published):
                return None
            return Recorded(interface, route, _numbers(numbers), tuple(p for p, _ in published))
        except (ValueError, TypeError, RecursionError):
            return None

    def __bool__(self) -> bool:
        """Whether the record holds any entry."""
        return bool(self._rows)

    def files(self, target: str) -> tuple[str, ...]:
        """The files of ``target``'s entry, not looked at again (:meth:`get` did)."""
        return tuple(path for path, _ in _files(self._rows[target][2], target))

    def staged(self, path: str) -> str:
        """Where the file ``path`` of the site is in the staging directory: as the last build
        published it, where an entry naming it is found (:meth:`get`)."""
        return os.path.join(self._staged, path)

    def place(self, target: str) -> Place | None:
        """Where the piece ``target``'s bytes are in its job's file, as the job last made it."""
        found = self._places.get(target)
        if found is None or not all(type(n) is int and n >= 0 for n in found):
            return None
        return found[0], found[1]

    def pieces(self, target: str) -> list[str]:
        """The targets of the pieces an export job's files were made in
        (:mod:`scholion.exports.pieces`): ``target`` followed by :data:`PIECE`."""
        if self._pieces is None:
            self._pieces = {}
            for name in self._rows:
                job, mark, _ = name.partition(PIECE)
                if mark and job.startswith(EXPORT):
                    self._pieces.setdefault(job, []).append(name)
        return self._pieces.get(target, [])

    def numbers(self) -> list[int]:
        """The number of every value the record holds, in the order of what each names."""
        return sorted(self._values, key=lambda number: repr(self._values[number][:2]))

    def value(self, number: int) -> Dependency:
        """The value read that the record numbers ``number``; :class:`Damaged` if none is."""
        found = self._values.get(number)
        if found is None:
            raise Damaged(f"no value numbered {number}")
        return _value(*found)

    def every_number(self) -> list[int]:
        """The number of every value the record holds."""
        return list(self._values)

    def numbered(self, reads: Collection[Read]) -> list[int]:
        """The numbers of the values that are one of ``reads`` (a mapping and key), whatever
        was found there."""
        return [number for number, (name, key, _) in self._values.items() if (name, key) in reads]

    def found(self, target: str) -> dict[Read, str]:
        """What ``target``'s entry says each of its reads found (its files not looked at):
        nothing for a target it lacks or an entry it damaged."""
        row = self._rows.get(target)
        try:
            numbers = () if row is None else _numbers(row[3])
            return {(name, key): digest for name, key, digest in map(self.value, numbers)}
        except (ValueError, TypeError):
            return {}

    def numbering(self, reads: Iterable[Dependency] | None = None) -> Numbering | None:
        """The number of every value the record holds, for :func:`save` to number this build's
        reads with instead of reading the table again, valid while the record is the one read
        here (its generation); None when it has none. Given the ``reads`` to number, only the
        values of the same mappings and keys: a value not among them is new either way (at
        10,000 articles, a map of all 400,000 values took 0.4 s of an edit build)."""
        if self._generation is None:
            return None
        values = self._values.items()
        if reads is None:
            return Numbering(self._generation, {value: number for number, value in values})
        wanted = {(name, key) for name, key, _ in reads}
        found = {value: number for number, value in values if value[:2] in wanted}
        return Numbering(self._generation, found)

    def every(self) -> Iterator[tuple[str, tuple[Dependency, ...]]]:
        """Every target the record holds whose files are still as published, with what it read
        (for the live site, which keeps a map from each value to the pages that read it)."""
        for target in self._rows:
            try:
                found = self.get(target)
                if found is not None:
                    yield target, tuple(self.value(number) for number in found.numbers)
            except ValueError:
                continue


def save(
    cache: Path,
    output: Path,
    made: Mapping[str, tuple[str, str, tuple[Dependency, ...], tuple[str, ...]] | None],
    seen: Iterable[str],
    drift: Drift | None = None,
    numbering: Numbering | None = None,
    places: Mapping[str, Place] | None = None,
) -> None:
    """Record what this build made (``made``: target to (interface, route, reads, files), or
    None for a target that must be made again next time) with each file as published, and
    forget every target not ``seen`` (pages and jobs that no longer exist). The other targets
    were kept: their rows, and their files, are as they were. ``drift``: what differed from
    the kept state this build resumed from (:class:`Drift`), if it did. Only in the parent, after
    :func:`scholion.output.write.publish`. Anything wrong with the database, and it is written
    anew; if that fails too (a read-only or full disk), there is none, never an error: the site
    is already published, and the next build makes everything. ``numbering``: the values of the
    record as this build read it (:meth:`Previous.numbering`), used only if it is still that
    record. ``places``: where each piece of the export jobs that ran is in its job's file
    (:data:`PIECE`)."""
    file = cache / FILE
    with contextlib.suppress(OSError):
        (cache / _LEGACY).unlink()
    for _attempt in range(2):
        try:
            cache.mkdir(exist_ok=True)
            _write(file, str(output), made, set(seen), drift, numbering, places or {})
            return
        except (sqlite3.Error, Damaged, OSError):
            _discard(file)  # the site is published: without a record, the next build makes all


def _write(
    file: Path,
    output: str,
    made: Mapping[str, tuple[str, str, tuple[Dependency, ...], tuple[str, ...]] | None],
    seen: set[str],
    drift: Drift | None,
    numbering: Numbering | None,
    places: Mapping[str, Place],
) -> None:
    connection = sqlite3.connect(file, timeout=2)
    try:
        connection.execute("PRAGMA synchronous = OFF")  # a torn write: the pages are made again
        if _open_for(connection, output) is None:
            connection.close()
            _discard(file)
            connection = sqlite3.connect(file, timeout=2)
            connection.execute("PRAGMA synchronous = OFF")
            with connection:
                for table in _TABLES:
                    connection.execute(table)
                connection.execute(f"PRAGMA user_version = {FORMAT}")
                connection.execute("INSERT INTO meta VALUES ('output', ?)", (output,))
        with connection:
            targets = connection.execute("SELECT target FROM entries").fetchall()
            stale = [row for row in targets if row[0] not in seen]  # pages gone since
            connection.executemany("DELETE FROM entries WHERE target = ?", stale)
            connection.executemany("DELETE FROM places WHERE target = ?", stale)
            row = connection.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
            unchanged = numbering is not None and row is not None and row[0] == numbering.generation
            known = numbering.numbers if unchanged and numbering is not None else None
            numbers = _Numbers(connection, sum(len(e[2]) for e in made.values() if e), known)
            rows, gone = [], []
            for target, entry in made.items():
                published = None if entry is None else _published(output, entry[3])
                if entry is None or published is None:
                    gone.append((target,))
                    continue
                interface, route, reads, _ = entry
                packed = array.array(_ID, map(numbers.of, reads)).tobytes()
                rows.append((target, interface, route, json.dumps(published), packed))
            numbers.write()
            connection.execute("DELETE FROM meta WHERE name = 'drift'")
            if drift is not None:
                connection.execute("INSERT INTO meta VALUES ('drift', ?)", (_drift_text(drift),))
            connection.executemany("DELETE FROM entries WHERE target = ?", gone)
            connection.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)", rows)
            query = "INSERT OR REPLACE INTO places VALUES (?, ?, ?)"
            connection.executemany(query, ((t, *place) for t, place in places.items()))
            _compact(connection)
            connection.execute(
                "INSERT OR REPLACE INTO meta VALUES ('generation', ?)", (secrets.token_hex(12),)
            )
    finally:
        connection.close()


ROWS_PER_LOOKUP = 6
"""Values read whole in the time one is looked up (at 10,000 articles: 400,000 in 0.7 s, 100,000
looked up in 1.2 s). One reworded claim makes the corpus's record and annotations again, which
read 190,000 values: looked up one by one until session 15."""


class _Numbers:
    """The number of each value read, adding the new ones. For a few reads each value is
    looked up; for many (a first build, a template edit, a corpus-wide export job made
    again) the whole table is read at once. New values are numbered here and inserted
    together by :meth:`write` (a first build at 10,000 articles adds 400,000: one statement
    each was most of the record's 15-19 s)."""

    def __init__(
        self, connection: sqlite3.Connection, reads: int, known: dict[Dependency, int] | None = None
    ) -> None:
        self.connection = connection
        self.known: dict[Dependency, int] = {}
        last = connection.execute("SELECT max(id) FROM reads").fetchone()[0] or 0
        self.whole = known is not None or reads * ROWS_PER_LOOKUP > last
        if known is not None:  # the table as the build read it (at 10,000 articles: 0.75 s)
            self.known = known
        elif self.whole:
            rows = connection.execute("SELECT id, name, key, digest FROM reads")
            self.known = {(name, key, digest): number for number, name, key, digest in rows}
        self.next = last + 1
        self.fresh: list[tuple[int, str, str | None, str]] = []

    def of(self, read: Dependency) -> int:
        number = self.known.get(read)
        if number is not None:
            return number
        if not self.whole:
            row = self.connection.execute(
                "SELECT id FROM reads WHERE name = ? AND key IS ? AND digest = ?", read
            ).fetchone()
            if row is not None:
                self.known[read] = row[0]
                return int(row[0])
        number, self.next = self.next, self.next + 1
        self.fresh.append((number, *read))
        self.known[read] = number
        return number

    def write(self) -> None:
        """Insert the values numbered since the last write."""
        self.connection.executemany("INSERT INTO reads VALUES (?, ?, ?, ?)", self.fresh)
        self.fresh = []


def _compact(connection: sqlite3.Connection) -> None:
    """Drop the values no target reads any more once they are most of the table (each edit
    leaves the digests it replaced behind): rarely, as reading every entry takes a while."""
    count = connection.execute("SELECT count(*) FROM reads").fetchone()[0]
    row = connection.execute("SELECT value FROM meta WHERE name = 'compacted'").fetchone()
    if row is None:  # a new record: every value in it was just written for an entry
        connection.execute("INSERT INTO meta VALUES ('compacted', ?)", (str(count),))
        return
    if count <= 2 * int(row[0]):
        return
    used: set[int] = set()
    for (numbers,) in connection.execute("SELECT reads FROM entries"):
        used.update(_numbers(numbers))
    if len(used) < count:
        connection.execute("CREATE TEMP TABLE used (id INTEGER PRIMARY KEY)")
        connection.executemany("INSERT INTO used VALUES (?)", ((n,) for n in used))
        connection.execute("DELETE FROM reads WHERE id NOT IN used")
    connection.execute("INSERT OR REPLACE INTO meta VALUES ('compacted', ?)", (str(len(used)),))


class Numbering(NamedTuple):
    """The number of each value of a record, as a build read it, and the record's generation
    then: a record written by another build since has another, and its numbers are not
    these."""

    generation: str
    numbers: dict[Dependency, int]


class Drift(NamedTuple):
    """What differed, in a build that resumed from a kept state (:mod:`.snapshot`), from that
    state: the values read (a mapping and key) and the pages' routes. The next build resuming
    from the same state compares those values and routes with what they were last (they may
    have changed since the last build), and takes every other as the last build had it: the
    same as in the state, both times."""

    state: str
    """The kept state's name (:func:`scholion.incremental.snapshot.generation`)."""
    reads: frozenset[Read]
    routes: frozenset[str]


def _drift_text(drift: Drift) -> str:
    reads = sorted(drift.reads, key=read_order)
    return json.dumps({"state": drift.state, "reads": reads, "routes": sorted(drift.routes)})


def _drift(text: Any) -> Drift | None:
    """The drift as :func:`_drift_text` wrote it, or None for anything else."""
    try:
        found = json.loads(text)
        reads = frozenset((name, key) for name, key in found["reads"])
        routes = frozenset(found["routes"])
        valid = isinstance(found["state"], str) and all(
            isinstance(name, str) and (key is None or isinstance(key, str)) for name, key in reads
        )
        if valid and all(isinstance(path, str) for path in routes):
            return Drift(found["state"], reads, routes)
    except (ValueError, TypeError, KeyError):
        pass
    return None


def _open(file: Path, output: str) -> sqlite3.Connection | None:
    """A read-only connection to the record of builds into ``output``, or None."""
    try:
        connection = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    if _open_for(connection, output) is None:
        connection.close()
        return None
    return connection


def _open_for(connection: sqlite3.Connection, output: str) -> sqlite3.Connection | None:
    """``connection`` if its database is a record of this format for ``output``, else None."""
    try:
        if connection.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
            return None
        row = connection.execute("SELECT value FROM meta WHERE name = 'output'").fetchone()
        if row is None or row[0] != output:
            return None
    except sqlite3.Error:
        return None
    return connection


def _discard(file: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(f"{file}{suffix}")


def _published(output: str, files: tuple[str, ...]) -> list[list[Any]] | None:
    """Each file with its status as published, or None if one is missing already."""
    found = []
    for path in files:
        status = _stat(os.path.join(output, path))
        if status is None:
            return None
        found.append([path, *status])
    return found


def _files(value: Any, target: str) -> list[tuple[str, Status]]:
    """The files of an entry as :func:`save` wrote them: a page's own path, or an export
    job's files, each a relative path with its status."""
    files = json.loads(value) if isinstance(value, str) else None
    if not isinstance(files, list):
        raise Damaged("an entry's files are not a list")
    found = []
    for item in files:
        _expect(isinstance(item, list) and len(item) == 4 and isinstance(item[0], str))
        _expect(_is_relative(item[0]) and all(type(n) is int for n in item[1:]))
        found.append((item[0], (item[1], item[2], item[3])))
    if not target.startswith(EXPORT):
        _expect([path for path, _ in found] == [target])
    return found


def _numbers(value: Any) -> array.array:
    _expect(isinstance(value, bytes) and len(value) % 8 == 0)
    numbers = array.array(_ID)
    numbers.frombytes(value)
    return numbers


def _value(name: Any, key: Any, digest: Any) -> Dependency:
    _expect(isinstance(name, str) and isinstance(digest, str))
    _expect(key is None or isinstance(key, str))
    return name, key, digest


def _stat(path: str | Path) -> Status | None:
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return status.st_size, status.st_mtime_ns, status.st_ino


def _is_relative(path: str) -> bool:
    """Whether ``path`` stays inside the site: relative, no ``..`` (as text: a pathlib object
    for each of 260,000 files took seconds)."""
    return bool(path.strip("/.")) and not path.startswith("/") and ".." not in path.split("/")


def _expect(condition: bool) -> None:
    if not condition:
        raise Damaged("not a record of page dependencies")
