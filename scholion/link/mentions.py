"""Entity mentions in an article: names and aliases found in its text (outside its own links),
plus the mentions its sidecar places by quote, less the entities it suppresses; which of them
become links follows ``mentions:`` in ``site_config.yaml``.
"""

from __future__ import annotations

from scholion.config import SiteConfig
from scholion.diagnostics import Diagnostic, Severity
from scholion.link.aliases import AliasMatcher
from scholion.link.anchors import distinct, former_ids, positional, quote_digest
from scholion.link.quotes import Quoted, locate
from scholion.load.documents import Document
from scholion.model import Article, Mention
from scholion.text.index import TextIndex


def find_mentions(
    article: Article,
    data: dict,
    matcher: AliasMatcher,
    config: SiteConfig,
    sidecar: Document | None,
    problems: list[Diagnostic],
) -> tuple[Mention, ...]:
    suppressed = {m["entity"] for m in data.get("mentions", []) if m.get("suppress")}
    found: list[tuple[int, int, str, int]] = []
    for segment in article.index.segments():
        if segment.in_link:
            continue
        for start, end, entity in matcher.find(segment.text):
            if entity not in suppressed:
                found.append((segment.start + start, segment.start + end, entity, segment.section))
    found += _explicit_mentions(article, data, sidecar, problems)
    found.sort()
    return _linked(article, found, config.mentions)


def title_entities(article: Article, data: dict, matcher: AliasMatcher) -> tuple[str, ...]:
    """The entities an article's headline names (not links: the headline is not the text),
    less those its sidecar suppresses; they count among the articles naming each."""
    suppressed = {m["entity"] for m in data.get("mentions", []) if m.get("suppress")}
    return tuple(sorted({e for *_, e in matcher.find(article.title)} - suppressed))


def _explicit_mentions(
    article: Article, data: dict, sidecar: Document | None, problems: list[Diagnostic]
) -> list[tuple[int, int, str, int]]:
    result = []
    for i, item in enumerate(data.get("mentions", [])):
        if item.get("suppress") or "quote" not in item or sidecar is None:
            continue
        quoted = Quoted(
            "mention",
            item["entity"],
            ("mentions", i),
            item["quote"],
            item.get("prefix"),
            item.get("suffix"),
        )
        where = locate(article, sidecar, quoted, problems)
        unplaceable = where and unplaceable_mention(article.index, *where)
        if unplaceable:
            mark = sidecar.located.at(("mentions", i, "quote"))
            problem, hint = unplaceable
            message = f"mention quote {problem} in {article.path}"
            problems.append(
                Diagnostic(sidecar.path, mark.line, mark.col, Severity.ERROR, message, hint)
            )
        elif where:
            result.append((*where, item["entity"], _section_at(article.index, where[0])))
    return result


def unplaceable_mention(index: TextIndex, start: int, end: int) -> tuple[str, str] | None:
    """Why a mention at ``start:end`` cannot be wrapped in its link (problem, hint), or None.

    Its link (and the id entity pages point to) must sit inside one run of text, outside the
    article's own links: tags cannot overlap and links cannot nest."""
    for segment in index.segments():
        if segment.start <= start < segment.start + len(segment.text):
            if end > segment.start + len(segment.text):
                return (
                    "runs across formatting",
                    "quote only words inside one piece of formatting, e.g. just the name",
                )
            if segment.in_link:
                return (
                    "is inside a link",
                    "links cannot contain links: quote words outside the link, or remove this "
                    "mention",
                )
            return None
    return None


def _section_at(index: TextIndex, offset: int) -> int:
    section = 0
    for segment in index.segments():
        if segment.start > offset:
            break
        section = segment.section
    return section


def _linked(
    article: Article, found: list[tuple[int, int, str, int]], policy: str
) -> tuple[Mention, ...]:
    """The mentions in reading order, less any overlapping an earlier one, each with its id:
    ``m-<entity>-<hash of its words in context>``, so a mention added above leaves it alone."""
    seen: set[tuple[str, int]] = set()
    kept = []
    last_end = -1
    for start, end, entity, section in found:
        if start < last_end:
            continue  # overlaps an earlier mention (an explicit one over an alias match)
        last_end = end
        key = (entity, section if policy == "first-per-section" else 0)
        linked = policy == "all" or (policy != "none" and key not in seen)
        seen.add(key)
        kept.append((start, end, entity, linked))
    text = article.index.text
    anchors = distinct(f"m-{e}-{quote_digest(text, start, end)}" for start, end, e, _ in kept)
    formers = former_ids(anchors, positional((f"m-{e}" for *_, e, _ in kept), numbered=True))
    result = []
    for (start, end, entity, linked), anchor, former in zip(kept, anchors, formers, strict=True):
        before, words, after = article.index.context(start, end)
        result.append(
            Mention(entity, article.slug, anchor, start, end, before, words, after, linked, former)
        )
    return tuple(result)
