"""The one place that knows the order of the stages.

load -> validate -> link (anchors quotes) -> render -> write (staged) -> index -> publish.
Errors in content stop the run before anything is rendered; any failure after that discards the
staged site, so the previous output is never touched by a failed build.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from scholion.diagnostics import ContentError, Diagnostic, errors_in, sort_diagnostics
from scholion.exports import export_files
from scholion.i18n import has_catalogue
from scholion.incremental import dependencies
from scholion.incremental import fingerprint as rebuild
from scholion.incremental.file_cache import FileCache
from scholion.link import link
from scholion.load import load
from scholion.load.history import read_history
from scholion.model import Corpus
from scholion.output import write
from scholion.output.search import build_search_index
from scholion.project import ENGINE, Project
from scholion.render import render_pages
from scholion.validate import validate

T = TypeVar("T")

DEFAULT_THEME = ENGINE.parent
"""The engine's own templates/ and static/: the theme a corpus overrides file by file."""

Reporter = Callable[[str], None]
Progress = Callable[[str, int], None]
"""Called as files are produced: (stage name, files so far). For a progress bar on a terminal."""


@dataclass
class BuildReport:
    """What a build did: its warnings, page count, and seconds per stage."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: int = 0
    rendered: int = 0
    """Pages rendered; the others' inputs were those of the last build (:mod:`.dependencies`)."""
    indexed: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def check(
    project: Project, base_url: str | None = None, *, cache: bool = False
) -> tuple[Corpus | None, list[Diagnostic]]:
    """Load, validate and link: every content problem, and the corpus when there are none.

    ``cache`` (the command line's default) keeps each file's schema diagnostics and Markdown in
    ``.cache/`` (:mod:`scholion.incremental.file_cache`), so that after an edit only the edited
    files are checked
    and converted again; the result is the same with or without it."""
    files = FileCache.of(project) if cache else None
    records = load(project)
    diagnostics = validate(records, functools.partial(has_catalogue, extra=project.locales), files)
    corpus = None
    if not errors_in(diagnostics):
        corpus, anchor_problems = link(records, base_url, files)
        diagnostics = sort_diagnostics([*diagnostics, *anchor_problems])
    if files is not None:
        files.save(records.documents())
    return corpus, diagnostics


def template_dirs(project: Project) -> list[Path]:
    return _unique([project.templates, DEFAULT_THEME / "templates"])


def static_dirs(project: Project) -> list[Path]:
    """Theme first, then the corpus's own, so the corpus's files overwrite the theme's."""
    return _unique([DEFAULT_THEME / "static", project.static])


def build_inputs(project: Project) -> list[Path]:
    """What a build reads besides the configuration, the content and the engine (which the
    fingerprint of :mod:`scholion.incremental.fingerprint` always covers)."""
    return [*template_dirs(project), *static_dirs(project), project.locales]


def build(
    project: Project,
    *,
    base_url: str | None = None,
    search: bool = True,
    report: Reporter = lambda _: None,
    progress: Progress = lambda _stage, _done: None,
    incremental: bool = False,
    cache: bool = False,
) -> BuildReport:
    """Build the site into ``project.output``; raises :class:`SiteError` subclasses on failure.

    ``incremental`` (the command line's default) skips the build when nothing it reads
    changed since the last one (:mod:`scholion.incremental.fingerprint`), and otherwise starts
    from the previous site so that unchanged files are not rewritten; the result is byte for
    byte a clean build's. ``cache``: see :func:`check`."""
    result = BuildReport()
    started = time.perf_counter()
    options = {"base_url": base_url, "search": search}
    print_ = rebuild.fingerprint(project, build_inputs(project), options) if incremental else ""
    previous = rebuild.unchanged(project, print_) if incremental else None
    if previous is not None:
        result.diagnostics = list(previous.diagnostics)
        result.pages, result.indexed = previous.pages, previous.indexed
        result.timings["unchanged"] = _lap(started)
        report("nothing changed since the last build: the site is up to date")
        return result
    corpus, diagnostics = check(project, base_url, cache=cache)
    if corpus is None or errors_in(diagnostics):
        raise ContentError(diagnostics)
    history, history_warnings = read_history(project.root)
    corpus = dataclasses.replace(corpus, history=history)
    result.diagnostics = diagnostics = sort_diagnostics([*diagnostics, *history_warnings])
    result.timings["load+validate+link"] = _lap(started)
    report(
        f"checked {len(corpus.articles)} articles, {len(corpus.claims)} claims, "
        f"{len(corpus.entities)} entities, {len(corpus.sources)} sources"
    )
    write.check_output(
        project.output, [*project.sources, *template_dirs(project), *static_dirs(project)]
    )
    staging = write.staging_dir(project.output, reuse=incremental)
    try:
        started = time.perf_counter()
        # Rendered on every core and written as each file comes: the site is never all in memory.
        # An incremental build renders only the pages whose inputs changed since the last one.
        known = None
        if incremental:
            theme = dependencies.theme(build_inputs(project), options)
            known = dependencies.Known(theme, dependencies.load(project, staging))
        pages = render_pages(corpus, template_dirs(project), project.locales, known)
        written = write.write_files(staging, _counted(pages, "rendering pages", progress))
        result.pages = len(written)
        result.rendered = result.pages if known is None else known.rendered
        written += write.write_files(staging, export_files(corpus))
        for directory in static_dirs(project):
            written += write.copy_tree(directory, staging, "static")
        if incremental:
            write.prune(staging, written)
        result.timings["render+write"] = _lap(started)
        kept = f"{result.rendered} of {result.pages} files (the others' inputs are unchanged)"
        report(f"rendered {kept if result.rendered < result.pages else f'{result.pages} files'}")
        if search:
            started = time.perf_counter()
            languages = {
                f"articles/{a.slug}/index.html": a.language for a in corpus.articles.values()
            }
            index = build_search_index(
                staging,
                corpus.config.language,
                languages,
                shard_pages=corpus.config.search_shard_pages,
                previous=project.output if incremental else None,  # keeps unchanged shards
            )
            result.indexed = index.pages
            result.timings["index"] = _lap(started)
            shards = f" ({len(index.indexed)} of {len(index.shards)} shards indexed)"
            report(f"indexed {index.pages} pages for search{shards if index.shards[1:] else ''}")
        write.publish(staging, project.output)
    except BaseException:
        write.discard(staging)
        raise
    if incremental:
        done = rebuild.Previous(tuple(result.diagnostics), result.pages, result.indexed)
        rebuild.remember(project, print_, done)
    if known is not None:
        dependencies.save(project, known)
    return result


def _counted(files: Iterable[T], stage: str, progress: Progress, every: int = 25) -> Iterator[T]:
    """The same files, telling ``progress`` how many have gone by."""
    done = 0
    for done, file in enumerate(files, 1):
        if done % every == 0:
            progress(stage, done)
        yield file
    progress(stage, done)


def _lap(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def _unique(paths: list[Path]) -> list[Path]:
    seen: list[Path] = []
    for path in paths:
        if path.resolve() not in [p.resolve() for p in seen]:
            seen.append(path)
    return seen
