"""The corpus-wide files of an incremental build, made again in pieces.

``data/corpus.json`` and ``data/annotations.jsonld`` read every record, so one reworded claim
made both again whole (at 10,000 articles, 192 and 119 MB: some 3.5 s each on one core, the
largest part of an edit build's export stage), and the CSV tables of claims likewise. Their
records are :class:`Keyed`, encoded a run of keys at a time
(:func:`scholion.exports.encoding.runs`). :class:`Spliced` makes each run through a corpus
noting what that run reads, and notes an entry for it
(:class:`scholion.incremental.dependencies.Entry`, no files) under the target
``export:<job>#<section>/<first key>``, with the digest of its keys and a checksum of its bytes
as its route, and its place in the file (:data:`scholion.incremental.record.PIECE`). The next
build takes a run's bytes from the last build's file wherever the run's entry is still true
(the same keys, the same interface, every value it read the same, the bytes at its place the
ones it made) and the job's entry says the file in the staging directory is the one it
published (size, modification time and inode). Only the runs that read a changed value are
made again; the file is written whole, as before, and every run's place is noted again.

The job's own entry holds the mappings its runs read, whole: the job runs whenever any value a
run read could have changed, and each run's entry then says whether it did.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import zlib
from collections.abc import Iterable, Sequence

from scholion.exports.encoding import Keyed
from scholion.incremental.dependencies import EXPORT, PIECE, Inputs, Piece
from scholion.incremental.tracking import Dependency, Read, Untrackable, tracked
from scholion.model import Corpus


class Spliced:
    """The runs of one file (``path``, made by the export job ``job``), each taken from the
    last build's file if its entry still holds, else made through a corpus noting its reads.
    ``corpus`` is the untracked corpus; ``reads`` the job's own reads, to which every run's
    are added as whole mappings (:func:`_whole`). Open it as a context: it holds the last file
    open while the job runs."""

    def __init__(self, job: str, path: str, inputs: Inputs, corpus: Corpus, reads: set[Read]):
        self.job, self.path, self.inputs, self.corpus, self.reads = job, path, inputs, corpus, reads
        self.noted: list[Piece] = []
        """Each run, in the file's order."""
        self._last: int | None = None
        self._read_before: set[Read] = set()
        """The mappings the job read last time, its runs' reads among them: a run taken from
        the last file read the same values then."""

    def __enter__(self) -> Spliced:
        known = self.inputs.known
        last = known.last(EXPORT + self.job)  # None unless its files are as published
        if known.previous is None or last is None or self.path not in last.files:
            return self
        try:
            self._read_before = _whole(map(known.previous.value, last.numbers))
        except ValueError:  # a damaged record: nothing is taken from the file
            return self
        with contextlib.suppress(OSError):
            self._last = os.open(known.previous.staged(self.path), os.O_RDONLY)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._last is not None:
            os.close(self._last)
            self._last = None

    def piece(self, keyed: Keyed, keys: Sequence[str], at: int) -> bytes:
        target = f"{EXPORT}{self.job}{PIECE}{keyed.section}/{keys[0]}"
        keys_digest = hashlib.blake2b("\n".join(keys).encode(), digest_size=16).hexdigest()
        data = self._kept(target, keys_digest)
        if data is not None:
            self.reads.update(self._read_before)
            self.noted.append(Piece(target, False, None, (at, len(data))))
            return data
        noted: set[Read] = set()
        view = tracked(self.corpus, noted, self.inputs.parts)
        data = keyed.made(view, keys)
        self.reads.update(_whole(noted))
        entry = self.inputs.entry(target, None, noted)
        route = f"{keys_digest}:{zlib.crc32(data)}"
        entry = None if entry is None else dataclasses.replace(entry, route=route)
        self.noted.append(Piece(target, True, entry, (at, len(data))))
        return data

    def _kept(self, target: str, keys_digest: str) -> bytes | None:
        """The run's bytes in the last file, if its entry is still true: the same keys (its
        route is their digest, then a checksum of its bytes), the same interface, every value
        it read the same, and the bytes at its place the ones it made (a damaged place in the
        record would otherwise put other bytes in the file)."""
        known, inputs = self.inputs.known, self.inputs
        if self._last is None or known.previous is None:
            return None
        last = known.last(target)
        place = known.previous.place(target)
        if last is None or place is None or last.interface != inputs.digest:
            return None
        made_from, _, checksum = last.route.partition(":")
        if made_from != keys_digest:
            return None
        try:
            if not inputs.reads_the_same(last.numbers):
                return None
        except (Untrackable, ValueError):  # a damaged record: a number naming no value
            return None
        start, length = place
        data = os.pread(self._last, length, start)
        return data if len(data) == length and str(zlib.crc32(data)) == checksum else None


def _whole(reads: Iterable[Read | Dependency]) -> set[Read]:
    """The mappings ``reads`` looked in, each read whole: what the job's own entry holds of
    its runs' reads. The job runs again whenever a value any run read has changed (each run's
    own entry then says which), and its entry stays a few values long rather than the
    hundreds of thousands its runs read (at 10,000 articles, digesting and sorting those was
    a second per build)."""
    return {(read[0], None) for read in reads}
