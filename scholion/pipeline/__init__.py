"""The one place that knows the order of the stages.

load → validate → link → render → export → write → index → publish

``check`` runs the first three, ``build`` all of them. Errors in content stop the run before
anything is rendered; any failure after that discards the staged site, so the previous output
is never touched by a failed build. An incremental build asks :mod:`scholion.incremental` what
the last build left, to skip what has not changed.

The stages are imported by the functions that run them, not with this module: a build that
finds nothing changed (the common case of ``build`` in a loop, or in CI on an unchanged tree)
needs only :mod:`scholion.incremental`, and importing the whole engine was a fifth of its time
at 10,000 articles (0.5 of 2.3-3 s).
"""

from __future__ import annotations

import contextlib
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from scholion.diagnostics import ContentError, Diagnostic, errors_in, sort_diagnostics
from scholion.incremental import BuildMemory, Previous
from scholion.incremental.fingerprint import cache_dir, claim_cache_dir, linking_inputs
from scholion.pipeline import resume
from scholion.pipeline.resume import Resuming
from scholion.project import THEME, Project

if TYPE_CHECKING:
    from scholion.incremental import Listing
    from scholion.incremental.dependencies import Known
    from scholion.incremental.file_cache import FileCache
    from scholion.incremental.tracking import Read
    from scholion.link import Linking
    from scholion.load.documents import Records
    from scholion.model import Corpus, History, OutputFile, Stamp
    from scholion.output.search import SearchIndex
    from scholion.output.write import Tree
    from scholion.pipeline.resume import Checked
    from scholion.render.routes import Planner
    from scholion.validate import ValidationMemo

T = TypeVar("T")

SEARCH_MEMO = "search-pages.json"
"""In ``.cache/``: the digest of each page the last incremental build indexed
(:class:`scholion.output.search.PageMemo`)."""

SEARCH_INPUT = "search-input"
"""In ``.cache/``: the search shards' input directories, kept for the next incremental build
(:func:`scholion.output.search.build_search_index`)."""

DEFAULT_THEME = THEME
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
    """Pages rendered; the others were kept, their inputs unchanged since the last build."""
    indexed: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def check(
    project: Project,
    base_url: str | None = None,
    *,
    cache: bool = False,
    history: History | None = None,
) -> tuple[Corpus | None, list[Diagnostic]]:
    """Load, validate and link: every content problem, and the corpus when there are none.

    ``cache`` (the command line's default) keeps each file's schema diagnostics and Markdown in
    ``.cache/`` (:mod:`scholion.incremental.file_cache`), so that after an edit only the edited
    files are checked and converted again; the result is the same with or without it.
    ``history``: what git knows of the corpus's past, which only pages show."""

    corpus, diagnostics, _ = _checked(project, base_url, cache, history)
    return corpus, diagnostics


def _checked(
    project: Project,
    base_url: str | None,
    cache: bool,
    history: History | None,
    memo: ValidationMemo | None = None,
) -> tuple[Corpus | None, list[Diagnostic], Checked | None]:
    """:func:`check`, with what it leaves for the next check to resume from
    (:class:`scholion.pipeline.resume.Checked`, without planners yet) when there are no
    errors and ``memo`` is given to be filled."""
    from scholion.pipeline.resume import Checked

    def validated_and_linked(
        records: Records, files: FileCache | None
    ) -> tuple[Corpus | None, list[Diagnostic], Checked | None]:
        corpus, diagnostics, linking = validate_and_link(
            project, records, base_url, files, history, memo
        )
        if corpus is None or linking is None or memo is None:
            return corpus, diagnostics, None
        return corpus, diagnostics, Checked(records, linking, memo, corpus, {})

    return through_cache(project, base_url, cache, validated_and_linked)


def fill_cache(project: Project, base_url: str | None) -> None:
    """Load and validate every file, and link every article, into the build cache, keeping
    nothing else: what a child does before a large corpus is built (:func:`_link_in_child`),
    so that the build reads the corpus back without the memory that parsing and linking it
    freed. Errors are left for the build's own check to report."""
    from scholion.link import link_into_cache
    from scholion.validate import validate

    def linked_into_cache(records: Records, files: FileCache | None) -> None:
        assert files is not None  # a cache is what this fills
        if not errors_in(validate(records, _catalogue(project), files)):
            link_into_cache(records, base_url, files)

    through_cache(project, base_url, True, linked_into_cache)


def through_cache(
    project: Project,
    base_url: str | None,
    cache: bool,
    then: Callable[[Records, FileCache | None], T],
    previous: Records | None = None,
) -> T:
    """Load ``project`` (through the build cache, with ``cache``; reusing the documents of
    ``previous`` whose files are unchanged) and hand its records to ``then``, with the
    collector paused while they are built; then save the cache. Returns what ``then`` gave."""
    from scholion import parallel
    from scholion.incremental.file_cache import FileCache
    from scholion.load import load

    if cache:
        claim_cache_dir(project)
    files = FileCache.of(project) if cache else None
    inputs = linking_inputs(project, base_url) if cache else ""
    with parallel.collector_paused():
        records = load(project, previous, memo=files)
        result = then(records, files)
    if files is not None:
        files.keep_parsed(records.documents())
        files.save(records.documents(), linking_inputs=inputs)
    return result


def _catalogue(project: Project) -> Callable[[str], bool]:
    """Whether an interface language has a message catalogue, the engine's or the corpus's."""
    from scholion.i18n import has_catalogue

    return functools.partial(has_catalogue, extra=project.locales)


def validate_and_link(
    project: Project,
    records: Records,
    base_url: str | None,
    files: FileCache | None,
    history: History | None,
    memo: ValidationMemo | None = None,
    previous: Linking | None = None,
) -> tuple[Corpus | None, list[Diagnostic], Linking | None]:
    """Every problem in ``records``, and the corpus (with its linking, for the next edit) when
    there is none. When errors stop linking, the quotes of every sound file are still placed,
    so that every error comes in one run. ``memo`` and ``previous``: what the live site
    keeps between edits (:mod:`scholion.pipeline.live`)."""
    from scholion.link import quote_problems, relink
    from scholion.validate import unsound_files, validate

    diagnostics = validate(records, _catalogue(project), files, memo)
    if errors_in(diagnostics):
        unsound = unsound_files(records, files, memo)
        problems = quote_problems(records, unsound, base_url, files)
        return None, sort_diagnostics([*diagnostics, *problems]), None
    corpus, problems, linking = relink(records, base_url, files, history, previous)
    return corpus, sort_diagnostics([*diagnostics, *problems]), linking


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
    held: list[object] | None = None,
) -> BuildReport:
    """Build the site into ``project.output``; raises :class:`SiteError` subclasses on failure.

    ``incremental`` (the command line's default) skips the build when nothing it reads changed
    since the last one, and otherwise starts from the previous site and renders only the pages
    whose inputs changed (:mod:`scholion.incremental`); the result is byte for byte a clean
    build's. ``cache``: see :func:`check`. ``held``: where to leave what the build made (the
    corpus, the checked state, the record), for the caller to free when it chooses: the
    command line exits without freeing it (3 million objects at 10,000 articles, 0.9 s)."""
    result = BuildReport()
    started = time.perf_counter()
    options = {"base_url": base_url, "search": search}
    if incremental or cache:
        claim_cache_dir(project)
    memory = BuildMemory.recall(project, build_inputs(project), options) if incremental else None
    previous = memory.unchanged() if memory else None
    if previous is not None:
        result.diagnostics = list(previous.diagnostics)
        result.pages, result.indexed = previous.pages, previous.indexed
        result.timings["unchanged"] = _lap(started)
        report("nothing changed since the last build: the site is up to date")
        return result
    from scholion import parallel
    from scholion.load.history import read_history
    from scholion.output import write
    from scholion.output.search import INPUT_DIR, SEARCH_DIR

    history, history_warnings = read_history(project.root)
    write.check_output(
        project.output, [*project.sources, *template_dirs(project), *static_dirs(project)]
    )
    # Made ready in a child while this process reads the kept state back and checks: forked
    # before the state is read, a small process to copy, and beside it the whole time.
    staging = write.Staging(project.output, reuse=incremental)
    resuming: Resuming | None = None
    listed: Listing | None = None
    indexing: parallel.Ahead[tuple[SearchIndex, float]] | None = None
    try:
        resuming = Resuming.start(project, memory.theme, history) if memory and cache else None
        corpus, diagnostics, checked, changed = _build_check(
            project, base_url, cache, history, resuming
        )
        if corpus is None or errors_in(diagnostics):
            raise ContentError(diagnostics)
        parallel.release_freed_memory()  # before the render's workers are counted and forked
        result.diagnostics = sort_diagnostics([*diagnostics, *history_warnings])
        result.timings["load+validate+link"] = _lap(started)
        report(
            f"checked {len(corpus.articles)} articles, {len(corpus.claims)} claims, "
            f"{len(corpus.entities)} entities, {len(corpus.sources)} sources"
        )
        known = memory.pages(staging.path) if memory else None  # while the mirror ends
        staged = staging.ready()
        if known is not None and resuming and resuming.name and changed is not None:
            known.resume(resuming.name, changed)
        rendering = time.perf_counter()
        stamps, files = _render(
            project,
            corpus,
            staged,
            known,
            result,
            progress,
            stamp=search,
            planners=checked.planners if checked else None,
        )
        index = functools.partial(_index, project, corpus, staged, incremental, stamps, files)
        # Beside the exports when the last build's record says most shards will be kept: a
        # build with none indexes every shard, and its Pagefind processes and the exports'
        # workers only took turns on the cores (at 10,000 articles, 17% more CPU).
        ahead = search and known is not None and bool(known.previous)
        indexing = parallel.Ahead(index) if ahead else None
        files = _export_and_prune(project, corpus, staged, known, files, staging.tree)
        result.timings["render+write"] = _lap(rendering)
        kept = f"{result.rendered} of {result.pages} files (the others' inputs are unchanged)"
        report(f"rendered {kept if result.rendered < result.pages else f'{result.pages} files'}")
        listed = (
            memory.list_staged(staged, (SEARCH_DIR, INPUT_DIR))
            if memory is not None and known is not None
            else None
        )
        if indexing is not None:
            _indexed(indexing.outcome(), result, report)
            indexing = None  # it holds them too
        elif search:
            _indexed(index(), result, report)
        del stamps, files, index  # 600,000 of each at 100,000 articles
        write.publish(staged, project.output, keep=incremental)  # the listing goes on
    except BaseException as error:
        interrupted = isinstance(error, KeyboardInterrupt)  # the children were too
        if indexing is not None:
            indexing.stop(interrupted)
        if listed is not None:
            listed.listing.stop(interrupted)
        staging.abandon()
        raise
    if memory is not None and known is not None:
        name = resuming.to_keep(known, checked) if resuming else None
        # The state is pickled and written in a child while this process writes the record
        # (at 10,000 articles, about 10 s and 8 s, each on one core, after a cold build). Either
        # may end first: a record naming a state not there (or another) only makes the next
        # build compare every value, as one that does not resume does.
        keeping = (
            parallel.Beside(functools.partial(resuming.keep, name, checked))
            if resuming and name and checked
            else None
        )
        summary = Previous(tuple(result.diagnostics), result.pages, result.indexed)
        memory.remember(summary, known, listed)
        if keeping is not None:
            keeping.wait()
    if held is not None:
        held += [corpus, checked, resuming, known]
    return result


def _build_check(
    project: Project,
    base_url: str | None,
    cache: bool,
    history: History,
    resuming: Resuming | None,
) -> tuple[Corpus | None, list[Diagnostic], Checked | None, set[Read] | None]:
    """:func:`check` for a build: from the kept state when there is one
    (:mod:`scholion.pipeline.resume`), with what differs from it; otherwise keeping what the
    check leaves, when the build is to keep it."""
    from scholion import parallel
    from scholion.validate import ValidationMemo

    size, articles = _content_size(project) if cache else (0, 0)
    crowded = parallel.crowded(size * RESIDENT_PER_CONTENT_BYTE)
    if resuming is not None and resuming.kept is not None and not crowded:
        return resume.check_from(project, base_url, resuming.kept)
    # A state kept when the corpus was smaller is not resumed from once it is too large to
    # link here: the delta would link the articles added since in this process.
    if crowded and _link_in_child(project, base_url, articles):
        parallel.in_child(functools.partial(fill_cache, project, base_url))
        keeping = False  # too large to hold its state beside the render's workers
    else:
        keeping = resuming is not None and resuming.valid_for is not None
    memo = ValidationMemo() if keeping else None
    corpus, diagnostics, checked = _checked(project, base_url, cache, history, memo)
    return corpus, diagnostics, checked, None


RESIDENT_PER_CONTENT_BYTE = 12
"""About how many bytes a process holds after linking, for each byte of content on disk
(1,180 MB for the 107 MB of 10,000 generated articles, after a cold check)."""

WARM_SHARE = 0.9
"""The share of the articles the build cache must hold linked for a large corpus to be read
back from it directly (:func:`_link_in_child`)."""


def _link_in_child(project: Project, base_url: str | None, articles: int) -> bool:
    """Whether to link the corpus in a child first, which fills the build cache for this
    process to read the corpus back from it, without linking's freed memory (a third of the
    resident size: :func:`scholion.parallel.in_child`).

    Asked only of a corpus too large to leave room for a render worker per core (the caller
    found it so), and yes only when the cache does not hold nearly all of its ``articles``
    linked already, from the same configuration and
    entities: after one edit the child would read back every article only for this process
    to do it again (at 100,000 articles, two checks instead of one)."""
    from scholion.incremental.file_cache import FileCache

    files = FileCache.of(project)
    warmth = files.linked_warmth()
    files.close()
    if warmth is None or warmth[0] != linking_inputs(project, base_url):
        return True
    return warmth[1] < WARM_SHARE * articles


def _content_size(project: Project) -> tuple[int, int]:
    """The size of the files under ``content/``, and how many articles (Markdown files under
    ``content/articles/``) there are."""
    total, articles = 0, 0
    folder_of_articles = os.path.join(project.content, "articles")
    for folder, _, files in os.walk(project.content):
        is_articles = folder == folder_of_articles or folder.startswith(folder_of_articles + os.sep)
        for name in files:
            with contextlib.suppress(OSError):
                total += os.stat(os.path.join(folder, name)).st_size
            articles += is_articles and name.endswith(".md")
    return total, articles


def _render(
    project: Project,
    corpus: Corpus,
    staging: Path,
    known: Known | None,
    result: BuildReport,
    progress: Progress,
    *,
    stamp: bool,
    planners: dict[str, Planner] | None = None,
) -> tuple[dict[str, Stamp], list[str]]:
    """Render every page (only those whose inputs changed, with ``known``) and copy the static
    files into ``staging``: every file the search stage reads. With ``stamp`` (a build that
    indexes for search), each page is digested for the search stage as it is written; returns
    those stamps by path, and the files. ``planners``: see :func:`scholion.render.render_pages`.

    Rendered on every core and written as each file comes: the site is never all in memory."""
    from scholion import parallel
    from scholion.exports import export_targets
    from scholion.output import write
    from scholion.output.search import page_digest
    from scholion.render import render_pages

    if known is not None:  # checked with the pages', before the search stage takes a core
        known.check_also(export_targets(corpus, known))
    staged = write.Staged(staging, page_digest if stamp else None)  # in each worker
    stamps: dict[str, Stamp] = {}
    pages = render_pages(corpus, template_dirs(project), project.locales, known, staged, planners)
    counted = _counted(_stamped(pages, stamps), "rendering pages", progress)
    written = write.write_files(staging, counted)
    parallel.release_freed_memory()  # what rendering freed, before the exports' workers
    result.pages = len(written)
    result.rendered = result.pages if known is None else known.rendered
    for directory in static_dirs(project):
        written += write.copy_tree(directory, staging, "static")
    return stamps, written


def _export_and_prune(
    project: Project,
    corpus: Corpus,
    staging: Path,
    known: Known | None,
    written: list[str],
    present: Tree | None = None,
) -> list[str]:
    """Write the open-data exports (only the jobs and pieces whose inputs changed, with
    ``known``) and the evidence archive into ``staging``, then, in an incremental build, prune
    what no longer exists: every file not in ``written`` (the pages and static files) nor
    written here. Returns ``written`` with the files written here. ``present``: what the staging
    directory held before (:attr:`scholion.output.write.Staging.tree`), if known, to prune
    without walking it. The search stage's folders are left to it: it may be running."""
    from scholion.exports import export_files
    from scholion.output import write
    from scholion.output.evidence import evidence_files
    from scholion.output.search import INPUT_DIR, SEARCH_DIR

    staged = write.Staged(staging)  # in each worker
    written = written + write.write_files(staging, export_files(corpus, staged, known))
    written += write.write_files(staging, evidence_files(project, corpus))
    if known is not None:
        write.prune(staging, written, {SEARCH_DIR, INPUT_DIR}, present)
    return written


def _stamped(files: Iterable[OutputFile], stamps: dict[str, Stamp]) -> Iterator[OutputFile]:
    """The same files, each one's stamp noted in ``stamps``."""
    for file in files:
        if file.stamp is not None:
            stamps[file.path] = file.stamp
        yield file


def _index(
    project: Project,
    corpus: Corpus,
    staging: Path,
    previous: bool,
    written: dict[str, Stamp],
    files: list[str],
) -> tuple[SearchIndex, float]:
    """The search index of the staged site, and the seconds it took; with ``previous``, shards
    whose pages did not change are kept from the published site. ``written``: the pages stamped
    as they were written, which the index stage need not read; ``files``: the staged site's
    pages and static files (the exports and evidence, which it does not read, may still be
    being written)."""
    from scholion.output.search import build_search_index

    started = time.perf_counter()
    languages = {f"articles/{a.slug}/index.html": a.language for a in corpus.articles.values()}
    index = build_search_index(
        staging,
        corpus.config.language,
        languages,
        shard_pages=corpus.config.search_shard_pages,
        previous=project.output if previous else None,
        memo=cache_dir(project) / SEARCH_MEMO if previous else None,
        inputs=cache_dir(project) / SEARCH_INPUT if previous else None,
        written=written,
        files=files,
    )
    return index, _lap(started)


def _indexed(done: tuple[SearchIndex, float], result: BuildReport, report: Reporter) -> None:
    """Note in ``result`` and report what the search stage did."""
    index, seconds = done
    result.indexed = index.pages
    result.timings["index"] = seconds
    shards = f" ({len(index.indexed)} of {len(index.shards)} shards indexed)"
    report(f"indexed {index.pages} pages for search{shards if index.shards[1:] else ''}")


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
