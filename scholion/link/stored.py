"""What linking gave for one article, and its form in the build cache.

Linking an article (its Markdown, tokenising its HTML, anchoring its quotes, finding its
mentions) needs nothing but the article, its sidecar, the site's configuration and the table of
entity names, and it was most of a build after one edit at 10,000 articles: every article was
linked again although one sidecar changed. So what an article gave is kept in the build cache
(:mod:`scholion.incremental.file_cache`) under a digest of exactly those inputs
(:func:`stored_key`), as checked JSON (:mod:`scholion.incremental.codec`).

HTML read back from a cache that is not sealed with this user's secret
(:mod:`scholion.incremental.sealing`) is passed through the sanitizer again and must come out
as it went in (:meth:`LinkedArticle.from_json`): what such a cache holds cannot put markup on a
page that the sanitizer would not let through, even when forged with a valid checksum. A sealed
entry was written by a build of this user, of HTML that came out of the sanitizer, and is taken
as it is (sanitizing it again was 8 of the 38 CPU-seconds of a warm check at 10,000 articles).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from scholion import jsontext
from scholion.config import SiteConfig
from scholion.diagnostics import Diagnostic
from scholion.incremental.codec import Mismatch, decoder, encoded
from scholion.link.aliases import AliasMatcher
from scholion.load.documents import Document
from scholion.model import Annotation, Article, Claim, Correction, Mention, Note
from scholion.text.index import TextIndex
from scholion.text.markup import MarkdownMemo, sanitize


@dataclass(frozen=True, slots=True)
class LinkedArticle:
    """One article after the work of linking that needs no other article but the alias table:
    its Markdown, anchored quotes, notes, mentions and the claims its sidecar defines."""

    article: Article
    annotations: tuple[Annotation, ...]
    notes: tuple[Note, ...]
    mentions: tuple[Mention, ...]
    claims: tuple[Claim, ...]
    corrections: tuple[Correction, ...]
    problems: tuple[Diagnostic, ...]
    rendered: tuple[tuple[str, MarkdownMemo], ...] = ()
    """Markdown converted here, by file digest: for the parent to keep in the cache, since
    only the parent writes it."""
    stored: str = ""
    """This, as the cache keeps it (:meth:`to_json`), when linked here for a cache that had
    not kept it: for the parent to write."""

    def to_json(self) -> str:
        """The JSON text of what linking gave (not of what is only carried to the parent). The
        article's text index is kept as its visible text: its HTML is the article's."""
        article = dataclasses.replace(self.article, index=TextIndex("", self.article.index.text))
        return jsontext.stored([encoded(part) for part in (article, *self._parts()[1:])])

    @classmethod
    def from_json(cls, value: Any, *, sealed: bool = False) -> LinkedArticle | None:
        """What :meth:`to_json` kept, or None if ``value`` is not of its shape or holds HTML
        the sanitizer would change; ``sealed``: read from a cache only a build of this user can
        have written, whose HTML is the sanitizer's already (its shape is checked all the
        same)."""
        try:
            if type(value) is not list or len(value) != len(_PARTS):
                raise Mismatch("not the parts of a linked article")
            parts = [decoder(kind)(part) for kind, part in zip(_PARTS, value, strict=True)]
        except Mismatch:
            return None
        article: Article = parts[0]
        index = TextIndex(article.html, article.index.text)
        index.release()  # as a freshly linked article leaves it: derived again when needed
        linked = cls(dataclasses.replace(article, index=index), *parts[1:])
        if sealed or all(sanitize(html) == html for html in linked._html()):
            return linked
        return None

    def _parts(self) -> tuple[Any, ...]:
        return (
            self.article,
            self.annotations,
            self.notes,
            self.mentions,
            self.claims,
            self.corrections,
            self.problems,
        )

    def _html(self) -> list[str]:
        return [
            self.article.html,
            *(note.html for note in self.notes),
            *(claim.explanation_html for claim in self.claims),
            *(correction.html for correction in self.corrections),
        ]


_PARTS = (
    Article,
    tuple[Annotation, ...],
    tuple[Note, ...],
    tuple[Mention, ...],
    tuple[Claim, ...],
    tuple[Correction, ...],
    tuple[Diagnostic, ...],
)


def linking_context(config: SiteConfig, matcher: AliasMatcher) -> str:
    """A digest of what linking any article reads besides its own files: the configuration
    (the mention policy among it) and every entity name with the entity it links to."""
    digest = hashlib.blake2b(repr(config).encode(), digest_size=20)
    digest.update(json.dumps(sorted(matcher.owner.items())).encode())
    return digest.hexdigest()


def stored_key(article: Document, sidecar: Document | None, context: str) -> str:
    """The key of what linking ``article`` with ``sidecar`` gave in ``context``: each file's
    version (:attr:`Document.digest`) and the context's digest."""
    parts = f"{article.digest}\0{sidecar.digest if sidecar else ''}\0{context}"
    return hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
