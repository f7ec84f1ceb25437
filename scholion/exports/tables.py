"""CSV tables of the corpus, one row per record, described by a Frictionless data package.

Lists become ``;``-separated text (ids never contain ``;``) so every table opens in a
spreadsheet and in the stdlib ``csv`` module alike. Text that a spreadsheet would run as a
formula is written with a leading ``'`` (:func:`_inert`).
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from scholion.exports.encoding import Fresh, Keyed, Pieces, write_runs
from scholion.exports.records import (
    annotation_record,
    authority_columns,
    claim_link_records,
    claim_record,
    entity_record,
    keyed,
    mention_records,
    narrative_record,
    one,
    relation_records,
    source_record,
)
from scholion.model import Corpus


@dataclass(frozen=True)
class Table:
    """A CSV file: its name, columns (name, Frictionless type, description), rows, and the
    columns whose values together name each row once (its primary key)."""

    name: str
    title: str
    columns: tuple[tuple[str, str, str], ...]
    rows: Callable[[], Keyed]
    """The rows by key, as :meth:`to_csv` writes them: a run of keys' rows at a time, built,
    written and dropped, so only the encoded bytes are held (at 100,000 articles the mentions
    alone are millions of rows, and a list of them as dictionaries took several times their
    CSV); in an incremental build, a run whose reads are unchanged is taken from the last
    build's file (:mod:`scholion.exports.pieces`)."""
    key: tuple[str, ...] = ("id",)

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    def to_csv(self, pieces: Pieces | None = None) -> bytes:
        buffer = io.BytesIO()
        buffer.write(_csv_rows([[c[0] for c in self.columns]]))
        rows = dataclasses.replace(self.rows(), encode=self._encoded, separator=b"")
        write_runs(buffer, rows, pieces or Fresh())
        return buffer.getvalue()

    def _encoded(self, rows: Iterable[dict[str, Any]]) -> bytes:
        names = [c[0] for c in self.columns]
        return _csv_rows([_cell(row[name]) for name in names] for row in rows)

    def schema(self) -> dict[str, Any]:
        return {
            "fields": [{"name": n, "type": t, "description": d} for n, t, d in self.columns],
            "primaryKey": list(self.key),
        }


def _csv_rows(rows: Iterable[list[str]]) -> bytes:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet program read a cell as a formula (OWASP, "CSV Injection")."""


def _cell(value: Any) -> str:
    if isinstance(value, list):
        return _inert(";".join(str(v) for v in value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return _inert(str(value))


def _inert(text: str) -> str:
    """Text a spreadsheet shows as text: a cell a contributor starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return would otherwise run as a formula when a reader opens the
    table (``=HYPERLINK(…)`` sending data away, say), so it gets a leading ``'``, as OWASP
    advises. Numbers are written as numbers and never start so."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _claim_rows(corpus: Corpus, claim_id: str) -> tuple[dict[str, Any]]:
    row = claim_record(corpus, claim_id)
    row["sources"] = [s["source"] for s in row["sources"]]
    return (row,)


def _entity_rows(corpus: Corpus, entity_id: str) -> tuple[dict[str, Any]]:
    return ({**entity_record(corpus, entity_id), **authority_columns(corpus, entity_id)},)


def _appearances(corpus: Corpus, slug: str) -> Iterator[dict[str, Any]]:
    for found in corpus.annotations[slug]:
        if found.kind == "claim":
            yield annotation_record(corpus, found)


def tables(corpus: Corpus) -> list[Table]:
    return [
        Table(
            "claims",
            "Claims",
            (
                ("id", "string", "Claim id; its page is claims/<id>/"),
                ("statement", "string", "The claim as one neutral sentence"),
                ("rating", "string", "Rating id from the scale"),
                ("rating_label", "string", "Rating as shown to readers"),
                ("claimant", "string", "Entity id of who makes the claim"),
                ("about", "string", "Entity ids, ;-separated"),
                ("sources", "string", "Source ids, ;-separated"),
                ("url", "string", "The claim's page"),
            ),
            lambda: keyed("claims", corpus.claims, corpus, _claim_rows),
        ),
        Table(
            "appearances",
            "Claim appearances",
            (
                ("anchor", "string", "The appearance's permanent id on its article page"),
                ("article", "string", "Article id"),
                ("target", "string", "Claim id"),
                ("number", "integer", "Place among the article's annotations, in reading order"),
                ("exact", "string", "The quoted words"),
                ("start", "integer", "Start offset in the article's text (code points)"),
                ("end", "integer", "End offset in the article's text (code points)"),
                ("url", "string", "Deep link to the passage"),
            ),
            lambda: keyed("appearances", corpus.annotations, corpus, _appearances),
            key=("article", "anchor"),  # a claim in two articles has one anchor in each
        ),
        Table(
            "entities",
            "Entities",
            (
                ("id", "string", "Entity id"),
                ("type", "string", "Entity type id"),
                ("name", "string", "Name"),
                ("aliases", "string", "Other names, ;-separated"),
                ("description", "string", "One-line description"),
                ("wikidata", "string", "Wikidata item id"),
                ("gnd", "string", "GND id (German National Library)"),
                ("geonames", "string", "GeoNames id"),
                ("viaf", "string", "VIAF id"),
                ("orcid", "string", "ORCID iD"),
                ("isni", "string", "ISNI, without spaces"),
                ("url", "string", "The entity's page"),
            ),
            lambda: keyed("entities", corpus.entities, corpus, _entity_rows),
        ),
        Table(
            "sources",
            "Sources",
            (
                ("id", "string", "Source id"),
                ("title", "string", "Title"),
                ("kind", "string", "Source kind id"),
                ("publisher", "string", "Entity id of the publisher"),
                ("date", "string", "Publication date (YYYY, YYYY-MM or YYYY-MM-DD)"),
                ("original_url", "string", "Where it was published"),
                ("cites", "string", "Ids of the sources it relies on, ;-separated"),
                ("url", "string", "The source's page"),
            ),
            lambda: keyed("sources", corpus.sources, corpus, one(source_record)),
        ),
        Table(
            "mentions",
            "Entity mentions",
            (
                ("entity", "string", "Entity id"),
                ("article", "string", "Article id"),
                ("anchor", "string", "The mention's permanent id on the article page"),
                ("text", "string", "The words that name the entity"),
                ("start", "integer", "Start offset in the article's text"),
                ("end", "integer", "End offset in the article's text"),
                ("linked", "boolean", "Whether the mention is a link on the page"),
            ),
            lambda: keyed("mentions", corpus.mentions, corpus, mention_records),
            key=("article", "anchor"),
        ),
        *relation_tables(corpus),
    ]


def relation_tables(corpus: Corpus) -> list[Table]:
    """The tables of relations, claim links and narratives."""
    return [
        Table(
            "relations",
            "Relations between entities",
            (
                ("subject", "string", "Entity id of the entity whose file declares the relation"),
                ("type", "string", "Relation type id"),
                ("label", "string", "The relation read from the subject ('commands')"),
                ("inverse", "string", "The relation read from the object ('commanded by')"),
                ("object", "string", "Entity id of the other entity"),
                ("from", "string", "When it began: YYYY, YYYY-MM or YYYY-MM-DD; empty if unknown"),
                ("to", "string", "When it ended, as precisely; empty if unknown or ongoing"),
                ("sources", "string", "Ids of the sources that establish it, ;-separated"),
                ("claims", "string", "Ids of the claims that assert it, ;-separated"),
            ),
            lambda: keyed("relations", corpus.entities, corpus, relation_records),
            key=("subject", "type", "object"),
        ),
        Table(
            "claim_links",
            "Links between claims",
            (
                ("claim", "string", "Claim id of the claim whose definition gives the link"),
                ("type", "string", "rewords, contradicts or follows-from"),
                ("other", "string", "Claim id of the other claim"),
            ),
            lambda: keyed("claim_links", corpus.claims, corpus, claim_link_records),
            key=("claim", "type", "other"),
        ),
        Table(
            "narratives",
            "Narratives",
            (
                ("id", "string", "Narrative id; its page is narratives/<id>/"),
                ("title", "string", "The narrative in a few words"),
                ("claims", "string", "Ids of the claims that express it, ;-separated"),
                ("url", "string", "The narrative's page"),
            ),
            lambda: keyed("narratives", corpus.narratives, corpus, one(narrative_record)),
        ),
    ]


def datapackage(corpus: Corpus, all_tables: list[Table]) -> dict[str, Any]:
    """A Frictionless Data Package descriptor for the CSV tables."""
    config = corpus.config
    package: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "scholion-corpus",
        "title": config.title,
        "description": config.description,
        "homepage": config.base_url,
        "resources": [
            {
                "name": t.name,
                "title": t.title,
                "path": f"{t.name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": t.schema(),
            }
            for t in all_tables
        ],
    }
    if config.license:
        package["licenses"] = [{"name": config.license, "title": config.license}]
    return package
