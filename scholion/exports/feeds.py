"""Atom feeds per entity, per rating and per claim, and a JSON Feed of the latest articles.

Written as text in ElementTree's layout and escaping (tests/exports/test_feeds.py holds every
feed to what ElementTree makes of the same entries), and JSON by json, rather than by templates.
Through ElementTree itself a feed took ten times as long: at 10,000 articles there are 40,000
claim feeds, and a rating's feed lists thousands of claims. Every date comes from the content
(an article's date; a claim's earliest appearance), never from the clock, so two builds of the
same commit give the same bytes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from scholion.exports.encoding import escape_attribute, escape_text, to_json
from scholion.link.changes import all_changes, claim_corrections, claim_history
from scholion.model import Corpus

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    url: str
    updated: str
    summary: str
    authors: tuple[str, ...] = ()
    content_html: str = ""  # HTML the corpus rendered (a correction), sent escaped as type="html"


def rfc3339(date: str) -> str:
    parts = [*date.split("-"), "01", "01"][:3]
    return f"{parts[0]}-{parts[1]}-{parts[2]}T00:00:00Z"


def atom(corpus: Corpus, path: str, title: str, entries: list[Entry], page: str = "") -> bytes:
    """An Atom feed of ``entries`` at ``path``; ``page`` is the site-relative page it follows
    (the home page by default)."""
    base = corpus.config.base_url
    updated = max((e.updated for e in entries), default=rfc3339("1970"))
    out = [
        f"<?xml version='1.0' encoding='utf-8'?>\n<feed xmlns=\"{ATOM_NS}\">\n",
        _leaf(1, "title", title),
        _leaf(1, "id", base + path),
        _link(1, "self", "application/atom+xml", base + path),
        _link(1, "alternate", "text/html", base + page),
        _leaf(1, "updated", updated),
        f"  <author>\n{_leaf(2, 'name', corpus.config.organization)}  </author>\n",
    ]
    for entry in entries:
        out += (
            "  <entry>\n",
            _leaf(2, "title", entry.title),
            _leaf(2, "id", entry.id),
            _link(2, "alternate", "text/html", entry.url),
            _leaf(2, "updated", entry.updated),
        )
        out += (f"    <author>\n{_leaf(3, 'name', name)}    </author>\n" for name in entry.authors)
        out.append(_leaf(2, "summary", entry.summary))
        if entry.content_html:
            out.append(f'    <content type="html">{escape_text(entry.content_html)}</content>\n')
        out.append("  </entry>\n")
    out.append("</feed>\n")
    return "".join(out).encode("utf-8", "xmlcharrefreplace")


def _leaf(depth: int, tag: str, text: str) -> str:
    """An element holding text, ``depth`` deep; an empty one closed at once, as ElementTree
    writes it."""
    indent = "  " * depth
    return f"{indent}<{tag}>{escape_text(text)}</{tag}>\n" if text else f"{indent}<{tag} />\n"


def _link(depth: int, rel: str, kind: str, href: str) -> str:
    attributes = f'rel="{rel}" type="{kind}" href="{escape_attribute(href)}"'
    return f"{'  ' * depth}<link {attributes} />\n"


def article_entries(corpus: Corpus, slugs: list[str]) -> list[Entry]:
    base = corpus.config.base_url
    articles = sorted(
        (corpus.articles[s] for s in slugs), key=lambda a: (a.date, a.slug), reverse=True
    )
    return [
        Entry(
            base + f"articles/{a.slug}/",
            a.title,
            base + f"articles/{a.slug}/",
            rfc3339(a.date),
            a.summary or a.title,
            tuple(corpus.entities[x.entity].name if x.entity else x.name for x in a.authors),
        )
        for a in articles
    ]


def latest_feed(corpus: Corpus, limit: int = 50) -> bytes:
    """The corpus's main feed: its latest articles."""
    slugs = [a.slug for a in corpus.articles_by_date()[:limit]]
    return atom(corpus, "feed.xml", corpus.config.title, article_entries(corpus, slugs))


def claim_entries(corpus: Corpus, claim_ids: list[str]) -> list[Entry]:
    base = corpus.config.base_url
    entries = []
    for claim_id in claim_ids:
        claim = corpus.claims[claim_id]
        appearances = corpus.appearances.get(claim_id, ())
        first = corpus.articles[appearances[0].article].date if appearances else "1970"
        label = corpus.config.rating(claim.rating).label
        url = base + f"claims/{claim_id}/"
        entries.append(
            Entry(url, claim.statement, url, rfc3339(first), f"{label}: {claim.statement}")
        )
    return sorted(entries, key=lambda e: (e.updated, e.id), reverse=True)


def entity_feed(corpus: Corpus, entity_id: str) -> bytes:
    entity = corpus.entities[entity_id]
    slugs = list(corpus.articles_by_entity.get(entity_id, ()))
    return atom(
        corpus,
        f"entities/{entity_id}/feed.xml",
        f"{corpus.config.title}: articles naming {entity.name}",
        article_entries(corpus, slugs),
    )


def rating_feed(corpus: Corpus, rating_id: str) -> bytes:
    term = corpus.config.rating(rating_id)
    claim_ids = list(corpus.claims_by_rating.get(rating_id, ()))
    return atom(
        corpus,
        f"claims/rated/{rating_id}/feed.xml",
        f"{corpus.config.title}: claims rated {term.label.lower()}",
        claim_entries(corpus, claim_ids),
    )


def json_feed(corpus: Corpus, limit: int = 50) -> bytes:
    config = corpus.config
    items: list[dict[str, Any]] = []
    for article in corpus.articles_by_date()[:limit]:
        url = config.base_url + f"articles/{article.slug}/"
        authors = [
            {"name": corpus.entities[a.entity].name if a.entity else a.name}
            for a in article.authors
        ]
        items.append(
            {
                "id": url,
                "url": url,
                "title": article.title,
                "summary": article.summary or article.title,
                "content_text": article.summary or article.title,
                "date_published": rfc3339(article.date),
                "authors": authors,
                "language": article.language,
            }
        )
    feed = {
        "version": JSON_FEED,
        "title": config.title,
        "home_page_url": config.base_url,
        "feed_url": config.base_url + "feed.json",
        "description": config.description,
        "language": config.language,
        "authors": [{"name": config.organization}],
        "items": items,
    }
    return to_json(feed)


def changes_feed(corpus: Corpus, limit: int = 100) -> bytes:
    """The latest changes: new articles and claims, re-ratings, rewordings, corrections."""
    base = corpus.config.base_url
    entries = []
    used: Counter[str] = Counter()
    for change in all_changes(corpus)[:limit]:
        what = f"{change.kind.capitalize()}: {change.title}"
        if change.before or change.after:
            what += f" ({change.before} \u2192 {change.after})"
        anchor = change.commit.sha if change.commit else f"{change.kind}-{change.date}"
        entry_id = f"{base}{change.url}#{anchor}"
        used[entry_id] += 1
        if used[entry_id] > 1:  # a commit that changed two things of one record: ids unique
            entry_id += f"-{used[entry_id]}"
        entries.append(Entry(entry_id, what, base + change.url, rfc3339(change.date), what))
    return atom(corpus, "changes/feed.xml", f"{corpus.config.title}: changes", entries)


def claim_feed(corpus: Corpus, claim_id: str) -> bytes:
    """One claim's life, newest first: its publication and each change to its rating, statement
    or explanation (from git), the corrections that name it, and each article it appears in
    (dated by the commit that first quoted it there, else by the article's date). Each entry's
    id is the claim page's URL and a fragment naming the event, the same in every build; entries
    of one day are ordered by commit time, a claim's own change before what came with it."""
    claim = corpus.claims[claim_id]
    page = f"claims/{claim_id}/"
    url = corpus.config.base_url + page
    found: list[tuple[tuple[str, str, int], Entry]] = []
    for change in claim_history(corpus, claim_id):
        what = f"{change.kind.capitalize()}: {claim.statement}"
        if change.before or change.after:
            what += f" ({change.before} \u2192 {change.after})"
        sha = change.commit.sha if change.commit else ""
        entry = Entry(
            f"{url}#{sha}-{change.kind.split()[0]}", what, url, rfc3339(change.date), what
        )
        found.append(((change.date, change.sort_key[1], 2), entry))
    counted: Counter[tuple[str, str]] = Counter()
    for correction in claim_corrections(corpus, claim_id):  # in sidecar order within a date
        # numbered within its sidecar and date, so a correction added elsewhere renames none
        counted[correction.article, correction.date] += 1
        number = counted[correction.article, correction.date]
        what = f"Correction: {claim.statement}"
        entry_id = f"{url}#correction-{correction.article}-{correction.date}-{number}"
        entry = Entry(entry_id, what, url, rfc3339(correction.date), what, (), correction.html)
        found.append(((correction.date, "", 1), entry))
    first_seen = dict(corpus.history.appearances.get(claim_id, ()))
    for annotation in corpus.appearances.get(claim_id, ()):
        article = corpus.articles[annotation.article]
        seen = first_seen.get(article.slug)
        day = seen.day if seen else article.date
        what = f"Appears in: {article.title}"
        entry = Entry(
            f"{url}#appearance-{article.slug}-{annotation.anchor}",
            what,
            corpus.config.base_url + f"articles/{article.slug}/#hl-{annotation.anchor}",
            rfc3339(day),
            f"\u201c{annotation.quote}\u201d",
        )
        found.append(((day, seen.date if seen else "", 0), entry))
    found.sort(key=lambda item: (item[0], item[1].id), reverse=True)
    title = f"{corpus.config.title}: {claim.statement}"
    return atom(corpus, page + "feed.xml", title, [entry for _, entry in found], page)
