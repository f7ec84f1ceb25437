"""``python -m tests.security.killable_build MOMENT READY build.py-arguments…``

Runs ``build.py`` in this process, but stops at MOMENT: it does the real work up to that point,
creates the file READY, and waits to be killed (SIGKILL) or interrupted (SIGINT, as Ctrl-C
sends it). test_nothing_lost.py then checks what a reader would find. The engine has no test
hooks: the moments are made here by wrapping its functions.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scholion import cli
from scholion.output import search, write


def _wait_here(ready: Path) -> None:
    ready.write_text("ready")
    while True:  # until the test sends its signal
        time.sleep(0.05)


def _after(function: Callable, ready: Path, *, calls: int = 1) -> Callable:
    """``function``, which stops the process after its ``calls``-th call returns."""
    count = 0

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        nonlocal count
        result = function(*args, **kwargs)
        count += 1
        if count == calls:
            _wait_here(ready)
        return result

    return wrapped


def _half_written(ready: Path) -> Callable:
    """The writer's ``_new_file`` that, on its 5th page of the site, writes half the bytes where
    the engine asked and stops: a page half written, the way the engine writes pages."""
    real = write._new_file
    count = 0

    def new_file(target: Path, content: bytes) -> os.stat_result:
        nonlocal count
        if target.suffix == ".html":
            count += 1
        if count < 5 or target.suffix != ".html":
            return real(target, content)
        real(target, content[: len(content) // 2])
        _wait_here(ready)
        raise AssertionError("stopped here")

    return new_file


class _OsStoppingAfterFirstRename:
    """``os`` as write.py sees it, with a rename that stops the process after the first call."""

    def __init__(self, ready: Path):
        self.rename = _after(os.rename, ready)

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)


def _stop_at(moment: str, ready: Path) -> None:
    if moment == "writing":
        write._new_file = _half_written(ready)
    elif moment == "copying-static":
        write.copy_tree = _after(write.copy_tree, ready)
    elif moment == "indexing":
        real = search._start_pagefind

        async def start_pagefind(*args: Any, **kwargs: Any) -> Any:
            process = await real(*args, **kwargs)
            ready.write_text("ready")  # Pagefind is indexing, its bundle half written
            try:
                while True:  # yield to the event loop, which handles SIGINT by cancelling
                    await asyncio.sleep(0.05)
            finally:  # as the engine does when a build is stopped: Pagefind is stopped too
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()

        search._start_pagefind = start_pagefind
    elif moment == "indexed":
        search.build_search_index = _after(search.build_search_index, ready)
    elif moment == "swapped":
        write._exchange = _after(write._exchange, ready)
    elif moment == "between-renames":
        write._exchange = lambda a, b: False  # as on systems without renameat2
        write.os = _OsStoppingAfterFirstRename(ready)
    else:
        raise SystemExit(f"unknown moment {moment!r}")


if __name__ == "__main__":
    _stop_at(sys.argv[1], Path(sys.argv[2]))
    sys.exit(cli.main(sys.argv[3:]))
