"""Stage 6, write: build the new site beside the old one, then swap it in atomically.

The new site is written to a fresh staging directory next to the output. Only when every page,
asset and the search index are in place is it exchanged with the old output in one
``renameat2(RENAME_EXCHANGE)`` call (Linux), or two renames elsewhere. A failure or interruption
at any earlier moment leaves the previous site untouched; leftover staging directories are
removed by the next build.

An incremental build keeps the site it replaced beside the output as the *spare*
(``_site.spare``), and the next one starts from it, brought up to date with the published site
(:func:`_mirror`), instead of making a new tree of links and deleting the old one: at 10,000
articles (320,000 files in 62,000 folders) those took 17 and 14 to 19 s of every build.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path, PurePosixPath

from scholion import parallel
from scholion.diagnostics import OutputError
from scholion.load.ids import is_reserved_name
from scholion.model import OutputFile, Stamp
from scholion.output.paths import remove

STAGING_PREFIX = ".staging-"
RETIRED_PREFIX = ".retired-"
SPARE_SUFFIX = ".spare"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_output(output: Path, sources: Iterable[Path]) -> None:
    """Refuse an output the build would destroy or that holds what the build reads.

    Publishing replaces the whole output directory, so it must not be (or contain) the
    repository, ``content/``, the templates or the configuration, nor lie inside them; and a
    non-empty directory that is not a previous build is someone's files, not a site to replace.
    """
    out = output.resolve()
    for source in sources:
        path = source.resolve()
        if path.is_relative_to(out):
            raise OutputError(f"refusing to build into {output}: publishing would replace {path}")
        if out.is_relative_to(path):
            raise OutputError(f"refusing to build into {output}: it is inside {path}")
    if out.is_dir() and any(out.iterdir()) and not _is_a_site(out):
        raise OutputError(
            f"refusing to replace {output}: it is not empty and is not a site Scholion built "
            "(no index.html and sitemap.xml); remove it or choose another --output"
        )


def _is_a_site(path: Path) -> bool:
    return (path / "index.html").is_file() and (path / "sitemap.xml").is_file()


def staging_dir(output: Path, reuse: bool = False) -> Path:
    """A new directory beside ``output`` (same file system, so the swap is a rename), ready:
    :class:`Staging`."""
    return Staging(output, reuse).ready()


class Staging:
    """A build's staging directory, beside ``output`` (same file system, so the swap is a
    rename).

    With ``reuse`` it starts as the previous site: its files as hard links to the published
    ones (no bytes copied), so files that come out the same are not written again and keep their
    modification time. A file that changes is replaced by a new one, never written through its
    link, so the previous site stays exactly as it was until the swap. The spare tree, if an
    earlier build left one, is used and brought up to date, in a child process while the build
    checks its content (walking the 320,000 files of 10,000 articles takes 2 s, waiting on the
    file system, while reading back the kept state keeps one core busy); else the links are
    made anew, in such a child too.

    Whatever the staging directory starts with, the site comes out the same: a kept page or
    export counts only while its staged file is the very file published
    (:mod:`scholion.incremental.dependencies`), every other file is written or compared, and
    :func:`prune` removes the rest."""

    def __init__(self, output: Path, reuse: bool = False) -> None:
        self.output = output
        self._reuse = reuse
        self._path: Path | None = None
        self._from_spare = False
        """Whether the directory was the spare (it goes back to being one if the build fails)."""
        self._mirror: parallel.Beside | None = None
        self.tree: Tree | None = None
        """What the directory holds once :meth:`ready`, when the mirror's child says (else
        None: it is walked where that matters)."""
        if reuse and output.is_dir() and not output.is_symlink():
            self._path = self._made()
            self._from_spare = _took_spare(spare_dir(output), self._path)
            # Without a spare (the first incremental build after a cold one), into the empty
            # directory: linking the 320,000 files of 10,000 articles anew took 8 s in the
            # build's own process.
            mirror = partial(_mirror_site, str(output), str(self._path), alone=True)
            self._mirror = parallel.Beside(mirror)

    def _made(self) -> Path:
        self.output.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.output)
        prefix = f"{self.output.name}{STAGING_PREFIX}"
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.output.parent))

    @property
    def path(self) -> Path:
        """The directory, whose contents :meth:`ready` waits for: a build reads the record of
        what its files were meanwhile (0.9 s at 10,000 articles)."""
        if self._path is None:
            self._path = self._made()
        return self._path

    def ready(self) -> Path:
        """The directory, once the spare is brought up to date (or the links made anew)."""
        path = self.path
        relink = self._mirror is None  # no child is making it (nothing to reuse, or no fork)
        if self._mirror is not None and not self._mirror.wait():
            shutil.rmtree(path, ignore_errors=True)  # the file system refused: anew
            path.mkdir(exist_ok=True)
            relink = True
        elif self._mirror is not None:
            found = self._mirror.result()
            self.tree = found if isinstance(found, Tree) and found.whole else None
        self._mirror = None
        output = self.output
        if relink and self._reuse and output.is_dir() and not output.is_symlink():
            _link_tree(output, path)
        path.chmod(0o755)  # mkdtemp makes it private; a published site must be readable
        return path

    def abandon(self) -> None:
        """The build failed: the directory goes back to being the spare when it was one (a
        spare may hold anything: the next build checks every file it keeps), else it goes."""
        if self._mirror is not None:
            self._mirror.stop()
            self._mirror = None
        if self._path is None:
            return
        spare = spare_dir(self.output)
        if self._from_spare and not os.path.lexists(spare):
            with contextlib.suppress(OSError):
                os.rename(self._path, spare)
                return
        discard(self._path)


def _took_spare(spare: Path, staging: Path) -> bool:
    """Whether the spare is now ``staging`` (renamed over the empty directory ``mkdtemp``
    made); False if there is none or the file system refused."""
    if not spare.is_dir() or spare.is_symlink():
        return False
    try:
        os.rename(spare, staging)
    except OSError:
        return False
    return True


def spare_dir(output: Path) -> Path:
    """Where an incremental build keeps the site it replaced, for the next build to start
    from."""
    return output.with_name(f"{output.name}{SPARE_SUFFIX}")


@dataclass
class Tree:
    """What a staging directory holds once :func:`_mirror_site` made it the published site's
    mirror: its files and its empty folders, by path in the site; ``whole`` is False when a
    link failed (the tree is then not all there). :func:`prune` takes what to remove from it
    rather than walking the directory (1.1 s of each edit build at 10,000 articles)."""

    files: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    whole: bool = True

    def add(self, other: Tree) -> None:
        self.files += other.files
        self.empty += other.empty
        self.whole = self.whole and other.whole


def _link_tree(source: Path, target: Path, tree: Tree | None = None, prefix: str = "") -> None:
    """Hard-link every file of ``source`` into ``target``, the search index's too (the index
    stage keeps the shards it finds in place: pruning leaves them to it); stops quietly where
    the file system has no hard links (the files are then written in full). What it makes goes
    to ``tree``, ``target`` being at ``prefix`` in the site."""
    for folder, folders, names in os.walk(source):
        relative = os.path.relpath(folder, source)
        os.makedirs(os.path.join(target, relative), exist_ok=True)
        at = prefix if relative == "." else f"{prefix}{relative}/"
        if tree is not None and at and not folders and not names:
            tree.empty.append(at)
        for name in names:
            try:
                os.link(os.path.join(folder, name), os.path.join(target, relative, name))
            except OSError:
                if tree is not None:
                    tree.whole = False
                return
            if tree is not None:
                tree.files.append(at + name)


def _mirror(
    source: str,
    target: str,
    tree: Tree,
    *,
    top: bool = False,
    below: list[tuple[str, str, str]] | None = None,
    prefix: str = "",
) -> None:
    """Make the tree ``target`` hold what :func:`_link_tree` would have made of ``source``:
    the same names, every file a hard link to ``source``'s. Only what differs is touched: a
    file is linked again when its inode is not ``source``'s (the folders' listings give the
    inodes, without a ``stat`` per file), anything ``source`` lacks is removed, and a folder
    only ``source`` has is linked whole. What ``target`` then holds goes to ``tree``, ``target``
    being at ``prefix`` in the site.

    With ``below``, the folders two levels down (a record's page and files, ``claims/<id>/``)
    are not mirrored here but added to it, as (source, target, prefix) triples, for every core
    to mirror: at 10,000 articles, 62,000 folders took 2 s in one process."""
    with os.scandir(source) as listing:
        wanted = {entry.name: entry for entry in listing}
    with os.scandir(target) as listing:
        present = list(listing)
    if prefix and not wanted:
        tree.empty.append(prefix)
    for entry in present:
        want = wanted.get(entry.name)
        kind = _kind(entry)
        if want is None or kind != _kind(want) or kind == "other":
            remove(Path(entry.path))
            continue
        del wanted[entry.name]
        inside = f"{prefix}{entry.name}/"
        if kind == "folder" and below is not None and not top:
            below.append((want.path, entry.path, inside))
        elif kind == "folder":
            _mirror(want.path, entry.path, tree, below=below if top else None, prefix=inside)
        else:
            if entry.inode() != want.inode():
                os.unlink(entry.path)
                os.link(want.path, entry.path)
            tree.files.append(prefix + entry.name)
    for name, want in wanted.items():
        path = os.path.join(target, name)
        if _kind(want) == "folder":
            os.mkdir(path)
            _link_tree(Path(want.path), Path(path), tree, f"{prefix}{name}/")
        elif _kind(want) == "file":
            os.link(want.path, path)
            tree.files.append(prefix + name)


def _mirror_site(source: str, target: str, *, alone: bool = False) -> Tree:
    """:func:`_mirror` of a whole site, the folders two levels down on every core, or in this
    process ``alone`` (beside a build that keeps the other core busy); what the site then
    holds."""
    tree = Tree()
    below: list[tuple[str, str, str]] = []
    _mirror(source, target, tree, top=True, below=below)
    parts = (
        map(_mirror_part, below) if alone else parallel.ordered_map(_mirror_part, below, chunk=256)
    )
    for part in parts:
        tree.add(part)
    return tree if len(tree.files) <= TREE_FILES else Tree(whole=False)


TREE_FILES = 1_000_000
"""Files beyond which the mirror's child does not hand back what the tree holds (it is walked
instead): 3 million paths, at 100,000 articles, would be some 300 MB in the build's process."""


def _mirror_part(folder: tuple[str, str, str]) -> Tree:
    tree = Tree()
    _mirror(folder[0], folder[1], tree, prefix=folder[2])
    return tree


def _kind(entry: os.DirEntry[str]) -> str:
    if entry.is_dir(follow_symlinks=False):
        return "folder"
    return "file" if entry.is_file(follow_symlinks=False) else "other"


def write_files(root: Path, files: Iterable[OutputFile]) -> list[str]:
    """Write each file under ``root`` (refusing paths that would leave it) unless the same bytes
    are already there; returns the paths, for :func:`prune`, including those of files without
    content, kept as the last build wrote them (already in ``root``: the staging directory)."""
    written = []
    inside: set[PurePosixPath] = set()
    for file in files:
        if file.content is not None:
            _put(root, file.path, file.content, inside)
        written.append(file.path)
    return written


class Staged:
    """Writes files into the staging directory ``root`` from the process that made them, and
    hands on each as written (no content: already in place, as a kept file is).

    The render and export workers write their own files: sending each page's bytes back to the
    parent to be written there made the parent, which also receives, tracks and lists every
    file, the busiest process of a build on two cores. Each process keeps its own set of the
    folders it made sure of (a forked worker starts from a copy).

    ``digest``, if given, is asked for a digest of each file as it is written (None: not
    wanted), and the file handed on carries it with the file's identity on disk
    (:class:`scholion.model.Stamp`): the search stage digests pages this way while they are
    still in memory, instead of reading every page of the site back (at 100,000 articles,
    4.5 minutes in one process)."""

    def __init__(self, root: Path, digest: Callable[[str, bytes], str | None] | None = None):
        self.root = root
        self.digest = digest
        self._inside: set[PurePosixPath] = set()

    def __call__(self, file: OutputFile) -> OutputFile:
        if file.content is None:
            return file
        status = _put(self.root, file.path, file.content, self._inside)
        digest = None if self.digest is None else self.digest(file.path, file.content)
        if digest is None:
            return OutputFile(file.path, None)
        stamp = Stamp(status.st_ino, status.st_mtime_ns, status.st_size, digest)
        return OutputFile(file.path, None, stamp)


def copy_tree(source: Path, root: Path, prefix: str) -> list[str]:
    """Copy a static asset directory into the site (sorted, so builds are reproducible);
    returns the paths written, for :func:`prune`."""
    if not source.is_dir():
        return []
    written = []
    inside: set[PurePosixPath] = set()
    for path in sorted(source.rglob("*")):
        if path.is_symlink():
            raise OutputError(f"refusing to copy {path}: static files must not be symbolic links")
        if path.is_file() and not path.name.startswith("."):
            relative = f"{prefix}/{path.relative_to(source).as_posix()}"
            _put(root, relative, path.read_bytes(), inside)
            written.append(relative)
    return written


def prune(
    root: Path, keep: Iterable[str], leave: Set[str] = frozenset(), tree: Tree | None = None
) -> int:
    """Delete every file under ``root`` not in ``keep`` (pages that no longer exist, carried
    over from the previous site), then empty directories; returns how many files went. The
    folders at the top named in ``leave`` are left to another stage (the search index's).
    With ``tree`` (what ``root`` held before this build wrote into it: :attr:`Staging.tree`),
    only its files not kept are looked at; otherwise ``root`` is walked, with ``os.scandir``
    and paths joined as strings (at 320,000 files, ``os.walk`` with a ``relpath`` per file took
    4 s of every rebuild, 1.3 to 1.7 s in one process), the folders two levels down
    (``claims/<id>/``) pruned on every core."""
    wanted = set(keep)
    if tree is not None:
        return _pruned_from(str(root), tree, wanted, leave)
    removed, tops = _unwanted_files(str(root), "", wanted)
    tops = [(top, prefix) for top, prefix in tops if prefix[:-1] not in leave]
    below = []
    for top, prefix in tops:
        count, folders = _unwanted_files(top, prefix, wanted)
        removed += count
        below += folders
    removed += sum(parallel.ordered_map(partial(_pruned_pair, wanted=wanted), below, chunk=256))
    for top, _ in tops:
        if not os.listdir(top):
            os.rmdir(top)
    return removed


def _pruned_from(root: str, tree: Tree, wanted: Set[str], leave: Set[str]) -> int:
    """:func:`prune` of the files ``tree`` lists: each one not ``wanted`` is removed, then
    every folder that leaves empty, and the empty folders ``tree`` lists, deepest first. A
    path this build made a folder of since is no file to remove."""
    removed, emptied = 0, set[str]()

    def empties(path: str) -> None:  # the folders above ``path``, which may be left empty
        folder = path.rstrip("/").rpartition("/")[0]
        while folder and f"{folder}/" not in emptied:
            emptied.add(f"{folder}/")
            folder = folder.rpartition("/")[0]

    for folder in tree.empty:
        emptied.add(folder)
        empties(folder)
    for path in tree.files:
        top, inside, _ = path.partition("/")
        if path in wanted or (inside and top in leave):
            continue
        try:
            os.unlink(os.path.join(root, path))
        except (FileNotFoundError, NotADirectoryError):
            continue  # a folder above it became a file: gone with it
        except (IsADirectoryError, PermissionError):
            if os.path.isdir(os.path.join(root, path)):
                continue
            raise
        removed += 1
        empties(path)
    for folder in sorted(emptied, key=lambda f: f.count("/"), reverse=True):
        if folder.partition("/")[0] in leave:
            continue
        with contextlib.suppress(OSError):  # not empty (or gone): kept
            os.rmdir(os.path.join(root, folder))
    return removed


def _unwanted_files(
    folder: str, prefix: str, wanted: Set[str]
) -> tuple[int, list[tuple[str, str]]]:
    """Delete the files of ``folder`` (``prefix``: its path in the site) not ``wanted``; how
    many went, and its folders with their paths in the site."""
    removed, folders = 0, []
    with os.scandir(folder) as listing:
        entries = list(listing)
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            folders.append((entry.path, f"{prefix}{entry.name}/"))
        elif prefix + entry.name not in wanted:
            os.unlink(entry.path)
            removed += 1
    return removed, folders


def _pruned_pair(folder: tuple[str, str], wanted: Set[str]) -> int:
    return _pruned(*folder, wanted)


def _pruned(folder: str, prefix: str, wanted: Set[str]) -> int:
    """:func:`prune` below ``folder`` (``prefix``: its path in the site); removes the folder
    too when nothing is left in it, but never the root (``prefix`` empty)."""
    removed, folders = _unwanted_files(folder, prefix, wanted)
    for path, below in folders:
        removed += _pruned(path, below, wanted)
    if prefix and not os.listdir(folder):
        os.rmdir(folder)
    return removed


def _put(root: Path, relative: str, content: bytes, inside: set[PurePosixPath]) -> os.stat_result:
    """Make ``root/relative`` hold ``content``: left alone if it already does, otherwise a new
    file (one carried over from the previous site is a hard link to it: never write into it).
    Returns the file's status as it now is.

    ``inside`` holds the folders this write already made sure of (real directories inside
    ``root``), so that a site of 50,000 files in a few thousand folders resolves and creates
    each folder once rather than once per file."""
    pure = _valid(relative)
    folder = pure.parent
    if folder not in inside:
        _make_folders(root, folder, inside)
    target = _joined(root, pure, inside)
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        found = None
    except NotADirectoryError:
        found = None  # a carried-over file where a folder now goes: handled below
    if found is not None and stat.S_ISREG(found.st_mode):
        if found.st_size == len(content) and target.read_bytes() == content:
            inside.add(folder)  # _joined has just made sure of it
            return found
        target.unlink()
    elif found is not None:
        remove(target)  # a directory (or link) where a file now goes
        gone = PurePosixPath(relative)
        inside.difference_update({f for f in inside if f == gone or gone in f.parents})
    if folder not in inside:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            for parent in reversed(PurePosixPath(relative).parents[:-1]):
                if not root.joinpath(*parent.parts).is_dir():
                    remove(root.joinpath(*parent.parts))  # a carried-over file in the way
            target.parent.mkdir(parents=True, exist_ok=True)
        inside.add(folder)
    return _new_file(target, content)


def _new_file(target: Path, content: bytes) -> os.stat_result:
    """Create ``target`` holding ``content`` and return its status. Exclusively (``O_EXCL``):
    :func:`_put` has removed what was there, and whatever appeared since, a link above all,
    is an error, never written through."""
    with open(target, "xb") as out:
        out.write(content)
        out.flush()  # the size and modification time are final once the bytes are written
        return os.fstat(out.fileno())


def _make_folders(root: Path, folder: PurePosixPath, inside: set[PurePosixPath]) -> None:
    """Create the folders of ``folder`` not yet in ``inside``, from the nearest one that is (or
    ``root``) down, adding each to ``inside``: a directory this process made, or one found
    there that is not a link, in a directory known to be inside ``root`` is inside ``root``
    too, so the file's path need not be resolved (for a page in a folder of its own, resolving
    was a dozen system calls, on every page). Stops at anything else in the way (a carried-over
    file, a link, an error), which :func:`_joined` and :func:`_put` then handle."""
    missing = []
    while folder.parts and folder not in inside:
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        path = os.path.join(root, *folder.parts)
        try:
            os.mkdir(path)
        except FileExistsError:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return
        except OSError:
            return
        inside.add(folder)


def _valid(relative: str) -> PurePosixPath:
    """``relative`` as a path, refusing absolute paths, ``..`` and names no site can use
    everywhere (control characters, Windows device names)."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or "\\" in relative or not pure.parts:
        raise OutputError(f"refusing to write outside the site: {relative!r}")
    if _CONTROL.search(relative) or any(is_reserved_name(part) for part in pure.parts):
        raise OutputError(f"refusing to write a file name Windows cannot hold: {relative!r}")
    return pure


def safe_join(root: Path, relative: str, inside: Set[PurePosixPath] = frozenset()) -> Path:
    """``root / relative``, refusing what :func:`_valid` refuses and anything resolving
    outside. A folder in ``inside`` is already known to be a real directory inside ``root``
    and is not resolved again (a link in the file's own place is replaced, never written
    through, by the writer)."""
    return _joined(root, _valid(relative), inside)


def _joined(root: Path, pure: PurePosixPath, inside: Set[PurePosixPath]) -> Path:
    target = root.joinpath(*pure.parts)
    if pure.parent in inside:
        return target
    if not target.resolve().is_relative_to(root.resolve()):
        raise OutputError(f"refusing to write outside the site: {str(pure)!r}")
    return target


def publish(staging: Path, output: Path, keep: bool = False) -> None:
    """Make ``staging`` the site at ``output``. The old site is removed afterwards, or with
    ``keep`` (an incremental build) kept as the spare, for the next build to start from: most
    of its files are links to the new site's, and it is brought up to date then."""
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} exists and is not a directory")
    spare = spare_dir(output)
    remove(spare)  # used by this build, or left by an earlier one that did not keep it
    if output.exists() and _exchange(staging, output):
        _retire(staging, spare if keep else None)  # staging now holds the old site
        return
    retired = output.with_name(f"{output.name}{RETIRED_PREFIX}{os.getpid()}")
    if output.exists():
        os.rename(output, retired)
    os.rename(staging, output)
    if retired.exists():
        _retire(retired, spare if keep else None)


def _retire(old_site: Path, spare: Path | None) -> None:
    if spare is None:
        shutil.rmtree(old_site, ignore_errors=True)
    else:
        os.rename(old_site, spare)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)


def _remove_leftovers(output: Path) -> None:
    """Remove staging and retired directories of interrupted builds; restore a lost output."""
    pattern_staging = f"{output.name}{STAGING_PREFIX}*"
    retired = sorted(output.parent.glob(f"{output.name}{RETIRED_PREFIX}*"))
    if not output.exists() and retired:
        os.rename(retired[-1], output)  # interrupted between the two renames: put it back
        retired = retired[:-1]
    for path in [*output.parent.glob(pattern_staging), *retired]:
        shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
