"""A headless Chromium for the security tests, and a local HTTP server for a built site.

Kept apart from tests/browser/ on purpose: the security suite needs only "open these pages and
tell me whether anything ran". Playwright drives the system's Chromium (Debian's package, which
.ci/run installs); a missing browser fails the test with how to get one, never skips it.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
HOW_TO_GET_ONE = (
    "the security browser test needs Chromium and found none: install it with "
    "`apt-get update && apt-get install -y chromium` (Debian, Ubuntu; .ci/run does this), "
    "or set SCHOLION_CHROMIUM to a Chrome or Chromium executable"
)


def chromium_path() -> str:
    """$SCHOLION_CHROMIUM, else the first Chromium or Chrome found; fails the test if none."""
    for candidate in (os.environ.get("SCHOLION_CHROMIUM", ""), *CANDIDATES):
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    pytest.fail(HOW_TO_GET_ONE)


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 -- the base class declares it as a plain dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (any free port); yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""
"""Runs before any page script: records what the Content-Security-Policy had to block."""


SETTLE = """() => new Promise((done) =>
  requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))))"""
"""Resolves once the page has rendered twice and its queued tasks (toggle, focus and error
handlers, module scripts) have run: no fixed delay."""


@contextmanager
def browser() -> Iterator[object]:
    """A Playwright Chromium browser (the sync API)."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def visit(context: object, url: str) -> dict[str, list[str]]:
    """Open ``url`` in a new page and report every dialog it opened (alert, confirm, prompt,
    beforeunload), every uncaught script error and everything the CSP blocked."""
    page = context.new_page()
    seen: dict[str, list[str]] = {"dialogs": [], "errors": [], "violations": []}

    def dialog(event: object) -> None:
        seen["dialogs"].append(f"{event.type}: {event.message}")
        event.dismiss()

    page.on("dialog", dialog)
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.add_init_script(WATCH)
    page.goto(url, wait_until="load")
    page.evaluate(SETTLE)
    seen["violations"] = page.evaluate("window.__violations")
    page.close()
    return seen
