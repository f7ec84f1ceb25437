"""Stage 7, index: a Pagefind search index of the staged site, written inside it.

Uses the ``pagefind`` Python package, which runs the Pagefind binary shipped in ``pagefind_bin``.
Pages opt in with ``data-pagefind-body`` (articles, claims, entities, sources, plain pages) and
carry their filters (kind, rating, publisher, entity type, year) as ``data-pagefind-filter``.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from .diagnostics import SiteError


class SearchIndexError(SiteError):
    """Pagefind failed; the staged site is discarded and the previous one kept."""


def build_search_index(site: Path, language: str) -> int:
    """Index every opted-in page under ``site`` into ``site/pagefind``; returns the page count."""
    try:
        return asyncio.run(_index(site, language))
    except SearchIndexError:
        raise
    except Exception as exc:  # the service reports failures as assorted exception types
        raise SearchIndexError(f"Pagefind failed to index {site}: {exc}") from exc


async def _index(site: Path, language: str) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    output = site / "pagefind"
    config = IndexConfig(output_path=str(output), force_language=language.split("-")[0])
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(site))
    # add_directory's page_count counts every HTML file read, opted in or not; the entry file
    # written on exit counts the pages actually in the index.
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    count = sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())
    if count == 0:
        raise SearchIndexError("Pagefind indexed no pages (is data-pagefind-body missing?)")
    return count
