"""``build.py serve`` in a real process: pages served, rebuild on edit, error overlay, reload."""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "site"
SIDECAR = "content/articles/alpha.yaml"


class Preview:
    """A running ``serve`` process and a reader of its terminal output."""

    def __init__(self, root: Path):
        env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
        self.process = subprocess.Popen(
            [
                sys.executable,
                str(REPO / "build.py"),
                "--root",
                str(root),
                "serve",
                "--port",
                "0",
                "--no-search",
            ],
            stderr=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        address = self.wait_for(r"serving http://127\.0\.0\.1:(\d+)(/\S*) ")
        self.port, self.base = int(address.group(1)), address.group(2)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match:
        deadline = time.monotonic() + timeout
        seen = []
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            seen.append(line)
            if match := re.search(pattern, line):
                return match
        raise AssertionError(f"no line matching {pattern!r} in {seen}")

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")

    def events(self) -> Iterator[str]:
        """The build numbers the server announces to open pages."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/__scholion/events")
        response = connection.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"
        while line := response.fp.readline():
            if line.startswith(b"data: "):
                yield line[6:].decode().strip()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(timeout=20)


@pytest.fixture
def preview(tmp_path) -> Iterator[tuple[Preview, Path]]:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURE, root)
    server = Preview(root)
    yield server, root
    if server.process.poll() is None:
        server.process.kill()
        server.process.wait()


def edit(root: Path, old: str, new: str) -> None:
    path = root / SIDECAR
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_serve_rebuilds_on_edit_shows_errors_as_an_overlay_and_stops_cleanly(preview):
    server, root = preview
    assert server.base == "/corpus/"
    status, page = server.get("/corpus/claims/aircraft-landed/")
    assert status == 200
    assert "Two Russian military aircraft landed" in page
    assert '<script type="module" src="/__scholion/reload.js"></script>' in page
    assert server.get("/")[0] == 301
    builds = server.events()
    first = next(builds)

    edit(
        root,
        "statement: Two Russian military aircraft landed",
        "statement: Two Russian transport aircraft landed",
    )
    server.wait_for(r"update \d+ ready: \d+ pages to render")
    assert next(builds) != first
    assert (
        "Two Russian transport aircraft landed" in server.get("/corpus/claims/aircraft-landed/")[1]
    )
    # Served from memory at once; the build that follows in the background writes _site/.
    server.wait_for(r"_site/, data and search index up to date")
    on_disk = root / "_site" / "claims" / "aircraft-landed" / "index.html"
    assert "Two Russian transport aircraft landed" in on_disk.read_text(encoding="utf-8")
    assert "Two Russian transport aircraft landed" in (
        root / "_site" / "data" / "claims.csv"
    ).read_text(encoding="utf-8")

    edit(root, "rating: accurate", "rating: acurate")
    server.wait_for(r"alpha\.yaml:\d+:\d+: error: unknown rating 'acurate'")
    next(builds)
    status, overlay = server.get("/corpus/claims/aircraft-landed/")
    assert status == 500
    assert "The build failed" in overlay
    assert "unknown rating &#x27;acurate&#x27;" in overlay
    assert "did you mean &#x27;accurate&#x27;?" in overlay

    edit(root, "rating: acurate", "rating: accurate")
    server.wait_for(r"update \d+ ready")
    next(builds)
    status, page = server.get("/corpus/claims/aircraft-landed/")
    assert status == 200 and "The build failed" not in page

    assert server.stop() == 0
    server.wait_for(r"^stopped$")
