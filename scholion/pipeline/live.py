"""The live site of ``serve``: the stages of a build applied to an edit.

The corpus stays loaded, validated and linked in memory, with what each page read of it; an
edit is applied as a delta: the files that changed are read again, only what they touch is
linked again (:func:`scholion.link.relink`), and the pages that read what changed
(:class:`scholion.incremental.readers.Readers`) or whose route changed are marked stale and
rendered when asked for — a reader's page first, the rest in the background. Every page is
byte for byte what a clean build of the same tree gives (``tests/test_live.py``).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from scholion import parallel
from scholion.diagnostics import ContentError, Diagnostic, errors_in
from scholion.incremental import dependencies
from scholion.incremental.file_cache import FileCache
from scholion.incremental.readers import Readers, settle
from scholion.link import Linking
from scholion.load import load
from scholion.load.documents import Document, Records
from scholion.load.history import read_history
from scholion.model import Corpus, OutputFile
from scholion.pipeline import template_dirs, validate_and_link
from scholion.project import Project
from scholion.render import Interface, interfaces, render_tracked, site_jobs
from scholion.render.routes import Planner, Route
from scholion.validate import ValidationMemo


@dataclass
class Update:
    """What an edit changed on the site's pages: the pages to render again (``stale``), the
    pages that no longer exist, and the content's warnings. The open-data exports and the
    search index are left to a build (``serve`` runs one in the background)."""

    stale: list[str]
    removed: list[str]
    diagnostics: list[Diagnostic]


class LiveSite:
    """A project's corpus kept in memory between edits, and what each page read of it.

    :meth:`update` applies an edit and says which pages are stale; :meth:`render` renders one
    of them (noting what it reads), :meth:`render_stale` all the rest. Thread-safe: ``serve``
    updates from its watcher and renders from its request threads."""

    def __init__(self, project: Project, base_url: str | None = None) -> None:
        self.project = project
        self.base_url = base_url
        self._files = FileCache.in_memory(FileCache.of(project).file)
        self._validation = ValidationMemo()
        self._history, _ = read_history(project.root)
        self._lock = threading.RLock()
        self._records: Records | None = None
        self._configured: Document | None = None
        """The configuration of the corpus last linked without errors: the pages' interface."""
        self._linking: Linking | None = None
        self._corpus: Corpus | None = None
        self._every: list[Interface] = []
        """The interfaces (one per language) of the last plan; a page is one of them and a
        route."""
        self._jobs: dict[str, Placed] = {}
        self._readers = Readers()
        self._stale: set[str] = set()
        self._planners: dict[str, Planner] = {}
        self._order: dict[str, int] = {}
        """Each page's place in the order a build writes them."""
        self._complete = False
        """Whether the last plan ended with every page listed: after one that raised (two
        pages on one path), the planners have moved on but the pages kept have not, so the
        next plan lists every page again."""

    def start(self) -> Update:
        """Load, check and link the whole corpus, and take what each page read from the last
        build's record (:mod:`scholion.incremental.dependencies`); the pages it does not cover
        (every page, without a build before) are stale."""
        with self._lock, parallel.collector_paused():  # the session's corpus, frozen after
            corpus, diagnostics = self._check()
            self._readers, self._planners = Readers(), {}
            self._every, self._jobs = [], {}
            plan = self._planned(corpus, same_configuration=False)
            jobs = plan.jobs
            for path, reads in dependencies.recorded(self.project, self.project.output):
                if path in jobs:
                    self._readers.note(path, ((name, key) for name, key, _ in reads))
            self._corpus, self._every, self._jobs = corpus, plan.every, jobs
            self._order = {path: place for place, path in enumerate(jobs)}
            self._stale = {path for path in jobs if path not in self._readers}
            parallel.release_freed_memory()  # what the opening link freed
            return Update(self._in_order(self._stale), [], diagnostics)

    def update(self, changed: Collection[Path] | None = None) -> Update:
        """Apply whatever changed in the content since the last call (the configuration too; a
        template, static file or catalogue needs a build, then :meth:`start`); raises
        :class:`ContentError` (the pages stay as they were) when the content has errors.
        ``changed``: the paths a file watcher reported, if known; only they are looked at
        again (otherwise the whole of ``content/`` is listed)."""
        with self._lock:
            if self._corpus is None:
                return self.start()  # the content had errors when it started
            configured = self._configured
            corpus, diagnostics = self._check(changed)
            corpus, reads = settle(self._corpus, corpus)
            same = self._configured is configured
            plan = self._planned(corpus, same_configuration=same)
            jobs = plan.jobs
            if not same:
                stale = set(jobs)  # the configuration: every page's interface
            else:
                before = self._jobs
                stale = self._readers.of(reads) | {
                    path
                    for path in plan.remade
                    if (was := _route(before.get(path))) is not (now := _route(jobs.get(path)))
                    and was != now
                }
            removed = [] if plan.same_paths else sorted(self._jobs.keys() - jobs.keys())
            for path in removed:
                self._readers.forget(path)
            self._corpus, self._every, self._jobs = corpus, plan.every, jobs
            if plan.same_paths:
                self._stale |= stale
            else:
                self._stale = (self._stale | stale) & jobs.keys()
                self._order = {path: place for place, path in enumerate(jobs)}
            _settled()
            return Update(self._in_order(stale & jobs.keys()), removed, diagnostics)

    def render(self, path: str) -> bytes | None:
        """The page at ``path`` as the corpus now gives it, or None where there is none."""
        with self._lock:
            return self._render([path])[0].content if path in self._jobs else None

    def render_stale(self) -> list[OutputFile]:
        """Every stale page, rendered (on every core)."""
        with self._lock:
            return self._render(self._in_order(self._stale))

    def _check(self, changed: Collection[Path] | None = None) -> tuple[Corpus, list[Diagnostic]]:
        """Load (reusing unchanged files), validate and link (reusing unchanged articles)."""
        try:
            # The build's cache spares parsing on the first load; an edited file is parsed.
            records = load(self.project, self._records, changed, memo=self._files)
        except BaseException:
            self._records = None  # the changes it was told of are lost: read everything next
            raise
        corpus, diagnostics, linking = validate_and_link(
            self.project,
            records,
            self.base_url,
            self._files,
            self._history,
            self._validation,
            self._linking,
        )
        self._files.save(records.documents())
        self._records = records  # reused next time whatever the outcome: the files as read
        if corpus is None or linking is None or errors_in(diagnostics):
            raise ContentError(diagnostics)
        self._linking, self._configured = linking, records.config
        return corpus, diagnostics

    def _planned(self, corpus: Corpus, *, same_configuration: bool) -> Plan:
        """Every page by path, and the paths whose route may differ from the last plan's: the
        routes the planners made again (they give the others as the same objects), the
        sitemaps, and pages that came or went.

        When no planner's paths changed (the common edit: records changed, none came or went),
        the last plan's pages are kept and only the routes made again put in: no page can have
        come, gone or collided, and the sitemaps, which name only paths, stay as they were.
        Otherwise every page is listed again (and checked for collisions)."""
        every = interfaces(
            corpus, template_dirs(self.project), self.project.locales, self._planners
        )
        planners = [self._planners[i.language] for i in every]
        complete, self._complete = self._complete, False  # until this plan is whole
        if (
            same_configuration
            and complete
            and self._jobs
            and [i.path for i in every] == [i.path for i in self._every]
            and not any(planner.paths_changed for planner in planners)
        ):
            jobs, remade = dict(self._jobs), set()
            for number, (i, planner) in enumerate(zip(every, planners, strict=True)):
                for path, route in planner.remade.items():
                    if i.path + path in jobs:  # not the 404 page outside the root's language
                        jobs[i.path + path] = (number, route)
                        remade.add(i.path + path)
            self._complete = True
            return Plan(every, jobs, remade, same_paths=True)
        number_of = {id(i): number for number, i in enumerate(every)}
        listed = site_jobs(every)
        jobs = {i.path + route.path: (number_of[id(i)], route) for i, route in listed}
        planned = sum(len(i.routes) for i in every)
        remade = {i.path + route.path for i, route in listed[planned:]}  # the sitemaps
        for i, planner in zip(every, planners, strict=True):
            remade.update(i.path + path for path in planner.remade)
        remade.update(jobs.keys() ^ self._jobs.keys())
        self._complete = True
        return Plan(every, jobs, remade, same_paths=False)

    def _in_order(self, paths: set[str]) -> list[str]:
        """``paths`` in the order a build writes them."""
        return sorted(paths, key=self._order.__getitem__)

    def _render(self, paths: list[str]) -> list[OutputFile]:
        jobs = [(self._every[self._jobs[path][0]], self._jobs[path][1]) for path in paths]
        files = []
        for file, reads in render_tracked(jobs):
            self._readers.note(file.path, reads)
            self._stale.discard(file.path)
            files.append(file)
        return files


Placed = tuple[int, Route]
"""A page of the live site: the number of its interface (its language) and its route."""


class Plan(NamedTuple):
    """What planning gave: the interfaces, every page by path, the paths whose route may have
    changed, and whether the paths are those of the last plan."""

    every: list[Interface]
    jobs: dict[str, Placed]
    remade: set[str]
    same_paths: bool


def _route(job: Placed | None) -> Route | None:
    """A page's route (what planning gave it: its records, a listing's page of them), the rest
    of its interface coming from the configuration."""
    return job[1] if job else None


def _settled() -> None:
    """Keep the corpus out of the cyclic garbage collector's way: it holds millions of objects
    that live as long as the session, and a full collection walking them all (triggered by the
    allocations of the next edit) took seconds. Frozen objects are still freed when no longer
    referenced; only a cycle among them would outlive its use (records hold none)."""
    gc.freeze()
