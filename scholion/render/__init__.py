"""Stage 5, render: every page of the site as bytes, in memory, from the linked corpus.

Pure: it reads the corpus and templates and returns files; only the write stage touches the
output directory. Each page gets ``root``, its relative path back to the site root, so one build
works at any host path; only feed, sitemap and canonical links use the absolute ``base_url``.
"""

from __future__ import annotations

import dataclasses
import functools
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from scholion import i18n, parallel
from scholion.config import SiteConfig
from scholion.diagnostics import RenderError
from scholion.i18n import N_
from scholion.incremental.dependencies import Entry, Inputs, Known
from scholion.incremental.tracking import Read, sources, tracked
from scholion.model import Corpus, OutputFile
from scholion.render import article as article_view
from scholion.render import charts, maps, metadata, timeline
from scholion.render import narratives as narrative_views
from scholion.render.environment import compile_all, make_environment
from scholion.render.routes import Planner, Route


def render_site(
    corpus: Corpus, template_dirs: Sequence[Path], locales: Path | None = None
) -> list[OutputFile]:
    """All pages plus the sitemap (feeds are exports: :mod:`scholion.exports.feeds`).

    Raises :class:`RenderError` naming the failing page."""
    return list(render_pages(corpus, template_dirs, locales))


@dataclass(frozen=True, slots=True)
class LanguageLink:
    """The site in another interface language, for the language menu and hreflang links."""

    language: str
    name: str  # the language's name in itself: "Español"
    path: str  # the interface's path from the site's root: "" or "es/"
    url: str  # the interface's absolute URL: base_url + path
    current: bool


@dataclass(frozen=True)
class Interface:
    """The site in one interface language: the corpus as that language shows it (its config's
    words translated, its ``base_url`` under the language's path), the Jinja environment with
    its catalogue, the pages it has, and its links to the other languages (none when the site
    has one). The root's language is at the site's root; each other one under its ``path``."""

    language: str
    path: str  # "" for the root's language, else e.g. "es/"
    corpus: Corpus
    env: jinja2.Environment
    routes: Sequence[Route]
    languages: Sequence[LanguageLink]
    search_labels: Mapping[str, str]
    """Search filter values as the root's version indexes them -> as this language shows them
    (the index is built from the root's version only); empty for the root's own version."""


SEARCH_KINDS = (
    N_("Article"),
    N_("Claim"),
    N_("Entity"),
    N_("Source"),
    N_("Page"),
    N_("Narrative"),
)
"""The values of the search's "kind" filter, as the theme's templates write them."""


def interfaces(
    corpus: Corpus,
    template_dirs: Sequence[Path],
    locales: Path | None = None,
    planners: dict[str, Planner] | None = None,
) -> list[Interface]:
    """One :class:`Interface` per language of ``config.languages``, the root's first.
    ``planners``: a :class:`Planner` per language, kept between edits by the live site."""
    config = corpus.config
    found: list[Interface] = []
    for language in config.languages:
        translate = i18n.translator(language, locales)
        shown = dataclasses.replace(corpus, config=config.in_language(language, translate.gettext))
        planner = Planner(translate.gettext)
        if planners is not None:
            planner = planners.setdefault(language, planner)
            planner.translate_with(translate.gettext)  # one kept from the last build has none
        routes = planner.plan(shown)
        if language != config.languages[0]:
            # The not-found page is the host's, at the root only (GitHub Pages serves /404.html).
            routes = [r for r in routes if r.path != "404.html"]
        links = [
            LanguageLink(
                tag,
                i18n.language_name(tag),
                config.language_path(tag),
                config.base_url + config.language_path(tag),
                tag == language,
            )
            for tag in config.languages
        ]
        env = make_environment(template_dirs, language, locales)
        path = config.language_path(language)
        labels = _search_labels(found[0], shown.config, translate.gettext) if found else {}
        shared = links if len(links) > 1 else []
        found.append(Interface(language, path, shown, env, routes, shared, labels))
    return found


def _search_labels(
    root: Interface, config: SiteConfig, gettext: Callable[[str], str]
) -> dict[str, str]:
    """How the root's filter values (kinds, ratings, entity types) read in another language."""
    root_translate = root.env.globals["interface"]
    assert isinstance(root_translate, i18n.Translator)  # make_environment's
    root_gettext = root_translate.gettext
    labels = {root_gettext(kind): gettext(kind) for kind in SEARCH_KINDS}
    root_config = root.corpus.config
    for theirs, ours in (
        (root_config.ratings, config.ratings),
        (root_config.entity_types, config.entity_types),
    ):
        labels.update((a.label, b.label) for a, b in zip(theirs, ours, strict=True))
    return {value: shown for value, shown in labels.items() if value != shown}


def render_pages(
    corpus: Corpus,
    template_dirs: Sequence[Path],
    locales: Path | None = None,
    known: Known | None = None,
    deliver: Callable[[OutputFile], OutputFile] | None = None,
    planners: dict[str, Planner] | None = None,
) -> Iterator[OutputFile]:
    """:func:`render_site` one file at a time, in the same order, rendered on every core: the
    build writes each file as it comes, so the whole site is never held in memory. ``locales``
    is the corpus's own message catalogues (``locales/<language>.po``), if any. Every page is
    rendered once per interface language (``config.languages``), each under its own path.
    ``deliver``: what becomes of each page where it is rendered (written there, by the build:
    :class:`scholion.output.write.Staged`).

    With ``known`` (an incremental build: :mod:`scholion.incremental.dependencies`), a page whose
    inputs
    are all as they were in the last build is not rendered but comes without content (its file
    is already staged), and what each page read goes to ``known``. ``planners``: a
    :class:`Planner` per language, kept from the last build (:mod:`scholion.pipeline.resume`);
    ``known`` is told which routes they made again."""
    every = interfaces(corpus, template_dirs, locales, planners)
    jobs = site_jobs(every)
    if known is not None and planners is not None:
        remade = {i.path + path for i in every for path in planners[i.language].remade}
        planned = sum(len(i.routes) for i in every)  # the sitemaps come after, made anew
        known.routes_made([*remade, *(i.path + route.path for i, route in jobs[planned:])])
    handed = deliver or _as_made
    if known is None:
        _compiled(every)
        yield from parallel.ordered_map(functools.partial(_render_file, deliver=handed), jobs)
        return
    inputs = {i.path: known.inputs(i) for i in every}
    kept = known.unchanged([(inputs[i.path], i.path + route.path, route) for i, route in jobs])
    changed = [
        (i, route, inputs[i.path]) for (i, route), same in zip(jobs, kept, strict=True) if not same
    ]
    if len(changed) >= COMPILED_FROM:
        _compiled(every)
    render = functools.partial(_render_noting, deliver=handed)
    rendered = parallel.ordered_map(render, changed, threshold=parallel.among(len(jobs)))
    for (interface, route), same in zip(jobs, kept, strict=True):
        if same:  # its file is already staged, as the last build published it
            path = interface.path + route.path
            known.add(path, None, rendered=False)
            yield OutputFile(path, None)
        else:
            file, entry = next(rendered)
            known.add(file.path, entry, rendered=True)
            yield file


def _as_made(file: OutputFile) -> OutputFile:
    return file


COMPILED_FROM = 200
"""Pages to render from which every template is compiled before the render's workers are
forked (:func:`_compiled`); fewer (an edit's dozen) compile only the templates they use, where
they are rendered: compiling all of them took 0.34 s of every edit build."""


def _compiled(every: Sequence[Interface]) -> None:
    """Every template of each interface compiled here, before any render worker is forked:
    they inherit the compiled code instead of each compiling it (see :func:`compile_all`)."""
    for interface in every:
        compile_all(interface.env)


Job = tuple[Interface, Route]
"""A page to render: its route in one interface."""


def site_jobs(every: Sequence[Interface]) -> list[Job]:
    """Every page of the site in every interface, then the sitemaps, in the order a build
    writes them. Raises :class:`RenderError` when two pages would have one path."""
    root = every[0]
    _refuse_collisions(root.routes)
    jobs = [(i, route) for i in every for route in i.routes]
    language_paths = [(i.language, i.path) for i in every]
    return jobs + [(root, route) for route in sitemaps(root.routes, language_paths)]


def render_tracked(jobs: Sequence[Job]) -> Iterator[tuple[OutputFile, frozenset[Read]]]:
    """Each page of ``jobs``, rendered on every core, with what it read of the corpus."""
    parts = {id(i): sources(i.corpus) for i, _ in jobs}
    yield from parallel.ordered_map(_render_noting_reads, [(i, r, parts[id(i)]) for i, r in jobs])


def _render_noting_reads(
    job: tuple[Interface, Route, Mapping[str, Any]],
) -> tuple[OutputFile, frozenset[Read]]:
    interface, route, parts = job
    reads: set[Read] = set()
    content = _render(interface, route, tracked(interface.corpus, reads, parts))
    return OutputFile(interface.path + route.path, content), frozenset(reads)


SITEMAP_URLS = 50_000
"""The sitemap protocol's limit of URLs in one file (which must also stay under 50 MB)."""


def sitemaps(routes: Sequence[Route], language_paths: Sequence[tuple[str, str]]) -> list[Route]:
    """``sitemap.xml`` listing every page in every language; past the protocol's limits, a
    sitemap index naming ``sitemaps/<n>.xml`` files that share the pages out, each page with
    all its language versions in one file. A file holds at most ``SITEMAP_URLS`` divided by
    the square of the number of languages pages (each page is a URL per language, and each URL
    lists every language's version), which keeps it well under 50 MB. A sitemap is given the
    pages' URLs alone, all it shows: given their routes, it held every record of the corpus,
    to be digested for its entry and compared after any edit."""
    listed = [route for route in routes if route.in_sitemap]
    per_file = max(1, SITEMAP_URLS // len(language_paths) ** 2)
    if len(listed) <= per_file:
        context = {"urls": tuple(route.url for route in listed), "language_paths": language_paths}
        return [Route("sitemap.xml", "sitemap.xml", context)]
    parts = [
        Route(
            f"sitemaps/{number}.xml",
            "sitemap.xml",
            {
                "urls": tuple(route.url for route in listed[start : start + per_file]),
                "language_paths": language_paths,
            },
        )
        for number, start in enumerate(range(0, len(listed), per_file), 1)
    ]
    index = Route("sitemap.xml", "sitemap_index.xml", {"sitemaps": [p.path for p in parts]})
    return [index, *parts]


def _render_noting(
    job: tuple[Interface, Route, Inputs], deliver: Callable[[OutputFile], OutputFile]
) -> tuple[OutputFile, Entry | None]:
    """The page rendered through a corpus that notes what it reads, and delivered, with its
    entry (None: untracked)."""
    interface, route, inputs = job
    reads: set[Read] = set()
    content = _render(interface, route, tracked(interface.corpus, reads, inputs.parts))
    path = interface.path + route.path
    return deliver(OutputFile(path, content)), inputs.entry(path, route, reads)


def _render_file(
    job: tuple[Interface, Route], deliver: Callable[[OutputFile], OutputFile]
) -> OutputFile:
    interface, route = job
    return deliver(OutputFile(interface.path + route.path, _render(interface, route)))


def _refuse_collisions(routes: Sequence[Route]) -> None:
    seen: dict[str, str] = {}
    for route in routes:
        if route.path in seen:
            raise RenderError(
                f"two pages would be written to {route.path} "
                f"({seen[route.path]} and {route.template})"
            )
        seen[route.path] = route.template


def _render(interface: Interface, route: Route, corpus: Corpus | None = None) -> bytes:
    """``route``'s page in ``interface``, reading ``corpus`` (the interface's, or the same one
    tracking what the page reads)."""
    corpus = interface.corpus if corpus is None else corpus
    env = interface.env
    root = route.root
    if route.path == "404.html":
        root = corpus.config.base_path  # served at any depth, so links must be absolute paths
    # Links to pages stay inside this language's tree (``root``); the shared files (styles,
    # scripts, feeds, data, the search index) exist once, at the site's root (``site_root``).
    site_root = root + "../" * interface.path.count("/")
    context = {
        "corpus": corpus,
        "config": corpus.config,
        "route": route,
        "root": root,
        "site_root": site_root,
        "here": site_root + route.url if interface.path else "",
        "searchable": not interface.path,
        "languages": interface.languages,
        "search_labels": interface.search_labels,
        "canonical": corpus.config.base_url + route.url,
        "nav_pages": sorted(
            (p for p in corpus.pages.values() if p.nav_order is not None),
            key=lambda p: (p.nav_order, p.slug),
        ),
        "views": article_view,
        "meta": metadata,
        "charts": charts,
        "maps": maps,
        "timeline": timeline,
        "narrative_views": narrative_views,
        **route.context,
    }
    try:
        return env.get_template(route.template).render(context).encode("utf-8")
    except jinja2.TemplateError as exc:
        where = _template_line(env, exc) or route.template
        page = interface.path + route.path
        raise RenderError(f"rendering {page} with {where}: {exc}") from exc


def _template_line(env: jinja2.Environment, exc: jinja2.TemplateError) -> str:
    """``path:line`` of the template line that failed, naming the corpus's override or the
    theme's file. Jinja gives a traceback frame per template; the last one is where it failed."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{_shown(exc.filename)}:{exc.lineno}" if exc.filename else ""
    searchpath = getattr(env.loader, "searchpath", [])
    dirs = [Path(d).resolve() for d in searchpath]
    found = ""
    for frame, line in traceback.walk_tb(exc.__traceback__):
        file = Path(frame.f_code.co_filename).resolve()
        if any(file.is_relative_to(d) for d in dirs):
            found = f"{_shown(str(file))}:{line}"
    return found


def _shown(filename: str) -> str:
    """A template path as a terminal user can open it: relative to the working directory."""
    path = Path(filename).resolve()
    return path.relative_to(Path.cwd()).as_posix() if path.is_relative_to(Path.cwd()) else filename
