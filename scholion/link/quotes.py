"""Quotes anchored in an article's text: claims, notes and citations of its sidecar, each placed
on exactly one passage (a quote found nowhere or more than once is a located error with a hint),
numbered in reading order, each with an id that stays the same when the text or the sidecar
gains something above it (:mod:`scholion.link.anchors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from scholion.diagnostics import Diagnostic, Severity
from scholion.link.anchors import digest, distinct, former_ids, positional, quote_digest
from scholion.link.records import Markdown
from scholion.load.documents import Document
from scholion.load.history import note_key
from scholion.model import Annotation, Article, Note

ANCHOR_PREFIX = {"claim": "c", "note": "n", "citation": "s"}


@dataclass(frozen=True, slots=True)
class Quoted:
    """A sidecar item with a quote, before anchoring. ``target`` is the claim or source it
    names, or a note's own ``id`` ("" without one); ``legacy`` what earlier versions called it
    (a note without an id by its position in ``notes:``)."""

    kind: str
    target: str
    path: tuple
    quote: str
    prefix: str | None
    suffix: str | None
    legacy: str = ""


def _quoted_items(data: dict) -> Iterable[Quoted]:
    for i, item in enumerate(data.get("claims", [])):
        yield Quoted(
            "claim",
            item.get("claim") or item["id"],
            ("claims", i),
            item["quote"],
            item.get("prefix"),
            item.get("suffix"),
            item.get("claim") or item["id"],
        )
    for i, item in enumerate(data.get("notes", [])):
        if "quote" in item:
            yield Quoted(
                "note",
                item.get("id", ""),
                ("notes", i),
                item["quote"],
                item.get("prefix"),
                item.get("suffix"),
                item.get("id") or f"{i + 1}",
            )
    for i, item in enumerate(data.get("citations", [])):
        yield Quoted(
            "citation",
            item["source"],
            ("citations", i),
            item["quote"],
            item.get("prefix"),
            item.get("suffix"),
            item["source"],
        )


@dataclass(frozen=True, slots=True)
class Anchored:
    """A sidecar's quotes placed in its article: the annotations in reading order, and each
    note's id and former id (or "") by its position in ``notes:``, quoted or not."""

    annotations: tuple[Annotation, ...] = ()
    note_ids: tuple[tuple[int, str, str], ...] = ()


def anchor_quotes(article: Article, sidecar: Document | None) -> tuple[Anchored, list[Diagnostic]]:
    """Anchor every quote of one sidecar; number the annotations in reading order."""
    if sidecar is None:
        return Anchored(), []
    problems: list[Diagnostic] = []
    placed: list[tuple[int, int, Quoted]] = []
    for item in _quoted_items(sidecar.data):
        where = locate(article, sidecar, item, problems)
        if where:
            placed.append((*where, item))
    stable = dict(zip(map(id, placed), stable_ids(article.index.text, placed), strict=True))
    # Reading order is the order of the numbers in the text: each number follows the end of
    # its quote, so a quote inside another is numbered before it; quotes ending together are
    # numbered outermost first, as their numbers are written.
    placed.sort(key=lambda p: (p[1], -p[0]))
    whole = _whole_notes(sidecar.data)
    current = distinct([stable[id(p)] for p in placed] + [anchor for _, anchor, _ in whole])
    old = positional(f"{ANCHOR_PREFIX[item.kind]}-{item.legacy}" for *_, item in placed)
    formers = former_ids(current, old + [legacy for *_, legacy in whole])
    result, note_ids = [], []
    for number, ((start, end, item), anchor, former) in enumerate(
        zip(placed, current, formers, strict=False), 1
    ):
        before, quote, after = article.index.context(start, end)
        note = item.kind == "note"
        target = anchor[2:] if note else item.target
        result.append(
            Annotation(
                article.slug,
                anchor,
                number,
                item.kind,
                target,
                quote,
                start,
                end,
                before,
                after,
                former,
            )
        )
        if note:
            note_ids.append((item.path[1], anchor, former))
    rest = zip(whole, current[len(placed) :], formers[len(placed) :], strict=True)
    note_ids += [(i, anchor, former) for (i, *_), anchor, former in rest]
    return Anchored(tuple(result), tuple(sorted(note_ids))), problems


def stable_ids(text: str, placed: Iterable[tuple[int, int, Quoted]]) -> list[str]:
    """Each placed quote's id, in sidecar order (so a quote added above another in the text
    changes nothing): ``c-<claim>`` or ``s-<source>`` for the first quote of that claim or
    source in the sidecar, ``n-<id>`` for a note with an id of its own, otherwise the prefix
    and the hash of the quote in its context (``n-3fa2c1``, ``c-<claim>-9b0e4d``)."""
    named: set[str] = set()
    ids = []
    for start, end, item in placed:
        base = (
            f"{ANCHOR_PREFIX[item.kind]}-{item.target}" if item.target else ANCHOR_PREFIX[item.kind]
        )
        if item.target and base not in named:
            named.add(base)
            ids.append(base)
        else:
            ids.append(f"{base}-{quote_digest(text, start, end)}")
    return distinct(ids)


def _whole_notes(data: dict) -> list[tuple[int, str, str]]:
    """The notes on the whole article (no quote) as (position in ``notes:``, id, former id):
    their own id, or the hash of their kind and text."""
    return [
        (
            i,
            f"n-{item.get('id') or digest(item['kind'], item['text'])}",
            f"n-{item.get('id') or i + 1}",
        )
        for i, item in enumerate(data.get("notes", []))
        if "quote" not in item
    ]


def locate(
    article: Article, sidecar: Document, item: Quoted, problems: list[Diagnostic]
) -> tuple[int, int] | None:
    matches = article.index.find(item.quote, item.prefix, item.suffix)
    if len(matches) == 1:
        return matches[0]
    mark = sidecar.located.at((*item.path, "quote"))
    unfiltered = article.index.find(item.quote) if item.prefix or item.suffix else []
    if not matches and unfiltered:
        count = "once" if len(unfiltered) == 1 else f"{len(unfiltered)} times"
        hint = (
            f"the quote itself occurs {count}: copy prefix: from the words just before it "
            "and suffix: from the words just after it"
        )
        message = f"quote not found in {article.path} with this prefix/suffix"
    elif not matches:
        closest = article.index.closest(item.quote)
        hint = (
            f'the closest passage is "{closest}"; copy the exact words from the article'
            if closest
            else "copy the exact words from the article"
        )
        message = f"quote not found in {article.path}"
    else:
        hint = (
            "add prefix: (the words just before) or suffix: (the words just after) to say "
            "which occurrence you mean"
        )
        message = f"quote occurs {len(matches)} times in {article.path}"
    problems.append(Diagnostic(sidecar.path, mark.line, mark.col, Severity.ERROR, message, hint))
    return None


def notes_of(slug: str, data: dict, anchored: Anchored, markdown: Markdown) -> tuple[Note, ...]:
    """The sidecar's notes, each with the id :func:`anchor_quotes` gave it (a note whose quote
    did not anchor keeps its legacy id, for the error pages that follow)."""
    ids = {i: (anchor, former) for i, anchor, former in anchored.note_ids}
    result = []
    for i, item in enumerate(data.get("notes", [])):
        anchor, former = ids.get(i, (f"n-{item.get('id') or i + 1}", ""))
        html = markdown(item["text"])
        key = note_key(slug, item)
        result.append(Note(slug, anchor, item["kind"], html, "quote" in item, former, key))
    return tuple(result)
