"""What the load stage produces: one :class:`Document` per content file, with the position of
every value, and :class:`Records`, all of them grouped by kind, before any checking."""

from __future__ import annotations

from dataclasses import dataclass, field

from scholion.diagnostics import Diagnostic
from scholion.load.yamlsource import Located


@dataclass(frozen=True, slots=True)
class Document:
    """One parsed content file. ``body`` is the Markdown after front matter (articles, pages)."""

    path: str
    kind: str
    stem: str
    located: Located
    body: str = ""
    body_line: int = 0
    digest: str = ""
    """This version of the file: a digest of its text, path and identity on disk (inode,
    modification time, size), or "" if it was not read from a file. The key of its entries in
    the build cache (:mod:`scholion.incremental.file_cache`); a copy of the repository gets
    other inodes and times, so a cache that came with one never matches."""
    on_disk: str = ""
    """The file's identity on disk when it was read (inode, modification and change times,
    size): while it is the same, the file need not be read again (:func:`scholion.load.load`
    with ``previous``)."""
    problems: tuple[Diagnostic, ...] = ()
    """What reading it found short of making it unreadable (warnings): reported again when the
    document is reused."""

    @property
    def data(self) -> dict:
        return self.located.data if isinstance(self.located.data, dict) else {}


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    """A file of ``content/evidence/``: never parsed, only hashed, so that ``check`` can tell
    whether it is still the copy a source records (``validate/evidence.py``)."""

    rel: str
    name: str
    sha256: str
    on_disk: str
    """Its identity on disk when hashed: an unchanged file is not hashed again (``serve``)."""


@dataclass(frozen=True, slots=True)
class Listed:
    """A content file found by the listing: where (relative to the repository, with slashes,
    as documents name their files), what kind, and its identity on disk."""

    rel: str
    kind: str
    on_disk: str


@dataclass(frozen=True, slots=True)
class Records:
    """Everything read from a repository, before any checking."""

    config: Document | None
    articles: tuple[Document, ...] = ()
    sidecars: tuple[Document, ...] = ()
    entities: tuple[Document, ...] = ()
    sources: tuple[Document, ...] = ()
    pages: tuple[Document, ...] = ()
    narratives: tuple[Document, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    unreadable: tuple[str, ...] = ()
    """Content files that exist but could not be loaded (already reported): references to their
    ids are not reported again as unknown."""
    evidence: tuple[EvidenceFile, ...] = ()
    """The files of ``content/evidence/``, hashed."""
    listing: tuple[tuple[tuple[str, ...], Listed | Diagnostic], ...] = field(
        default=(), repr=False, compare=False
    )
    """What listing ``content/`` found, in order: each entry's path (its parts below
    ``content/``) with the file, or the problem that keeps it out. An edit whose files are
    known lists only those again (:func:`scholion.load.load`)."""

    def documents(self) -> tuple[Document, ...]:
        """Every document read: the configuration, then each kind in file order."""
        config = (self.config,) if self.config is not None else ()
        return (
            *config,
            *self.articles,
            *self.sidecars,
            *self.entities,
            *self.sources,
            *self.pages,
            *self.narratives,
        )
