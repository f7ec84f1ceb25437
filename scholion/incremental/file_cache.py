"""Per-file results kept between builds, so that after an edit only the edited files are redone.

What is kept, for each content file: its parsed YAML (the data alone: positions are found
again only for a file that has a diagnostic, :meth:`Located.deferred`), its schema diagnostics
(:mod:`scholion.validate.schema`) and the HTML Python-Markdown made of each Markdown text in it
(:class:`MarkdownMemo`). Everything that joins files (references, anchoring, mentions, the
indexes) is computed again on every build.

Keys. An entry belongs to one version of one file: its key is a digest of the file's text, its
path and its identity on disk (inode, modification time, size: :attr:`Document.digest`), and of
the part of the engine that computes it (:data:`COMPUTED_BY`: its modules, schemas, Python and
the versions of its libraries). Any change to the file or to that code is a different key, so an
entry is never out of date, while a change elsewhere in the engine (templates, rendering) keeps
the cache warm.
The file's identity is there for trust: Git sets neither inode nor modification time, so a
``.cache/`` committed to a repository, or copied with it, never matches and is never used.

Trust. The cache is a file anyone could have written, so nothing read from it is believed: it is
SQLite holding JSON text (never pickle, whose loading runs code), each value is checked against
a digest of its key and text, keyed by this user's secret (:mod:`.sealing`) when there is one,
then against the shape its reader expects; any mismatch, a damaged or foreign database, a
locked or read-only one, is a miss, and the work is done again. Markdown is kept as it was
before sanitizing and sanitized on every use; the HTML of a linked article is sanitized again
unless the cache is sealed (:attr:`FileCache.sealed`), so HTML from a cache this user's builds
did not write never reaches a page without passing the sanitizer. A build with a warm cache,
a cold one, a damaged one or none produces the same bytes and the same diagnostics
(``tests/test_cache.py``).

Processes. Entries are read wherever the work runs, forked workers included, each process with
its own read-only connection (a connection must not cross a fork); new entries are collected in
the parent, from the workers' results, and written by :meth:`FileCache.save` in one transaction
after the workers are gone, so only one connection ever writes.

Bounds. :meth:`FileCache.save` deletes the entries of every file version not loaded by this
build, so the cache holds at most one entry of each kind per current file. ``.cache/`` is safe to
delete; ``--no-cache`` leaves it alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import itertools
import json
import operator
import os
import re
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import yaml

from scholion import jsontext
from scholion.diagnostics import Diagnostic, Severity
from scholion.incremental import sealing
from scholion.incremental.fingerprint import cache_dir, input_files
from scholion.incremental.spill import Pending
from scholion.load.documents import Document
from scholion.project import ENGINE, Project
from scholion.text.markup import MarkdownMemo

T = TypeVar("T")

FILE = "files.sqlite3"
FORMAT = 1
"""The layout of the database (``PRAGMA user_version``); another value is discarded."""


class Computation(NamedTuple):
    """What computes one kind of entry, besides its file: the engine's files (relative to
    ``scholion/``) with every engine module they import (``tests/test_cache.py`` checks the list
    against their imports), and the libraries they call (distribution names)."""

    files: tuple[str, ...]
    libraries: tuple[str, ...]


_LOADING = (
    *("incremental/file_cache.py", "load/__init__.py", "load/documents.py", "load/ids.py"),
    *("load/yamlsource.py", "load/per_document.py", "diagnostics.py", "parallel.py"),
    *("project.py", "__init__.py", "incremental/sealing.py", "jsontext.py"),
)

COMPUTED_BY = {
    "yaml": Computation(_LOADING, ("PyYAML",)),
    "markdown": Computation(
        ("incremental/file_cache.py", "incremental/sealing.py", "text/markup.py"), ("Markdown",)
    ),
    "schema": Computation(
        (
            *_LOADING,
            *("validate/schema.py", "schemas"),
        ),
        ("PyYAML", "jsonschema", "jsonschema-specifications", "referencing"),
    ),
    "linked": Computation(
        (
            *_LOADING,
            *("config.py", "model.py", "text/__init__.py", "text/index.py", "text/markup.py"),
            *("text/normalize.py", "load/history.py", "link/__init__.py", "link/aliases.py"),
            *("link/anchors.py", "link/entity_index.py", "link/indexes.py", "link/joins.py"),
            *("link/mentions.py", "link/quotes.py", "link/records.py", "link/regroup.py"),
            *("link/relations.py", "link/stored.py", "incremental/__init__.py"),
            *("incremental/codec.py", "incremental/dependencies.py", "incremental/readers.py"),
            *("incremental/fingerprint.py", "incremental/record.py", "incremental/spill.py"),
            "incremental/tracking.py",
        ),
        ("PyYAML", "Markdown", "nh3", "pyahocorasick"),
    ),
}
"""Each kind of entry: ``yaml``, the data of a file's YAML; ``schema``, its schema diagnostics;
``markdown``, Python-Markdown's HTML of its texts; ``linked``, what linking an article gave
(:mod:`scholion.link.stored`), keyed by its files and what else linking reads, not by one file."""

WARMTH = "#warmth"
"""The entry, among the linked articles', that says what the last save kept of them (never an
article's key, which is a hexadecimal digest): see :meth:`FileCache.linked_warmth`."""

_SURROGATE = re.compile("[\ud800-\udfff]")

_SCHEMA = """CREATE TABLE IF NOT EXISTS entries (
    key TEXT PRIMARY KEY, value TEXT NOT NULL, checksum TEXT NOT NULL)"""


class FileCache:
    """The per-file cache of one project (``.cache/files.sqlite3``), or none (``file=None``).

    Opened by the pipeline for one check or build and passed to the stages that use it."""

    def __init__(
        self,
        file: Path | None,
        engine: Mapping[str, bytes] | None = None,
        secret: bytes | None = None,
    ):
        self.file = file
        self._engine = engine or {kind: b"" for kind in COMPUTED_BY}
        self._secret = secret
        """The key of every entry's checksum (:mod:`scholion.incremental.sealing`), if any."""
        self._fresh = Pending(file.parent if file is not None else None)
        """Key → JSON, written by :meth:`save`; beyond a bound, held in a temporary file."""
        self._owner = os.getpid()
        self._memory: dict[tuple[str, str], Any] | None = None  # see in_memory()
        self._fresh_held: dict[tuple[str, str], Any] = {}
        self._checked: dict[str, tuple[Document, tuple[Diagnostic, ...]]] = {}
        """In memory: each file's schema diagnostics with the document they are of, handed
        back while the live site's next load reuses that very document (most files, on every
        edit): no lookup by digest, no rows turned into diagnostics again."""
        self._saved: tuple[Document, ...] = ()
        self._digests: Counter[str] = Counter()
        """In memory: the documents of the last save, and how many of them have each digest."""
        self._linked: set[str] = set()
        """The keys of this build's linked articles (:meth:`use_linked`): the entries of that
        kind :meth:`save` keeps."""
        self._readers: dict[int, sqlite3.Connection | None] = {}
        """One read-only connection per process: a worker inherits the parent's but never uses
        or closes it (and its finalizer never runs there, as workers end with ``os._exit``)."""

    @classmethod
    def of(cls, project: Project) -> FileCache:
        return cls(cache_dir(project) / FILE, engine_versions(), sealing.secret())

    @classmethod
    def in_memory(cls, file: Path | None = None) -> FileCache:
        """A cache held by this process for as long as it lives: ``serve`` keeps one for its
        session, so that an edit validates and converts only the files it changed. What is not
        in memory is read from ``file`` (a build's cache, as :meth:`of` opens it), which is
        never written; entries of files no longer loaded are dropped by :meth:`save`.

        In memory, entries are held as values under (kind, digest), not as checked JSON under
        a digest of the engine: they were made by this process, and a lookup for each of
        23,000 files on every edit must cost next to nothing."""
        cache = cls(file, engine_versions(), sealing.secret())
        cache._memory = {}
        return cache

    def parsed(self, digest: str) -> tuple[Any] | None:
        """(the data a parse of this version of a file gave,), if kept: see
        :class:`scholion.load.ParsedMemo`."""
        kept = self._get("yaml", digest, _parsed)
        return (kept["yaml"],) if kept is not None else None

    def keep_parsed(self, documents: Iterable[Document]) -> None:
        """Keep the data of each document parsed in this run, for the next to skip parsing it."""
        for doc in documents:
            if doc.located.parsed:
                self._put("yaml", doc.digest, {"yaml": doc.located.data})

    @property
    def sealed(self) -> bool:
        """Whether what is read from the file was written by a build of this user, with its
        secret (:mod:`scholion.incremental.sealing`), and nobody else: its HTML came out of the
        sanitizer then and need not pass it again."""
        return self._secret is not None

    @property
    def keeps_linked(self) -> bool:
        """Whether linked articles are kept (:meth:`keep_linked`): by a build's cache, on disk."""
        return self.file is not None and self._memory is None

    @property
    def reads_linked(self) -> bool:
        """Whether linked articles are read (:meth:`linked`): from a build's cache, by a build
        or by ``serve``, whose first load takes each article a build linked from there (at
        10,000 articles, linking them all again was most of the time ``serve`` took to start);
        ``serve`` keeps its later linking in memory and writes none."""
        return self.file is not None

    def linked(self, key: str) -> Any | None:
        """What linking an article gave, under ``key`` (:func:`scholion.link.stored.stored_key`),
        as JSON data for its reader to check; None if not kept."""
        return self._get("linked", key, lambda value: value) if self.reads_linked else None

    def use_linked(self, keys: Iterable[str]) -> None:
        """In the parent: the keys of the linked articles of this build, whose entries are kept
        (those of any other key are deleted by :meth:`save`)."""
        if self.keeps_linked:
            self._linked.update(keys)

    def keep_linked(self, key: str, text: str) -> None:
        """Keep ``text`` (JSON, made by a worker) under ``key``; not a text SQLite cannot hold
        as UTF-8 (a lone surrogate, which no content file can bring, but JSON could carry)."""
        if self.keeps_linked and (text.isascii() or not _SURROGATE.search(text)):
            assert os.getpid() == self._owner, "workers return their results to the parent"
            self._fresh[self._key("linked", key)] = text

    def linked_warmth(self) -> tuple[str, int] | None:
        """What the last save kept of the linked articles, if it kept any: the
        :func:`~scholion.incremental.fingerprint.linking_inputs` they were linked from and how
        many articles they are. So a build can tell, before loading, whether reading the
        corpus back from the cache will link nearly nothing again (``pipeline.build``)."""
        return self._get("linked", WARMTH, _warmth) if self.reads_linked else None

    def close(self) -> None:
        """Close this process's connection, before forking a process that opens its own."""
        self._close_reader()

    def markdown(self, doc: Document) -> MarkdownMemo:
        """A memo for the Markdown of ``doc``, holding what an earlier build converted."""
        return MarkdownMemo(dict(self._get("markdown", doc.digest, _text_map) or {}))

    def keep_markdown(self, digest: str, memo: MarkdownMemo) -> None:
        """Keep what ``memo`` converted, for the file whose :attr:`Document.digest` is given."""
        if memo.fresh:
            self._put("markdown", digest, memo.known)

    def diagnostics(self, doc: Document) -> list[Diagnostic] | None:
        """The schema diagnostics an earlier build found in this version of ``doc``, if kept."""
        checked = self._checked.get(doc.path)
        if checked is not None and checked[0] is doc:
            return list(checked[1])
        rows = self._get("schema", doc.digest, _diagnostic_rows)
        if rows is None:
            return None
        found = [Diagnostic(doc.path, *row) for row in rows]
        self._check_held(doc, found)
        return found

    def keep_diagnostics(self, doc: Document, found: Iterable[Diagnostic]) -> None:
        found = list(found)
        rows = [[d.line, d.col, str(d.severity), d.message, d.hint] for d in found]
        self._put("schema", doc.digest, rows)
        self._check_held(doc, found)

    def _check_held(self, doc: Document, found: list[Diagnostic]) -> None:
        if self._memory is not None:
            self._checked[doc.path] = (doc, tuple(found))

    def save(self, documents: Iterable[Document], linking_inputs: str = "") -> None:
        """Write what was kept and delete the entries of files not among ``documents``; in the
        process that opened the cache, once no worker is reading. Never raises: a cache that
        cannot be written (read-only, locked by another build) is simply not updated.
        ``linking_inputs``: what this build's articles were linked from, for
        :meth:`linked_warmth` (taken before loading, so that an edit made during the build
        makes the next one see a change)."""
        assert os.getpid() == self._owner, "only the parent process writes the cache"
        if self._memory is not None:
            self._memory.update(self._fresh_held)
            self._fresh_held.clear()
            self._forget_unloaded(self._memory, tuple(documents))
            return
        if self.file is None:
            return
        self._close_reader()
        docs = [doc for doc in documents if doc.digest]
        per_file = [kind for kind in self._engine if kind != "linked"]  # keyed by a file
        loaded = {self._key(kind, doc.digest) for kind in per_file for doc in docs}
        loaded.update(self._key("linked", key) for key in self._linked)
        if linking_inputs and self._linked:
            warmth = self._key("linked", WARMTH)
            self._fresh[warmth] = json.dumps([linking_inputs, len(self._linked)])
            loaded.add(warmth)
        for _attempt in range(2):
            try:
                self._write(loaded)
                break
            except sqlite3.OperationalError as exc:
                if _busy(exc):
                    break  # another build holds it: this one's entries are simply not kept
                self._discard()  # a foreign or damaged database: start a new one
            except sqlite3.Error:
                self._discard()
            except OSError:
                break
        self._fresh.clear()

    def _forget_unloaded(
        self, memory: dict[tuple[str, str], Any], documents: tuple[Document, ...]
    ) -> None:
        """Drop what ``memory`` holds for files no longer among ``documents``. After an edit
        only the documents at the places where ``documents`` holds another object than the
        last save's can have gone (paths are unique, so a path at any other place is the same
        document as before); a digest two files share goes with the last of them."""
        last, self._saved = self._saved, documents
        places = range(len(documents))
        replaced = (
            list(itertools.compress(places, map(operator.is_not, last, documents)))
            if len(last) == len(documents)
            else None
        )
        if replaced is None or len(replaced) > len(documents) // 8:
            self._digests = Counter(doc.digest for doc in documents)
            for key in [key for key in memory if key[1] not in self._digests]:
                del memory[key]
            paths = {doc.path for doc in documents}
            for path in [path for path in self._checked if path not in paths]:
                del self._checked[path]
            return
        old, new = [last[i] for i in replaced], [documents[i] for i in replaced]
        self._digests.update(doc.digest for doc in new)
        self._digests.subtract(doc.digest for doc in old)
        for digest in {doc.digest for doc in old}:
            if self._digests[digest] <= 0:
                del self._digests[digest]
                for kind in COMPUTED_BY:
                    memory.pop((kind, digest), None)
        for path in {doc.path for doc in old} - {doc.path for doc in new}:
            self._checked.pop(path, None)

    def _key(self, kind: str, digest: str) -> str:
        return _digest(self._engine[kind], kind.encode(), digest.encode())

    def _get(self, kind: str, digest: str, shape: Callable[[Any], T | None]) -> T | None:
        """The value kept under (``kind``, ``digest``) if it is intact and has ``shape``."""
        if self._memory is not None:
            held = self._fresh_held.get((kind, digest))
            if held is None:
                held = self._memory.get((kind, digest))
            if held is not None and digest:
                return shape(held)
        connection = self._connection() if digest else None
        if connection is None:
            return None
        key = self._key(kind, digest)
        try:
            rows = connection.execute(
                "SELECT value, checksum FROM entries WHERE key = ?", (key,)
            ).fetchall()
        except sqlite3.Error:
            self._close_reader()  # locked or damaged: this process stops asking (a miss each)
            self._readers[os.getpid()] = None
            return None
        if len(rows) != 1 or not all(isinstance(v, str) for v in rows[0]):
            return None
        value, checksum = rows[0]
        if checksum != self._checksum(key, value):
            return None
        try:
            return shape(json.loads(value))
        except (ValueError, RecursionError):
            return None

    def _put(self, kind: str, digest: str, value: object) -> None:
        if not digest or (self.file is None and self._memory is None):
            return
        assert os.getpid() == self._owner, "workers return their results to the parent"
        if self._memory is not None:
            self._fresh_held[(kind, digest)] = value
        else:
            self._fresh[self._key(kind, digest)] = jsontext.stored(value)

    def _connection(self) -> sqlite3.Connection | None:
        """This process's read-only connection (a forked worker opens its own)."""
        if self.file is None:
            return None
        pid = os.getpid()
        if pid not in self._readers:
            self._readers[pid] = _open_reader(self.file)
        return self._readers[pid]

    def _close_reader(self) -> None:
        connection = self._readers.pop(os.getpid(), None)
        if connection is not None:
            connection.close()

    def _write(self, loaded: set[str]) -> None:
        assert self.file is not None
        self.file.parent.mkdir(exist_ok=True)
        connection = sqlite3.connect(self.file, timeout=2)
        try:
            if connection.execute("PRAGMA user_version").fetchone()[0] != FORMAT:
                connection.execute("DROP TABLE IF EXISTS entries")
                connection.execute(f"PRAGMA user_version = {FORMAT}")
            connection.execute("PRAGMA synchronous = OFF")  # a torn write is a checksum miss
            connection.execute(_SCHEMA)
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO entries VALUES (?, ?, ?)",
                    (
                        (key, value, self._checksum(key, value))
                        for key, value in self._fresh.items()
                    ),
                )
                # The keys alone come from the key's index; deleting "WHERE key NOT IN" a table
                # of the loaded ones read every entry (a second at 10,000 articles, for the
                # few an edit leaves behind).
                keys = connection.execute("SELECT key FROM entries").fetchall()
                stale = [row for row in keys if row[0] not in loaded]
                connection.executemany("DELETE FROM entries WHERE key = ?", stale)
            _shrink(connection)
        finally:
            connection.close()

    def _checksum(self, key: str, value: str) -> str:
        """The digest kept with ``value`` under ``key``: keyed by the secret when there is one,
        so that only a build of this user can write an entry that passes."""
        return _digest(key.encode(), value.encode(), secret=self._secret or b"")

    def _discard(self) -> None:
        assert self.file is not None
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.file}{suffix}")


def _shrink(connection: sqlite3.Connection) -> None:
    """Give the file's free pages back once they are a third of it. SQLite keeps the pages of
    deleted entries for later ones, so after an engine change (every entry replaced by one
    under a new key) the file held the old entries' space and the new ones': 880 MB at 10,000
    articles for 440 MB of entries. An edit frees a few pages and leaves the file as it is."""
    with contextlib.suppress(sqlite3.Error):  # the entries are written: this only saves space
        free = connection.execute("PRAGMA freelist_count").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        if pages and free * 3 > pages:
            connection.execute("VACUUM")


def engine_versions() -> dict[str, bytes]:
    """For each kind of entry, a digest of what computes it (:data:`COMPUTED_BY`)."""
    return {kind: _version(computation) for kind, computation in COMPUTED_BY.items()}


def _version(computation: Computation) -> bytes:
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([FORMAT, sys.version, yaml.__with_libyaml__]).encode())
    for part in computation.files:
        for path in input_files(ENGINE / part):
            digest.update(f"\0{path.relative_to(ENGINE.parent).as_posix()}\0".encode())
            digest.update(path.read_bytes())
    for name in computation.libraries:
        digest.update(f"\0{name} {importlib.metadata.version(name)}".encode())
    return digest.digest()


def _open_reader(file: Path) -> sqlite3.Connection | None:
    try:
        connection = sqlite3.connect(f"{file.as_uri()}?mode=ro", uri=True, timeout=1)
        if connection.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
            return connection
        connection.close()
    except (sqlite3.Error, ValueError):
        pass  # no cache yet, or not a database: every lookup is a miss
    return None


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in str(exc)


def _digest(*parts: bytes, secret: bytes = b"") -> str:
    digest = hashlib.blake2b(digest_size=20, key=secret)
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    return digest.hexdigest()


def _text_map(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return value
    return None


def _warmth(value: Any) -> tuple[str, int] | None:
    if type(value) is list and len(value) == 2 and isinstance(value[0], str):
        return (value[0], value[1]) if _count(value[1]) else None
    return None


def _parsed(value: Any) -> dict[str, Any] | None:
    """Parsed YAML is any JSON value (mappings, lists, text, numbers, booleans, null), kept
    under the one key ``yaml``."""
    return value if isinstance(value, dict) and value.keys() == {"yaml"} else None


def _diagnostic_rows(value: Any) -> list[tuple[int, int, Severity, str, str]] | None:
    """Rows of (line, col, severity, message, hint), or None if any row is malformed."""
    if not isinstance(value, list):
        return None
    rows = []
    for row in value:
        if not (isinstance(row, list) and len(row) == 5):
            return None
        line, col, severity, message, hint = row
        if not (_count(line) and _count(col) and isinstance(message, str)):
            return None
        if not (isinstance(hint, str) and isinstance(severity, str) and severity in _SEVERITIES):
            return None
        rows.append((line, col, Severity(severity), message, hint))
    return rows


_SEVERITIES = frozenset(s.value for s in Severity)


def _count(value: object) -> bool:
    return type(value) is int and value >= 0
