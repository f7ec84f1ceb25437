"""Finding a browser: the system's Chrome or Chromium, else Playwright's own; with none, the
suite fails and says how to get one (it never skips)."""

from __future__ import annotations

import pytest

from tests.browser.harness import browser_or_fail, find_browser


@pytest.fixture
def bare(monkeypatch, tmp_path):
    """A PATH with no browser on it and no $SCHOLION_CHROMIUM."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("SCHOLION_CHROMIUM", raising=False)
    return tmp_path


def test_a_chromium_on_the_path_is_found(bare):
    chromium = bare / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    assert find_browser("/nowhere/chrome") == str(chromium)


def test_playwright_s_own_browser_is_the_last_resort(bare):
    bundled = bare / "bundled-chrome"
    bundled.write_text("#!/bin/sh\n")
    bundled.chmod(0o755)
    assert find_browser(str(bundled)) == str(bundled)


def test_without_a_browser_the_suite_fails_with_how_to_get_one(bare):
    with pytest.raises(pytest.fail.Exception) as failure:
        browser_or_fail("/nowhere/chrome")
    message = str(failure.value)
    assert "apt-get install chromium" in message
    assert "playwright install chromium" in message
    assert "SCHOLION_CHROMIUM" in message
