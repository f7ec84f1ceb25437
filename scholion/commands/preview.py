"""What ``serve`` holds between edits, shared by its watcher and its request threads: the state
of the latest build or edit (:class:`BuildState`), the pages edits changed since a build last
wrote ``_site/`` (:class:`Overlay`), and the build that follows edits in the background
(:class:`Background`)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scholion.diagnostics import ContentError, Diagnostic, SiteError
from scholion.model import OutputFile
from scholion.pipeline.live import LiveSite, Update

BACKGROUND_DELAY = 1.0
"""Seconds without an edit before the background build starts: typing does not start one per
keystroke, and the pages a contributor waits for are never behind a build."""

STALE = b""
"""An overlay entry for a page an edit concerns, rendered when it is first asked for."""


class Overlay:
    """Pages changed by edits since the last build wrote ``_site/``, served before the files on
    disk: rendered when first asked for (:data:`STALE` until then), or None for a page that no
    longer exists. Each is tagged with its edit's number, so a build that started after that
    edit can retire it."""

    def __init__(self, render: Callable[[str], bytes | None] = lambda _: None) -> None:
        self._render = render
        self._pages: dict[str, tuple[int, bytes | None]] = {}
        self._lock = threading.Lock()
        self.generation = 0

    def apply(self, update: Update) -> int:
        with self._lock:
            self.generation += 1
            for path in update.stale:
                self._pages[path] = (self.generation, STALE)
            for path in update.removed:
                self._pages[path] = (self.generation, None)
            return self.generation

    def fill(self, files: list[OutputFile]) -> None:
        """Pages rendered ahead of a request (by the background), for entries still stale."""
        with self._lock:
            for file in files:
                held = self._pages.get(file.path)
                if held is not None and held[1] is STALE:
                    self._pages[file.path] = (held[0], file.content)

    def get(self, path: str) -> tuple[bool, bytes | None]:
        """(whether the overlay has ``path``, its bytes or None for a page gone)."""
        with self._lock:
            held = self._pages.get(path)
        if held is None:
            return False, None
        if held[1] is STALE:
            body = self._render(path)
            with self._lock:
                if self._pages.get(path) == held:
                    self._pages[path] = (held[0], body)
            return True, body
        return True, held[1]

    def retire(self, through: int) -> None:
        """Forget the pages of edits up to ``through``: a build has written them to disk."""
        with self._lock:
            self._pages = {k: v for k, v in self._pages.items() if v[0] > through}

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


@dataclass
class BuildState:
    """The latest build's number and problems, shared by the watcher and request threads."""

    number: int = 0
    diagnostics: Sequence[Diagnostic] = ()
    failure: str = ""
    changed: threading.Condition = field(default_factory=threading.Condition)

    def record(self, diagnostics: Sequence[Diagnostic] = (), failure: str = "") -> None:
        with self.changed:
            self.number += 1
            self.diagnostics, self.failure = tuple(diagnostics), failure
            self.changed.notify_all()

    @property
    def broken(self) -> bool:
        return bool(self.failure)

    def wait_for_change(self, seen: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.number != seen, timeout=timeout)
            return self.number


def rebuild(build: Callable[[], object], state: BuildState, say: Callable[[str], None]) -> None:
    """Run one build and record its outcome; content errors are shown, never raised."""
    try:
        build()
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            say(diagnostic.format_text())
        say(f"build failed: {exc}; serving the last good build with the errors on top")
        state.record(exc.diagnostics, str(exc))
        return
    except SiteError as exc:
        say(f"build failed: {exc}")
        state.record((), str(exc))
        return
    say(f"build {state.number + 1} ready")
    state.record()


class Background:
    """Builds in a thread after the edits stop, one at a time, so that ``_site/``, the exports
    and the search index catch up with the deltas; a build's pages then retire from the
    overlay. A failed build is not reported here: the delta that caused it already was."""

    def __init__(
        self,
        build: Callable[[], object],
        overlay: Overlay,
        say: Callable[[str], None],
        live: LiveSite | None = None,
    ):
        self._build, self._overlay, self._say, self._live = build, overlay, say, live
        self._wanted = threading.Event()
        self._lock = threading.Lock()  # held while building: a foreground build waits for it
        self._stopping = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def request(self) -> None:
        self._wanted.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wanted.set()

    @property
    def lock(self) -> threading.Lock:
        return self._lock

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wanted.wait()
            while self._wanted.is_set() and not self._stopping.is_set():
                self._wanted.clear()  # another edit within the delay sets it again
                self._stopping.wait(BACKGROUND_DELAY)
            if self._stopping.is_set():
                return
            with self._lock:
                through = self._overlay.generation
                try:
                    if self._live is not None:  # pages not asked for yet, and what they read
                        self._overlay.fill(self._live.render_stale())
                    self._build()
                except SiteError:
                    continue
                self._overlay.retire(through)
                self._say("_site/, data and search index up to date")


def apply_edit(
    live: LiveSite,
    overlay: Overlay,
    state: BuildState,
    say: Callable[[str], None],
    changed: Collection[Path] | None = None,
) -> bool:
    """Apply what changed in the content (``changed``: the paths the watcher reported) to the
    live site; show the pages, or the errors."""
    try:
        update = live.update(changed)
    except ContentError as exc:
        for diagnostic in exc.diagnostics:
            say(diagnostic.format_text())
        say(f"{exc}; serving the last good pages with the errors on top")
        state.record(exc.diagnostics, str(exc))
        return False
    except SiteError as exc:
        say(f"update failed: {exc}")
        state.record((), str(exc))
        return False
    overlay.apply(update)
    state.record(update.diagnostics)
    say(f"update {state.number} ready: {len(update.stale)} pages to render")
    return True


def restart(live: LiveSite, overlay: Overlay, say: Callable[[str], None]) -> None:
    """After a build: the live site takes what each page read from it (every file it has
    already read is reused), and the overlay starts empty."""
    overlay.clear()
    try:
        overlay.apply(live.start())
    except SiteError as exc:  # the content has errors: the next edit starts it again
        say(f"live preview waits for a good build: {exc}")
