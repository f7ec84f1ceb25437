"""Page-level dependencies: a rebuild renders again only the pages whose inputs changed.

Each page of an incremental build has an :class:`Entry`: a digest of its interface (everything
not tracked per page: the engine, the theme's templates and static files, the locales, Python
and its libraries, the build options, the interface language and its configuration), a digest
of its route (path, template, and the context planning gave it: a listing's records, say), and
every value it read of the corpus (:mod:`scholion.incremental.tracking`) with the digest of what it
found.
The next build keeps a page's file as it is, without rendering it, when its entry is still true
(:meth:`Inputs.unchanged`); otherwise it renders the page and notes what it read this time.

The open-data exports are followed the same way, a job at a time (the files of one record, or
one corpus-wide group): an export job whose reads are unchanged is not run again and its files
are kept.

Entries are kept in ``.cache/pages.json`` with each file as published (size, modification
time, inode), and an entry counts only while every file it made is in the staging directory as
that very file (a hard link to it, untouched). The record is untrusted: JSON (never pickle),
its shape checked; anything unexpected, and the pages are rendered. Workers check and render;
only the parent writes the record, after the site is published. ``.cache/`` is safe to delete.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from scholion.incremental import fingerprint as rebuild
from scholion.incremental.tracking import Dependency, Digests, Read, Untrackable, sources, untracked
from scholion.model import Corpus
from scholion.project import Project


@dataclass(frozen=True, slots=True)
class Entry:
    """What one page was rendered from: the digests of its interface and of its route, and
    every value it read with the digest of what it found, sorted."""

    interface: str
    route: str
    reads: tuple[Dependency, ...]
    files: tuple[str, ...] = ()
    """The files an export job made; a page's one file is the path its entry is kept under."""


class Known:
    """The entries of the last build (``previous``: only those whose files are still in the
    staging directory as that build published them, see :func:`load`) and this build's, added
    as its pages and export jobs come, each under its target: a page's path, or an export
    job's name (:data:`EXPORT` and the job, a colon no page's path has: ids and slugs are
    ``[a-z0-9-]``); ``theme`` is the digest of :func:`theme`."""

    def __init__(self, theme: str, previous: Mapping[str, Entry] | None = None):
        self.theme = theme
        self.previous = dict(previous or {})
        self.digests = Digests()
        self.entries: dict[str, Entry] = {}
        self.made: list[str] = []
        """The pages this build rendered (the others were kept), in the order they came."""
        self.exported: list[str] = []
        """The export jobs this build ran (the others' files were kept), in order."""
        self._shared: dict[Dependency, Dependency] = {}
        """One copy of each dependency, however many pages have it (workers send copies)."""

    def inputs(self, interface: Any) -> Inputs:
        """What the pages of one interface (a :class:`scholion.render.Interface`) share: every
        field of it but its Jinja environment (made from the theme's templates, its language and
        the locales: all in ``theme``), its routes (each page's own route is in its entry) and
        its corpus, whose :func:`untracked` fields are added and the rest tracked per page."""
        shared = {
            f.name: getattr(interface, f.name)
            for f in dataclasses.fields(interface)
            if f.name not in _PER_PAGE
        }
        try:
            digest = self.digests.of((self.theme, shared, untracked(interface.corpus))).hex()
        except Untrackable:
            digest = None  # no page of this interface is kept
        return Inputs(self, digest, sources(interface.corpus))

    def export_inputs(self, corpus: Corpus) -> Inputs:
        """What every export job shares: the engine and the build options (in ``theme``) and
        the corpus's :func:`untracked` fields (its configuration); the rest tracked per job."""
        try:
            digest = self.digests.of((self.theme, "exports", untracked(corpus))).hex()
        except Untrackable:
            digest = None
        return Inputs(self, digest, sources(corpus))

    def add(self, target: str, entry: Entry | None, rendered: bool) -> None:
        """Note a page of this build: rendered, with its ``entry`` (None: untracked, rendered
        again next time), or kept, its last entry still true."""
        self._note(target, entry, rendered)
        if rendered:
            self.made.append(target)

    def add_export(self, target: str, entry: Entry | None, ran: bool) -> None:
        """Note an export job of this build, as :meth:`add` does a page."""
        self._note(target, entry, ran)
        if ran:
            self.exported.append(target)

    def _note(self, target: str, entry: Entry | None, made: bool) -> None:
        """A kept page's entry is the last build's, which the worker that checked it does not
        send back: at 10,000 articles, pickling 110,000 entries in the workers and reading
        them in the parent took more than checking them."""
        if not made:
            self.entries[target] = self.previous[target]
        elif entry is not None:
            reads = tuple(self._shared.setdefault(read, read) for read in entry.reads)
            self.entries[target] = Entry(entry.interface, entry.route, reads, entry.files)

    @property
    def rendered(self) -> int:
        return len(self.made)


_PER_PAGE = ("env", "routes", "corpus")
"""Fields of an interface not in its digest. The environment is left out because
:func:`scholion.render.environment.make_environment` builds it from the templates, the language
and the locales alone: a global made from the corpus would have to be digested here."""


@dataclass(frozen=True)
class Inputs:
    """The inputs of one interface's pages: its digest (None when something in it cannot be
    digested) and the corpus's tracked :func:`sources`."""

    known: Known
    digest: str | None
    parts: dict[str, Any]

    def unchanged(self, target: str, route: object) -> Entry | None:
        """The last build's entry for ``target`` if its interface, its route and every value it
        read are the same now, so that its files can be kept as they are; else None."""
        old = self.known.previous.get(target)
        if old is None or self.digest is None or old.interface != self.digest:
            return None
        read = self.known.digests.read
        try:
            if old.route != self.known.digests.of(route).hex():
                return None
            same = all(read(self.parts, name, key) == digest for name, key, digest in old.reads)
        except Untrackable:
            return None
        return old if same else None

    def entry(self, route: object, reads: set[Read], files: tuple[str, ...] = ()) -> Entry | None:
        """The entry of a page just rendered from ``route`` that read ``reads`` (or of an
        export job, with the ``files`` it made)."""
        if self.digest is None:
            return None
        digests = self.known.digests
        try:
            found = [(name, key, digests.read(self.parts, name, key)) for name, key in reads]
            route_digest = digests.of(route).hex()
        except Untrackable:
            return None
        found.sort(key=lambda read: (read[0], read[1] is not None, read[1] or ""))
        return Entry(self.digest, route_digest, tuple(found), files)


def theme(
    inputs: Iterable[Path], options: Mapping[str, object], hashes: rebuild.FileHashes | None = None
) -> str:
    """A digest of what every page depends on besides the corpus: ``inputs`` (templates, static
    files, locales), the engine's code and schemas, Python and the version of every installed
    library, and the build ``options``."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([FORMAT, sys.version, options], default=str).encode())
    digest.update(json.dumps(installed()).encode())
    rebuild.digest_files(digest, inputs, hashes)
    return digest.hexdigest()


def installed() -> list[str]:
    """Every library installed on the import path, with its version: the names of the
    metadata folders installers write (``Jinja2-3.1.4.dist-info``). Listing them took a
    hundredth of the time reading each one's metadata did (0.04 s on every build)."""
    found: set[str] = set()
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue  # a zip file, or a folder gone
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info")))
    return sorted(found)


RECORD = "pages.json"
FORMAT = 2

EXPORT = "export:"
"""How an export job's target begins (see :class:`Known`)."""


def load(project: Project, staging: Path) -> dict[str, Entry]:
    """The last build's entries (``.cache/pages.json``) whose files are all in ``staging`` as
    that build published them: same size, modification time and inode, i.e. hard links to the
    published files, untouched since. The record is untrusted: {} (every page rendered, every
    export made) when it is missing, is for another output, or anything in it is not as
    written."""
    try:
        record = json.loads((rebuild.cache_dir(project) / RECORD).read_text(encoding="utf-8"))
        _expect(record["format"] == FORMAT and record["output"] == str(project.output))
        reads = [_dependency(read) for read in record["reads"]]
        found = {}
        for path, (interface, route, status, indices) in record["pages"].items():
            _expect(isinstance(interface, str) and isinstance(route, str))
            _expect(isinstance(indices, list) and all(_index(i, len(reads)) for i in indices))
            if _is_relative(path) and _stat(staging / path) == status:
                found[path] = Entry(interface, route, tuple(reads[i] for i in indices))
        for target, (interface, route, files, indices) in record["exports"].items():
            _expect(isinstance(interface, str) and isinstance(route, str))
            _expect(isinstance(indices, list) and all(_index(i, len(reads)) for i in indices))
            _expect(target.startswith(EXPORT) and isinstance(files, list))
            paths = tuple(_file(file) for file in files)
            if all(_stat(staging / path) == status for path, *status in files):
                found[target] = Entry(interface, route, tuple(reads[i] for i in indices), paths)
        return found
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return {}


def save(project: Project, known: Known) -> None:
    """Record this build's entries with each file as published (after
    :func:`scholion.output.write.publish`); only the parent process, once the workers are gone."""
    index: dict[Dependency, int] = {}
    pages: dict[str, list[Any]] = {}
    exports: dict[str, list[Any]] = {}
    for target, entry in known.entries.items():
        if target.startswith(EXPORT):
            statuses = [[path, *(_stat(project.output / path) or [])] for path in entry.files]
            if any(len(status) == 1 for status in statuses):
                continue  # a file gone already: the job runs again next time
            numbers = [index.setdefault(read, len(index)) for read in entry.reads]
            exports[target] = [entry.interface, entry.route, statuses, numbers]
            continue
        status = _stat(project.output / target)
        if status is not None:
            numbers = [index.setdefault(read, len(index)) for read in entry.reads]
            pages[target] = [entry.interface, entry.route, status, numbers]
    reads = [list(read) for read in index]
    record = {
        "format": FORMAT,
        "output": str(project.output),
        "reads": reads,
        "pages": pages,
        "exports": exports,
    }
    rebuild.save_record(project, RECORD, record)


def _stat(path: Path) -> list[int] | None:
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ino]


def _dependency(value: Any) -> Dependency:
    _expect(isinstance(value, list) and len(value) == 3)
    name, key, digest = value
    _expect(isinstance(name, str) and isinstance(digest, str))
    _expect(key is None or isinstance(key, str))
    return name, key, digest


def _file(value: Any) -> str:
    """The path of a file an export job made, from its ``[path, size, mtime, inode]``."""
    _expect(isinstance(value, list) and len(value) == 4 and isinstance(value[0], str))
    _expect(_is_relative(value[0]))
    return str(value[0])


def _index(value: Any, count: int) -> bool:
    return type(value) is int and 0 <= value < count


def _is_relative(path: str) -> bool:
    pure = PurePosixPath(path)
    return bool(pure.parts) and not pure.is_absolute() and ".." not in pure.parts


def _expect(condition: bool) -> None:
    if not condition:
        raise ValueError("not a record of page dependencies")
