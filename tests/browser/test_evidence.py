"""A source page with an evidence archive (an image, a PDF, a saved page), as readers meet it:
no WCAG violation (light and dark, wide and narrow), and the image loads from the site itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from tests.browser.harness import Server, serve
from tests.browser.test_accessibility import axe_page, violations
from tests.evidence_corpus import evidence_files
from tests.helpers import write_corpus

PAGE = "sources/wire-report/"


@pytest.fixture(scope="module")
def evidence_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = write_corpus(tmp_path_factory.mktemp("evidence"), evidence_files())
    output: Path = root / "_site"
    build(Project.at(root, output), search=False)
    with serve(output) as running:
        yield running


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_source_page_with_evidence_has_no_violations(browser, evidence_server, scheme, width):
    for page in axe_page(browser, scheme, width):
        assert violations(page, evidence_server.url(PAGE)) == []


def test_the_image_loads_from_the_site(browser, evidence_server):
    """The image is loaded lazily, when the reader nears it: brought into view, it loads (a
    broken one completes too, with no width)."""
    for page in axe_page(browser, "light", 1280):
        page.goto(evidence_server.url(PAGE))
        page.locator(".evidence img").scroll_into_view_if_needed()
        page.wait_for_function("document.querySelector('.evidence img').complete")
        width = page.evaluate("document.querySelector('.evidence img').naturalWidth")
        assert width == 2
