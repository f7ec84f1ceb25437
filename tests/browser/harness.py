"""The demo site as readers meet it: built once, served over real HTTP, opened in Chromium.

Shared by the browser tests (``tests/browser/``) and ``make screenshots``. The site is built with
a sub-path ``base_url`` and served both under that sub-path (as GitHub Pages serves a project
site) and at ``/``, by a real HTTP server on 127.0.0.1 that answers unknown paths with
``404.html`` and status 404, as GitHub Pages does.
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from scholion.pipeline import build
from scholion.project import Project

REPO = Path(__file__).resolve().parents[2]
SUB_PATH = "/corpus/"
BASE_URL = "https://example.org" + SUB_PATH
"""The demo is built for this address, so canonical links and 404.html use the sub-path."""

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
NO_BROWSER = (
    "No Chromium or Chrome was found for the browser tests. Install one and run again: "
    "`apt-get install chromium` (Debian, Ubuntu), `.venv/bin/playwright install chromium` "
    "(any system), or point SCHOLION_CHROMIUM at a Chrome or Chromium executable."
)


def find_browser(bundled: str = "") -> str | None:
    """A Chrome or Chromium executable: $SCHOLION_CHROMIUM, one on PATH, or Playwright's own
    download (``bundled``, its path whether or not it was installed); None when there is none."""
    candidates = [os.environ.get("SCHOLION_CHROMIUM", "")]
    candidates += [shutil.which(name) or "" for name in BROWSER_NAMES]
    candidates.append(bundled)
    return next((c for c in candidates if c and os.access(c, os.X_OK)), None)


def browser_or_fail(bundled: str = "") -> str:
    """:func:`find_browser`, failing the test (never skipping it) with how to get a browser."""
    found = find_browser(bundled)
    if found is None:
        import pytest

        pytest.fail(NO_BROWSER, pytrace=False)
    return found


def build_demo(output: Path) -> Path:
    """Build the repository's demo corpus, with its search index, into ``output``."""
    build(Project.at(REPO, output), base_url=BASE_URL)
    return output


def html_pages(site: Path) -> list[str]:
    """Site-relative paths of every HTML page the build wrote (Pagefind's files excluded)."""
    return sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*.html")
        if not path.relative_to(site).as_posix().startswith("pagefind/")
    )


def page_url(path: str) -> str:
    """The site-relative URL a page is served at ("claims/x/" for "claims/x/index.html")."""
    return path.removesuffix("index.html")


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site at ``/`` and under :data:`SUB_PATH`; 404.html for anything missing."""

    extensions_map = {  # noqa: RUF012 -- the base class defines it as a plain dict
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".wasm": "application/wasm",
        ".pagefind": "application/octet-stream",
        ".pf_meta": "application/octet-stream",
        ".pf_fragment": "application/octet-stream",
        ".pf_index": "application/octet-stream",
        ".pf_filter": "application/octet-stream",
    }

    def translate_path(self, path: str) -> str:
        if path == SUB_PATH.rstrip("/") or path.startswith(SUB_PATH):
            path = "/" + path.removeprefix(SUB_PATH.rstrip("/")).lstrip("/")
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the tests record requests in the browser instead."""


@dataclass(frozen=True)
class Server:
    """A running server: ``origin`` is ``http://127.0.0.1:PORT``."""

    origin: str
    site: Path

    def url(self, path: str = "", prefix: str = SUB_PATH) -> str:
        """The full URL of a site-relative ``path``, under the sub-path unless ``prefix="/"``."""
        return self.origin + prefix + path


@contextmanager
def serve(site: Path) -> Iterator[Server]:
    """Serve ``site`` on a free port of 127.0.0.1 until the block ends."""
    handler = functools.partial(_Handler, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{httpd.server_address[1]}", site)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def page_kinds(site: Path) -> dict[str, str]:
    """One site-relative URL per kind of page (the first of each kind, by path), every article
    (the pages with the most going on), and the search page with a query typed in."""
    pages = [page_url(p) for p in html_pages(site)]

    def first(prefix: str) -> str:
        return next(u for u in pages if u.startswith(prefix) and u.count("/") == 2)

    kinds = {
        "home": "",
        "articles": "articles/",
        "articles-by-publisher": "articles/by-publisher/",
        "claims": "claims/",
        "entities": "entities/",
        "sources": "sources/",
        "notes": "notes/",
        "overview": "overview/",
        "map": "map/",
        "timeline": "timeline/",
        # The demo's pages with a locator map (a place) and a map of its places (an event).
        "place": "entities/caracas/",
        "event": "entities/russian-flights-to-caracas-march-2019/",
        "claim": first("claims/"),
        "entity": first("entities/"),
        "source": first("sources/"),
        "page": next(u for u in pages if u.count("/") == 1 and u.split("/")[0] not in _SECTIONS),
        "search": "search/?q=troops",
        "not-found": "no/such/page/",
    }
    # Relations, claim links and narratives, where the site has them (the demo does).
    optional = {
        "narratives": "narratives/",
        "narrative": next(
            (u for u in pages if u.startswith("narratives/") and u.count("/") == 2), ""
        ),
        "entity-with-relations": "entities/vasily-tonkoshkurov/",
        "claim-with-links": "claims/tonkoshkurov-head-of-ground-forces/",
    }
    kinds.update((name, url) for name, url in optional.items() if url in pages)
    for url in pages:
        if url.startswith("articles/") and url.count("/") == 2 and "by-publisher" not in url:
            kinds["article-" + url.split("/")[1]] = url
    return kinds


_SECTIONS = {"articles", "claims", "entities", "sources", "narratives", "search", "page"}
