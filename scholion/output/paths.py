"""Removing what a build left in its own folders (the staging site, the spare, the search
inputs), never what a symbolic link there points at: those folders can hold links that came
with a repository or a tampered tree."""

from __future__ import annotations

import shutil
from pathlib import Path


def remove(path: Path) -> None:
    """Remove ``path``: a folder with all it holds, a file or a link as itself; nothing if it
    is not there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
