"""A corpus repository as a whole: make one (``scholion new DIR``), keep the copy of the schemas
its editors use in step with the engine (``scholion schemas``, and a warning from ``check``), and
remove what builds leave (``scholion clean``).

A new corpus is the engine's skeleton (``scholion/skeleton/``: configuration, one annotated
example article, workflows, editor settings, Makefile) plus the engine's schemas, so it checks
and builds as it stands, and its workflows are the engine repository's own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from scholion import __version__
from scholion.diagnostics import Diagnostic, Severity, SiteError
from scholion.incremental.fingerprint import cache_dir
from scholion.output import write
from scholion.project import ENGINE, SCHEMAS, Project

SKELETON = ENGINE / "skeleton"
PLACEHOLDERS = ("@title@", "@version@")
"""Written in the skeleton's files where the new corpus's title and the engine's version go."""


class CorpusError(SiteError):
    """A corpus cannot be made or cleaned where asked (a folder in use, an unsafe output)."""


def new_corpus(target: Path, title: str | None = None) -> list[Path]:
    """Write a corpus that checks and builds as it stands into ``target``, a new or empty
    folder (one holding only ``.git``, as a fresh clone does); returns the files written."""
    if target.exists() and any(p.name != ".git" for p in target.iterdir()):
        raise CorpusError(
            f"{target} is not empty; `scholion new` makes a corpus in a new or empty folder"
        )
    name = title or target.resolve().name.replace("-", " ").replace("_", " ").capitalize()
    written = []
    for source in sorted(p for p in SKELETON.rglob("*") if p.is_file()):
        if "__pycache__" in source.parts:
            continue
        path = target / source.relative_to(SKELETON)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text(encoding="utf-8")
        for placeholder, value in zip(PLACEHOLDERS, (name, __version__), strict=True):
            text = text.replace(placeholder, value)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written + write_schemas(Project.at(target))


def schema_files() -> list[Path]:
    """The engine's schemas of the files contributors edit (not those of the open data)."""
    return sorted(SCHEMAS.glob("*.schema.json"))


def write_schemas(project: Project) -> list[Path]:
    """Copy the engine's schemas into the corpus's ``schemas/``, where editors find them (every
    content file names its schema there); returns the files that changed."""
    project.schemas.mkdir(parents=True, exist_ok=True)
    changed = []
    for source in schema_files():
        target = project.schemas / source.name
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
            changed.append(target)
    return changed


def stale_schemas(project: Project) -> list[Diagnostic]:
    """A warning when the corpus keeps schemas for editors that are not this engine's: editors
    would then accept what ``check`` refuses, or the reverse. Nothing without ``schemas/``."""
    if not project.schemas.is_dir():
        return []
    stale = [
        source.name
        for source in schema_files()
        if not (project.schemas / source.name).is_file()
        or (project.schemas / source.name).read_bytes() != source.read_bytes()
    ]
    if not stale:
        return []
    return [
        Diagnostic(
            "schemas/",
            0,
            0,
            Severity.WARNING,
            f"the schemas editors use are not those of scholion {__version__}: {', '.join(stale)}",
            "run `scholion schemas` to write this version's schemas, and commit them",
        )
    ]


def clean(project: Project) -> list[Path]:
    """Remove the built site, what builds left beside it (the spare an incremental build starts
    from, what interrupted ones left) and ``.cache/``; returns what was removed. An output that
    is not a site Scholion built is refused, never removed."""
    output = project.output
    _check_removable(project)
    leftovers = [
        *output.parent.glob(f"{output.name}{write.STAGING_PREFIX}*"),
        *output.parent.glob(f"{output.name}{write.RETIRED_PREFIX}*"),
        write.spare_dir(output),
    ]
    removed = []
    for path in [output, *sorted(leftovers), cache_dir(project)]:
        if path.is_symlink():  # the link goes, never what it points at
            path.unlink()
            removed.append(path)
        elif path.is_dir():
            shutil.rmtree(path)
            removed.append(path)
    return removed


def _check_removable(project: Project) -> None:
    out = project.output.resolve()
    for source in project.sources:
        path = source.resolve()
        if path.is_relative_to(out) or out.is_relative_to(path):
            raise CorpusError(f"refusing to remove {project.output}: it holds or is {path}")
    built = (out / "index.html").is_file() and (out / "sitemap.xml").is_file()
    if out.is_dir() and any(out.iterdir()) and not built:
        raise CorpusError(
            f"refusing to remove {project.output}: it is not a site Scholion built "
            "(no index.html and sitemap.xml)"
        )
