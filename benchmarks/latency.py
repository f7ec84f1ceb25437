"""Save to reload in ``build.py serve``: the time from writing a file to the moment a served
page is told to reload (the Server-Sent Event that ``serve``'s script in each page listens for).

That is the figure the "under 300 ms in serve" target is about: it includes the file watcher's
debounce (50 ms), applying the edit to the live site and the event, and leaves out only the
browser fetching the page again (whose rendering, for a page the edit made stale, happens on
that request). The server runs as its own process, as a contributor runs it; the page is then
fetched over HTTP to check that the edit is on it.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

SERVING = "serving http://"
WATCHING = "watching for changes"
EVENT_TIMEOUT = 600.0
"""Seconds to wait for the rebuild's event before giving up with an error."""


@dataclass(frozen=True)
class Edit:
    """A file changed while ``serve`` runs; ``page`` (site-relative) must then contain
    ``expected``."""

    path: Path
    change: Callable[[str], str]
    page: str
    expected: str


def serve_latency(
    command: Sequence[str], edits: Sequence[Edit], timeout: float = 1800
) -> list[dict[str, float]]:
    """Start ``command`` (``build.py … serve``), wait for its first build, then make each of
    ``edits`` in turn (each undone before the next) and time from the save to the event that
    announces it; one server for all, as a contributor keeps one running. Every file is
    restored and the server stopped before returning."""
    started = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    originals = {edit.path: edit.path.read_bytes() for edit in edits}
    found = []
    try:
        url = _served_url(server, timeout)
        first_build = time.perf_counter() - started
        origin = "/".join(url.split("/", 3)[:3])  # the events are at the server's root
        events = _events(origin + "/__scholion/events")
        events.get(timeout=timeout)  # the first build's number, sent on connecting
        for edit in edits:
            original = originals[edit.path]
            saved = time.perf_counter()
            edit.path.write_text(edit.change(original.decode("utf-8")), encoding="utf-8")
            latency = time.perf_counter() - saved + _next(events)
            with urllib.request.urlopen(url.rstrip("/") + "/" + edit.page, timeout=60) as page:
                if edit.expected not in page.read().decode("utf-8"):
                    raise RuntimeError(f"{edit.page} does not show the edit after the rebuild")
            found.append({"first_build_s": round(first_build, 3), "latency_s": round(latency, 3)})
            edit.path.write_bytes(original)
            _next(events)  # undone: the next edit starts from the corpus as it was
    finally:
        server.send_signal(signal.SIGINT)  # serve stops cleanly on Ctrl-C
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        for path, original in originals.items():
            path.write_bytes(original)
    return found


def _next(events: queue.Queue[str]) -> float:
    """Seconds until ``serve`` announces its next update."""
    waited = time.perf_counter()
    try:
        events.get(timeout=EVENT_TIMEOUT)
    except queue.Empty:
        message = f"serve announced no update {EVENT_TIMEOUT:.0f} s after the save"
        raise RuntimeError(message) from None
    return time.perf_counter() - waited


def _served_url(server: subprocess.Popen[str], timeout: float) -> str:
    """The URL ``serve`` prints once its first build is done ("serving http://127.0.0.1:…"),
    returned once it also says its file watcher is running (a file saved before that would go
    unnoticed)."""
    assert server.stdout is not None
    deadline = time.monotonic() + timeout
    seen, url = [], ""
    for line in server.stdout:
        seen.append(line)
        if SERVING in line:
            url = "http://" + line.split(SERVING, 1)[1].split()[0]
        if url and WATCHING in line:
            threading.Thread(target=server.stdout.read, daemon=True).start()  # keep it drained
            return url
        if time.monotonic() > deadline:
            break
    raise RuntimeError("serve did not start:\n" + "".join(seen))


def _events(url: str) -> queue.Queue[str]:
    """The build numbers ``serve`` announces, as they come (read by a background thread)."""
    found: queue.Queue[str] = queue.Queue()
    stream = urllib.request.urlopen(url, timeout=3600)

    def read() -> None:
        for raw in stream:
            line = raw.decode("utf-8").strip()
            if line.startswith("data:"):
                found.put(line.removeprefix("data:").strip())

    threading.Thread(target=read, daemon=True).start()
    return found
