"""Stage 5, render: every page of the site as bytes, in memory, from the linked corpus.

Pure: it reads the corpus and templates and returns files; only the write stage touches the
output directory. Each page gets ``root``, its relative path back to the site root, so one build
works at any host path; only feed, sitemap and canonical links use the absolute ``base_url``.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .. import charts, parallel
from ..diagnostics import RenderError
from ..model import Corpus
from . import article as article_view
from . import metadata
from .environment import make_environment
from .routes import Route, plan


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file of the built site: its path relative to the site root, and its bytes."""

    path: str
    content: bytes


def render_site(
    corpus: Corpus, template_dirs: Sequence[Path], locales: Path | None = None
) -> list[OutputFile]:
    """All pages plus the sitemap (feeds are exports: :mod:`scholion.exports.feeds`).

    Raises :class:`RenderError` naming the failing page."""
    return list(render_pages(corpus, template_dirs, locales))


def render_pages(
    corpus: Corpus, template_dirs: Sequence[Path], locales: Path | None = None
) -> Iterator[OutputFile]:
    """:func:`render_site` one file at a time, in the same order, rendered on every core: the
    build writes each file as it comes, so the whole site is never held in memory. ``locales``
    is the corpus's own message catalogues (``locales/<language>.po``), if any."""
    env = make_environment(template_dirs, corpus.config.language, locales)
    routes = plan(corpus)
    _refuse_collisions(routes)
    sitemap = Route("sitemap.xml", "sitemap.xml", {"routes": [r for r in routes if r.in_sitemap]})
    render = functools.partial(_render_file, env, corpus, routes)
    yield from parallel.ordered_map(render, [*routes, sitemap])


def _render_file(
    env: jinja2.Environment, corpus: Corpus, routes: Sequence[Route], route: Route
) -> OutputFile:
    return OutputFile(route.path, _render(env, corpus, route, routes))


def _refuse_collisions(routes: Sequence[Route]) -> None:
    seen: dict[str, str] = {}
    for route in routes:
        if route.path in seen:
            raise RenderError(
                f"two pages would be written to {route.path} "
                f"({seen[route.path]} and {route.template})"
            )
        seen[route.path] = route.template


def _render(
    env: jinja2.Environment, corpus: Corpus, route: Route, routes: Sequence[Route]
) -> bytes:
    root = route.root
    if route.path == "404.html":
        root = corpus.config.base_path  # served at any depth, so links must be absolute paths
    context = {
        "corpus": corpus,
        "config": corpus.config,
        "route": route,
        "root": root,
        "canonical": corpus.config.base_url + route.url,
        "nav_pages": sorted(
            (p for p in corpus.pages.values() if p.nav_order is not None),
            key=lambda p: (p.nav_order, p.slug),
        ),
        "views": article_view,
        "meta": metadata,
        "charts": charts,
        **route.context,
    }
    try:
        return env.get_template(route.template).render(context).encode("utf-8")
    except jinja2.TemplateError as exc:
        where = _template_line(env, exc) or route.template
        raise RenderError(f"rendering {route.path} with {where}: {exc}") from exc


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
