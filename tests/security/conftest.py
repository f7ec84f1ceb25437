"""The hostile corpus built once per session (with its search index), for the checks on its
pages and for the browser test."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from tests.helpers import check, write_corpus
from tests.security.hostile import hostile_corpus


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built hostile corpus: the content passes every check, so the attacks reach pages."""
    root = write_corpus(tmp_path_factory.mktemp("hostile"), hostile_corpus())
    assert check(root) == []
    output = root / "_site"
    build(Project.at(root, output))
    return output
