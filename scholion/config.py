"""The site configuration as a typed value, built from the validated ``site_config.yaml``."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SHARD_PAGES = 3000
"""Pages per shard unless ``search: {shard_pages: N}`` says otherwise. Pagefind 1.5.2 took about
0.32 MiB per article page and 0.08 MiB per claim page (docs/performance.md), so a shard of articles
stays near 1 GB at most, well under the 2 GB a process may use, while the demo and small corpora
keep a single index."""


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a vocabulary (a rating, entity type, note kind or source kind)."""

    id: str
    """Its key in ``site_config.yaml``: what content files name (``rating: accurate``)."""
    label: str
    """What readers see (``Accurate``), in the interface's language once translated."""
    plural: str
    """The label of a list of them (``Wire service reports``); the label when not given."""
    description: str
    """What it means, shown where the vocabulary is explained (the rating scale)."""
    verdict: bool = True
    """For a rating: whether it records a verdict (``false`` for e.g. unverified: left off the
    best-to-worst scale)."""
    requires: tuple[str, ...] = ()
    """For a rating: the source relations a claim so rated needs, one source of each at least."""
    excludes: tuple[str, ...] = ()
    """For a rating: the source relations no source of a claim so rated may have (``check``
    warns about a claim that breaks ``requires`` or ``excludes``)."""
    kind: str = ""
    """For an entity type: ``place`` (its entities may take coordinates and are drawn on maps)
    or ``event`` (its entities may take dates and places, and make the timeline); "" for any
    other. A flag rather than the type's id, so a corpus may call its places ``site`` or
    ``location``, or have several types of each kind."""
    inverse: str = ""
    """For a relation type: how it reads from the entity it names ("commanded by" for
    "commands"), so that each of the two entities' pages says it in its own direction."""
    schema_org: str = ""
    """For a relation type: the schema.org property of the declaring entity it is
    (``memberOf``), for the pages' JSON-LD; "" when none fits."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Everything ``site_config.yaml`` says; vocabularies keep their order from the file."""

    title: str
    """The site's name: page titles, the header, feeds and the data package."""
    description: str
    """One sentence about the corpus, for the home page and metadata ("" when not given)."""
    base_url: str
    """The absolute URL the site is published at, ending in ``/`` (``--base-url`` overrides
    it); only feeds, the sitemap and canonical links use it, pages link relatively."""
    language: str
    """The interface language at the site's root (a BCP 47 tag with a message catalogue)."""
    languages: tuple[str, ...]
    """Every interface language the site is published in, ``language`` (the root's) first."""
    organization: str
    """Who publishes the reviews: the author of claim reviews and citations (the title when
    not given)."""
    license: str
    """The licence of the annotations and data (e.g. ``CC BY 4.0``); "" when not given."""
    repository: str
    """The corpus's repository URL, for links to commits in the history; "" when not given."""
    mentions: str
    """Which found mentions of an entity become links: ``first-per-section`` (default),
    ``first-per-article``, ``all`` or ``none``."""
    page_size: int
    """Items per page of an index (and of an entity's long lists); 50 when not given."""
    search_shard_pages: int
    """Pages per search index shard (``search: {shard_pages}``); a smaller site has one index."""
    ratings: tuple[Term, ...]
    """The rating scale, in the file's order (the order pages list it in)."""
    entity_types: tuple[Term, ...]
    """The kinds of entity (person, organisation, place...), in the file's order."""
    note_kinds: tuple[Term, ...]
    """The kinds of note (context, framing...), in the file's order."""
    source_kinds: tuple[Term, ...]
    """The kinds of source (wire report, official statement...), in the file's order."""
    relation_types: tuple[Term, ...] = ()
    """The kinds of relation between entities (commands, member of...), in the file's order;
    none when ``relation_types`` is not given."""
    oai_admin_email: str = ""
    """``oai: admin_email``: the OAI-PMH adminEmail; without it no static repository is
    written (Identify requires one, and a harvester has no one else to write to)."""
    oai_gateway: str = ""
    """``oai: gateway``: the OAI Static Repository Gateway's base URL ("" when not given)."""

    @property
    def base_path(self) -> str:
        """The path part of ``base_url`` (``/corpus/`` for a GitHub project site)."""
        return urlsplit(self.base_url).path or "/"

    @property
    def site_url(self) -> str:
        """The site's root URL, where the files shared by every interface language are (feeds,
        data, styles); ``base_url`` is the URL of this configuration's interface."""
        return self.base_url.removesuffix(self.language_path(self.language))

    def language_path(self, language: str) -> str:
        """Where the interface in ``language`` lives: "" for the root's, else "es/", "pt-br/"."""
        return "" if language == self.languages[0] else language.lower() + "/"

    def in_language(self, language: str, gettext: Callable[[str], str]) -> SiteConfig:
        """This configuration as the interface in ``language`` shows it, at its own ``base_url``
        (the site's, plus the language's path). The title, description
        and vocabulary labels are the corpus's own words, so they go through ``gettext`` too: a
        corpus published in several languages translates them in ``locales/<language>.po``
        (untranslated ones stay as written)."""

        def words(terms: tuple[Term, ...]) -> tuple[Term, ...]:
            return tuple(
                replace(
                    t,
                    label=gettext(t.label),
                    plural=gettext(t.plural),
                    description=gettext(t.description) if t.description else "",
                    inverse=gettext(t.inverse) if t.inverse else "",
                )
                for t in terms
            )

        return replace(
            self,
            language=language,
            base_url=self.base_url + self.language_path(language),
            title=gettext(self.title),
            description=gettext(self.description) if self.description else "",
            ratings=words(self.ratings),
            entity_types=words(self.entity_types),
            note_kinds=words(self.note_kinds),
            source_kinds=words(self.source_kinds),
            relation_types=words(self.relation_types),
        )

    def types_of_kind(self, kind: str) -> frozenset[str]:
        """The ids of the entity types of ``kind`` (``place`` or ``event``)."""
        return frozenset(t.id for t in self.entity_types if t.kind == kind)

    def rating(self, rating_id: str) -> Term:
        return _by_id(self.ratings, rating_id)

    def entity_type(self, type_id: str) -> Term:
        return _by_id(self.entity_types, type_id)

    def note_kind(self, kind_id: str) -> Term:
        return _by_id(self.note_kinds, kind_id)

    def source_kind(self, kind_id: str) -> Term:
        return _by_id(self.source_kinds, kind_id)

    def relation_type(self, type_id: str) -> Term:
        return _by_id(self.relation_types, type_id)


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
            requires=tuple(value.get("requires", ())),
            excludes=tuple(value.get("excludes", ())),
            kind=value.get("kind", ""),
            inverse=value.get("inverse", ""),
            schema_org=value.get("schema_org", ""),
        )
        for key, value in table.items()
    )


def _languages(language: str, listed: list[str]) -> tuple[str, ...]:
    """``language`` first, then the other listed languages in their order."""
    return (language, *(tag for tag in listed if tag != language))


def site_config(data: Mapping[str, Any], base_url: str | None = None) -> SiteConfig:
    """The typed configuration; only call after validation passed. ``base_url`` overrides it
    (the Pages workflow passes the URL GitHub assigns)."""
    url = base_url or data["base_url"]
    return SiteConfig(
        title=data["title"],
        description=data.get("description", ""),
        base_url=url if url.endswith("/") else url + "/",
        language=data["language"],
        languages=_languages(data["language"], data.get("languages", ())),
        organization=data.get("organization", data["title"]),
        license=data.get("license", ""),
        repository=data.get("repository", ""),
        mentions=data.get("mentions", "first-per-section"),
        page_size=data.get("page_size", 50),
        search_shard_pages=data.get("search", {}).get("shard_pages", DEFAULT_SHARD_PAGES),
        ratings=_terms(data["ratings"]),
        entity_types=_terms(data["entity_types"]),
        note_kinds=_terms(data["note_kinds"]),
        source_kinds=_terms(data["source_kinds"]),
        relation_types=_terms(data.get("relation_types", {})),
        oai_admin_email=data.get("oai", {}).get("admin_email", ""),
        oai_gateway=data.get("oai", {}).get("gateway", ""),
    )
