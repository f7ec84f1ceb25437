"""Typed records from validated documents: an article with its Markdown rendered and its text
indexed, an entity (with its relations), a source, a plain page, a narrative, the claims a
sidecar defines (with their links) and its corrections.

Each builder reads one document alone, so it runs in whichever process links that file; it may
assume the schema's shape, since linking runs only on validated records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from scholion.load.documents import Document
from scholion.model import (
    AUTHORITIES,
    Article,
    Author,
    Authority,
    Claim,
    ClaimLink,
    ClaimSource,
    Coordinates,
    Correction,
    Entity,
    Evidence,
    Link,
    Narrative,
    Page,
    Relation,
    Source,
)
from scholion.text.index import TextIndex

Markdown = Callable[..., str]
"""Markdown to sanitized HTML for one file: :meth:`MarkdownMemo.render` of that file's memo."""


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""


def article_record(doc: Document, markdown: Markdown) -> Article:
    data = doc.data
    html = markdown(doc.body, demote_headings=True)
    index = TextIndex.from_html(html)
    authors = tuple(
        Author(name=a, entity=a) if isinstance(a, str) else Author(name=a["name"])
        for a in data.get("authors", [])
    )
    return Article(
        slug=doc.stem,
        path=doc.path,
        title=data["title"],
        date=data["date"],
        authors=authors,
        publisher=data["publisher"],
        url=_text(data, "url"),
        archive_url=_text(data, "archive_url"),
        language=data["language"],
        rights=data["rights"],
        summary=_text(data, "summary"),
        html=html,
        index=index,
        word_count=len(index.text.split()),
    )


def entity_record(doc: Document) -> Entity:
    data = doc.data
    return Entity(
        id=doc.stem,
        type=data["type"],
        name=data["name"],
        aliases=tuple(data.get("aliases", [])),
        description=data["description"],
        wikidata=_text(data, "wikidata"),
        links=tuple(
            Link(link.get("title", link["url"]), link["url"]) for link in data.get("links", [])
        ),
        coordinates=_coordinates(data.get("coordinates")),
        date=_text(data, "date"),
        end=_text(data, "end"),
        places=tuple(data.get("places", [])),
        relations=tuple(
            Relation(
                subject=doc.stem,
                type=r["type"],
                object=r["entity"],
                start=r.get("from", ""),
                end=r.get("to", ""),
                sources=tuple(r.get("sources", ())),
                claims=tuple(r.get("claims", ())),
            )
            for r in data.get("relations", [])
        ),
        authorities=tuple(
            Authority(scheme, data["authorities"][scheme].replace(" ", ""))
            for scheme in AUTHORITIES
            if scheme in data.get("authorities", {})
        ),
    )


def narrative_record(doc: Document, markdown: Markdown) -> Narrative:
    data = doc.data
    return Narrative(
        id=doc.stem,
        title=data["title"],
        summary_html=markdown(data["summary"]),
        claims=tuple(data["claims"]),
    )


def _coordinates(value: dict | None) -> Coordinates | None:
    """A place's coordinates as floats (YAML reads ``10`` as an integer), or None."""
    if value is None:
        return None
    return Coordinates(float(value["latitude"]), float(value["longitude"]))


def source_record(doc: Document, markdown: Markdown) -> Source:
    data = doc.data
    description = _text(data, "description")
    return Source(
        id=doc.stem,
        title=data["title"],
        kind=data["kind"],
        publisher=data.get("publisher"),
        author=_text(data, "author"),
        date=_text(data, "date"),
        url=_text(data, "url"),
        archive_url=_text(data, "archive_url"),
        description_html=markdown(description) if description else "",
        cites=tuple(data.get("cites", [])),
        retrieved=_text(data, "retrieved"),
        evidence=tuple(
            Evidence(
                file=item["file"],
                kind=evidence_kind(item["file"]),
                sha256=item["sha256"],
                retrieved=item["retrieved"],
                url=item["url"],
                title=item.get("title", ""),
                alt=item.get("alt", ""),
            )
            for item in data.get("evidence", [])
        ),
    )


def evidence_kind(name: str) -> str:
    """``image``, ``pdf`` or ``page`` (saved HTML), by the file's extension (the schema allows
    no other)."""
    suffix = name.rsplit(".", 1)[-1]
    return {"pdf": "pdf", "html": "page", "htm": "page"}.get(suffix, "image")


def page_record(doc: Document, markdown: Markdown) -> Page:
    data = doc.data
    return Page(
        slug=doc.stem,
        title=data["title"],
        summary=_text(data, "summary"),
        nav_order=data.get("nav_order"),
        html=markdown(doc.body, demote_headings=True),
    )


def defined_claims(doc: Document, markdown: Markdown) -> Iterable[Claim]:
    for item in doc.data.get("claims", []):
        if "claim" in item:
            continue
        yield Claim(
            id=item["id"],
            statement=item["statement"],
            rating=item["rating"],
            explanation_html=markdown(item["explanation"]),
            claimant=item.get("claimant"),
            about=tuple(item.get("about", [])),
            sources=tuple(
                ClaimSource(s["source"], s["relation"], s.get("note", ""))
                for s in item.get("sources", [])
            ),
            defined_in=doc.stem,
            links=tuple(
                ClaimLink(item["id"], link["type"], link["claim"]) for link in item.get("links", [])
            ),
        )


def corrections_of(doc: Document, markdown: Markdown) -> tuple[Correction, ...]:
    items = [
        Correction(doc.stem, c["date"], markdown(c["text"]), c.get("claim"))
        for c in doc.data.get("corrections", [])
    ]
    return tuple(sorted(items, key=lambda c: c.date, reverse=True))
