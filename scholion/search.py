"""Stage 7, index: a Pagefind search index of the staged site, written inside it.

Uses the ``pagefind`` Python package, which runs the Pagefind binary shipped in ``pagefind_bin``.
Pages opt in with ``data-pagefind-body`` (articles, claims, entities, sources, plain pages) and
carry their filters (kind, rating, publisher, entity type, year) as ``data-pagefind-filter``.

Pagefind keeps one index per language, with that language's stemming, and picks a page's
language from ``<html lang>``. Our pages declare the interface language there; an article
written in another language is handed to Pagefind with its own language instead (the file on
disk is unchanged), so a Russian article is found by the inflected forms of its Russian words.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Mapping
from pathlib import Path

from .diagnostics import SiteError

_HTML_TAG = re.compile(r"<html\b[^>]*>")


def _with_language(html: str, language: str) -> str:
    """The page with its ``<html>`` tag declaring ``language`` (for the indexer only)."""
    tag = _HTML_TAG.search(html)
    if tag is None:
        return html
    new = re.sub(r'\slang="[^"]*"', "", tag.group()).replace("<html", f'<html lang="{language}"', 1)
    return html[: tag.start()] + new + html[tag.end() :]


def _base(language: str) -> str:
    return language.split("-")[0].lower()


class SearchIndexError(SiteError):
    """Pagefind failed; the staged site is discarded and the previous one kept."""


def build_search_index(
    site: Path, language: str, page_languages: Mapping[str, str] | None = None
) -> int:
    """Index every opted-in page under ``site`` into ``site/pagefind``; returns the page count.

    ``page_languages`` maps site-relative paths of pages whose main text is in another language
    than the interface (``language``) to that language."""
    try:
        return asyncio.run(_index(site, language, dict(page_languages or {})))
    except SearchIndexError:
        raise
    except Exception as exc:  # the service reports failures as assorted exception types
        raise SearchIndexError(f"Pagefind failed to index {site}: {exc}") from exc


async def _index(site: Path, language: str, page_languages: dict[str, str]) -> int:
    from pagefind.index import IndexConfig, PagefindIndex

    output = site / "pagefind"
    others = {path: lang for path, lang in page_languages.items() if _base(lang) != _base(language)}
    config = IndexConfig(output_path=str(output))
    async with PagefindIndex(config=config) as index:
        if not others:
            await index.add_directory(str(site))
        else:
            for path in sorted(site.rglob("*.html")):
                relative = path.relative_to(site).as_posix()
                if relative.startswith("pagefind/"):
                    continue
                html = path.read_text(encoding="utf-8")
                if relative in others:
                    html = _with_language(html, others[relative])
                await index.add_html_file(content=html, source_path=relative)
    # add_directory's page_count counts every HTML file read, opted in or not; the entry file
    # written on exit counts the pages actually in the index.
    entry = json.loads((output / "pagefind-entry.json").read_text(encoding="utf-8"))
    count = sum(int(lang.get("page_count", 0)) for lang in entry.get("languages", {}).values())
    if count == 0:
        raise SearchIndexError("Pagefind indexed no pages (is data-pagefind-body missing?)")
    return count
