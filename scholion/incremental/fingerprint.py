"""A rebuild with nothing changed, recognised by a fingerprint of all a build reads, and skipped.

The fingerprint hashes the bytes of every input (``site_config.yaml``, ``content/``, the theme's
and the corpus's templates and static files), the engine's code and schemas, the build options,
and the Git commit (pages may show dates from history). After a build publishes, the fingerprint
and a digest of the output's listing (path, size, modification time of every file) are written
to ``.cache/last-build.json``. A build whose fingerprint matches, into an output that still
matches its listing, has nothing to do: it returns the previous build's warnings and page counts and
leaves the output alone. One changed byte anywhere, a file touched in the output, or a missing or
unreadable record means a full build. ``.cache/`` is safe to delete.

Hashing is what such a check costs (23,000 input files at N = 10,000), so each file's digest is
kept in ``.cache/input-hashes.json`` and reused while the file's size, modification and change
times and inode are as they were, as Git's index does (:class:`FileHashes`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import operator
import os
import tempfile
import time
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass
from functools import partial
from pathlib import Path
from typing import Any

from scholion import parallel
from scholion.diagnostics import Diagnostic, OutputError, Severity
from scholion.project import ENGINE, Project

RECORD = "last-build.json"


@dataclass(frozen=True)
class Previous:
    """What the last build reported, returned again when nothing has changed since."""

    diagnostics: tuple[Diagnostic, ...]
    pages: int
    indexed: int


def cache_dir(project: Project) -> Path:
    return project.root / ".cache"


def claim_cache_dir(project: Project) -> Path:
    """``.cache/``, once no symbolic link is left where the build will write: called before
    a build or check uses it. A repository can carry links (a pull request could add
    ``.cache`` pointing anywhere, or ``.cache/pages.sqlite3`` at a file that does not exist
    yet, which SQLite would create), and the build would then write outside the repository.
    The cache is only an optimisation and is safe to delete, so the links themselves are
    removed (never what they point at); one that cannot be is an error."""
    folder = cache_dir(project)
    try:
        if folder.is_symlink():
            folder.unlink()
        if folder.is_dir():
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        os.unlink(entry.path)
    except OSError as exc:
        raise OutputError(
            f"{folder} holds a symbolic link that could not be removed ({exc.strerror}): the "
            "build cache must be a plain folder; remove it (it is safe to delete)"
        ) from exc
    return folder


class FileHashes:
    """Each file's digest, kept from one build to the next and reused while the file's status
    (size, modification and change times, inode) is as it was when it was hashed.

    The change time cannot be set back by any tool (unlike the modification time, which
    ``touch -r`` or an archive extractor may restore), so a rewrite of the same size is noticed
    however it is done. A file changed within :data:`RACY_NS` of being hashed is not kept: its
    next change could fall on the same clock tick and leave its status unchanged (Git's "racily
    clean" entries). The record is untrusted and only ever saves work: any doubt about an entry
    means hashing the file."""

    RECORD = "input-hashes.json"
    FORMAT = 1
    RACY_NS = 2_000_000_000

    def __init__(self, known: dict[str, list[Any]] | None = None) -> None:
        self._known = known or {}
        self._used: dict[str, list[Any]] = {}
        self.read = 0
        """How many files were read and hashed (the others' digests were reused)."""

    @classmethod
    def recall(cls, project: Project) -> FileHashes:
        try:
            record = json.loads((cache_dir(project) / cls.RECORD).read_text(encoding="utf-8"))
            if record["format"] == cls.FORMAT and isinstance(record["files"], dict):
                return cls(record["files"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        return cls()

    def digest(self, path: Path | str) -> bytes:
        """The digest of the file at ``path``'s bytes."""
        name = str(path)
        status = os.stat(name, follow_symlinks=False)
        stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]
        entry = self._known.get(name)
        if isinstance(entry, list) and entry[:4] == stamp and isinstance(entry[4], str):
            with contextlib.suppress(ValueError):
                found = bytes.fromhex(entry[4])
                self._used[name] = entry
                return found
        with open(name, "rb") as file:
            found = hashlib.blake2b(file.read(), digest_size=20).digest()
        self.read += 1
        self._used[name] = [*stamp, found.hex()]
        return found

    def save(self, project: Project) -> None:
        """Keep the digests of the files hashed or reused since :meth:`recall` (a file no
        longer read is dropped), but those changed too recently to trust their status."""
        recent = time.time_ns() - self.RACY_NS
        files = {
            name: entry
            for name, entry in self._used.items()
            if entry[1] < recent and entry[2] < recent
        }
        if files != self._known:
            save_record(project, self.RECORD, {"format": self.FORMAT, "files": files})


def fingerprint(
    project: Project,
    inputs: Iterable[Path],
    options: Mapping[str, object],
    hashes: FileHashes | None = None,
) -> str:
    """A digest of everything a build with ``options`` reads: ``inputs`` (files or directories),
    the configuration and content, the engine and its schemas, and the Git commit."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest_files(digest, [project.config_file, project.content, *inputs], hashes)
    digest.update(_git_commit(project.root))
    return digest.hexdigest()


def digest_files(digest: Any, roots: Iterable[Path], hashes: FileHashes | None = None) -> None:
    """Add to ``digest`` the name and a digest of the bytes of every file of ``roots``, then of
    the engine: its code, theme and schemas (also :mod:`scholion.incremental.dependencies`'
    digest of what every page depends on). ``hashes``: digests known from the last build."""
    hashes = hashes or FileHashes()
    for number, root in enumerate([*roots, ENGINE]):
        start = len(str(root)) + 1
        for name in input_names(root):
            relative = name[start:].replace(os.sep, "/") if name != str(root) else "."
            digest.update(f"\0{number}\0{relative}\0".encode())
            digest.update(hashes.digest(name))


def unchanged(project: Project, print_: str) -> Previous | None:
    """The previous build's report if it had fingerprint ``print_`` and its output is intact."""
    try:
        record = json.loads((cache_dir(project) / RECORD).read_text(encoding="utf-8"))
        if record["fingerprint"] != print_ or record["output"] != str(project.output):
            return None
        if record["listing"] != listing_digest(project.output):
            return None
        return Previous(
            tuple(
                Diagnostic(path, line, col, Severity(severity), message, hint)
                for path, line, col, severity, message, hint in record["diagnostics"]
            ),
            int(record["pages"]),
            int(record["indexed"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def remember(project: Project, print_: str, previous: Previous, listing: str | None = None) -> None:
    """Record a published build; ``listing``: its output's :func:`listing_digest`, if known."""
    record = {
        "fingerprint": print_,
        "output": str(project.output),
        "pages": previous.pages,
        "indexed": previous.indexed,
        "diagnostics": [list(astuple(d)) for d in previous.diagnostics],
        "listing": listing or listing_digest(project.output),
    }
    save_record(project, RECORD, record)


def save_record(project: Project, name: str, record: object) -> None:
    """Write ``record`` as JSON to ``.cache/<name>``, atomically: a half-written record is never
    read back. A read-only repository keeps none (the next build does the work again)."""
    folder = cache_dir(project)
    try:
        folder.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(json.dumps(record))  # json.dump() encodes in Python, dumps() in C
        os.replace(temporary, folder / name)
    except OSError:
        pass


def listing_digest(output: Path) -> str:
    """A digest of every file of the output with its size and modification time, folder by
    folder (entries sorted by name, a folder's files before its subfolders): the record keeps
    this rather than the listing itself, which for 280,000 files was 19 MB of JSON to read back
    on every build. Read with ``os.scandir`` (a folder's kind without a ``stat``), one ``stat``
    per file, which at 320,000 files is most of the time: so each folder two levels down (a
    record's page and files) is digested on its own, those of the whole site on every core
    (:func:`scholion.parallel.ordered_map`), and the digests taken in listing order. Links to
    folders are listed as files, never followed."""
    return listing_of(listing_parts(str(output)))


Listing = tuple[bytes, list[tuple[str, bytes]]]
"""A listing in parts (:func:`listing_parts`): the top folder's own part (its files), then each
folder at the top with what its part of the digest is made of."""


def listing_parts(
    root: str | int, leave: Collection[str] = (), only: Collection[str] | None = None
) -> Listing:
    """The parts of :func:`listing_digest` for ``root``, the folders at the top named in
    ``leave`` left out (or all but those in ``only``): a build lists its staging directory but
    the search index's folders while the search stage runs, and those alone once published
    (the listing took 1.6 s at 10,000 articles after everything else).

    ``root`` may be a descriptor of the folder (its caller closes it). Each folder is read
    through a descriptor opened from ``root``'s, never by its path: a listing begun in a child
    goes on unchanged when the build renames the staging directory into place (it is waited
    for only when the record is written, after publishing)."""
    try:
        top = root if isinstance(root, int) else os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return b"", []
    try:
        own, tops = _folder(top, "", "")
        tops = [name for name in tops if name not in leave and (only is None or name in only)]
        below = [(*_folder(top, name, f"{name}/"), name) for name in tops]
        deeper = [(f"{name}/{sub}", f"{name}/{sub}/") for _, subs, name in below for sub in subs]
        found = parallel.ordered_map(partial(_folder_digest, top=top), deeper, chunk=256)
        subtrees = iter(found)
        parts = [
            (name, b"".join([part, *(next(subtrees) for _ in subs)])) for part, subs, name in below
        ]
    finally:
        if top != root:
            os.close(top)
    return own, parts


def listing_of(listing: Listing, *others: Listing) -> str:
    """The digest of the listing in ``listing``'s parts and those of the folders at the top in
    ``others`` (made of the same tree: :func:`listing_parts` with ``leave`` and ``only``), in
    the order of their names, as :func:`listing_digest` takes them."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(listing[0])
    tops = sorted([*listing[1], *(part for other in others for part in other[1])])
    for _, part in tops:
        digest.update(part)
    return digest.hexdigest()


_BY_NAME = operator.attrgetter("name")


_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
"""How a folder below a listing's top is opened: never through a link."""


def _folder(top: int, folder: str, prefix: str) -> tuple[bytes, list[str]]:
    """A folder's part of the listing (its path in the listing, then each file's name, size and
    modification time) and its subfolders' names, both in order of name; ``folder`` is its
    path from the descriptor ``top`` ("" for ``top`` itself), never followed through a link."""
    lines, folders = [prefix, "\n"], []
    opened = os.open(folder, _FOLDER, dir_fd=top) if folder else top
    try:
        with os.scandir(opened) as listing:
            entries = sorted(listing, key=_BY_NAME)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
            else:
                status = entry.stat(follow_symlinks=False)
                lines.append(f"{entry.name}\0{status.st_size}\0{status.st_mtime_ns}\n")
    finally:
        if opened != top:
            os.close(opened)
    return "".join(lines).encode("utf-8", "surrogateescape"), folders


def _folder_digest(item: tuple[str, str], top: int) -> bytes:
    """The digest of a folder's listing and everything below it, folder by folder."""
    digest = hashlib.blake2b(digest_size=20)
    waiting = [item]
    while waiting:
        folder, prefix = waiting.pop()
        own, folders = _folder(top, folder, prefix)
        digest.update(own)
        inside = f"{folder}/" if folder else ""
        waiting += [(f"{inside}{sub}", f"{prefix}{sub}/") for sub in reversed(folders)]
    return digest.digest()


def linking_inputs(project: Project, base_url: str | None) -> str:
    """A digest of what linking any article reads besides its own files, from their listing
    alone (no file is read): the configuration, the base URL it is built for, and the entities
    (each file's name, size and modification time). The build cache's linked articles are
    kept under a digest of the contents of the same inputs
    (:func:`scholion.link.stored.linking_context`), which only reading them all gives; this
    one tells, before anything is loaded, whether they may have changed since the cache was
    last saved (:meth:`scholion.incremental.file_cache.FileCache.linked_warmth`)."""
    digest = hashlib.blake2b(f"{base_url}\0".encode(), digest_size=20)
    with contextlib.suppress(OSError):
        status = project.config_file.stat()
        digest.update(f"{status.st_size}\0{status.st_mtime_ns}\0".encode())
    entities = project.content / "entities"
    with contextlib.suppress(OSError):
        top = os.open(entities, os.O_RDONLY | os.O_DIRECTORY)
        try:
            digest.update(_folder_digest(("", ""), top))
        finally:
            os.close(top)
    return digest.hexdigest()


def input_files(root: Path) -> list[Path]:
    """``root`` if it is a file, else the files under it, sorted (also the cache's engine key)."""
    return [Path(name) for name in input_names(root)]


def input_names(root: Path) -> list[str]:
    """:func:`input_files` as strings, in the same order (a path's parts compared in turn, as
    ``Path`` compares): sorting 23,000 ``Path`` objects took a second of each build."""
    if root.is_file():
        return [str(root)]
    if not root.is_dir():
        return []
    # Not through symbolic links: one in content/ could name /proc/kcore or any huge file, and
    # load refuses links anyway, so a corpus with one never gets a fingerprint remembered. As
    # pathlib's rglob did, a folder that cannot be read is left out.
    entries = _entries(str(root), skip="__pycache__", unreadable_ok=True)
    names = [entry.path for _, entry in entries if entry.is_file(follow_symlinks=False)]
    return sorted(names, key=_parts)


def _parts(name: str) -> list[str]:
    return name.split(os.sep)


def _entries(
    folder: str, prefix: str = "", *, skip: str = "", unreadable_ok: bool = False
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Every entry under ``folder`` but folders (and ``skip``-named ones' contents), with its
    path relative to ``folder``; links to folders are entries, never followed."""
    try:
        entries = list(os.scandir(folder))
    except PermissionError:
        if unreadable_ok:
            return
        raise
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if entry.name != skip:
                yield from _entries(
                    entry.path, f"{prefix}{entry.name}/", skip=skip, unreadable_ok=unreadable_ok
                )
        else:
            yield prefix + entry.name, entry


def _git_commit(root: Path) -> bytes:
    """The checked-out commit, read from ``.git`` (no subprocess): HEAD and the ref it names."""
    git = root / ".git"
    try:
        head = (git / "HEAD").read_bytes()
    except OSError:
        return b""
    if not head.startswith(b"ref: "):
        return head
    ref = head[5:].strip().decode()
    try:
        return head + (git / ref).read_bytes()
    except OSError:
        packed = git / "packed-refs"
        return head + (packed.read_bytes() if packed.is_file() else b"")
