"""``build.py import-annotations FILE --article SLUG``: read, map and anchor (in
:mod:`~scholion.commands.annotation_formats`, :mod:`~scholion.commands.annotation_map`,
:mod:`~scholion.commands.annotation_import`), then merge into the article's sidecar
(:mod:`~scholion.commands.sidecar_merge`) and write the rejects file.

The corpus must pass ``check`` first: quotes are anchored in the linked article, and the ids the
import names (claims, sources, entities, ratings, note kinds) are looked up in the corpus. The
article is named by its slug, never by a path, so no input can make the import write anywhere
but that article's sidecar and the rejects file the user chose.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from scholion import pipeline
from scholion.commands.annotation_formats import read_annotations
from scholion.commands.annotation_import import Outcome, Rejected, plan_import
from scholion.commands.annotation_map import default_map, read_map
from scholion.commands.new import modeline
from scholion.commands.sidecar_merge import merged_sidecar
from scholion.diagnostics import ContentError, SiteError
from scholion.load.ids import ID_PATTERN
from scholion.load.yamlsource import parse_yaml
from scholion.project import Project


@dataclass(frozen=True)
class Planned:
    """What an import will write: the sidecar's new text (None: nothing to add), the rejects
    file's text (None: no rejects), and the outcome to report."""

    outcome: Outcome
    sidecar: Path
    text: str | None
    rejects: Path
    rejects_text: str | None
    newline: str = "\n"
    """The sidecar's line ending, kept (a file saved on Windows stays so)."""


def plan_annotations(
    project: Project,
    file: Path,
    slug: str,
    map_file: Path | None = None,
    rejects: Path | None = None,
) -> Planned:
    if not ID_PATTERN.match(slug):
        raise SiteError(f"--article {slug!r} is not an article slug (e.g. my-article)")
    corpus, diagnostics = pipeline.check(project)
    if corpus is None:
        raise ContentError(diagnostics)
    if slug not in corpus.articles:
        close = difflib.get_close_matches(slug, list(corpus.articles), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        raise SiteError(f"no article `{slug}` in content/articles/{hint}")
    read = read_annotations(file)
    amap = read_map(map_file, corpus) if map_file else default_map(corpus)
    sidecar = project.root / Path(corpus.articles[slug].path).with_suffix(".yaml")
    raw = sidecar.read_bytes() if sidecar.is_file() else b""
    existing = raw.decode("utf-8-sig").replace("\r\n", "\n")
    newline = "\r\n" if b"\r\n" in raw else "\n"
    located, _ = parse_yaml(existing, project.relative(sidecar))
    data = located.data if located is not None and isinstance(located.data, dict) else {}
    outcome = plan_import(corpus, slug, read.items, amap, data)
    text = (
        merged_sidecar(existing, outcome.added, modeline("sidecar.schema.json"))
        if outcome.added
        else None
    )
    target = rejects or file.with_name(file.stem + ".rejects.json")
    rejects_text = _rejects(outcome.rejected) if outcome.rejected else None
    return Planned(outcome, sidecar, text, target, rejects_text, newline)


def write_planned(planned: Planned) -> None:
    if planned.text is not None:
        planned.sidecar.write_text(planned.text, encoding="utf-8", newline=planned.newline)
    if planned.rejects_text is not None:
        planned.rejects.write_text(planned.rejects_text, encoding="utf-8")


def _rejects(rejected: list[Rejected]) -> str:
    """The rejected items as they came, each with ``rejected``: its reason. A JSON list, which
    ``import-annotations`` reads again once the items are mended."""
    items = [
        {**r.item.raw, "rejected": r.reason}
        if isinstance(r.item.raw, dict)
        else {"item": r.item.raw, "rejected": r.reason}
        for r in rejected
    ]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"
