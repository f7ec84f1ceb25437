"""A secret of this user on this machine, which seals what a build writes to ``.cache/``.

The build cache is a file anyone could have written (a pull request can add one with
``git add -f``), so HTML read back from it used to go through the sanitizer again on every
build: at 10,000 articles, 100,000 texts and 8 of the 38 CPU-seconds of a check with the cache
warm. A checksum keyed by a secret that lives outside the project tells an entry this
engine wrote, which holds only sanitizer output, from one forged or brought in: without
the secret nobody can compute it, and a cache that came with a repository, or was restored from
another machine, simply misses.

The secret is 32 random bytes in ``$XDG_CACHE_HOME/scholion/cache-key`` (by default
``~/.cache/scholion/cache-key``), made on first use, readable by its owner alone. A secret that
cannot be made or read as such (no home, a read-only one, a file another user could write) is
no secret: the cache is then unsealed, and what it holds is sanitized on every use as before.
Deleting the file costs one cold build, like deleting ``.cache/``.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

SIZE = 32
"""Bytes of the secret (BLAKE2b's largest key)."""

NAME = "cache-key"


def key_file() -> Path:
    """Where the secret lives: under ``$XDG_CACHE_HOME`` (or ``~/.cache``), never in a project."""
    base = os.environ.get("XDG_CACHE_HOME") or ""
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "scholion" / NAME


def secret() -> bytes | None:
    """This user's secret, made if there is none yet; None if it cannot be had safely."""
    try:
        path = key_file()
    except RuntimeError:  # no home directory to be found
        return None
    found = _read(path)
    if found is None and not path.exists():
        with contextlib.suppress(OSError):
            _make(path)
        found = _read(path)
    return found


def _read(path: Path) -> bytes | None:
    """The secret in ``path`` if it is one: a regular file of :data:`SIZE` bytes, this user's,
    that no other user can write (``O_NOFOLLOW``: a link planted in its place is not followed)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode) or status.st_uid != os.getuid():
            return None
        if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or status.st_size != SIZE:
            return None
        data = os.read(descriptor, SIZE + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)
    return data if len(data) == SIZE else None


def _make(path: Path) -> None:
    """Write a new secret beside ``path`` and link it into place, so that another build making
    one at the same moment finds either none or a whole one; the first link wins."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{NAME}.{os.getpid()}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        if os.write(descriptor, os.urandom(SIZE)) != SIZE:
            raise OSError("the secret was not written whole")
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass  # another build's secret came first: it is the one
    finally:
        os.unlink(draft)
