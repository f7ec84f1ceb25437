"""Checks of relations and claim links within one file: what their schema cannot say.

A relation that ends before it begins, an entity related to itself, a claim linked to itself,
the same relation or link given twice: each is a located error with the fix. Ids named in
them are checked against the corpus with every other reference (:mod:`.references`).

Dates compare by what they can mean: ``to: 2019`` may be any day of 2019, so a relation
``from: 2019-03`` ``to: 2019`` is sound; only a latest possible end before the earliest
possible beginning is an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document
from scholion.load.yamlsource import Path


def relation_problems(doc: Document) -> Iterator[Diagnostic]:
    """The problems of the ``relations:`` of an entity file."""
    seen: dict[tuple[object, object], int] = {}
    for i, relation in _dicts(doc.data.get("relations")):
        base = ("relations", i)
        other, kind = relation.get("entity"), relation.get("type")
        if other == doc.stem:
            yield _at(
                doc,
                (*base, "entity"),
                "an entity cannot be related to itself",
                "name another entity, or remove the relation",
            )
        start, end = relation.get("from"), relation.get("to")
        if isinstance(start, str) and isinstance(end, str) and _latest(end) < _earliest(start):
            yield _at(
                doc,
                (*base, "to"),
                f"the relation ends ({end}) before it begins ({start})",
                "swap from: and to:, or correct the date",
            )
        if isinstance(other, str) and isinstance(kind, str):
            yield from _repeated(doc, seen, (kind, other), ("relations", i), "relation")


def claim_link_problems(doc: Document) -> Iterator[Diagnostic]:
    """The problems of the ``links:`` of each claim a sidecar defines."""
    for i, claim in _dicts(doc.data.get("claims")):
        seen: dict[tuple[object, object], int] = {}
        for j, link in _dicts(claim.get("links")):
            base = ("claims", i, "links", j)
            other = link.get("claim")
            if other is not None and other == claim.get("id"):
                yield _at(
                    doc,
                    (*base, "claim"),
                    "a claim cannot be linked to itself",
                    "name another claim, or remove the link",
                )
            elif isinstance(other, str):
                yield from _repeated(doc, seen, (link.get("type"), other), base, "link")


def _repeated(
    doc: Document,
    seen: dict[tuple[object, object], int],
    key: tuple[object, object],
    path: Path,
    what: str,
) -> Iterator[Diagnostic]:
    """An error at the second of two items of one list with the same ``key`` (type and
    other end); ``path`` is the item's, ending with its place in the list."""
    base, index = path[:-1], path[-1]
    if key in seen:
        first = doc.located.at((*base, seen[key]))
        yield _at(
            doc,
            path,
            f"this {what} is already given at line {first.line}",
            "remove one of the two",
        )
    elif isinstance(index, int):
        seen[key] = index


def _earliest(date: str) -> str:
    """The first day a date of any precision may mean, comparable as text."""
    return (date + "-00-00")[:10]


def _latest(date: str) -> str:
    """The last day a date of any precision may mean, comparable as text."""
    return (date + "-99-99")[:10]


def _dicts(values: object) -> Iterator[tuple[int, dict]]:
    if isinstance(values, list):
        for i, value in enumerate(values):
            if isinstance(value, dict):
                yield i, value


def _at(doc: Document, path: Path, message: str, hint: str) -> Diagnostic:
    mark = doc.located.at(path)
    return Diagnostic(doc.path, mark.line, mark.col, Severity.ERROR, message, hint)
