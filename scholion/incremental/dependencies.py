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

Entries are kept in ``.cache/pages.sqlite3`` (:mod:`scholion.incremental.record`) with each
file as published (size, modification time, inode), and an entry counts only while every file
it made is in the staging directory as that very file (a hard link to it, untouched). Workers
check the entries a block at a time (:meth:`Known.unchanged`), then render what changed; only
the parent writes the record, after the site is published.
"""

from __future__ import annotations

import array
import dataclasses
import functools
import hashlib
import json
import operator
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from scholion import parallel
from scholion.incremental import fingerprint as rebuild
from scholion.incremental import record
from scholion.incremental.tracking import (
    Dependency,
    Digests,
    Read,
    Untrackable,
    read_order,
    sources,
    untracked,
)
from scholion.project import Project

if TYPE_CHECKING:
    from scholion.model import Corpus  # in annotations only: the no-change build needs no model


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
    """The last build's entries (``previous``, looked up as they are needed: see
    :class:`scholion.incremental.record.Previous`) and this build's, noted as its pages and
    export jobs come, each under its target: a page's path, or an export job's name
    (:data:`EXPORT` and the job); ``theme`` is the digest of :func:`theme`."""

    def __init__(self, theme: str, previous: record.Previous | None = None):
        self.theme = theme
        self.previous = previous
        self.digests = Digests()
        self.seen: list[str] = []
        """Every target of this build, made or kept."""
        self.fresh: dict[str, Entry | None] = {}
        """The entries of what this build made (None: untracked, made again next time)."""
        self.made: list[str] = []
        """The pages this build rendered (the others were kept), in the order they came."""
        self.exported: list[str] = []
        """The export jobs this build ran (the others' files were kept), in order."""
        self._shared: dict[Dependency, Dependency] = {}
        """One copy of each dependency, however many pages have it (workers send copies)."""
        self._compared: tuple[dict[str, Any], dict[int, bool], set[int]] | None = None
        self._kept_files: dict[str, tuple[str, ...]] = {}
        """The files of each export job :meth:`unchanged` kept."""
        self._also: list[Target] = []
        """Targets to check with the next ones :meth:`unchanged` is asked about."""
        self._decided: dict[str, bool] = {}
        """Whether each target checked so far is kept."""
        self.places: dict[str, record.Place] = {}
        """Where each piece of the export jobs this build ran is in its file."""
        self.drift: record.Drift | None = None
        """What differs from the kept state this build resumed from (:meth:`resume`), to be
        recorded; or the state this build kept, with nothing differing (:meth:`kept`)."""
        self._since: record.Drift | None = None
        """What differed from that state at the last build too, when its record says so: the
        values and routes to compare; every other is as the last build had it."""

    def resume(self, state: str, reads: set[Read]) -> None:
        """This build resumed from the kept state named ``state``, and ``reads`` (a mapping
        and key) are what differ from it now. When the last build's record says what differed
        from the same state then, only the values that differed then or now are compared
        (:meth:`compared`), and only the routes made again then or now (:meth:`routes_made`):
        each other one is the same as in the state both times, so as the last build had it."""
        self.drift = record.Drift(state, frozenset(reads), frozenset())
        last = self.previous.drift if self.previous else None
        self._since = None
        if last is not None and last.state == state:
            self._since = record.Drift(state, last.reads | self.drift.reads, last.routes)

    def kept(self, state: str) -> None:
        """This build's checked state is kept as ``state``: the next build resumes from it.
        Told once the pages are made (:meth:`routes_made` then notes nothing more)."""
        self.drift = record.Drift(state, frozenset(), frozenset())

    def routes_made(self, paths: Iterable[str]) -> None:
        """The pages whose route planning made again (not the kept state's): only these, and
        those made again at the last build, have their route digested to be compared."""
        if self.drift is not None:  # resumed (a state kept is kept after the pages)
            self.drift = self.drift._replace(routes=self.drift.routes | frozenset(paths))
            if self._since is not None:
                self._since = self._since._replace(routes=self._since.routes | self.drift.routes)

    def route_kept(self, target: str) -> bool:
        """Whether ``target``'s route is the one the last build had (:meth:`resume`)."""
        return self._since is not None and target not in self._since.routes

    def found_before(self, target: str) -> dict[Read, str]:
        """What the values ``target`` read at the last build are now, as far as the record
        tells without digesting them (:meth:`resume`: the values that did not differ from the
        kept state then or now); nothing when this build did not resume."""
        if self._since is None or self.previous is None:
            return {}
        changed = self._since.reads
        found = self.previous.found(target)
        return {read: digest for read, digest in found.items() if read not in changed}

    def last(self, target: str) -> record.Recorded | None:
        """The last build's entry for ``target``, if its files are still as it published them."""
        return None if self.previous is None else self.previous.get(target)

    def unchanged(self, targets: Sequence[Target]) -> bytes:
        """For each target, 1 if the last build's entry for it is still true
        (:meth:`Inputs.unchanged`: its files are kept as they are), else 0. Decided before
        anything is made, on every core a block at a time, each worker sending back a byte per
        target, so that only the pages and export jobs to make again are handed out: each page
        used to go to a worker to be checked and come back kept, one at a time (at 10,000
        articles, 114,000 targets to find the 29 an edited claim changes)."""
        to_check = [target for target in targets if target[1] not in self._decided] + self._also
        self._also = []
        if not self.previous:
            return bytes(len(targets))  # no record (a first build): nothing is kept
        decided = self._decided
        blocks = [
            (start, min(start + TARGETS_AT_ONCE, len(to_check)))
            for start in range(0, len(to_check), TARGETS_AT_ONCE)
        ]
        check = functools.partial(_unchanged_block, targets=to_check)
        found = parallel.ordered_map(check, blocks, chunk=1, threshold=2) if blocks else ()
        for (start, end), (kept, files) in zip(blocks, found, strict=True):
            names = (target for _, target, _ in to_check[start:end])
            decided.update(zip(names, map(bool, kept), strict=True))
            self._kept_files.update(files)
        return bytes(decided[target] for _, target, _ in targets)

    def check_also(self, targets: Sequence[Target]) -> None:
        """Check ``targets`` with the next ones :meth:`unchanged` is asked about, in the same
        workers, and answer for them from that: the export jobs' entries with the pages',
        before the search stage starts beside the exports (at 10,000 articles, checked on their
        own, 0.9 s and, sharing the cores with the search stage, 2.1 s)."""
        self._also += targets

    def kept_files(self, target: str) -> tuple[str, ...]:
        """The files of a target :meth:`unchanged` found unchanged, as recorded: an export
        job's come from the worker that checked it, which had them decoded (decoding them
        again here, one job after another, took 1.3 s at 10,000 articles)."""
        files = self._kept_files.get(target)
        if files is not None:
            return files
        assert self.previous is not None  # a target is kept only by the record's entry
        return self.previous.files(target)

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
        return self._inputs(digest, sources(interface.corpus))

    def export_inputs(self, corpus: Corpus) -> Inputs:
        """What every export job shares: the engine and the build options (in ``theme``) and
        the corpus's :func:`untracked` fields (its configuration); the rest tracked per job."""
        try:
            digest = self.digests.of((self.theme, "exports", untracked(corpus))).hex()
        except Untrackable:
            digest = None
        return self._inputs(digest, sources(corpus))

    def _inputs(self, digest: str | None, parts: dict[str, Any]) -> Inputs:
        same = self.compared(parts)
        assert self._compared is not None  # set by compared()
        return Inputs(self, digest, parts, same, self._compared[2])

    def compared(self, parts: dict[str, Any]) -> dict[int, bool]:
        """For each value the last build recorded (by its number), whether it reads the same in
        ``parts`` (the corpus's tracked mappings): found once, on every core, each value in one
        worker, before any page or export job is checked; what each reads now is remembered
        here (:meth:`Digests.remember`), so the workers forked next, noting what a page they
        render reads, find it. Asked by each worker for the entries it checked, most values
        were digested in every worker, and again for the exports (at 10,000 articles, 400,000
        values: 14 s in one process). Every interface language reads the same mappings, so
        they are compared once for all."""
        if self._compared is not None:
            last, same, _ = self._compared
            if last.keys() == parts.keys() and all(
                map(operator.is_, last.values(), parts.values())
            ):
                return same
        if self.previous is None:
            same = {}
        elif self._since is not None:
            same = self._compare_since(self.previous, parts, self._since.reads)
        else:
            same = self._compare(self.previous, parts)
        self._compared = (parts, same, {number for number, now in same.items() if not now})
        return same

    def _compare(self, previous: record.Previous, parts: dict[str, Any]) -> dict[int, bool]:
        """A group of values to each worker, in the order of what they name: a worker digests
        a record once however many of its values hold it (a mention is in its article's, its
        entity's and its group's)."""
        numbers = previous.numbers()
        size = max(VALUES_AT_ONCE, -(-len(numbers) // parallel.workers()))
        groups = [numbers[i : i + size] for i in range(0, len(numbers), size)]
        compare = functools.partial(_read_now, previous=previous, parts=parts)
        same: dict[int, bool] = {}
        found = parallel.ordered_map(compare, groups, chunk=1, threshold=2)
        for group, (digests, items) in zip(groups, found, strict=True):
            for number, now, listed in zip(group, digests, items, strict=True):
                name, key, digest = previous.value(number)
                same[number] = now == digest
                if now is not None:
                    self.digests.remember(parts, name, key, now, listed)
        return same

    def _compare_since(
        self, previous: record.Previous, parts: dict[str, Any], changed: frozenset[Read]
    ) -> dict[int, bool]:
        """Every recorded value the same but those read in ``changed``, which are digested
        here (a few: those of the records an edit touched, and the mappings holding them)."""
        same = dict.fromkeys(previous.every_number(), True)
        for number in previous.numbered(changed):
            name, key, digest = previous.value(number)
            try:
                same[number] = self.digests.read(parts, name, key) == digest
            except Untrackable:
                same[number] = False
        return same

    def add(self, target: str, entry: Entry | None, rendered: bool) -> None:
        """Note a page of this build: rendered, with its ``entry`` (None: untracked, rendered
        again next time), or kept, its last entry still true."""
        self._note(target, entry, rendered)
        if rendered:
            self.made.append(target)

    def add_export(
        self, target: str, entry: Entry | None, ran: bool, pieces: Iterable[Piece] = ()
    ) -> None:
        """Note an export job of this build, as :meth:`add` does a page, with the pieces its
        files were made in if it ran (:mod:`scholion.exports.pieces`); a job kept keeps its
        pieces' entries and places as the record has them."""
        self._note(target, entry, ran)
        if ran:
            self.exported.append(target)
            for piece in pieces:
                self._note(piece.target, piece.entry, piece.made)
                self.places[piece.target] = piece.place
        elif self.previous is not None:
            self.seen.extend(self.previous.pieces(target))

    def _note(self, target: str, entry: Entry | None, made: bool) -> None:
        """A kept target's entry stays as the record has it: the worker that checked it does
        not send it back (at 10,000 articles, pickling 110,000 entries in the workers and
        reading them in the parent took more than checking them)."""
        self.seen.append(target)
        if made:
            if entry is not None:
                reads = tuple(self._shared.setdefault(read, read) for read in entry.reads)
                entry = Entry(entry.interface, entry.route, reads, entry.files)
            self.fresh[target] = entry

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
    same: dict[int, bool] = dataclasses.field(default_factory=dict, compare=False)
    """For each value the last build recorded (by its number), whether it reads the same now
    (:meth:`Known.compared`; a number it lacks is asked here, once per process), however many
    pages read it (at 10,000 articles, 3.6 million reads of 400,000 values)."""
    changed: set[int] = dataclasses.field(default_factory=set, compare=False)
    """The numbers ``same`` has as read differently now: an entry's numbers are looked for in
    it in one call (in C), not one at a time."""

    def unchanged(self, target: str, route: object) -> record.Recorded | None:
        """The last build's entry for ``target`` if its interface, its route and every value it
        read are the same now, so that its files can be kept as they are; else None."""
        old = self.known.last(target)
        if old is None or self.digest is None or old.interface != self.digest:
            return None
        try:
            kept = self.known.route_kept(target)  # the same route object as the last build's
            if not kept and old.route != self.known.digests.of(route).hex():
                return None
            if not self.reads_the_same(old.numbers):
                return None
        except (Untrackable, ValueError):
            return None
        return old

    def reads_the_same(self, numbers: array.array) -> bool:
        """Whether every value of ``numbers`` reads the same now."""
        same = self.same
        if all(map(same.__contains__, numbers)):  # compared already: all of them, usually
            return self.changed.isdisjoint(numbers)
        for number in numbers:
            found = same.get(number)
            if found is None:
                found = same[number] = self._reads_the_same(number)
                if not found:
                    self.changed.add(number)
            if not found:
                return False
        return True

    def _reads_the_same(self, number: int) -> bool:
        assert self.known.previous is not None  # an entry was found in it
        name, key, digest = self.known.previous.value(number)
        return self.known.digests.read(self.parts, name, key) == digest

    def entry(
        self, target: str, route: object, reads: set[Read], files: tuple[str, ...] = ()
    ) -> Entry | None:
        """The entry of a page just rendered from ``route`` that read ``reads`` (or of an
        export job, with the ``files`` it made)."""
        if self.digest is None:
            return None
        digests = self.known.digests
        before = self.known.found_before(target)
        try:
            found = [
                (name, key, before.get((name, key)) or digests.read(self.parts, name, key))
                for name, key in reads
            ]
            route_digest = digests.of(route).hex()
        except Untrackable:
            return None
        found.sort(key=read_order)
        return Entry(self.digest, route_digest, tuple(found), files)


class Piece(NamedTuple):
    """A piece of an export job's file (:mod:`scholion.exports.pieces`): its target, whether
    it was made (with its ``entry``) or taken from the last build's file (its entry as the
    record has it), and its place in the file."""

    target: str
    made: bool
    entry: Entry | None
    place: record.Place


Target = tuple["Inputs", str, object]
"""A page or export job to check: the inputs of its interface, its target (a page's path, an
export job's name after :data:`EXPORT`) and its route."""

TARGETS_AT_ONCE = 2_000
"""Targets a worker checks at once (:meth:`Known.unchanged`)."""


def _unchanged_block(
    block: tuple[int, int], targets: Sequence[Target]
) -> tuple[bytes, list[tuple[str, tuple[str, ...]]]]:
    """A byte for each target of ``block`` (1: kept), and the files of each export job kept."""
    start, end = block
    kept, files = bytearray(), []
    for inputs, target, route in targets[start:end]:
        found = inputs.unchanged(target, route)
        kept.append(found is not None)
        if found is not None and target.startswith(EXPORT):
            files.append((target, found.files))
    return bytes(kept), files


VALUES_AT_ONCE = 20_000
"""The fewest recorded values a worker compares (:meth:`Known.compared`): below twice as many
they are compared in one process."""


def _read_now(
    numbers: list[int], previous: record.Previous, parts: dict[str, Any]
) -> tuple[list[str | None], list[bytes]]:
    """What each value of ``numbers`` reads in ``parts`` now (its digest), or None for one the
    record damaged or that cannot be digested; and the digests of its items
    (:meth:`Digests.items_read`)."""
    digests = Digests()
    found: list[str | None] = []
    items: list[bytes] = []
    for number in numbers:
        try:
            name, key, _ = previous.value(number)
            now, listed = digests.read(parts, name, key), digests.items_read(parts, name, key)
        except (Untrackable, ValueError):
            now, listed = None, b""
        found.append(now)
        items.append(listed)
    return found, items


def theme(
    inputs: Iterable[Path], options: Mapping[str, object], hashes: rebuild.FileHashes | None = None
) -> str:
    """A digest of what every page depends on besides the corpus: ``inputs`` (templates, static
    files, locales), the engine's code and schemas, Python and the version of every installed
    library, and the build ``options``."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps([record.FORMAT, sys.version, options], default=str).encode())
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


EXPORT = record.EXPORT
PIECE = record.PIECE


def recorded(project: Project, output: Path) -> Iterator[tuple[str, tuple[Dependency, ...]]]:
    """Every page and export job of the last build whose files are still in ``output`` as
    published, with what it read."""
    return previous(project, output).every()


def previous(project: Project, staging: Path) -> record.Previous:
    """The last build's entries, for a build of ``project`` staged in ``staging``."""
    return record.Previous(rebuild.cache_dir(project), project.output, staging)


def save(project: Project, known: Known) -> None:
    """Record what this build made, with each file as published (after
    :func:`scholion.output.write.publish`); only the parent process, once the workers are gone."""
    made: dict[str, tuple[str, str, tuple[Dependency, ...], tuple[str, ...]] | None] = {
        target: None
        if entry is None
        else (entry.interface, entry.route, entry.reads, _files(target, entry))
        for target, entry in known.fresh.items()
    }
    reads = (read for entry in made.values() if entry is not None for read in entry[2])
    numbering = known.previous.numbering(reads) if known.previous else None
    cache, output = rebuild.cache_dir(project), project.output
    record.save(cache, output, made, known.seen, known.drift, numbering, known.places)


def _files(target: str, entry: Entry) -> tuple[str, ...]:
    """The files an entry is kept with: an export job's (or piece's: none) as it says, a
    page's its own."""
    return entry.files if target.startswith(EXPORT) else (target,)
