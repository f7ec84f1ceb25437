"""The browser suite's fixtures: the demo site built once, one server, one Chromium.

Package-scoped rather than session-scoped: Playwright's synchronous API keeps an event loop
running while it is started, and other tests build sites with Pagefind, which needs
``asyncio.run``; so the browser starts after the build and stops when this package is done.
A machine without a browser fails here with instructions; it never skips.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from tests.browser.harness import LAUNCH_ARGS, Server, browser_or_fail, build_demo, serve


@pytest.fixture(scope="package")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus built for https://example.org/corpus/, with its search index."""
    return build_demo(tmp_path_factory.mktemp("demo") / "_site")


@pytest.fixture(scope="package")
def server(demo_site: Path) -> Iterator[Server]:
    with serve(demo_site) as running:
        yield running


@pytest.fixture(scope="package")
def browser(demo_site: Path) -> Iterator[Browser]:
    """One Chromium for the whole package (the site is built first: see the module docstring)."""
    playwright = sync_playwright().start()
    try:
        executable = browser_or_fail(playwright.chromium.executable_path)
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        yield launched
        launched.close()
    finally:
        playwright.stop()


@dataclass
class Recorder:
    """Everything a page did that a reader would not want: console errors, uncaught exceptions,
    failed or refused requests, and requests to any host other than the site's."""

    origin: str
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    missing: set[str] = field(default_factory=set)  # URLs a test visits to get a 404

    def watch(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("request", self._request)
        page.on("requestfailed", self._failed)
        page.on("response", self._response)
        return page

    def _console(self, message) -> None:
        where = message.location.get("url")
        if message.type == "error" and where not in self.missing:
            self.problems.append(f"console: {message.text} ({where})")

    def _request(self, request) -> None:
        self.requests.append(request.url)
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https") and f"{parts.scheme}://{parts.netloc}" != self.origin:
            self.problems.append(f"outside request: {request.url}")

    def _failed(self, request) -> None:
        # Leaving a page aborts what it still loads (its icon, say): not the page's fault.
        if request.failure != "net::ERR_ABORTED":
            self.problems.append(f"failed: {request.url} {request.failure}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.url not in self.missing:
            self.problems.append(f"HTTP {response.status}: {response.url}")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh browser context (no shared history or storage) at a wide-screen size."""
    made = browser.new_context(viewport={"width": 1280, "height": 900})
    yield made
    made.close()


@pytest.fixture
def recorder(server: Server) -> Recorder:
    return Recorder(server.origin)


@pytest.fixture
def page(context: BrowserContext, recorder: Recorder) -> Iterator[Page]:
    """A page whose console errors and requests are recorded; a test that uses it fails on any
    console error, uncaught exception, failed request or request to another host."""
    yield recorder.watch(context.new_page())
    assert recorder.problems == [], "the page misbehaved"


@pytest.fixture
def narrow(browser: Browser, recorder: Recorder) -> Iterator[Page]:
    """Like ``page``, on a phone's screen (390 by 844 px)."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield recorder.watch(context.new_page())
    context.close()
    assert recorder.problems == []
