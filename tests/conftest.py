"""Shared fixtures: a corpus written from inline text, and the fixture site built once."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from scholion.pipeline import BuildReport, build
from scholion.project import Project
from tests.dom import Document, parse_file
from tests.helpers import FIXTURES, write_corpus

WriteCorpus = Callable[[Mapping[str, str | bytes]], Path]


@pytest.fixture(scope="session", autouse=True)
def private_cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The secret that seals build caches (:mod:`scholion.incremental.sealing`) made under a
    folder of the test run, never in the home of whoever runs the tests; inherited by the
    commands tests start."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        del os.environ["XDG_CACHE_HOME"]
    else:
        os.environ["XDG_CACHE_HOME"] = before


@pytest.fixture
def corpus(tmp_path: Path) -> WriteCorpus:
    """``corpus({path: text})`` writes a corpus (with the shared minimal config) and returns its
    root; call it again to add or replace files."""
    return lambda files: write_corpus(tmp_path / "corpus", files)


@dataclass(frozen=True)
class BuiltSite:
    """A built fixture corpus: its output directory and what the build reported."""

    root: Path
    output: Path
    report: BuildReport

    def page(self, url: str) -> Document:
        """The parsed page at a site-relative URL ("claims/x/" or "404.html")."""
        path = self.output / (url + "index.html" if url == "" or url.endswith("/") else url)
        return parse_file(path)

    def html_files(self) -> list[str]:
        """Site-relative paths of every HTML page (Pagefind's own files excluded)."""
        return sorted(
            p.relative_to(self.output).as_posix()
            for p in self.output.rglob("*.html")
            if not p.relative_to(self.output).as_posix().startswith("pagefind/")
        )


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """tests/fixtures/site built once, with its Pagefind index, under base_url
    https://example.org/corpus/."""
    root = FIXTURES / "site"
    output = tmp_path_factory.mktemp("site") / "_site"
    report = build(Project.at(root, output))
    return BuiltSite(root, output, report)


@pytest.fixture(scope="session")
def where_when_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """tests/fixtures/where-when (places with coordinates, dated events) built once, without a
    search index."""
    root = FIXTURES / "where-when"
    output = tmp_path_factory.mktemp("where-when") / "_site"
    report = build(Project.at(root, output), search=False)
    return BuiltSite(root, output, report)
