"""Whether each claim's rating agrees with how its sources bear on it.

The rating scale says what each rating needs (``requires``) and rules out (``excludes``) among
the relations of a claim's sources, in ``site_config.yaml``: a rating that says "confirmed" can
require a source that supports the claim and exclude one that refutes it. A claim that breaks its
rating's terms gets a warning at its rating (a missing relation) or at the offending source's
relation (an excluded one), saying what is wrong and how to put it right. Nothing here knows
the ids of any particular scale.

Written defensively, like the reference checks: it also runs on files that failed their schema,
and skips what is not of the expected shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from scholion.diagnostics import Diagnostic, Severity
from scholion.load.documents import Document, Records
from scholion.load.per_document import PerDocument, flattened

_WHAT = {
    "supports": "supports the claim",
    "refutes": "refutes the claim",
    "context": "gives context",
    "origin": "is where the claim comes from (origin)",
}
"""What a source of each relation does, for messages."""

_DOES = {"supports": "support it", "refutes": "refute it", "origin": "make the claim"}
"""The same, after "does not", for hints."""


@dataclass(frozen=True, slots=True)
class _Terms:
    """What one rating needs and rules out among a claim's source relations."""

    label: str
    requires: tuple[str, ...]
    excludes: tuple[str, ...]


@dataclass
class ConsistencyMemo:
    """What the last check found in each sidecar, and against which terms (``serve``)."""

    checked: PerDocument[list[Diagnostic]] = field(default_factory=PerDocument)
    terms: dict[str, _Terms] | None = None


def check_consistency(records: Records, memo: ConsistencyMemo | None = None) -> list[Diagnostic]:
    """A warning for each claim whose sources' relations break its rating's terms."""
    terms = _rating_terms(records.config.data if records.config else {})
    if not terms:
        return []
    memo = memo or ConsistencyMemo()
    same, memo.terms = memo.terms == terms, terms

    def check(doc: Document) -> list[Diagnostic]:
        found: list[Diagnostic] = []
        claims = doc.data.get("claims") if isinstance(doc.data, dict) else None
        for i, claim in enumerate(claims if isinstance(claims, list) else []):
            if isinstance(claim, dict) and "claim" not in claim:
                found += _check_claim(doc, i, claim, terms)
        return found

    return flattened(memo.checked.each(records.sidecars, check, same_context=same))


def _rating_terms(config: object) -> dict[str, _Terms]:
    ratings = config.get("ratings") if isinstance(config, dict) else None
    if not isinstance(ratings, dict):
        return {}
    terms = {}
    for rating_id, value in ratings.items():
        if not isinstance(value, dict):
            continue
        requires, excludes = _relations(value.get("requires")), _relations(value.get("excludes"))
        if requires or excludes:
            label = value.get("label")
            terms[rating_id] = _Terms(
                label if isinstance(label, str) else rating_id, requires, excludes
            )
    return terms


def _relations(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str))


def _check_claim(
    doc: Document, i: int, claim: dict, terms: Mapping[str, _Terms]
) -> Iterator[Diagnostic]:
    rating = claim.get("rating")
    if not isinstance(rating, str) or rating not in terms:
        return
    term = terms[rating]
    claim_id = claim.get("id") if isinstance(claim.get("id"), str) else f"#{i + 1}"
    sources = [
        (j, s["source"] if isinstance(s.get("source"), str) else "?", s["relation"])
        for j, s in enumerate(claim.get("sources") or [])
        if isinstance(s, dict) and isinstance(s.get("relation"), str)
    ]
    present = {relation for _, _, relation in sources}
    for relation in term.requires:
        if relation in present:
            continue
        mark = doc.located.at(("claims", i, "rating"))
        listed = "; ".join(f"'{source}' {r}" for _, source, r in sources)
        has = f"its sources: {listed}" if listed else "it lists no sources"
        yield Diagnostic(
            doc.path,
            mark.line,
            mark.col,
            Severity.WARNING,
            f"claim '{claim_id}' is rated '{rating}', which needs a source that "
            f"{_WHAT.get(relation, relation)}, but has none ({has})",
            f"add the source the rating rests on with `relation: {relation}`, or choose the "
            f"rating the sources bear out ('{term.label}' requires {relation} in "
            f"site_config.yaml)",
        )
    for j, source, relation in sources:
        if relation not in term.excludes:
            continue
        mark = doc.located.at(("claims", i, "sources", j, "relation"))
        yield Diagnostic(
            doc.path,
            mark.line,
            mark.col,
            Severity.WARNING,
            f"claim '{claim_id}' is rated '{rating}', but its source '{source}' "
            f"{_WHAT.get(relation, relation)}",
            f"choose the rating this source bears out, or correct the relation if the source "
            f"does not {_DOES.get(relation, 'bear on it that way')} ('{term.label}' excludes "
            f"{relation} in site_config.yaml)",
        )
