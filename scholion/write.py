"""Stage 6, write: build the new site beside the old one, then swap it in atomically.

The new site is written to a fresh staging directory next to the output. Only when every page,
asset and the search index are in place is it exchanged with the old output in one
``renameat2(RENAME_EXCHANGE)`` call (Linux), or two renames elsewhere. A failure or interruption
at any earlier moment leaves the previous site untouched; leftover staging directories are
removed by the next build.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .diagnostics import OutputError
from .render import OutputFile

STAGING_PREFIX = ".staging-"
RETIRED_PREFIX = ".retired-"


def staging_dir(output: Path) -> Path:
    """A new empty directory beside ``output`` (same file system, so the swap is a rename)."""
    output.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(output)
    return Path(tempfile.mkdtemp(prefix=f"{output.name}{STAGING_PREFIX}", dir=output.parent))


def write_files(root: Path, files: Iterable[OutputFile]) -> None:
    """Write each file under ``root``; a path that would leave ``root`` is refused."""
    for file in files:
        target = safe_join(root, file.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(file.content)


def copy_tree(source: Path, root: Path, prefix: str) -> None:
    """Copy a static asset directory into the site (sorted, so builds are reproducible)."""
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            target = safe_join(root, f"{prefix}/{path.relative_to(source).as_posix()}")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def safe_join(root: Path, relative: str) -> Path:
    """``root / relative``, refusing absolute paths, ``..`` and anything resolving outside."""
    pure = PurePosixPath(relative)
    if pure.is_absolute() or ".." in pure.parts or "\\" in relative or not pure.parts:
        raise OutputError(f"refusing to write outside the site: {relative!r}")
    target = root.joinpath(*pure.parts)
    if not target.resolve().is_relative_to(root.resolve()):
        raise OutputError(f"refusing to write outside the site: {relative!r}")
    return target


def publish(staging: Path, output: Path) -> None:
    """Make ``staging`` the site at ``output``; the old site is removed afterwards."""
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} exists and is not a directory")
    if output.exists() and _exchange(staging, output):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
        return
    retired = output.with_name(f"{output.name}{RETIRED_PREFIX}{os.getpid()}")
    if output.exists():
        os.rename(output, retired)
    os.rename(staging, output)
    shutil.rmtree(retired, ignore_errors=True)


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
