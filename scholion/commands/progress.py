"""What a build shows while it runs: a live progress line on a terminal, plain lines in CI.

On a terminal (stderr is a TTY) the stage name and the count of files so far update in place
(rich's progress display), and each finished stage stays as one line. Anywhere else — CI logs,
pipes, files — only the one-line stage summaries are printed, so logs stay readable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Display:
    """The callbacks the pipeline takes: ``say`` for stage summaries, ``progress`` for counts."""

    say: Callable[[str], None]
    progress: Callable[[str, int], None]


def _plain(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


@contextmanager
def display(quiet: bool, terminal: bool | None = None) -> Iterator[Display]:
    """A display for one command; ``terminal`` defaults to whether stderr is a TTY."""
    if quiet:
        yield Display(lambda _: None, lambda _stage, _done: None)
        return
    if not (sys.stderr.isatty() if terminal is None else terminal):
        yield Display(_plain, lambda _stage, _done: None)
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, force_terminal=True)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed} files"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=None)
            bar.update(tasks[stage], completed=done)

        # No markup or highlighting: a title like "[draft]" must print as written.
        yield Display(lambda line: console.print(line, markup=False, highlight=False), progress)
