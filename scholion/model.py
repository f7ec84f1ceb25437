"""The corpus as typed, immutable records: what the link stage builds and pages are views of.

Records refer to each other by id, never by object, so the model stays a plain tree that is
easy to test and to pass to worker processes. The indexes that pages need (backlinks,
appearances, provenance) are computed once in :mod:`scholion.link`.
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

from scholion.config import SiteConfig
from scholion.text.index import TextIndex

WORDS_PER_MINUTE = 230
"""An adult's silent reading speed for non-fiction, for the reading time shown on articles."""


R = TypeVar("R")


def _sharing(*names: str) -> Callable[[type[R]], type[R]]:
    """A record class whose named text fields are, in each record made, the one string of its
    value in this process (``sys.intern``), however the record was made: its
    ``__post_init__`` interns them, and its ``__reduce__`` unpickles it through its
    constructor (a worker's result reaching the parent), where pickle's default would set the
    fields as they come. Put below ``@dataclass``, which must see ``__post_init__``.

    The numerous records (mentions, annotations, notes) repeat the same few values (an
    entity's id, its name as written, a kind) hundreds of thousands of times, and each record
    made by a worker, decoded from the build cache or cut out of a text held its own copy: 15%
    of a linked corpus was such copies (at 1,000 articles). Only fields that repeat are named:
    an interned string costs a slot in the interpreter's table."""

    def __post_init__(self: Any) -> None:
        for name in names:
            object.__setattr__(self, name, sys.intern(getattr(self, name)))

    def __reduce__(self: Any) -> tuple[type, tuple[Any, ...]]:
        kind: Any = type(self)
        return kind, _field_values(kind)(self)

    def shared(kind: type[R]) -> type[R]:
        made: Any = kind  # the class being made, before @dataclass copies it
        made.__post_init__ = __post_init__
        made.__reduce__ = __reduce__
        return kind

    return shared


@functools.cache
def _field_values(kind: Any) -> Callable[[Any], tuple[Any, ...]]:
    names = [f.name for f in dataclasses.fields(kind)]
    return operator.attrgetter(*names)  # (several names: it gives a tuple)


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    entity: str | None = None


@dataclass(frozen=True, slots=True)
@_sharing("article", "kind", "target", "former")
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
@_sharing("article", "kind", "former")
class Note:
    """A note of a sidecar, with the id of its annotation (a quoted note) or its own; ``former``
    as for :class:`Annotation`."""

    article: str
    anchor: str
    kind: str
    html: str
    quoted: bool
    former: str = ""
    history: str = ""  # its key in History.notes (scholion.load.history.note_key)


@dataclass(frozen=True, slots=True)
@_sharing("entity", "article", "text", "former")
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
@_sharing("source", "relation")
class ClaimSource:
    source: str
    relation: str  # supports, refutes, context or origin (where the claim comes from)
    note: str


@dataclass(frozen=True, slots=True)
@_sharing("rating", "defined_in")
class Claim:
    id: str
    statement: str
    rating: str
    explanation_html: str
    claimant: str | None
    about: tuple[str, ...]
    sources: tuple[ClaimSource, ...]
    defined_in: str
    links: tuple[ClaimLink, ...] = ()  # how it bears on other claims (its sidecar's links:)


@dataclass(frozen=True, slots=True)
class Link:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class Coordinates:
    """Where a place is, in decimal degrees (WGS 84), as its file gives them."""

    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    type: str
    name: str
    aliases: tuple[str, ...]
    description: str
    wikidata: str
    links: tuple[Link, ...]
    # Where and when (places on a map, events in time: render/maps.py, render/timeline.py).
    coordinates: Coordinates | None = None  # a place's
    date: str = ""  # an event's: "2019-03-23", "2019-03" or "2019", precision kept; its start
    end: str = ""  # an event that lasted: its last day, month or year ("" for a single date)
    places: tuple[str, ...] = ()  # an event's: ids of place entities
    # Relations and authority ids (docs/content-format.md, "Relations"):
    relations: tuple[Relation, ...] = ()
    authorities: tuple[Authority, ...] = ()


# Relations between entities, typed claim-to-claim links, narratives, authority ids: records
# that tie the others together (scholion.link.relations joins them).


AUTHORITIES = {
    "gnd": ("GND", "https://d-nb.info/gnd/{}"),
    "geonames": ("GeoNames", "https://www.geonames.org/{}"),
    "viaf": ("VIAF", "https://viaf.org/viaf/{}"),
    "orcid": ("ORCID", "https://orcid.org/{}"),
    "isni": ("ISNI", "https://isni.org/isni/{}"),
}
"""The authority files an entity may name beside Wikidata: scheme -> (its name, its URL for
an id), in the order pages list them."""


@dataclass(frozen=True, slots=True)
class Authority:
    """An entity's id in an authority file (:data:`AUTHORITIES`); an ISNI without its spaces."""

    scheme: str
    id: str

    @property
    def label(self) -> str:
        return AUTHORITIES[self.scheme][0]

    @property
    def url(self) -> str:
        return AUTHORITIES[self.scheme][1].format(self.id)


@dataclass(frozen=True, slots=True)
class Relation:
    """``subject`` <type> ``object`` (an entity "operated by" another), as the subject's file
    declares it, between ``start`` and ``end`` ("" when not known: YYYY, YYYY-MM or
    YYYY-MM-DD, as precisely as given), established by ``sources`` and asserted by ``claims``."""

    subject: str
    type: str
    object: str
    start: str = ""
    end: str = ""
    sources: tuple[str, ...] = ()
    claims: tuple[str, ...] = ()

    def other(self, entity_id: str) -> str:
        """The entity at the other end from ``entity_id``."""
        return self.object if entity_id == self.subject else self.subject


CLAIM_LINK_TYPES = ("rewords", "contradicts", "follows-from")
"""How one claim bears on another (the sidecar schema's enum, in the order pages list them)."""


@dataclass(frozen=True, slots=True)
class ClaimLink:
    """``claim`` <type> ``other``: claim "rewords", "contradicts" or "follows-from" another, as
    ``claim``'s definition says."""

    claim: str
    type: str
    other: str


@dataclass(frozen=True, slots=True)
class Narrative:
    """A story that recurs across claims and articles (``content/narratives/<id>.yaml``)."""

    id: str
    title: str
    summary_html: str
    claims: tuple[str, ...]


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
class NoteChange:
    """One event in a note's life: ``published``, or a change to its ``text`` or its
    ``quote`` (how a note is followed across edits: :func:`scholion.load.history.note_key`)."""

    commit: Commit
    field: str  # "published", "text" or "quote"
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
    # claim id -> (article slug, commit whose sidecar first quoted it there), oldest first
    appearances: Mapping[str, tuple[tuple[str, Commit], ...]] = field(default_factory=dict)
    # a note's key (Note.history) -> its events, oldest first
    notes: Mapping[str, tuple[NoteChange, ...]] = field(default_factory=dict)
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
    claims_by_rating: Mapping[str, tuple[str, ...]]
    """rating id -> its claims' ids, sorted: a rating's feed reads the claims it lists, not
    every claim, so that rewording one claim makes one rating's feed again, not six."""
    articles_by_publisher: Mapping[str, tuple[str, ...]]  # newest first
    articles_by_author: Mapping[str, tuple[str, ...]]  # newest first
    sources_by_publisher: Mapping[str, tuple[str, ...]]
    corrections: Mapping[str, tuple[Correction, ...]]
    """article slug -> its corrections, newest first (from the sidecar's ``corrections:``)."""
    history: History
    """What git knows of the corpus's past; empty for ``check`` and outside a repository."""
    # Relations, claim links and narratives (scholion.link.relations):
    narratives: Mapping[str, Narrative] = field(default_factory=dict)
    relations: Mapping[str, tuple[Relation, ...]] = field(default_factory=dict)
    """entity id -> the relations it is either end of, by type (in the configuration's order),
    then date, then the other entity."""
    claim_links: Mapping[str, tuple[ClaimLink, ...]] = field(default_factory=dict)
    """claim id -> the links it is either end of, by type, then the other claim."""
    narratives_by_claim: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """claim id -> the narratives it expresses, by id."""

    def articles_by_date(self) -> list[Article]:
        """Newest first; ties by slug so the order never depends on the file system."""
        return sorted(self.articles.values(), key=lambda a: (a.date, a.slug), reverse=True)


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file of the built site: its path relative to the site root, and its bytes (None: the
    file the last build wrote is still right, and already in the staging directory)."""

    path: str
    content: bytes | None
    stamp: Stamp | None = None
    """What the process that wrote the file noted of it, when asked to
    (:class:`scholion.output.write.Staged`): for the search stage, which then need not read
    the page back."""


class Stamp(NamedTuple):
    """A file as written: its identity on disk (inode, modification time in nanoseconds, size,
    as ``os.stat`` gives them) and a digest of its bytes made by whoever asked for the stamp."""

    inode: int
    modified: int
    size: int
    digest: str
