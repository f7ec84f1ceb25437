"""The corpus as typed, immutable records: what the link stage builds and pages are views of.

Records refer to each other by id, never by object, so the model stays a plain tree that is
easy to test and to pass to worker processes. The indexes that pages need (backlinks,
appearances, provenance) are computed once in :mod:`scholion.link`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from scholion.config import SiteConfig
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

    ``anchor`` is its id on the article page and in the open data, which nothing added above
    it changes (:mod:`scholion.link.anchors`); ``number`` is its place in reading order, shown
    to readers; ``former`` the positional id earlier versions gave it, kept as an alias on the
    page ("" when there is none to keep).
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
    former: str = ""


@dataclass(frozen=True, slots=True)
class Note:
    """A note of a sidecar, with the id of its annotation (a quoted note) or its own; ``former``
    as for :class:`Annotation`."""

    article: str
    anchor: str
    kind: str
    html: str
    quoted: bool
    former: str = ""


@dataclass(frozen=True, slots=True)
class Mention:
    """An entity named in an article; ``linked`` mentions become links in the text. ``anchor``
    is its id (``m-<entity>-<hash of its words in context>``), ``former`` the positional one
    earlier versions gave it, kept as an alias ("" when none)."""

    entity: str
    article: str
    anchor: str
    start: int
    end: int
    before: str
    text: str
    after: str
    linked: bool
    former: str = ""


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
    title_entities: tuple[str, ...] = ()  # entities its headline names (found from aliases)

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
    relation: str  # supports, refutes, context or origin (where the claim comes from)
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
class Evidence:
    """A copy of a source kept in ``content/evidence/`` (checked against ``sha256`` at every
    build). ``kind``: ``image`` (shown with ``alt``), ``pdf`` (linked) or ``page`` (a saved HTML
    page: published as its text only, never as markup)."""

    file: str
    kind: str
    sha256: str
    retrieved: str
    url: str
    title: str
    alt: str

    @property
    def published(self) -> str:
        """Its path in the site: a saved page as ``<file>.txt``, anything else as it is."""
        return f"evidence/{self.file}.txt" if self.kind == "page" else f"evidence/{self.file}"


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
    retrieved: str = ""
    """When the source was read or retrieved ("" when not recorded)."""
    evidence: tuple[Evidence, ...] = ()


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


# What git knows of the corpus's past: read by scholion.load.history, shown by
# scholion.link.changes.


@dataclass(frozen=True, slots=True, order=True)
class Commit:
    """A commit, by its committer date (when the change was published on ``main``)."""

    date: str  # ISO 8601 with offset, e.g. 2024-05-01T12:00:00+00:00
    sha: str
    author: str = field(compare=False)
    subject: str = field(compare=False)

    @property
    def day(self) -> str:
        return self.date[:10]


@dataclass(frozen=True, slots=True)
class ClaimChange:
    """One event in a claim's life: ``published``, or a change to one of its fields."""

    claim: str
    commit: Commit
    field: str  # "published", "statement", "rating" or "explanation"
    before: str = ""
    after: str = ""


@dataclass(frozen=True, slots=True)
class Dates:
    first: Commit
    last: Commit


@dataclass(frozen=True)
class History:
    """Everything the pages show about the past; empty when there is no git history."""

    files: Mapping[str, Dates] = field(default_factory=dict)  # root-relative path -> dates
    claims: Mapping[str, tuple[ClaimChange, ...]] = field(default_factory=dict)
    # (slug, commit adding it), oldest first; a tuple, but a page sees it as a Sequence (tracking)
    new_articles: Sequence[tuple[str, Commit]] = ()
    shallow: bool = False

    def dates(self, *paths: str) -> Dates | None:
        """First and last commit over several files (an article and its sidecar)."""
        found = [self.files[p] for p in paths if p in self.files]
        if not found:
            return None
        return Dates(min(d.first for d in found), max(d.last for d in found))


@dataclass(frozen=True)
class Corpus:
    """The linked corpus: records by id plus the indexes every page reads. Read-only after link."""

    config: SiteConfig
    articles: Mapping[str, Article]
    claims: Mapping[str, Claim]
    entities: Mapping[str, Entity]
    sources: Mapping[str, Source]
    pages: Mapping[str, Page]
    annotations: Mapping[str, tuple[Annotation, ...]]  # article slug -> in reading order
    notes: Mapping[str, tuple[Note, ...]]  # article slug -> notes (quoted and whole-article)
    mentions: Mapping[str, tuple[Mention, ...]]  # article slug -> in reading order
    appearances: Mapping[str, tuple[Annotation, ...]]  # claim id -> earliest article first
    claims_by_entity: Mapping[str, tuple[str, ...]]
    claims_by_source: Mapping[str, tuple[str, ...]]
    articles_by_entity: Mapping[str, tuple[str, ...]]
    mentions_by_entity: Mapping[str, tuple[Mention, ...]]
    citations_by_source: Mapping[str, tuple[Annotation, ...]]
    cited_by: Mapping[str, tuple[str, ...]]  # source id -> sources that cite it
    co_mentions: Mapping[str, tuple[tuple[str, int], ...]]  # entity -> (entity, articles) desc
    # Reader views (scholion.link.joins), so that templates only look records up by id:
    stats: Mapping[str, ArticleStats]  # article slug ->
    provenance: Mapping[str, tuple[Provenance, ...]]
    """source id -> what it relies on, transitively, as a tree (each source once)."""
    mention_groups: Mapping[str, tuple[MentionGroup, ...]]
    """entity id -> its mentions grouped by article, earliest article first."""
    mention_periods: Mapping[str, tuple[tuple[str, int], ...]]
    """entity id -> (month "YYYY-MM", or year, mentions), in time order."""
    claims_about: Mapping[str, tuple[str, ...]]
    claims_by_claimant: Mapping[str, tuple[str, ...]]
    articles_by_publisher: Mapping[str, tuple[str, ...]]  # newest first
    articles_by_author: Mapping[str, tuple[str, ...]]  # newest first
    sources_by_publisher: Mapping[str, tuple[str, ...]]
    corrections: Mapping[str, tuple[Correction, ...]]
    """article slug -> its corrections, newest first (from the sidecar's ``corrections:``)."""
    history: History
    """What git knows of the corpus's past; empty for ``check`` and outside a repository."""

    def articles_by_date(self) -> list[Article]:
        """Newest first; ties by slug so the order never depends on the file system."""
        return sorted(self.articles.values(), key=lambda a: (a.date, a.slug), reverse=True)


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file of the built site: its path relative to the site root, and its bytes (None: the
    file the last build wrote is still right, and already in the staging directory)."""

    path: str
    content: bytes | None
