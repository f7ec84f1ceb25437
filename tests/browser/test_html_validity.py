"""The Nu Html Checker (vnu, from the npm package vnu-jar, run with the machine's Java) reports
no error on any page of the demo site, as built and as the scripts leave it (search results
drawn, searched words highlighted)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.browser.harness import REPO, html_pages
from tests.test_history_pages import built, history_repo

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def nu_errors(paths: list[Path]) -> list[str]:
    """Every error vnu reports for ``paths``, as ``file:line: message``."""
    assert VNU.is_file(), "vnu.jar is missing: run `make node_modules/.installed` (npm ci) first"
    java = shutil.which("java")
    assert java, "the Nu Html Checker needs Java: install a JRE (Debian: default-jre-headless)"
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]


def test_every_built_page_is_valid_html(demo_site):
    pages = [demo_site / p for p in html_pages(demo_site)]
    assert len(pages) > 100
    assert nu_errors(pages) == []


def test_pages_showing_history_are_valid(tmp_path):
    """The demo has no edited note nor re-rated claim: these pages, from a repository made by
    the test, show both."""
    output, _ = built(history_repo(tmp_path / "corpus"), tmp_path)
    pages = [output / "articles/alpha/index.html", output / "claims/aircraft-landed/index.html"]
    assert "note-history" in pages[0].read_text(encoding="utf-8")
    assert nu_errors(pages) == []


def test_pages_stay_valid_after_their_scripts_ran(page, server, tmp_path):
    page.goto(server.url("search/?q=medicines"))
    page.wait_for_selector("#search-results li")
    (tmp_path / "search.html").write_text(page.content(), encoding="utf-8")
    page.locator("#search-results a").first.click()
    page.wait_for_selector("mark.pagefind-highlight")
    (tmp_path / "landed.html").write_text(page.content(), encoding="utf-8")
    assert nu_errors(sorted(tmp_path.glob("*.html"))) == []


def test_the_checker_reports_errors(tmp_path):
    """Guards the tests above against passing because vnu checked nothing."""
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p><div>x</div><img src=a>')
    assert len(nu_errors([bad])) >= 1
