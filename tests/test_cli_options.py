"""The command line people expect: ``--version``, options after the subcommand, ``new DIR``,
``schemas``, ``clean``, and ``serve``'s address, browser, port-in-use message and HEAD answers.
Each runs build.py as a contributor does and asserts what they see."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from http.server import ThreadingHTTPServer

import pytest

from scholion import __version__
from scholion.commands.corpus import stale_schemas
from scholion.commands.preview import BuildState
from scholion.commands.serve import is_editor_file, make_handler
from scholion.project import Project
from tests.helpers import FIXTURES, REPO, run_build_py


def test_version_is_the_packages():
    result = run_build_py("--version")
    assert (result.returncode, result.stdout) == (0, f"scholion {__version__}\n")


@pytest.mark.parametrize(
    "args",
    [["--root", str(FIXTURES / "site"), "check"], ["check", "--root", str(FIXTURES / "site")]],
    ids=["before", "after"],
)
def test_global_options_go_before_or_after_the_subcommand(args):
    result = run_build_py(*args)
    assert (result.returncode, result.stderr) == (0, "check passed: 0 errors, 0 warnings\n")


def test_global_options_also_follow_what_new_makes(tmp_path):
    root = tmp_path / "corpus"
    assert run_build_py("new", str(root)).returncode == 0
    args = ("--type", "person", "--name", "Jo Doe", "--description", "A person.")
    made = run_build_py("new", "entity", "jo-doe", *args, "--root", str(root))
    assert (made.returncode, made.stdout) == (0, "created content/entities/jo-doe.yaml\n")


def test_new_dir_makes_a_corpus_that_passes_check(tmp_path):
    made = run_build_py("new", str(tmp_path / "ours"), "--title", "Our annotated press")
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines() == [
        f"created 26 files in {tmp_path / 'ours'}/: a corpus that checks and builds as it is",
        f"next: cd {tmp_path / 'ours'} && make site   (or: scholion --root {tmp_path / 'ours'} "
        "serve)",
    ]
    assert 'title: "Our annotated press"' in (tmp_path / "ours/site_config.yaml").read_text()
    check = run_build_py("check", "--strict", "--root", str(tmp_path / "ours"))
    assert (check.returncode, check.stderr) == (0, "check passed: 0 errors, 0 warnings\n")


def test_new_refuses_a_folder_in_use_and_accepts_a_fresh_clone(tmp_path):
    (tmp_path / "used").mkdir()
    (tmp_path / "used/notes.txt").write_text("mine")
    refused = run_build_py("new", str(tmp_path / "used"))
    assert refused.returncode == 1
    assert refused.stderr == (
        f"error: {tmp_path / 'used'} is not empty; `scholion new` makes a corpus in a new or "
        "empty folder\n"
    )
    (tmp_path / "clone/.git").mkdir(parents=True)
    assert run_build_py("new", "site", str(tmp_path / "clone")).returncode == 0


def test_check_says_when_the_schemas_are_stale_and_schemas_refreshes_them(tmp_path):
    root = tmp_path / "corpus"
    assert run_build_py("new", str(root)).returncode == 0
    schema = root / "schemas/sidecar.schema.json"
    schema.write_text(schema.read_text().replace('"claims"', '"claimz"'))
    stale = run_build_py("check", "--root", str(root))
    assert stale.returncode == 0
    assert stale.stdout == (
        "schemas/:1:1: warning: the schemas editors use are not those of scholion "
        f"{__version__}: sidecar.schema.json\n"
        "  hint: run `scholion schemas` to write this version's schemas, and commit them\n"
    )
    assert run_build_py("check", "--strict", "--root", str(root)).returncode == 1
    refreshed = run_build_py("schemas", "--root", str(root))
    assert refreshed.stdout == "wrote schemas/sidecar.schema.json\n"
    assert run_build_py("check", "--strict", "--root", str(root)).returncode == 0


def test_the_demos_schemas_are_the_engines():
    assert stale_schemas(Project.at(REPO)) == []


def test_clean_removes_the_site_and_cache_but_never_what_is_not_a_site(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "site", root)
    assert run_build_py("build", "--root", str(root), "--no-search", "-q").returncode == 0
    (root / "content/articles/gamma.md").unlink()
    assert run_build_py("build", "--root", str(root), "--no-search", "-q").returncode == 0
    assert (root / "_site.spare").is_dir()  # the site the second build replaced
    (root / "_site.staging-x").mkdir()  # what an interrupted build leaves
    cleaned = run_build_py("clean", "--root", str(root))
    assert cleaned.stdout == (
        "removed _site/\nremoved _site.spare/\nremoved _site.staging-x/\nremoved .cache/\n"
    )
    assert {p.name for p in root.iterdir()} == {"content", "site_config.yaml"}
    refused = run_build_py("clean", "--root", str(root), "--output", str(root / "content"))
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"error: refusing to remove {root / 'content'}: it holds")
    assert (root / "content/articles/alpha.md").is_file()


@pytest.mark.parametrize(
    "name",
    [
        "alpha.yaml~",
        ".alpha.yaml.swp",
        ".alpha.yaml.swx",
        "4913",
        "#alpha.yaml#",
        ".#alpha.yaml",
        "alpha.yaml.bak",
        "alpha.yaml.tmp",
        "alpha.yaml___jb_tmp___",
        ".alpha.yaml.kate-swp",
        ".goutputstream-X1Y2Z3",
        ".DS_Store",
    ],
)
def test_the_watcher_ignores_what_editors_write_beside_a_file(name):
    assert is_editor_file(f"/corpus/content/articles/{name}")


@pytest.mark.parametrize("name", ["alpha.yaml", "alpha.md", "site_config.yaml", "swap.css"])
def test_the_watcher_sees_content(name):
    assert not is_editor_file(f"/corpus/content/articles/{name}")


def test_head_requests_get_the_headers_of_get_without_a_body(tmp_path):
    (tmp_path / "index.html").write_text("<html><body>Home</body></html>")
    handler = make_handler(tmp_path, "/", BuildState(), threading.Event())
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        answers = {}
        for method in ("GET", "HEAD", "GET"):
            connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1])
            connection.request(method, "/")
            response = connection.getresponse()
            answers[method] = (response.status, response.getheader("Content-Length"))
            body = response.read()
            assert body == (b"" if method == "HEAD" else body)
            assert method == "HEAD" or b"Home" in body
        assert answers["HEAD"] == answers["GET"]
        assert answers["GET"][0] == 200
    finally:
        server.shutdown()
        server.server_close()


def test_a_port_in_use_gets_one_line_and_a_suggestion():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_build_py("--root", str(FIXTURES / "site"), "serve", "--port", str(port))
    assert result.returncode == 1
    assert result.stderr == (
        f"error: port {port} on 127.0.0.1 is in use (another `serve`?); try --port {port + 1}, "
        "or --port 0 for any free port\n"
    )


SERVE_ARGS = ("--no-search", "--port", "0", "--bind", "127.0.0.1", "--open")


def test_serve_binds_the_address_given_and_opens_the_browser(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "site", root)
    opened = tmp_path / "opened"
    browser = tmp_path / "browser"
    browser.write_text(f'#!/bin/sh\necho "$1" > {opened}\n')
    browser.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root), *SERVE_ARGS],
        stderr=subprocess.PIPE,
        text=True,
        env={**env, "BROWSER": f"{browser} %s"},
    )
    try:
        assert process.stderr is not None
        serving = next(line for line in process.stderr if line.startswith("serving "))
        url = serving.split()[1]
        assert url.startswith("http://127.0.0.1:") and url.endswith("/corpus/")
        for _ in range(100):
            if opened.is_file() and opened.read_text():
                break
            threading.Event().wait(0.1)
        assert opened.read_text() == url + "\n"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def test_the_readme_serves_the_built_site_on_the_loopback_address_only():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "http.server --bind 127.0.0.1 --directory _site 8000" in readme
