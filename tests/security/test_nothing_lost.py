"""Nothing lost: a build never writes where it reads, and a build that is killed or interrupted
at any moment leaves the previous site complete and unchanged; the next build recovers.

The interruption tests run ``build.py`` as a real process that stops at a chosen moment
(tests/security/killable_build.py), send it SIGKILL or SIGINT (what Ctrl-C sends to the whole
foreground process group, Pagefind's service included), and look at the output directory as
a reader or the next build would find it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import THEME, Project
from tests.helpers import FIXTURES, REPO, run_build_py, tree_hashes

SOURCES = ("content/", "templates/", "static/", "site_config.yaml")


def _sources(root: Path) -> dict[str, str]:
    """Every file the build reads from a corpus repository."""
    return {k: v for k, v in tree_hashes(root).items() if k.startswith(SOURCES)}


def test_a_build_never_writes_into_content_templates_or_config(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "site", root)
    shutil.copytree(THEME / "templates", root / "templates")
    shutil.copytree(THEME / "static", root / "static")
    before = _sources(root)
    before_names = {p.name for p in root.iterdir()}
    for args in (["check"], ["build"], ["build", "--no-search"]):
        result = run_build_py("--root", str(root), *args)
        assert result.returncode == 0, result.stderr
    assert _sources(root) == before
    assert (root / "_site/index.html").is_file()
    assert {p.name for p in root.iterdir()} <= {*before_names, "_site", "_site.spare", ".cache"}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "site", root)
    return root


@pytest.fixture
def previous(corpus: Path) -> Path:
    """The site a reader sees now: corpus/_site, built and complete."""
    output = corpus / "_site"
    build(Project.at(corpus, output), search=False)
    return output


@pytest.fixture
def start() -> Iterator[Callable[..., subprocess.Popen]]:
    """``start(moment, corpus, *build_args)`` runs a build that stops at ``moment``; whatever a
    failing test leaves running (the build, Pagefind's service) is killed afterwards."""
    started: list[subprocess.Popen] = []

    def run(moment: str, corpus: Path, *args: str) -> subprocess.Popen:
        ready = corpus.parent / "ready"
        command = [sys.executable, "-m", "tests.security.killable_build", moment, str(ready)]
        process = subprocess.Popen(
            [*command, "--root", str(corpus), "build", *args],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a terminal's foreground job
            env={k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")},
        )
        started.append(process)
        for _ in range(2400):  # a safety net of two minutes, not a timing assumption
            if ready.exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), f"the build never reached {moment!r}"
        return process

    yield run
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()


def _signal(process: subprocess.Popen, signum: int) -> tuple[int, str]:
    os.killpg(process.pid, signum)
    _, stderr = process.communicate(timeout=120)  # on a hang, the start fixture kills it
    return process.returncode, stderr


def _beside(output: Path) -> list[str]:
    """What is next to the output (the build's cache aside): the site, the spare an incremental
    build keeps, and the corpus only."""
    return sorted(p.name for p in output.parent.iterdir() if p.name != ".cache")


BEFORE_PUBLISH = [
    ("writing", ["--no-search"]),
    ("copying-static", ["--no-search"]),
    ("indexing", []),
    ("indexed", []),
]
"""Moments before the new site replaces the old one."""


def _corpus_changed(corpus: Path) -> None:
    """A new article, so a new build differs from the previous site."""
    alpha = (corpus / "content/articles/alpha.md").read_text()
    (corpus / "content/articles/delta.md").write_text(alpha.replace("Aircraft", "Planes"))


@pytest.mark.parametrize(("moment", "args"), BEFORE_PUBLISH, ids=[m for m, _ in BEFORE_PUBLISH])
def test_a_killed_build_leaves_the_previous_site_and_the_next_recovers(
    corpus, previous, start, moment, args
):
    before = tree_hashes(previous)
    _corpus_changed(corpus)
    process = start(moment, corpus, *args)
    assert any(p.name.startswith("_site.staging-") for p in corpus.iterdir())  # it was writing
    code, _ = _signal(process, signal.SIGKILL)
    assert code == -signal.SIGKILL
    assert tree_hashes(previous) == before
    _next_build_recovers(corpus, previous, args)


@pytest.mark.parametrize(
    ("moment", "recorded"), [("writing", False), ("indexing", False), ("indexing", True)]
)
def test_ctrl_c_leaves_the_previous_site_and_no_staging(corpus, previous, start, moment, recorded):
    """``recorded``: the previous site was built by the command line, whose record lets the
    next build index for search in a child beside the exports (which Ctrl-C reaches too)."""
    if recorded:
        assert run_build_py("--root", str(corpus), "build").returncode == 0
    before = tree_hashes(previous)
    _corpus_changed(corpus)
    args = ["--no-search"] if moment == "writing" else []
    process = start(moment, corpus, *args)
    code, stderr = _signal(process, signal.SIGINT)
    assert (code, stderr.splitlines()[-1]) == (
        130,
        "interrupted; the previous site was left as it was",
    )
    assert tree_hashes(previous) == before
    spare = ["_site.spare"] if recorded else []
    assert _beside(previous) == ["_site", *spare, "content", "site_config.yaml"]
    with pytest.raises(ProcessLookupError):  # Pagefind's service went with it
        os.killpg(process.pid, 0)


def test_killed_after_the_swap_the_new_site_is_complete(corpus, previous, start, tmp_path):
    _corpus_changed(corpus)
    process = start("swapped", corpus, "--no-search")
    _signal(process, signal.SIGKILL)
    clean = tmp_path / "clean"
    build(Project.at(corpus, clean), search=False)
    assert tree_hashes(previous) == tree_hashes(clean)  # the new site, whole
    _next_build_recovers(corpus, previous, ["--no-search"])


def test_killed_between_two_renames_the_next_build_puts_the_site_back(corpus, previous, start):
    """Where renameat2 is missing, publishing is two renames; between them there is no site
    (never half a site), the old one waits beside it, and the next build restores it first."""
    before = tree_hashes(previous)
    _corpus_changed(corpus)
    process = start("between-renames", corpus, "--no-search")
    _signal(process, signal.SIGKILL)
    assert not previous.exists()
    [retired] = [p for p in corpus.iterdir() if p.name.startswith("_site.retired-")]
    assert tree_hashes(retired) == before
    _next_build_recovers(corpus, previous, ["--no-search"])


def _next_build_recovers(corpus: Path, output: Path, args: list[str]) -> None:
    result = run_build_py("--root", str(corpus), "build", *args)
    assert result.returncode == 0, result.stderr
    clean = corpus.parent / "clean-build"
    build(Project.at(corpus, clean), search="--no-search" not in args)
    assert _without_index(tree_hashes(output)) == _without_index(tree_hashes(clean))
    # the site this build replaced is kept, as the spare the next one starts from
    assert _beside(output) == ["_site", "_site.spare", "content", "site_config.yaml"]


def _without_index(hashes: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in hashes.items() if not k.startswith("pagefind/")}
