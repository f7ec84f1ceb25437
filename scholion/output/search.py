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
indexes only the others. A shard whose pages changed only where Pagefind does not look (inside
``data-pagefind-ignore``: an entity page's list of claims, an article's sidenotes) is kept too
(:func:`_same_index`): rewording a claim changes pages in four shards, and the index of one.

Pagefind reads each shard from a directory of hard links to its pages (``.pagefind-input/`` in
the staging directory), as its command reads a site. An incremental build keeps those
directories in the build cache between builds and brings them up to date (:func:`_input_dir`):
removing a tree of 3,000 folders took 10 s on this machine's disk, twice what Pagefind took to
index it, and a build made and removed one per shard it indexed. (Pagefind's Python API
was slower and unsafe here: its ``add_html_file`` waits 0.1 s for each page's answer, and its
service can be stopped before it has written its files: see :func:`_start_pagefind`.)
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from scholion.config import DEFAULT_SHARD_PAGES
from scholion.diagnostics import SiteError
from scholion.model import Stamp
from scholion.output.paths import remove
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
    memo: Path | None = None,
    inputs: Path | None = None,
    written: Mapping[str, Stamp] | None = None,
    files: Iterable[str] | None = None,
) -> SearchIndex:
    """Index every opted-in page under ``site`` into ``site/pagefind``.

    ``page_languages`` maps site-relative paths of pages whose main text is in another language
    than the interface (``language``) to that language. ``previous`` is the last published site,
    whose unchanged shards are kept (an incremental build); without it every shard is indexed.
    ``memo``: a file keeping the digest of each page for the next build (:class:`PageMemo`).
    ``inputs``: where the shards' input directories are kept for the next build (moved into
    ``site`` for this one and back); without it they are made here and removed.
    ``written``: the pages this build wrote, by path, stamped as they were written with
    :func:`page_digest` (:class:`scholion.output.write.Staged`): those are not read again.
    ``files``: every file of ``site``, when the build knows them (what it wrote and kept, the
    rest pruned): its pages are looked at without walking the site's 60,000 folders (1 s at
    10,000 articles); otherwise the site is walked."""
    pages = PageMemo(memo, written)
    _take(inputs, site / INPUT_DIR)
    try:
        listed = _html_files(str(site), "") if files is None else _html_of(str(site), files)
        found = asyncio.run(
            _index(site, language, dict(page_languages or {}), shard_pages, previous, pages, listed)
        )
        pages.save()
        return found
    except SearchIndexError:
        raise
    except Exception as exc:  # no binary, an unreadable bundle: say what happened
        raise SearchIndexError(f"Pagefind failed to index {site}: {exc}") from exc
    finally:
        if not _put_back(site / INPUT_DIR, inputs):
            shutil.rmtree(site / INPUT_DIR, ignore_errors=True)


def _take(kept: Path | None, root: Path) -> None:
    """Move the input directories an earlier build kept into the staged site (one rename;
    the file system must be the same for hard links anyway). Nothing in them is trusted
    (:func:`_input_dir` checks every entry). Whatever the staged site held there already (it
    never should) goes first, a link as a link: nothing below is ever reached through one."""
    with contextlib.suppress(OSError):
        remove(root)
    if kept is None or kept.is_symlink() or not kept.is_dir():
        return
    with contextlib.suppress(OSError):
        os.rename(kept, root)


def _put_back(root: Path, kept: Path | None) -> bool:
    """Move the input directories back to where the next build takes them; False if there is
    no such place or the move failed (they are then removed with the staged site's)."""
    if kept is None or not root.is_dir():
        return False
    try:
        kept.parent.mkdir(exist_ok=True)
        remove(kept)
        os.rename(root, kept)
    except OSError:
        return False
    return True


async def _index(
    site: Path,
    language: str,
    page_languages: dict[str, str],
    shard_pages: int,
    previous: Path | None,
    memo: PageMemo,
    html: Iterable[tuple[str, str]],
) -> SearchIndex:
    others = {path: lang for path, lang in page_languages.items() if _base(lang) != _base(language)}
    pages = _pages(html, others, memo)
    if not pages:
        raise SearchIndexError(NOTHING_INDEXED)
    shards = plan(pages, shard_pages)
    indexer = _indexer()
    output = site / SEARCH_DIR
    old = _read_previous(previous, indexer)
    done = _keep_unchanged(shards, old, site, previous, output)
    todo = [shard for shard in shards if shard.name not in done]
    _forget_other_shards(site / INPUT_DIR, {shard.name for shard in shards})
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


def _pages(
    html: Iterable[tuple[str, str]], languages: Mapping[str, str], memo: PageMemo
) -> list[IndexedPage]:
    """Every page in ``html`` (its path in the site, and on disk) that opts in to search, with a
    digest of its bytes; the opt-in looked for only around each mention of it: at 10,000
    articles (61,000 pages, 1.3 GB) a regular expression run over every page took 3.5 s. A page
    ``memo`` holds, still the same file, is not read again (reading and digesting every page
    was 6 s of a build after one edit), nor is one the build stamped as it wrote it. Only
    regular files are pages (a link is not followed)."""
    found = []
    for relative, path in html:
        try:
            status = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if not stat.S_ISREG(status.st_mode):
            continue
        identity = (status.st_ino, status.st_mtime_ns, status.st_size)
        digest = memo.digest(relative, identity)
        if digest is None:
            digest = page_digest(relative, _read(path)) or ""
            memo.keep(relative, identity, digest)
        if digest:
            found.append(IndexedPage(relative, languages.get(relative, ""), digest))
    return found


def _read(path: str) -> bytes:
    with open(path, "rb") as page:
        return page.read()


class PageMemo:
    """Each page's digest ("" for a page that does not opt in to search) by its path and its
    identity on disk (inode, modification time, size), from the last build: a page an
    incremental build kept is the very file the last build digested. Kept as JSON in a file
    of the build cache (untrusted: anything of another shape is not used); ``file=None`` keeps
    nothing. ``written``: the stamps of the pages this build wrote, which this process made
    and trusts as it trusts the files."""

    def __init__(self, file: Path | None, written: Mapping[str, Stamp] | None = None):
        self.file = file
        self._written = written or {}
        self._last: dict[str, list[Any]] = {}
        self._now: dict[str, list[Any]] = {}
        if file is not None:
            with contextlib.suppress(OSError, ValueError):
                found = json.loads(file.read_bytes())
                if isinstance(found, dict):
                    self._last = found

    def digest(self, path: str, identity: tuple[int, int, int]) -> str | None:
        """The digest of the page at ``path`` if it is still the file this build wrote there
        or the one the last build digested (and then kept for the next build too); else None."""
        stamp = self._written.get(path)
        if stamp is not None and stamp[:3] == identity:
            self._now[path] = list(stamp)
            return stamp.digest
        found = self._last.get(path)
        if (
            type(found) is list
            and len(found) == 4
            and found[:3] == list(identity)
            and isinstance(found[3], str)
        ):
            self._now[path] = found
            return found[3]
        return None

    def keep(self, path: str, identity: tuple[int, int, int], digest: str) -> None:
        self._now[path] = [*identity, digest]

    def save(self) -> None:
        """Write what this build saw, atomically; a memo that cannot be written is no error."""
        if self.file is None:
            return
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.file.parent, prefix=".pages.")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(json.dumps(self._now, separators=(",", ":")))  # dump(): in Python
            os.replace(temporary, self.file)


def page_digest(path: str, page: bytes) -> str | None:
    """What the search stage knows a file of the site by: for a page (``.html``), a digest of
    its bytes, or "" when it does not opt in to search; None for any other file."""
    if not path.endswith(".html"):
        return None
    return _digest(page) if _opts_in(page) else ""


def _digest(page: bytes) -> str:
    return hashlib.blake2b(page, digest_size=16).hexdigest()


def _html_files(folder: str, prefix: str) -> Iterator[tuple[str, str]]:
    """(site path, path on disk) of every ``.html`` file below ``folder``, but the search
    index's own folders at the top: walked with ``os.scandir`` and string paths (``rglob``
    took 3.4 s at 10,000 articles)."""
    with os.scandir(folder) as listing:
        entries = list(listing)  # in any order: the shards' plan sorts the pages
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if prefix or entry.name not in (SEARCH_DIR, INPUT_DIR):
                yield from _html_files(entry.path, f"{prefix}{entry.name}/")
        elif entry.name.endswith(".html"):
            yield prefix + entry.name, entry.path


def _html_of(site: str, files: Iterable[str]) -> Iterator[tuple[str, str]]:
    """What :func:`_html_files` finds in ``site``, from the list of its ``files`` (a path may
    be in it twice: a static file the theme and the project both have)."""
    pages = {p for p in files if p.endswith(".html")}
    for relative in pages:
        if relative.partition("/")[0] not in (SEARCH_DIR, INPUT_DIR):
            yield relative, os.path.join(site, relative)


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
    shards: tuple[Shard, ...],
    old: Mapping[str, Indexed],
    site: Path,
    previous: Path | None,
    output: Path,
) -> dict[str, Indexed]:
    """Link into ``output`` each shard of the ``previous`` site made from the same pages, or
    from pages that changed only where Pagefind does not look; returns those shards by name,
    each with the digest of its pages now. Whatever else ``output`` holds goes first."""
    if previous is None:
        _tidy(output, set())
        return {}
    before = previous / SEARCH_DIR
    kept = {}
    for shard in shards:
        was = old.get(shard.name)
        if was is None or was.path != shard.path:
            continue
        if was.digest != shard.digest and not _same_index(shard, was, site, previous):
            continue
        if (before / shard.path / "pagefind-entry.json").is_file():
            kept[shard.name] = dataclasses.replace(was, digest=shard.digest)
    paths = [shard.path for shard in shards if shard.name in kept]
    staged = [path for path in paths if _staged_as(path, output, before)]
    _tidy(output, {path.rstrip("/") for path in staged})
    for path in paths:
        if path not in staged:
            _link_tree(before / path, output / path, whole_site=not path)
    return kept


def _staged_as(path: str, output: Path, before: Path) -> bool:
    """Whether ``output`` already holds the previous site's shard at ``path`` (a folder of its
    own at the top): an incremental build's staging directory starts as links to every file of
    the previous site (:class:`scholion.output.write.Staging`) and pruning leaves
    ``pagefind/`` to this stage, so a shard kept is already in place; linking its files again
    (50,000 at 10,000 articles) after pruning had removed them took a second of every build.
    Its entry file, the very file of the previous site's shard, says so."""
    if not path or "/" in path.rstrip("/"):  # one shard, at the top: linked anew
        return False
    entry = "pagefind-entry.json"
    try:
        target = output / path
        return not target.is_symlink() and os.path.samefile(target / entry, before / path / entry)
    except OSError:
        return False


def _tidy(output: Path, staged: Set[str]) -> None:
    """Remove from ``output`` everything but the ``staged`` shards' folders (by name): the
    shards indexed again (Pagefind writes them anew), those no longer planned, the manifest
    and the scripts linked at the top (both written again)."""
    if output.is_symlink() or not output.is_dir():
        remove(output)
        return
    for entry in os.scandir(output):
        if entry.name not in staged:
            remove(Path(entry.path))


def _same_index(shard: Shard, was: Indexed, site: Path, previous: Path) -> bool:
    """Whether ``was``, the previous site's shard, was made from the pages of ``shard`` as the
    previous site has them (its digest, computed again from those files, says so), and each
    page that changed since differs only inside elements Pagefind ignores
    (:func:`searchable`). A page the staging directory shares with the previous site (a hard
    link, as every page an incremental build kept) is not read again."""
    digest = hashlib.blake2b(digest_size=16)
    changed = []
    for page in shard.pages:
        now, before = os.path.join(site, page.path), os.path.join(previous, page.path)
        try:
            if os.path.samefile(now, before):
                old_digest = page.digest
            else:
                with open(before, "rb") as file:
                    old_page = file.read()
                old_digest = _digest(old_page)
                if old_digest != page.digest:
                    changed.append((old_page, now))
        except OSError:
            return False  # a page new to this shard
        digest.update(f"{page.path}\0{page.language}\0{old_digest}\n".encode())
    if digest.hexdigest() != was.digest:
        return False
    for old_page, now in changed:
        with open(now, "rb") as file:
            if searchable(file.read()) != searchable(old_page):
                return False
    return True


_IGNORED = b"data-pagefind-ignore"
_BODY = b"data-pagefind-body"
_TAG = re.compile(rb"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(/?)>")
_TAG_NAME = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)")
_VOID = frozenset(b"area base br col embed hr img input link meta source track wbr".split())


def searchable(page: bytes) -> bytes:
    """``page`` without what Pagefind takes nothing from (:func:`ignored`): two pages with the
    same searchable bytes give Pagefind the same page."""
    pieces, kept = [], 0
    for start, end in ignored(page):
        pieces.append(page[kept:start])
        kept = end
    pieces.append(page[kept:])
    return b"".join(pieces)


def ignored(page: bytes) -> list[tuple[int, int]]:
    """Where ``page`` holds what Pagefind takes nothing from, in order: what lies between the
    ``<body>`` tag and the elements carrying ``data-pagefind-body`` (and after the last), when
    it is whole elements, and within those, each element carrying ``data-pagefind-ignore``;
    but never a part that holds
    another ``data-pagefind-`` attribute (a filter or a meta counts wherever it is), an image
    or a first-level heading (Pagefind may take its defaults from those).
    ``tests/test_search.py`` has Pagefind index pages with words added in each part. Pages are
    our templates' output, so an element's end is found by counting its name's opening and
    closing tags; a page or element whose end is not found is kept whole."""
    body = page.find(b"<body")
    opened = page.find(b">", body) + 1 if body != -1 else 0
    bodies = _elements(page, _BODY, opened) if opened else []
    if not bodies:
        return []
    found: list[tuple[int, int]] = []
    at = opened
    for start, end in [*bodies, (len(page), len(page))]:
        if at < start and not _holds_anything(page, at, start) and _only_elements(page, at, start):
            found.append((at, start))
        found += [
            (inner, outer)
            for inner, outer in _elements(page, _IGNORED, at=start, until=end)
            if not _holds_anything(page, inner, outer)
        ]
        at = end
    return found


def _elements(
    page: bytes, attribute: bytes, at: int, until: int | None = None
) -> list[tuple[int, int]]:
    """The outermost elements of ``page[at:until]`` whose start tag carries ``attribute``, as
    (start, end) of each; those whose end is not found are left out."""
    until = len(page) if until is None else until
    found: list[tuple[int, int]] = []
    mention = page.find(attribute, at, until)
    while mention != -1:
        start = page.rfind(b"<", at, mention)
        name = _TAG_NAME.match(page, start) if start != -1 else None
        end = -1
        if name is not None and page.find(b">", start, mention) == -1:  # in the tag, not text
            end = _element_end(page, start, name.group(1).lower())
        if end != -1 and end <= until:
            found.append((start, end))
            at = end
        mention = page.find(attribute, max(end, mention + 1), until)
    return found


def _only_elements(page: bytes, start: int, end: int) -> bool:
    """Whether ``page[start:end]`` is whole elements, ends of elements it is within and white
    space: Pagefind indexes text that follows an indexed element outside any other element
    (``<article data-pagefind-body>…</article> text``), not text within one."""
    depth, at = 0, start
    for tag in _TAG.finditer(page, start, end):
        if depth == 0 and page[at : tag.start()].strip():
            return False
        closing, name, self_closing = tag.group(1, 2, 3)
        if closing:
            depth = max(depth - 1, 0)  # at 0, the end of an element the indexed one is in
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
        at = tag.end()
    return depth == 0 and not page[at:end].strip()


def _holds_anything(page: bytes, start: int, end: int) -> bool:
    """Whether ``page[start:end]`` holds something Pagefind may read though it is outside the
    indexed text: a ``data-pagefind-`` attribute other than ignore, an image, an h1."""
    part = page[start:end]
    others = part.count(b"data-pagefind-") - part.count(_IGNORED) - part.count(_BODY)
    return others > 0 or b"<img" in part or b"<h1" in part


def _element_end(page: bytes, start: int, name: bytes) -> int:
    """Where the element whose start tag begins at ``start`` ends (past its end tag), or -1."""
    if name in _VOID:
        return -1
    depth = 0
    tags = re.compile(rb"<(/?)" + re.escape(name) + rb"[\s>/]", re.IGNORECASE)
    for tag in tags.finditer(page, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            close = page.find(b">", tag.start())
            return -1 if close == -1 else close + 1
    return -1


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
    or a file of its own where a page is handed to Pagefind in its article's language.

    One an earlier build kept is brought up to date instead of made anew: an entry stays only
    if it is one of the shard's pages and still the staged file (the same inode) or the same
    text, anything else goes (a page of another shard, an old version, a link, a file
    Pagefind would read as configuration), and only the folders of pages that left the shard
    are removed. Every entry is checked, none trusted: the build cache can come with a
    repository, and Pagefind indexes whatever it finds here."""
    root = site / INPUT_DIR / shard.name
    wanted = {page.path: page for page in shard.pages}
    folders = {path[: end + 1] for path in wanted for end in _slashes(path)}
    kept = _current_entries(str(root), "", wanted, folders, str(site)) if root.is_dir() else set()
    for page in shard.pages:
        if page.path in kept:
            continue
        target = root / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        if page.language:
            target.write_text(_in_language(site, page), encoding="utf-8")
        else:
            _link(str(site / page.path), str(target))
    return root


def _current_entries(
    folder: str, prefix: str, wanted: Mapping[str, IndexedPage], folders: set[str], site: str
) -> set[str]:
    """The pages under ``folder`` that are as the shard needs them; every other entry there is
    removed (a folder no page of the shard is in, whole)."""
    kept: set[str] = set()
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        path = prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            if path + "/" in folders:
                kept |= _current_entries(entry.path, path + "/", wanted, folders, site)
            else:
                shutil.rmtree(entry.path)
            continue
        page = wanted.get(path)
        if (
            page is not None
            and entry.is_file(follow_symlinks=False)
            and _is_current(entry, page, site)
        ):
            kept.add(path)
        else:
            os.unlink(entry.path)
    return kept


def _is_current(entry: os.DirEntry[str], page: IndexedPage, site: str) -> bool:
    """Whether the file at ``entry`` is what the shard's input holds for ``page``."""
    if not page.language:
        return entry.inode() == os.stat(os.path.join(site, page.path)).st_ino
    with open(entry.path, encoding="utf-8", errors="surrogateescape") as held:
        return held.read() == _in_language(Path(site), page)


def _in_language(site: Path, page: IndexedPage) -> str:
    html = (site / page.path).read_text(encoding="utf-8")
    return _with_language(html, page.language)


def _slashes(path: str) -> Iterator[int]:
    at = path.find("/")
    while at != -1:
        yield at
        at = path.find("/", at + 1)


def _forget_other_shards(root: Path, shards: set[str]) -> None:
    """Remove what the kept input directories hold besides a folder per shard of this plan."""
    if not root.is_dir():
        return
    with os.scandir(root) as listing:
        for entry in listing:
            if entry.is_dir(follow_symlinks=False) and entry.name in shards:
                continue
            remove(Path(entry.path))


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
