"""Quotes anchored in an article's text: claims, notes and citations of its sidecar, each placed
on exactly one passage (a quote found nowhere or more than once is a located error with a hint),
numbered in reading order with an anchor id that stays the same from build to build.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from scholion.diagnostics import Diagnostic, Severity
from scholion.link.records import Markdown
from scholion.load.documents import Document
from scholion.model import Annotation, Article, Note

ANCHOR_PREFIX = {"claim": "c", "note": "n", "citation": "s"}


@dataclass(frozen=True, slots=True)
class Quoted:
    """A sidecar item with a quote, before anchoring."""

    kind: str
    target: str
    path: tuple
    quote: str
    prefix: str | None
    suffix: str | None


def _quoted_items(data: dict) -> Iterable[Quoted]:
    for i, item in enumerate(data.get("claims", [])):
        yield Quoted(
            "claim",
            item.get("claim") or item["id"],
            ("claims", i),
            item["quote"],
            item.get("prefix"),
            item.get("suffix"),
        )
    for i, item in enumerate(data.get("notes", [])):
        if "quote" in item:
            yield Quoted(
                "note",
                item.get("id") or f"{i + 1}",
                ("notes", i),
                item["quote"],
                item.get("prefix"),
                item.get("suffix"),
            )
    for i, item in enumerate(data.get("citations", [])):
        yield Quoted(
            "citation",
            item["source"],
            ("citations", i),
            item["quote"],
            item.get("prefix"),
            item.get("suffix"),
        )


def anchor_quotes(
    article: Article, sidecar: Document | None
) -> tuple[tuple[Annotation, ...], list[Diagnostic]]:
    """Anchor every quote of one sidecar; number the annotations in reading order."""
    if sidecar is None:
        return (), []
    problems: list[Diagnostic] = []
    placed: list[tuple[int, int, Quoted]] = []
    for item in _quoted_items(sidecar.data):
        where = locate(article, sidecar, item, problems)
        if where:
            placed.append((*where, item))
    # Reading order is the order of the numbers in the text: each number follows the end of
    # its quote, so a quote inside another is numbered before it; quotes ending together are
    # numbered outermost first, as their numbers are written.
    placed.sort(key=lambda p: (p[1], -p[0]))
    used: Counter[str] = Counter()
    result = []
    for number, (start, end, item) in enumerate(placed, 1):
        base = f"{ANCHOR_PREFIX[item.kind]}-{item.target}"
        used[base] += 1
        anchor = base if used[base] == 1 else f"{base}-{used[base]}"
        before, quote, after = article.index.context(start, end)
        result.append(
            Annotation(
                article.slug,
                anchor,
                number,
                item.kind,
                item.target,
                quote,
                start,
                end,
                before,
                after,
            )
        )
    return tuple(result), problems


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


def notes_of(
    slug: str, data: dict, annotations: Iterable[Annotation], markdown: Markdown
) -> tuple[Note, ...]:
    anchors = {a.target: a.anchor for a in annotations if a.kind == "note"}
    result = []
    for i, item in enumerate(data.get("notes", [])):
        target = item.get("id") or f"{i + 1}"
        anchor = anchors.get(target, f"n-{target}")
        result.append(Note(slug, anchor, item["kind"], markdown(item["text"]), "quote" in item))
    return tuple(result)
