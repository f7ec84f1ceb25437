"""How to cite an article, a claim, or the corpus: one :class:`Reference` per citable record,
in the fields BibTeX and CSL-JSON both need, and a readable line.

Part of linking because pages (their JSON-LD and "Cite this") and the open-data exports (the
citation files) read the same reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from scholion.model import Corpus

_BIBTEX_SPECIAL = re.compile(r"([\\{}%&#$_~^])")


@dataclass(frozen=True)
class Reference:
    """One citable record, in the fields both formats need."""

    key: str
    kind: str  # CSL type: "article-newspaper", "webpage" or "dataset"
    title: str
    authors: tuple[str, ...]
    container: str
    date: str
    url: str
    note: str = ""

    def csl(self) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": self.key,
            "type": self.kind,
            "title": self.title,
            "URL": self.url,
        }
        if self.authors:
            item["author"] = [{"literal": name} for name in self.authors]
        if self.container:
            item["container-title"] = self.container
        if self.date:
            item["issued"] = {"date-parts": [[int(p) for p in self.date.split("-")]]}
        if self.note:
            item["note"] = self.note
        return item

    def bibtex(self) -> str:
        fields = [
            ("title", self.title),
            ("author", " and ".join(f"{{{_tex(a)}}}" for a in self.authors)),
        ]
        fields += [("howpublished", self.container), ("url", self.url), ("note", self.note)]
        if self.date:
            fields.append(("year", self.date[:4]))
        if len(self.date) >= 7:
            fields.append(("month", str(int(self.date[5:7]))))
        body = ",\n".join(
            f"  {name} = {{{value if name in ('author', 'url') else _tex(value)}}}"
            for name, value in fields
            if value
        )
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def line(self) -> str:
        """A plain citation for the "Cite this" box."""
        who = ", ".join(self.authors) or self.container
        when = f" ({self.date})" if self.date else ""
        container = f" {self.container}." if self.container and who != self.container else ""
        return f"{_sentence(who + when)} {_sentence(self.title)}{container} {self.url}"


def _sentence(text: str) -> str:
    """The text ended by a full stop, unless it already ends a sentence ("Exercises.", "?")."""
    return text if text.rstrip().endswith((".", "?", "!", "…")) else f"{text}."


def _tex(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", value)


def article_reference(corpus: Corpus, slug: str) -> Reference:
    article = corpus.articles[slug]
    authors = tuple(corpus.entities[a.entity].name if a.entity else a.name for a in article.authors)
    publisher = corpus.entities[article.publisher].name
    copy = corpus.config.base_url + f"articles/{slug}/"
    note = f"Annotated copy: {copy}" if article.url else ""
    return Reference(
        _key(slug, article.date),
        "article-newspaper",
        article.title,
        authors,
        publisher,
        article.date,
        article.url or copy,
        note,
    )


def review_dates(corpus: Corpus, claim_id: str) -> tuple[str, str]:
    """When the review of a claim was published and when it last changed (``YYYY-MM-DD``): its
    first publication in the history, and the latest of its changes of statement, rating or
    explanation and of the corrections that name it. Without history (``check``, a directory
    outside git) the review is dated by the earliest article the claim appears in."""
    events = corpus.history.claims.get(claim_id, ())
    if events:
        published = min(e.commit.day for e in events)
    else:
        apps = corpus.appearances.get(claim_id, ())
        published = corpus.articles[apps[0].article].date if apps else ""
    later = [e.commit.day for e in events]
    later += [c.date for items in corpus.corrections.values() for c in items if c.claim == claim_id]
    return published, max([published, *later]) if published else max(later, default="")


def claim_reference(corpus: Corpus, claim_id: str) -> Reference:
    """The review of a claim, as it stands: dated by its latest change (:func:`review_dates`)."""
    claim = corpus.claims[claim_id]
    date = review_dates(corpus, claim_id)[1]
    label = corpus.config.rating(claim.rating).label
    return Reference(
        _key(claim_id, date),
        "webpage",
        f"{claim.statement} [{label}]",
        (corpus.config.organization,),
        corpus.config.title,
        date,
        corpus.config.base_url + f"claims/{claim_id}/",
    )


def corpus_reference(corpus: Corpus) -> Reference:
    dates = sorted(a.date for a in corpus.articles.values())
    return Reference(
        "corpus",
        "dataset",
        corpus.config.title,
        (corpus.config.organization,),
        "",
        dates[-1] if dates else "",
        corpus.config.base_url,
    )


def _key(identifier: str, date: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", identifier.lower())[:40] + (date[:4] if date else "")
