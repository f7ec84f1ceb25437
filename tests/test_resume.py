"""A build that resumes from the state the last build kept (:mod:`scholion.pipeline.resume`)
gives the site of a clean build, after any sequence of edits; a state that is not this user's
own, or not for this engine and history, is never used."""

from __future__ import annotations

import io
import os
import pickle
import pickletools
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholion.diagnostics import ContentError
from scholion.exports import encoding
from scholion.incremental import snapshot
from scholion.incremental.fingerprint import cache_dir
from scholion.model import ClaimSource, Commit, Mention, MentionGroup
from scholion.output import write
from scholion.pipeline import build, resume
from scholion.project import Project
from tests.helpers import FIXTURES, copied_site, tree_hashes
from tests.test_dependencies import (  # noqa: F401 - fixtures used below
    CLAIM_EXPORTS,
    CLAIM_PAGES,
    exported,
    rendered,
    reword_claim,
    reword_claim_back,
)
from tests.test_live import EDITS
from tests.test_rebuild import clean


def cached(root: Path, output: Path):
    """A build as the command line runs one: incremental, with the build cache."""
    return build(Project.at(root, output), search=False, incremental=True, cache=True)


@pytest.fixture
def resumed(monkeypatch) -> list[str | None]:
    """For each build that checked its content, the name of the state it resumed from (None:
    none)."""
    names: list[str | None] = []
    start = resume.Resuming.start.__func__  # type: ignore[attr-defined]

    def noting(cls, project, theme, history):
        found = start(cls, project, theme, history)
        names.append(found.name)
        return found

    monkeypatch.setattr(resume.Resuming, "start", classmethod(noting))
    return names


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=6))
def test_every_build_resumed_from_the_kept_state_is_a_clean_build(
    tmp_path_factory, resumed, monkeypatch, edits
):
    """Random edits, each followed by a build: every build after the first that checks resumes
    from the state (a failed one too), and its site equals a clean build of the same tree, byte for
    byte; an edit undone later is seen (what differs from the state now and at the last build
    is compared). The corpus-wide files are made in runs of two records or so, so that each
    edit takes some runs from the last build's file and makes others again."""
    monkeypatch.setattr(encoding, "RUN", 2)
    base = tmp_path_factory.mktemp("resume")
    root = base / "corpus"
    shutil.copytree(FIXTURES / "site", root, ignore=shutil.ignore_patterns(".cache"))
    site = base / "out" / "_site"
    resumed.clear()  # (the fixture is the same for every example)
    cached(root, site)
    assert (cache_dir(Project.at(root, site)) / snapshot.FILE).exists()
    assert resumed == [None]
    for number, edit in enumerate(edits):
        edit.apply(root)
        before = tree_hashes(site)
        try:
            cached(root, site)
        except ContentError:
            assert tree_hashes(site) == before  # a failed build leaves the site as it was
            continue
        finally:  # (a build finding the tree as the last one published it checks nothing)
            assert None not in resumed[1:], "every build after the first resumed"
        expected = clean(root, base / f"clean{number}" / "_site")
        assert tree_hashes(site) == expected, [e.name for e in edits[: number + 1]]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copied_site(tmp_path)


def test_a_resumed_build_makes_only_what_an_edit_changed(
    corpus,
    tmp_path,
    resumed,
    rendered,  # noqa: F811 - the fixture
    exported,  # noqa: F811 - the fixture
):
    """Rewording a claim, then back: each build resumes, and makes again the claim's pages and
    export jobs alone, as a build comparing every value does (``tests/test_dependencies.py``);
    the second finds the claim as in the kept state, but not as the last build had it."""
    pages, jobs = rendered, exported
    site = tmp_path / "out" / "_site"
    cached(corpus, site)
    for change in (reword_claim, reword_claim_back):
        pages.clear(), jobs.clear()
        change(corpus)
        cached(corpus, site)
        assert resumed[-1] is not None
        assert set(pages) == CLAIM_PAGES
        assert set(jobs) == CLAIM_EXPORTS
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_the_staging_directory_is_mirrored_while_the_state_is_read_back(
    corpus, tmp_path, monkeypatch
):
    """The child that brings the spare up to date is forked before the kept state is read:
    from a small process, and beside the reading the whole time."""
    site = tmp_path / "out" / "_site"
    cached(corpus, site)
    reword_claim(corpus)
    cached(corpus, site)  # a spare is left now
    reword_claim_back(corpus)
    events: list[str] = []
    restore, staging = snapshot.restore, write.Staging.__init__

    def restoring(*arguments: Any) -> Any:
        events.append("state read back")
        return restore(*arguments)

    def mirroring(self: write.Staging, output: Path, reuse: bool = False) -> None:
        staging(self, output, reuse)
        events.append("mirror forked" if self._mirror is not None else "no mirror")

    monkeypatch.setattr(snapshot, "restore", restoring)
    monkeypatch.setattr(write.Staging, "__init__", mirroring)
    cached(corpus, site)
    assert events == ["mirror forked", "state read back"]
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_state_not_sealed_with_this_users_secret_is_never_loaded(corpus, tmp_path, resumed):
    site = tmp_path / "out" / "_site"
    cached(corpus, site)
    kept = cache_dir(Project.at(corpus, site)) / snapshot.FILE
    data = bytearray(kept.read_bytes())
    data[-1] ^= 1  # one bit of the pickle
    kept.write_bytes(bytes(data))
    reword_claim(corpus)
    cached(corpus, site)
    assert resumed == [None, None]  # checked from scratch, and the state kept again
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")
    assert snapshot.restore(kept.parent, "another tag") is None


def test_a_state_is_not_kept_without_a_secret(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(snapshot.sealing, "secret", lambda: None)
    site = tmp_path / "out" / "_site"
    cached(corpus, site)
    assert not (cache_dir(Project.at(corpus, site)) / snapshot.FILE).exists()


def test_a_build_drifted_far_from_the_state_keeps_its_own(corpus, tmp_path, resumed, monkeypatch):
    """Past :data:`resume.DRIFT` a resumed build keeps its own state, which the next resumes
    from; the sites are still a clean build's."""
    monkeypatch.setattr(resume, "DRIFT", 0)
    site = tmp_path / "out" / "_site"
    cached(corpus, site)
    for change in (reword_claim, reword_claim_back, reword_claim):
        change(corpus)
        cached(corpus, site)
        assert tree_hashes(site) == clean(corpus, tmp_path / f"clean-{len(resumed)}" / "_site")
    assert resumed[0] is None
    assert len(set(resumed[1:])) == 3  # each resumed from the state the one before kept


def test_a_state_is_read_back_only_for_its_tag_and_one_that_cannot_be_kept_leaves_nothing(
    tmp_path,
):
    assert snapshot.save(tmp_path, "tag", "name", {"claims": ("a", "b")})
    assert snapshot.restore(tmp_path, "tag") == ("name", {"claims": ("a", "b")})
    assert snapshot.restore(tmp_path, "another engine") is None
    assert not snapshot.save(tmp_path, "tag", "name", lambda: None)  # cannot be pickled
    assert list(tmp_path.iterdir()) == []  # neither the draft nor the state it replaced


@dataclass(frozen=True, slots=True)
class _Counted:
    """A record whose constructor computes a field: pickle's default must rebuild it."""

    items: tuple[str, ...]
    count: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "count", len(self.items))


def test_a_state_s_records_are_read_back_equal_and_through_their_constructors(tmp_path):
    mention = Mention("thestol", "crew-law", "m-thestol-1", 3, 10, "In ", "Thestol", ",", True)
    state = {
        "groups": (MentionGroup("crew-law", (mention, mention)), MentionGroup("other", ())),
        "commit": Commit("2024-05-01T12:00:00+00:00", "abc123", "Ann", "Reword"),
        "sources": (ClaimSource("src-1", "supports", "p. 4"), ClaimSource("src-2", "origin", "")),
        "counted": _Counted(("a", "b")),
    }
    assert snapshot.save(tmp_path, "tag", "name", state)
    assert snapshot.restore(tmp_path, "tag") == ("name", state)
    # Each plain record is one call of its class with its fields, not a record set field by
    # field afterwards (pickle's BUILD): the records with a constructor of their own keep it.
    kept = io.BytesIO()
    snapshot._Pickler(kept, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
    built = [op.name for op, _, _ in pickletools.genops(kept.getvalue()) if op.name == "BUILD"]
    assert len(built) == 1  # _Counted's
    assert pickle.loads(kept.getvalue()) == state


def test_a_draft_whose_writer_is_gone_is_removed_by_the_next_save(tmp_path):
    """A build stopped while its child wrote the state leaves the draft; the next build's save
    removes it, never a draft another running build is writing."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    left = tmp_path / f".{snapshot.FILE}.{gone.pid}"
    writing = tmp_path / f".{snapshot.FILE}.{os.getppid()}"
    left.write_bytes(b"half a state")
    writing.write_bytes(b"a state being written")
    assert snapshot.save(tmp_path, "tag", "name", {"claims": ()})
    assert sorted(path.name for path in tmp_path.iterdir()) == [writing.name, snapshot.FILE]


def test_a_corpus_grown_too_large_to_link_here_does_not_resume(corpus, tmp_path, monkeypatch):
    """Past the size linked in a child, a state kept when the corpus was smaller is left alone
    (the delta would link every article added since in the build's own process)."""
    from scholion import parallel

    site = tmp_path / "out" / "_site"
    cached(corpus, site)
    deltas: list[object] = []
    monkeypatch.setattr(resume, "check_from", lambda *args: deltas.append(args))
    monkeypatch.setattr(parallel, "crowded", lambda resident: True)
    reword_claim(corpus)
    cached(corpus, site)
    assert deltas == []
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")
