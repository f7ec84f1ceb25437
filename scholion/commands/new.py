"""``build.py new``: start a content file with its schema modeline and every required field.

A scaffolded file passes ``check`` as written, so a contributor starts from a green state and
every later error is one they introduced. Values come from the command line; nothing is
invented, which is why the fields a schema requires are required options here too.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass
from pathlib import Path

from scholion.diagnostics import SiteError
from scholion.load import load
from scholion.load.ids import ID_PATTERN, suggest_id
from scholion.project import Project


class ScaffoldError(SiteError):
    """The file cannot be created (bad id, already exists)."""


@dataclass(frozen=True, slots=True)
class NewFile:
    path: Path
    text: str


def modeline(schema: str, depth: int = 2) -> str:
    """The comment that tells the YAML language server which schema a file follows."""
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{schema}"


def yaml_text(value: str) -> str:
    """A YAML scalar that reads back as exactly ``value`` (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def new_article(
    project: Project,
    slug: str,
    *,
    title: str,
    publisher: str,
    rights: str,
    language: str,
    date: str | None = None,
) -> list[NewFile]:
    """The article with front matter and an empty body, and its sidecar with empty lists."""
    check_id(slug)
    _check_known(publisher, "entity", {d.stem for d in load(project).entities})
    front = [
        "---",
        modeline("article.schema.json"),
        f"title: {yaml_text(title)}",
        f"date: {yaml_text(date or dt.date.today().isoformat())}",
        f"publisher: {publisher}",
        f"language: {language}",
        f"rights: {yaml_text(rights)}",
        "---",
        "",
    ]
    base = project.content / "articles"
    return _fresh(
        [NewFile(base / f"{slug}.md", "\n".join(front)), *new_sidecar(base / f"{slug}.yaml")]
    )


def new_sidecar(path: Path) -> list[NewFile]:
    """An empty annotations file beside an article, ready for the first claim."""
    lines = [modeline("sidecar.schema.json"), "claims: []", "notes: []", "citations: []", ""]
    return [NewFile(path, "\n".join(lines))]


def new_entity(
    project: Project, entity_id: str, *, type_: str, name: str, description: str
) -> list[NewFile]:
    check_id(entity_id)
    _check_known(type_, "entity type", _vocabulary(project, "entity_types"))
    lines = [
        modeline("entity.schema.json"),
        f"type: {type_}",
        f"name: {yaml_text(name)}",
        "aliases: []",
        f"description: {yaml_text(description)}",
        "",
    ]
    return _fresh([NewFile(project.content / "entities" / f"{entity_id}.yaml", "\n".join(lines))])


def new_source(project: Project, source_id: str, *, title: str, kind: str) -> list[NewFile]:
    check_id(source_id)
    _check_known(kind, "source kind", _vocabulary(project, "source_kinds"))
    lines = [
        modeline("source.schema.json"),
        f"title: {yaml_text(title)}",
        f"kind: {kind}",
        "cites: []",
        "",
    ]
    return _fresh([NewFile(project.content / "sources" / f"{source_id}.yaml", "\n".join(lines))])


def write_new(files: list[NewFile]) -> None:
    """Create the files; never overwrites (checked again here, just before writing)."""
    for file in _fresh(files):
        file.path.parent.mkdir(parents=True, exist_ok=True)
        with file.path.open("x", encoding="utf-8") as handle:
            handle.write(file.text)


def check_id(value: str) -> None:
    """Ids name files: one that is not an id (a path, say) is refused before anything is written."""
    if not ID_PATTERN.match(value) or len(value) > 100:
        raise ScaffoldError(
            f"{value!r} is not a valid id: use lower-case letters a-z, digits "
            f"and single hyphens, e.g. {suggest_id(value)}"
        )


def _vocabulary(project: Project, key: str) -> set[str]:
    config = load(project).config
    table = config.data.get(key) if config else None
    return set(table) if isinstance(table, dict) else set()


def _check_known(value: str, what: str, known: set[str]) -> None:
    if value in known:
        return
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    hint = (
        f"did you mean '{close[0]}'?" if close else f"known: {', '.join(sorted(known)) or 'none'}"
    )
    raise ScaffoldError(f"unknown {what} '{value}'; {hint}")


def _fresh(files: list[NewFile]) -> list[NewFile]:
    for file in files:
        if file.path.exists():
            raise ScaffoldError(f"{file.path} already exists; choose another id")
    return files
