"""The site configuration as a typed value, built from the validated ``site_config.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .load import Document


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a vocabulary (a rating, entity type, note kind or source kind)."""

    id: str
    label: str
    plural: str
    description: str
    verdict: bool = True


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything ``site_config.yaml`` says; vocabularies keep their order from the file."""

    title: str
    description: str
    base_url: str
    language: str
    organization: str
    license: str
    repository: str
    mentions: str
    page_size: int
    ratings: tuple[Term, ...]
    entity_types: tuple[Term, ...]
    note_kinds: tuple[Term, ...]
    source_kinds: tuple[Term, ...]

    @property
    def base_path(self) -> str:
        """The path part of ``base_url`` (``/corpus/`` for a GitHub project site)."""
        return urlsplit(self.base_url).path or "/"

    def rating(self, rating_id: str) -> Term:
        return _by_id(self.ratings, rating_id)

    def entity_type(self, type_id: str) -> Term:
        return _by_id(self.entity_types, type_id)

    def note_kind(self, kind_id: str) -> Term:
        return _by_id(self.note_kinds, kind_id)

    def source_kind(self, kind_id: str) -> Term:
        return _by_id(self.source_kinds, kind_id)


def _by_id(terms: tuple[Term, ...], term_id: str) -> Term:
    for term in terms:
        if term.id == term_id:
            return term
    raise KeyError(term_id)


def _terms(table: dict) -> tuple[Term, ...]:
    return tuple(
        Term(
            id=key,
            label=value["label"],
            plural=value.get("plural", value["label"]),
            description=value.get("description", ""),
            verdict=value.get("verdict", True),
        )
        for key, value in table.items()
    )


def site_config(doc: Document, base_url: str | None = None) -> SiteConfig:
    """The typed configuration; only call after validation passed. ``base_url`` overrides it
    (the Pages workflow passes the URL GitHub assigns)."""
    data = doc.data
    url = base_url or data["base_url"]
    return SiteConfig(
        title=data["title"],
        description=data.get("description", ""),
        base_url=url if url.endswith("/") else url + "/",
        language=data["language"],
        organization=data.get("organization", data["title"]),
        license=data.get("license", ""),
        repository=data.get("repository", ""),
        mentions=data.get("mentions", "first-per-section"),
        page_size=data.get("page_size", 50),
        ratings=_terms(data["ratings"]),
        entity_types=_terms(data["entity_types"]),
        note_kinds=_terms(data["note_kinds"]),
        source_kinds=_terms(data["source_kinds"]),
    )
