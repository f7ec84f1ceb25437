"""Which search shard each indexed page belongs to, and the manifest that lists the shards.

Pagefind's indexer holds its whole index in memory (5.9 GB for the 53,000 pages of 10,000
articles), so a large site is indexed in shards, each by its own Pagefind process, and the
search page merges them in the browser (Pagefind's ``mergeIndex``, in ``static/search.js``).
A site of at most ``shard_pages`` pages keeps one index, at ``pagefind/`` as before.

A larger one is cut by kind (articles, claims, entities, sources, other pages: an article weighs
about four claims in the indexer) and, within a kind of more than ``shard_pages`` pages, into a
power of two of buckets by a hash of each page's path. The same page therefore lands in the same
shard in every build, and a new page changes only its own shard; only when a kind grows past a
threshold does its bucket count double, each bucket splitting in two. Each shard records a
digest of its pages' bytes, so an incremental build keeps every shard whose pages are unchanged.
Pure: no files are read here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

KINDS = ("articles", "claims", "entities", "sources")
OTHER = "pages"
"""The kind of every indexed page outside the four record kinds (plain pages)."""


MANIFEST = "shards.json"
"""The list of shards, in ``pagefind/``: read by the search page, and by the next build."""

FORMAT = 1
"""The manifest's format; with the indexer's version, part of what a kept shard must match."""


@dataclass(frozen=True, slots=True)
class IndexedPage:
    """A page Pagefind indexes: its site-relative path, the language it is indexed under when
    that is not the one its ``<html lang>`` declares (else ""), and a digest of its bytes."""

    path: str
    language: str
    digest: str


@dataclass(frozen=True, slots=True)
class Shard:
    """One Pagefind index: its name, its directory under ``pagefind/`` ("" for a site with a
    single index, else "<name>/") and its pages, sorted by path."""

    name: str
    path: str
    pages: tuple[IndexedPage, ...]

    @property
    def digest(self) -> str:
        """What the shard's index is made from: its pages' paths, languages and bytes."""
        digest = hashlib.blake2b(digest_size=16)
        for page in self.pages:
            digest.update(f"{page.path}\0{page.language}\0{page.digest}\n".encode())
        return digest.hexdigest()


def kind_of(path: str) -> str:
    """The record kind a page belongs to, from its path (``articles/x/index.html``, also under
    a language's prefix such as ``es/``); plain pages and anything else are :data:`OTHER`."""
    for part in path.split("/")[:-1]:
        if part in KINDS:
            return part
    return OTHER


def plan(pages: Iterable[IndexedPage], shard_pages: int) -> tuple[Shard, ...]:
    """The shards for ``pages``: a single one when there are at most ``shard_pages``, else
    per kind and bucket (see the module docstring), in a fixed order."""
    ordered = sorted(pages, key=lambda page: page.path)
    if len(ordered) <= shard_pages:
        return (Shard("all", "", tuple(ordered)),)
    by_kind: dict[str, list[IndexedPage]] = {}
    for page in ordered:
        by_kind.setdefault(kind_of(page.path), []).append(page)
    shards = []
    for kind in (*KINDS, OTHER):
        members = by_kind.get(kind, [])
        count = buckets(len(members), shard_pages)
        groups: list[list[IndexedPage]] = [[] for _ in range(count)]
        for page in members:
            groups[bucket(page.path, count)].append(page)
        for number, group in enumerate(groups):
            if group:
                shards.append(Shard(f"{kind}-{number}", f"{kind}-{number}/", tuple(group)))
    return tuple(shards)


def buckets(count: int, shard_pages: int) -> int:
    """The smallest power of two of buckets holding ``count`` pages at ``shard_pages`` each:
    a power of two so that, when it grows, each bucket splits in two and no page moves to a
    bucket other than its own half."""
    needed = -(-count // shard_pages)
    return 1 << max(needed - 1, 0).bit_length()


def bucket(path: str, count: int) -> int:
    """The bucket of ``path`` among ``count``: a hash of the path, the same in every build."""
    value = int.from_bytes(hashlib.blake2b(path.encode(), digest_size=8).digest(), "big")
    return value % count


@dataclass(frozen=True, slots=True)
class Indexed:
    """A shard as the manifest records it: where it is, what it was made from, and how many
    pages each of its languages holds (Pagefind's language keys, as in ``pagefind-entry.json``)."""

    name: str
    path: str
    digest: str
    languages: Mapping[str, int]


def manifest(indexer: str, shards: Sequence[Indexed]) -> bytes:
    """The manifest's bytes: the same shards give the same bytes."""
    document = {
        "format": FORMAT,
        "indexer": indexer,
        "shards": [
            {
                "name": shard.name,
                "path": shard.path,
                "digest": shard.digest,
                "languages": dict(sorted(shard.languages.items())),
            }
            for shard in shards
        ],
    }
    return (json.dumps(document, indent=1, ensure_ascii=False) + "\n").encode()


def read_manifest(data: bytes, indexer: str) -> dict[str, Indexed]:
    """The shards of a previous build by name, if it was made by the same ``indexer`` in this
    format; nothing when it was not, or the bytes are not a manifest (then every shard is
    indexed again, which is never wrong)."""
    try:
        document = json.loads(data)
        if document.get("format") != FORMAT or document.get("indexer") != indexer:
            return {}
        found = {}
        for item in document["shards"]:
            shard = Indexed(
                str(item["name"]),
                str(item["path"]),
                str(item["digest"]),
                {str(k): int(v) for k, v in item["languages"].items()},
            )
            found[shard.name] = shard
        return found
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}
