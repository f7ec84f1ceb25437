"""``build.py serve``: build, serve on 127.0.0.1 under the base path, apply each edit, reload.

An edit to content is applied as a delta to the corpus kept in memory
(:class:`scholion.pipeline.LiveSite`): the pages that read what changed are rendered at once and
served from memory (:class:`Overlay`), the browser reloads, and only then does a build run in the
background to bring ``_site/``, the open-data exports and the search index up to date (its pages
are the same bytes). An edit to the templates, static files, locales or configuration rebuilds
before the reload.

The preview must survive every mistake a contributor makes while typing: a build that fails
keeps the last good site on disk (the write stage guarantees it) and the server shows the
located diagnostics as an overlay page until the next good build. Browsers learn about new
builds through Server-Sent Events from a small script the server adds to each HTML page; the
published site never contains it.
"""

from __future__ import annotations

import errno
import html
import mimetypes
import re
import threading
import webbrowser
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from scholion.commands.preview import Background, BuildState, Overlay, apply_edit, rebuild, restart
from scholion.diagnostics import Diagnostic, SiteError
from scholion.pipeline.live import LiveSite

if TYPE_CHECKING:  # watchfiles is imported when serving starts
    from watchfiles import Change

EVENTS_PATH = "/__scholion/events"
SCRIPT_PATH = "/__scholion/reload.js"
RELOAD_SCRIPT = b"""// Added by `build.py serve` only: reload this page when a new build is ready.
const events = new EventSource("/__scholion/events");
let seen = null;
events.addEventListener("build", (event) => {
  if (seen !== null && event.data !== seen) location.reload();
  seen = event.data;
});
"""
WATCHED = ("content", "templates", "static", "locales", "site_config.yaml")
CONTENT = "content"
"""Edits under this folder are applied as deltas; any other watched change rebuilds."""
EDITOR_FILES = re.compile(
    r"(~|\.sw[a-p]|\.swx|\.bak|\.tmp|\.orig|\.kate-swp|___jb_(tmp|old)___)$"
    r"|^(\.#|#.*#$|\.goutputstream-|4913$|\.DS_Store$)"
)
"""What editors write beside the file being saved, not content: backups (``x~``, ``x.bak``),
swap and lock files (Vim's ``.x.swp`` and its ``4913`` probe, Emacs's ``#x#`` and ``.#x``,
Kate's), and the temporary files of atomic saves (JetBrains, GNOME)."""


class PortInUseError(SiteError):
    """Another program listens on the address and port ``serve`` was asked to use."""


def make_handler(
    site: Path,
    base_path: str,
    state: BuildState,
    stopping: threading.Event,
    overlay: Overlay | None = None,
) -> type[BaseHTTPRequestHandler]:
    """A request handler serving ``site`` under ``base_path``, plus the reload endpoints."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "ScholionPreview"

        head_only = False

        def log_message(self, format: str, *args: object) -> None:
            pass  # the terminal is for build output; requests would drown it

        def do_HEAD(self) -> None:
            """What GET would answer, without the body (link checkers and caches ask so)."""
            self.head_only = True
            try:
                self.do_GET()
            finally:
                self.head_only = False

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS_PATH:
                if self.head_only:
                    return self._send(HTTPStatus.OK, "text/event-stream", b"")
                return self._events()
            if path == SCRIPT_PATH:
                return self._send(HTTPStatus.OK, "text/javascript", RELOAD_SCRIPT)
            if not path.startswith(base_path):
                at_root = path in ("/", base_path.rstrip("/"))
                return self._redirect(base_path) if at_root else self._not_found()
            relative = path[len(base_path) :]
            page = relative + "index.html" if relative.endswith("/") or not relative else relative
            held, body = overlay.get(page) if overlay else (False, None)
            if held and body is None:
                return self._not_found()
            if held and body is not None:
                if page.endswith(".html") and state.broken:
                    return self._overlay()
                kind = mimetypes.guess_type(page)[0] or "application/octet-stream"
                html_page = kind == "text/html"
                return self._send(HTTPStatus.OK, kind, _inject(body) if html_page else body)
            file = _resolve(site, relative)
            if file is None:
                return self._not_found()
            if file.is_dir():
                return self._redirect(path + "/")
            if file.suffix == ".html" and state.broken:
                return self._overlay()
            body = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if file.suffix == ".html":
                body = _inject(body)
            return self._send(HTTPStatus.OK, kind, body)

        def _not_found(self) -> None:
            page = site / "404.html"
            body = _inject(page.read_bytes()) if page.is_file() else b"not found"
            self._send(HTTPStatus.NOT_FOUND, "text/html; charset=utf-8", body)

        def _overlay(self) -> None:
            body = _inject(overlay_page(state).encode("utf-8"))
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, "text/html; charset=utf-8", body)

        def _redirect(self, location: str) -> None:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if not self.head_only:
                self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            try:
                while not stopping.is_set():
                    number = state.wait_for_change(seen, timeout=1.0)
                    if number != seen:
                        seen = number
                        self.wfile.write(f"event: build\ndata: {number}\n\n".encode())
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def _resolve(site: Path, relative: str) -> Path | None:
    """The file for a URL path inside ``site``; None for anything outside it or missing."""
    parts = PurePosixPath("/" + relative).parts[1:]
    if any(part in ("..", "") for part in parts):
        return None
    target = site.joinpath(*parts)
    if target.is_dir() and (target / "index.html").is_file() and relative.endswith("/"):
        return target / "index.html"
    if relative == "" and (site / "index.html").is_file():
        return site / "index.html"
    return target if target.exists() else None


def _inject(body: bytes) -> bytes:
    tag = f'<script type="module" src="{SCRIPT_PATH}"></script>'.encode()
    at = body.rfind(b"</body>")
    return body[:at] + tag + body[at:] if at != -1 else body + tag


def _overlay_item(d: Diagnostic) -> str:
    hint = f"<br><em>hint: {html.escape(d.hint)}</em>" if d.hint else ""
    where = html.escape(d.where)
    message = html.escape(d.message)
    return f"<li><code>{where}</code> <strong>{d.severity}</strong>: {message}{hint}</li>"


def overlay_page(state: BuildState) -> str:
    """The page shown instead of the site while the content has errors."""
    items = "".join(_overlay_item(d) for d in state.diagnostics)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed · Scholion preview</title></head>"
        '<body><main id="scholion-overlay"><h1>The build failed</h1>'
        f"<p>{html.escape(state.failure)}. Fix the problems below and save: this page reloads "
        f"by itself.</p><ol>{items}</ol></main></body></html>"
    )


def is_editor_file(path: str) -> bool:
    """Whether a changed file is an editor's backup, swap or temporary file, not content."""
    return bool(EDITOR_FILES.search(Path(path).name))


def _content_changes(change: Change, path: str) -> bool:
    """The watcher's filter: what it ignores by default (``.git``, caches), and editor files."""
    from watchfiles import DefaultFilter

    return DefaultFilter()(change, path) and not is_editor_file(path)


def listen(bind: str, port: int, handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """The server at ``bind``:``port``, or one line saying what to do when that is in use."""
    try:
        server = ThreadingHTTPServer((bind, port), handler)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise SiteError(f"cannot serve on {bind}:{port}: {exc.strerror}") from exc
        raise PortInUseError(
            f"port {port} on {bind} is in use (another `serve`?); "
            f"try --port {port + 1}, or --port 0 for any free port"
        ) from exc
    server.daemon_threads = True
    return server


def base_path_of(base_url: object) -> str:
    """The path part of a configured base URL, or "/" when there is none to read."""
    path = urlsplit(base_url).path if isinstance(base_url, str) else "/"
    return path if path.endswith("/") else path + "/"


def serve(
    project_root: Path,
    output: Path,
    base_path: str,
    port: int,
    build: Callable[[], object],
    say: Callable[[str], None],
    live: LiveSite | None = None,
    *,
    bind: str = "127.0.0.1",
    open_browser: bool = False,
) -> int:
    """Build, then serve and watch until Ctrl-C. Returns the exit code. With ``live``, an edit
    to the content is applied as a delta and the build follows in the background. The port is
    taken before the build, so that a port in use is said at once."""
    from watchfiles import watch

    state = BuildState()
    stopping = threading.Event()
    overlay = Overlay(live.render if live is not None else lambda _: None)
    server = listen(bind, port, make_handler(output, base_path, state, stopping, overlay))
    background = Background(build, overlay, say, live)
    rebuild(build, state, say)
    if live is not None:
        restart(live, overlay, say)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = "127.0.0.1" if bind in ("", "0.0.0.0") else f"[{bind}]" if ":" in bind else bind
    url = f"http://{host}:{server.server_address[1]}{base_path}"
    say(f"serving {url} (Ctrl-C to stop)")
    if open_browser:
        webbrowser.open(url)
    paths = [project_root / name for name in WATCHED if (project_root / name).exists()]
    watching = False
    try:
        # An empty set comes each second without changes: the first says the watcher is running.
        for changes in watch(
            *paths,
            stop_event=stopping,
            debounce=50,
            step=25,
            rust_timeout=1000,
            yield_on_timeout=True,
            watch_filter=_content_changes,
        ):
            if not changes:
                if not watching:
                    say("watching for changes")
                    watching = True
                continue
            names = sorted({Path(p).name for _, p in changes})
            content = project_root / CONTENT
            if live is not None and all(Path(p).is_relative_to(content) for _, p in changes):
                say(f"changed: {', '.join(names)}")
                if apply_edit(live, overlay, state, say, [Path(p) for _, p in changes]):
                    background.request()
                continue
            say(f"changed: {', '.join(names)}; rebuilding")
            with background.lock:
                rebuild(build, state, say)
            if live is not None:
                restart(live, overlay, say)
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        background.stop()
        server.shutdown()
        server.server_close()
    say("stopped")
    return 0
