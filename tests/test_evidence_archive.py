"""The evidence archive on the site: images shown with their alt text, PDFs linked, a saved
HTML page published as its text only (never its markup or script), each with its retrieval
date, origin and SHA-256; retrieval dates on the source and in provenance chains."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from tests.dom import parse_file
from tests.evidence_corpus import PDF, evidence_files, png, sha
from tests.helpers import write_corpus
from tests.security.hostile import problems


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = evidence_files()
    files["content/evidence/unrecorded.pdf"] = PDF
    root = write_corpus(tmp_path_factory.mktemp("evidence"), files)
    output = root / "_site"
    build(Project.at(root, output), search=False)
    return output


def test_the_files_are_published_as_recorded_and_a_saved_page_as_its_text(site):
    assert sorted(p.name for p in (site / "evidence").iterdir()) == [
        "report.pdf",
        "saved-page.html.txt",
        "scan.png",
    ]
    assert (site / "evidence/scan.png").read_bytes() == png()
    assert (site / "evidence/report.pdf").read_bytes() == PDF
    assert (site / "evidence/saved-page.html.txt").read_text(encoding="utf-8") == (
        "Planes land\nRussian planes land\nTwo aircraft landed in Caracas.\n"
    )


def test_the_source_page_shows_each_copy_with_its_date_origin_and_hash(site):
    page = parse_file(site / "sources/wire-report/index.html")
    section = page.one("section", cls="evidence")
    image = section.one("img")
    assert image.attrs["alt"] == "A red and a blue square."
    assert image.attrs["src"] == "../../evidence/scan.png"
    links = [(a.attrs["href"], a.text) for a in section.all("a")]
    assert ("../../evidence/report.pdf", "The report as a PDF") in links
    assert ("../../evidence/saved-page.html.txt", "saved-page.html") in links
    assert ("https://example.org/planes-land", "https://example.org/planes-land") in links
    text = " ".join(section.text.split())
    assert (
        f"Retrieved 26 March 2019 from https://example.org/report.pdf · SHA-256 {sha(PDF)}" in text
    )
    assert "saved page, text only" in text
    assert "Retrieved 25 March 2019" in " ".join(page.one("dl", cls="facts").text.split())


def test_a_provenance_chain_gives_the_retrieval_date(site):
    page = parse_file(site / "sources/later-report/index.html")
    chain = " ".join(page.one("ul", cls="chain").text.split())
    assert chain == "Russian planes land in Caracas Wire service report · retrieved 25 March 2019"


def test_nothing_of_the_saved_page_can_run(site):
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt", ".xml", ".json"):
            text = path.read_text(encoding="utf-8")
            assert "alert(" not in text, path
            if path.suffix == ".html":
                assert list(problems(text, str(path))) == []
    assert not list(site.glob("evidence/*.html"))
