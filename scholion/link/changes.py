"""The corpus's changes, newest first: new articles, new claims, re-ratings, rewordings and
corrections. One list feeds the /changes/ pages, the changes feed and the claim pages.

Dates of git events are commit dates; a correction's date is the one its sidecar gives. Both
come from the repository, never from the clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from scholion.i18n import N_
from scholion.model import ClaimChange, Commit, Corpus, Correction, Note, NoteChange

FIELD_KINDS = {
    "published": "new claim",
    "rating": "rating changed",
    "statement": "statement changed",
    "explanation": "explanation changed",
}
CHANGE_KINDS = {
    "new article": N_("New article"),
    "new claim": N_("New claim"),
    "rating changed": N_("Rating changed"),
    "statement changed": N_("Statement changed"),
    "explanation changed": N_("Explanation changed"),
    "correction": N_("Correction"),
}
"""What a reader sees for each kind of change; templates pass it through ``_()``."""


@dataclass(frozen=True, slots=True)
class Change:
    """One line of the changes page: when, what kind, about which record, and how."""

    date: str  # YYYY-MM-DD
    kind: str  # "new article", "new claim", "rating changed", … "correction"
    title: str
    url: str  # site-relative
    before: str = ""
    after: str = ""
    detail_html: str = ""
    commit: Commit | None = None

    @property
    def sort_key(self) -> tuple:
        return (self.date, self.commit.date if self.commit else "", self.kind, self.url)


def commit_url(corpus: Corpus, commit: Commit) -> str:
    """A link to the commit on the repository host, when ``repository`` is configured."""
    base = corpus.config.repository.rstrip("/")
    return f"{base}/commit/{commit.sha}" if base else ""


def claim_change(corpus: Corpus, event: ClaimChange) -> Change:
    claim = corpus.claims.get(event.claim)
    title = claim.statement if claim else event.claim
    before, after = event.before, event.after
    if event.field == "rating":
        before, after = _rating_label(corpus, before), _rating_label(corpus, after)
    return Change(
        event.commit.day,
        FIELD_KINDS[event.field],
        title,
        f"claims/{event.claim}/",
        before,
        after,
        "",
        event.commit,
    )


def _rating_label(corpus: Corpus, rating_id: str) -> str:
    try:
        return corpus.config.rating(rating_id).label
    except KeyError:  # a rating since removed from the scale
        return rating_id


def all_changes(corpus: Corpus) -> list[Change]:
    """Every change still about a record of the corpus, newest first."""
    found = [
        Change(
            commit.day,
            "new article",
            corpus.articles[slug].title,
            f"articles/{slug}/",
            commit=commit,
        )
        for slug, commit in corpus.history.new_articles
        if slug in corpus.articles
    ]
    found += [
        claim_change(corpus, event)
        for claim_id, events in corpus.history.claims.items()
        if claim_id in corpus.claims
        for event in events
    ]
    for slug, corrections in corpus.corrections.items():
        for correction in corrections:
            target = f"claims/{correction.claim}/" if correction.claim else f"articles/{slug}/"
            title = (
                corpus.claims[correction.claim].statement
                if correction.claim
                else corpus.articles[slug].title
            )
            found.append(
                Change(correction.date, "correction", title, target, detail_html=correction.html)
            )
    return sorted(found, key=lambda c: c.sort_key, reverse=True)


def claim_history(corpus: Corpus, claim_id: str) -> list[Change]:
    """A claim's own events, oldest first, for its page."""
    return [claim_change(corpus, e) for e in corpus.history.claims.get(claim_id, ())]


def claim_corrections(corpus: Corpus, claim_id: str) -> list[Correction]:
    """Corrections that name this claim, newest first, from any article's sidecar."""
    found = [c for items in corpus.corrections.values() for c in items if c.claim == claim_id]
    return sorted(found, key=lambda c: (c.date, c.article), reverse=True)


def note_edits(corpus: Corpus, note: Note) -> list[NoteChange]:
    """A note's edits since it was first published (its text or its quote), oldest first."""
    return [e for e in corpus.history.notes.get(note.history, ()) if e.field != "published"]
