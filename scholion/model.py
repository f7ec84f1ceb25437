"""The corpus as typed, immutable records: what the link stage builds and pages are views of.

Records refer to each other by id, never by object, so the model stays a plain tree that is
easy to test and to pass to worker processes. The indexes that pages need (backlinks,
appearances, provenance) are computed once in :mod:`scholion.link`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scholion.config import SiteConfig
from scholion.load.history import History
from scholion.text.index import TextIndex

WORDS_PER_MINUTE = 230
"""An adult's silent reading speed for non-fiction, for the reading time shown on articles."""


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Annotation:
    """One anchored passage of an article: a claim appearance, a note or a citation.

    ``anchor`` is its id on the article page (stable across edits that do not touch it);
    ``number`` is its place in reading order, shown to readers.
    """

    article: str
    anchor: str
    number: int
    kind: str  # "claim", "note" or "citation"
    target: str  # claim id, note anchor, or source id
    quote: str
    start: int
    end: int
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Note:
    article: str
    anchor: str
    kind: str
    html: str
    quoted: bool


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in an article; ``linked`` mentions become links in the text."""

    entity: str
    article: str
    anchor: str
    start: int
    end: int
    before: str
    text: str
    after: str
    linked: bool


@dataclass(frozen=True, slots=True)
class Article:
    slug: str
    path: str
    title: str
    date: str
    authors: tuple[Author, ...]
    publisher: str
    url: str
    archive_url: str
    language: str
    rights: str
    summary: str
    html: str
    index: TextIndex
    word_count: int

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def reading_minutes(self) -> int:
        """Minutes to read the text at 230 words a minute, at least one."""
        return max(1, -(-self.word_count // WORDS_PER_MINUTE))


@dataclass(frozen=True, slots=True)
class ClaimSource:
    source: str
    relation: str  # supports, refutes or context
    note: str


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    statement: str
    rating: str
    explanation_html: str
    claimant: str | None
    about: tuple[str, ...]
    sources: tuple[ClaimSource, ...]
    defined_in: str


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    description: str
    wikidata: str
    links: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    kind: str
    publisher: str | None
    author: str
    date: str
    url: str
    archive_url: str
    description_html: str
    cites: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Page:
    slug: str
    title: str
    summary: str
    nav_order: int | None
    html: str


@dataclass(frozen=True, slots=True)
class ArticleStats:
    """What an article's annotations add up to, as its header and list entries show it."""

    claims: int
    notes: int  # quoted and whole-article notes
    citations: int
    ratings: tuple[tuple[str, int], ...]  # (rating id, claim appearances), in scale order


@dataclass(frozen=True, slots=True)
class Provenance:
    """A source a record relies on, and what that source relies on in turn."""

    source: str
    cites: tuple[Provenance, ...]


@dataclass(frozen=True, slots=True)
class MentionGroup:
    """The mentions of one entity in one article, in reading order."""

    article: str
    mentions: tuple[Mention, ...]


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction a sidecar declares: shown on the article (and claim) page and in the feed."""

    article: str
    date: str
    html: str
    claim: str | None


@dataclass(frozen=True)
class Corpus:
    """The linked corpus: records by id plus the indexes every page reads. Read-only after link."""

    config: SiteConfig
    articles: dict[str, Article]
    claims: dict[str, Claim]
    entities: dict[str, Entity]
    sources: dict[str, Source]
    pages: dict[str, Page]
    annotations: dict[str, tuple[Annotation, ...]]  # article slug -> in reading order
    notes: dict[str, tuple[Note, ...]]  # article slug -> notes (quoted and whole-article)
    mentions: dict[str, tuple[Mention, ...]]  # article slug -> in reading order
    appearances: dict[str, tuple[Annotation, ...]]  # claim id -> earliest article first
    claims_by_entity: dict[str, tuple[str, ...]]
    claims_by_source: dict[str, tuple[str, ...]]
    articles_by_entity: dict[str, tuple[str, ...]]
    mentions_by_entity: dict[str, tuple[Mention, ...]]
    citations_by_source: dict[str, tuple[Annotation, ...]]
    cited_by: dict[str, tuple[str, ...]]  # source id -> sources that cite it
    co_mentions: dict[str, tuple[tuple[str, int], ...]]  # entity -> (entity, articles) desc
    # Reader views (scholion.link.joins), so that templates only look records up by id:
    stats: dict[str, ArticleStats] = field(default_factory=dict)  # article slug ->
    provenance: dict[str, tuple[Provenance, ...]] = field(default_factory=dict)
    """source id -> what it relies on, transitively, as a tree (each source once)."""
    mention_groups: dict[str, tuple[MentionGroup, ...]] = field(default_factory=dict)
    """entity id -> its mentions grouped by article, earliest article first."""
    mention_periods: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    """entity id -> (month "YYYY-MM", or year, mentions), in time order."""
    claims_about: dict[str, tuple[str, ...]] = field(default_factory=dict)
    claims_by_claimant: dict[str, tuple[str, ...]] = field(default_factory=dict)
    articles_by_publisher: dict[str, tuple[str, ...]] = field(default_factory=dict)  # newest first
    articles_by_author: dict[str, tuple[str, ...]] = field(default_factory=dict)  # newest first
    sources_by_publisher: dict[str, tuple[str, ...]] = field(default_factory=dict)
    corrections: dict[str, tuple[Correction, ...]] = field(default_factory=dict)
    """article slug -> its corrections, newest first (from the sidecar's ``corrections:``)."""
    history: History = field(default_factory=History)
    """What git knows of the corpus's past; empty for ``check`` and outside a repository."""

    def articles_by_date(self) -> list[Article]:
        """Newest first; ties by slug so the order never depends on the file system."""
        return sorted(self.articles.values(), key=lambda a: (a.date, a.slug), reverse=True)
