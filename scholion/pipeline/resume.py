"""A build that resumes from the checked state the last full check kept, and applies the edit
to it as ``serve`` applies one (:mod:`scholion.pipeline.live`).

The state (:class:`Checked`) is what ``serve`` keeps in memory between edits: the files as
loaded, what validating and linking them left for the next edit, the corpus and a planner per
interface language. A build keeps it in ``.cache/`` (sealed: :mod:`scholion.incremental.snapshot`)
and the next build reads it back, loads and links again only the files that differ from it,
and finds what changed by :func:`scholion.incremental.readers.settle` rather than by digesting
every value every page read: at 10,000 articles, the check (11 s) and that comparison (6 s)
become reading the state back (4 s) and the delta (about 1 s). Which pages and export jobs
that makes again is then decided from the record as before
(:meth:`scholion.incremental.dependencies.Known.resume`); the result is byte for byte a clean
build's (``tests/test_resume.py``).

The state is kept by a build that did not resume (a first build, or one after the engine,
theme or git history changed), and again once an edit has drifted far from it
(:data:`DRIFT`); a build that resumes records only what differs from it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scholion.incremental import snapshot
from scholion.incremental.fingerprint import cache_dir
from scholion.incremental.tracking import Digests, Read, Untrackable
from scholion.project import Project

if TYPE_CHECKING:
    from scholion.diagnostics import Diagnostic
    from scholion.incremental.dependencies import Known
    from scholion.link import Linking
    from scholion.load.documents import Records
    from scholion.model import Corpus, History
    from scholion.render.routes import Planner
    from scholion.validate import ValidationMemo

DRIFT = 5_000
"""Values and routes differing from the kept state past which a build keeps its own state
instead: each build compares those values again, and loads and links again the files that
differ from the state."""


@dataclass(frozen=True)
class Checked:
    """What a check leaves for the next one to resume from (``planners`` empty until the
    build's plan fills them)."""

    records: Records
    linking: Linking
    validation: ValidationMemo
    corpus: Corpus
    planners: dict[str, Planner]
    """A planner per interface language, as the build's plan left it."""


def tag(theme: str, history: History) -> str | None:
    """What a kept state is valid for: the engine, theme and build options (``theme``,
    :func:`scholion.incremental.dependencies.theme`) and the git history the corpus was linked
    with (read again by every build, and not compared by the delta); None if the history
    cannot be digested (then no state is kept)."""
    try:
        found = Digests().of(history).hex()
    except Untrackable:
        return None
    return hashlib.blake2b(f"{theme}\0{found}".encode(), digest_size=20).hexdigest()


@dataclass
class Resuming:
    """A build's dealings with the kept state: the tag a state must have to serve it
    (:func:`tag`; None: no state is kept for it), and the state it resumes from, if any, with
    its name."""

    project: Project
    valid_for: str | None
    name: str | None = None
    kept: Checked | None = None

    @classmethod
    def start(cls, project: Project, theme: str, history: History) -> Resuming:
        """What a build of ``project`` with this ``theme`` and ``history`` can resume from."""
        valid_for = tag(theme, history)
        found = snapshot.restore(cache_dir(project), valid_for) if valid_for else None
        if found is None or not isinstance(found[1], Checked):
            return cls(project, valid_for)
        return cls(project, valid_for, found[0], found[1])

    def to_keep(self, known: Known, checked: Checked | None) -> str | None:
        """The name to keep this build's state under, told to ``known`` (whose record says
        which state the next build resumes from), or None when the state resumed from is
        still close enough (:data:`DRIFT`) or there is nothing to keep."""
        if checked is None or not checked.planners or self.valid_for is None:
            return None
        drift = known.drift
        resumed = self.name is not None and drift is not None and drift.state == self.name
        if resumed and drift and len(drift.reads) + len(drift.routes) <= DRIFT:
            return None
        name = snapshot.generation()
        known.kept(name)
        return name

    def keep(self, name: str, checked: Checked) -> None:
        """Keep ``checked`` as ``name``, after the record naming it is written."""
        assert self.valid_for is not None  # to_keep gave a name
        snapshot.save(cache_dir(self.project), self.valid_for, name, checked)


def check_from(
    project: Project, base_url: str | None, kept: Checked
) -> tuple[Corpus | None, list[Diagnostic], Checked | None, set[Read]]:
    """Load, validate and link ``project`` from ``kept``: only the files that differ from it are
    read and linked again. Returns the corpus (None with errors), the diagnostics (those of a
    whole check), the new state, and what differs from the kept corpus (each value read that
    may have: :func:`scholion.incremental.readers.settle`), whose objects the corpus holds
    wherever they are equal."""
    from scholion.diagnostics import errors_in
    from scholion.incremental.file_cache import FileCache
    from scholion.incremental.readers import settle
    from scholion.pipeline import through_cache, validate_and_link

    def validated_and_linked(
        records: Records, files: FileCache | None
    ) -> tuple[Records, Corpus | None, list[Diagnostic], Linking | None]:
        corpus, diagnostics, linking = validate_and_link(
            project,
            records,
            base_url,
            files,
            kept.corpus.history,  # the same as read now: the state's tag says so
            kept.validation,
            kept.linking,
        )
        return records, corpus, diagnostics, linking

    records, corpus, diagnostics, linking = through_cache(
        project, base_url, True, validated_and_linked, kept.records
    )
    if corpus is None or linking is None or errors_in(diagnostics):
        return None, diagnostics, None, set()
    corpus, reads = settle(kept.corpus, corpus)
    state = Checked(records, linking, kept.validation, corpus, kept.planners)
    return corpus, diagnostics, state, reads
