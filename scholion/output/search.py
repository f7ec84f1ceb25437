"""Stage 7, index: a Pagefind search index of the staged site, written inside it, in shards.

Runs the Pagefind command shipped in the ``pagefind_bin`` wheel. Pages opt in with
``data-pagefind-body`` (articles, claims, entities, sources, plain pages) and carry their
filters (kind, rating, publisher, entity type, year) as ``data-pagefind-filter``.

Pagefind keeps one index per language, with that language's stemming, and picks a page's
language from ``<html lang>``. Our pages declare the interface language there; an article
written in another language is handed to Pagefind with its own language instead (the file on
disk is unchanged), so a Russian article is found by the inflected forms of its Russian words.

A large site is indexed in shards (:mod:`scholion.output.shards`), each by its own Pagefind process,
at most :data:`PARALLEL` at once, so that no process holds the whole index. With one shard,
``pagefind/`` is Pagefind's bundle as before; with several, each is a bundle in
``pagefind/<name>/`` and ``pagefind/`` holds copies of Pagefind's ``pagefind.js`` and
``pagefind-highlight.js``, which the search page and the pages it links to load. Either way
``pagefind/shards.json`` lists the shards, their languages and a digest of their pages; an
incremental build hard-links every shard whose digest is unchanged from the previous site and
indexes only the others.

Pagefind reads each shard from a directory of hard links to its pages (``.pagefind-input/`` in
the staging directory, removed afterwards), as its command reads a site. (Pagefind's Python API
was slower and unsafe here: its ``add_html_file`` waits 0.1 s for each page's answer, and its
service can be stopped before it has written its files: see :func:`_start_pagefind`.)
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from scholion.config import DEFAULT_SHARD_PAGES
from scholion.diagnostics import SiteError
from scholion.output.shards import (
    MANIFEST,
    Indexed,
    IndexedPage,
    Shard,
    manifest,
    plan,
    read_manifest,
)

SEARCH_DIR = "pagefind"
INPUT_DIR = ".pagefind-input"
PARALLEL = 2
"""Pagefind processes at once: at N = 1,000, six shards took 11.3 to 11.7 s one at a time and
7.4 to 7.9 s two at a time (one index: 9.0 to 9.9 s); see docs/performance.md."""

ROOT_SCRIPTS = ("pagefind.js", "pagefind-highlight.js")
"""Pagefind's scripts the site loads from ``pagefind/`` whatever the number of shards."""

NOTHING_INDEXED = "Pagefind indexed no pages (is data-pagefind-body missing?)"

_HTML_TAG = re.compile(r"<html\b[^>]*>")
_OPTED_IN = re.compile(rb"<[a-zA-Z][^<>]*\sdata-pagefind-body[\s>=/]")


class SearchIndexError(SiteError):
    """Pagefind failed; the staged site is discarded and the previous one kept."""


@dataclass(frozen=True, slots=True)
class SearchIndex:
    """What indexing did: pages in the index, every shard, and the shards indexed by this
    build (the others were kept from the previous site)."""

    pages: int
    shards: tuple[str, ...]
    indexed: tuple[str, ...]


def build_search_index(
    site: Path,
    language: str,
    page_languages: Mapping[str, str] | None = None,
    *,
    shard_pages: int = DEFAULT_SHARD_PAGES,
    previous: Path | None = None,
) -> SearchIndex:
    """Index every opted-in page under ``site`` into ``site/pagefind``.

    ``page_languages`` maps site-relative paths of pages whose main text is in another language
    than the interface (``language``) to that language. ``previous`` is the last published site,
    whose unchanged shards are kept (an incremental build); without it every shard is indexed."""
    try:
        return asyncio.run(
            _index(site, language, dict(page_languages or {}), shard_pages, previous)
        )
    except SearchIndexError:
        raise
    except Exception as exc:  # no binary, an unreadable bundle: say what happened
        raise SearchIndexError(f"Pagefind failed to index {site}: {exc}") from exc
    finally:
        shutil.rmtree(site / INPUT_DIR, ignore_errors=True)


async def _index(
    site: Path,
    language: str,
    page_languages: dict[str, str],
    shard_pages: int,
    previous: Path | None,
) -> SearchIndex:
    others = {path: lang for path, lang in page_languages.items() if _base(lang) != _base(language)}
    pages = _pages(site, others)
    if not pages:
        raise SearchIndexError(NOTHING_INDEXED)
    shards = plan(pages, shard_pages)
    indexer = _indexer()
    output = site / SEARCH_DIR
    old = _read_previous(previous, indexer)
    done = _keep_unchanged(shards, old, previous, output)
    todo = [shard for shard in shards if shard.name not in done]
    limit = asyncio.Semaphore(PARALLEL)
    found = await asyncio.gather(*(_index_shard(site, shard, output, limit) for shard in todo))
    done.update({shard.name: indexed for shard, indexed in zip(todo, found, strict=True)})
    listed = [done[shard.name] for shard in shards]
    count = sum(sum(shard.languages.values()) for shard in listed)
    if count == 0:
        raise SearchIndexError(NOTHING_INDEXED)
    output.mkdir(exist_ok=True)
    _write_manifest(output / MANIFEST, manifest(indexer, listed), previous)
    if shards[0].path:
        for name in ROOT_SCRIPTS:
            _link(str(output / shards[0].path / name), str(output / name))
    return SearchIndex(count, tuple(s.name for s in shards), tuple(s.name for s in todo))


def _pages(site: Path, languages: Mapping[str, str]) -> list[IndexedPage]:
    """Every page of ``site`` that opts in to search, with a digest of its bytes. Walked with
    ``os.scandir`` and string paths, and the opt-in looked for only around each mention of
    it: at 10,000 articles (61,000 pages, 1.3 GB) ``rglob`` took 3.4 s and a regular
    expression run over every page 3.5 s."""
    found = []
    for relative, path in _html_files(str(site), ""):
        with open(path, "rb") as page:
            data = page.read()
        if _opts_in(data):
            digest = hashlib.blake2b(data, digest_size=16).hexdigest()
            found.append(IndexedPage(relative, languages.get(relative, ""), digest))
    return found


def _html_files(folder: str, prefix: str) -> Iterator[tuple[str, str]]:
    """(site path, file path) of every ``.html`` file below ``folder``, but the search index's
    own folders at the top."""
    with os.scandir(folder) as listing:
        entries = list(listing)  # in any order: the shards' plan sorts the pages
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if prefix or entry.name not in (SEARCH_DIR, INPUT_DIR):
                yield from _html_files(entry.path, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".html") and entry.is_file(follow_symlinks=False):
            yield prefix + entry.name, entry.path


def _opts_in(data: bytes) -> bool:
    """Whether a tag of the page carries ``data-pagefind-body``: :data:`_OPTED_IN` tried from
    the start of the tag around each mention of the attribute (a mention in the text is not
    one)."""
    at = data.find(b"data-pagefind-body")
    while at != -1:
        if _OPTED_IN.match(data, data.rfind(b"<", 0, at)):
            return True
        at = data.find(b"data-pagefind-body", at + 1)
    return False


def _read_previous(previous: Path | None, indexer: str) -> dict[str, Indexed]:
    """The shards the previous site lists, if it was indexed by the same ``indexer``."""
    if previous is None:
        return {}
    try:
        return read_manifest((previous / SEARCH_DIR / MANIFEST).read_bytes(), indexer)
    except OSError:
        return {}


def _keep_unchanged(
    shards: tuple[Shard, ...], old: Mapping[str, Indexed], previous: Path | None, output: Path
) -> dict[str, Indexed]:
    """Link into ``output`` each shard of the ``previous`` site made from the same pages;
    returns those shards by name."""
    kept = {}
    for shard in shards:
        was = old.get(shard.name)
        if previous is None or was is None or (was.path, was.digest) != (shard.path, shard.digest):
            continue
        source = previous / SEARCH_DIR / shard.path
        if (source / "pagefind-entry.json").is_file():
            _link_tree(source, output / shard.path, whole_site=not shard.path)
            kept[shard.name] = was
    return kept


def _write_manifest(path: Path, data: bytes, previous: Path | None) -> None:
    """Write the manifest, or link the previous one when it has the same bytes (an unchanged
    file keeps its inode and time, as every other file of an incremental build)."""
    if previous is not None:
        before = previous / SEARCH_DIR / MANIFEST
        if before.is_file() and before.read_bytes() == data:
            _link(str(before), str(path))
            return
    path.write_bytes(data)


def _link_tree(source: Path, target: Path, whole_site: bool) -> None:
    """Hard-link a previous shard's files (copied where links fail), but the manifest, which is
    written anew. Nothing is written through these links: an index that changes is written to a
    new directory, by a new Pagefind process."""
    skip = shutil.ignore_patterns(MANIFEST) if whole_site else None
    shutil.copytree(source, target, ignore=skip, copy_function=_link, dirs_exist_ok=True)


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


async def _index_shard(site: Path, shard: Shard, output: Path, limit: asyncio.Semaphore) -> Indexed:
    """Index ``shard`` by its own Pagefind process into ``output/<shard.path>``."""
    async with limit:
        pages = _input_dir(site, shard)
        bundle = output / shard.path
        await _run_pagefind(["--site", str(pages), "--output-path", str(bundle)], pages)
        shutil.rmtree(pages, ignore_errors=True)
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    languages = {key: int(value.get("page_count", 0)) for key, value in entry["languages"].items()}
    return Indexed(shard.name, shard.path, shard.digest, languages)


async def _run_pagefind(arguments: list[str], cwd: Path) -> None:
    """Run the Pagefind command to completion; it is stopped if the build is (an error in
    another shard, Ctrl-C)."""
    process = await _start_pagefind(arguments, cwd)
    try:
        output, _ = await process.communicate()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()
        raise
    if process.returncode == -signal.SIGINT:
        raise KeyboardInterrupt  # Ctrl-C reached Pagefind first: the build is interrupted
    if process.returncode != 0:
        raise SearchIndexError(f"Pagefind failed ({process.returncode}): {output.decode()[-2000:]}")


async def _start_pagefind(arguments: list[str], cwd: Path) -> asyncio.subprocess.Process:
    """Start Pagefind's command, which writes its bundle and exits (``pagefind_bin`` ships it).

    Not the Python API's service: it answers before its files are written, and closing it
    kills the process, so once in a few dozen runs a file of the index was left empty. Run
    in ``cwd`` (the shard's pages only) and without ``PAGEFIND_*`` variables, so that no
    configuration file or setting of the machine changes the index."""
    from pagefind_bin import get_executable

    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAGEFIND_")}
    return await asyncio.create_subprocess_exec(
        str(get_executable()),
        *arguments,
        "--silent",
        cwd=cwd,
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


def _input_dir(site: Path, shard: Shard) -> Path:
    """A directory holding the shard's pages at their site paths: links to the staged files,
    or a new file where a page is handed to Pagefind in its article's language."""
    root = site / INPUT_DIR / shard.name
    for page in shard.pages:
        target = root / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if page.language:
            html = (site / page.path).read_text(encoding="utf-8")
            target.write_text(_with_language(html, page.language), encoding="utf-8")
        else:
            _link(str(site / page.path), str(target))
    return root


def _with_language(html: str, language: str) -> str:
    """The page with its ``<html>`` tag declaring ``language`` (for the indexer only)."""
    tag = _HTML_TAG.search(html)
    if tag is None:
        return html
    new = re.sub(r'\slang="[^"]*"', "", tag.group()).replace("<html", f'<html lang="{language}"', 1)
    return html[: tag.start()] + new + html[tag.end() :]


def _base(language: str) -> str:
    return language.split("-")[0].lower()


def _indexer() -> str:
    """The indexer's name and version: a kept shard must have been made by the same one."""
    try:
        return f"pagefind {metadata.version('pagefind_bin')}"
    except metadata.PackageNotFoundError:
        return "pagefind"
