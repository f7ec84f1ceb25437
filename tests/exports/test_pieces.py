"""The corpus-wide files of an incremental build (JSON, CSV) are made again in pieces: a run
of records whose reads are unchanged is taken from the last build's file, and the file is byte
for byte what a clean build writes (:mod:`scholion.exports.pieces`)."""

from __future__ import annotations

import os
import sqlite3

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholion.exports import encoding, pieces
from tests.helpers import copied_site, tree_hashes
from tests.test_dependencies import edit, reword_claim
from tests.test_rebuild import clean, incremental

keys = st.lists(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True), unique=True, max_size=300)


@given(keys, st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True))
def test_runs_of_keys_change_only_where_a_key_is_added(listed, added):
    """Every key in one run, in order, none longer than eight times the average; adding a key
    changes the run it falls in (into two, if the key ends a run), not the others."""
    listed = sorted(listed)
    runs = [tuple(run) for run in encoding.runs(listed)]
    assert [key for run in runs for key in run] == listed
    assert all(0 < len(run) <= 8 * encoding.RUN for run in runs)
    if added in listed:
        return
    grown = [tuple(run) for run in encoding.runs(sorted([*listed, added]))]
    assert len(set(runs) - set(grown)) <= 1
    assert len(set(grown) - set(runs)) <= 2


@pytest.fixture
def taken(monkeypatch) -> list[tuple[str, bool]]:
    """Each run of a corpus-wide file a build made in pieces: its target, and whether its
    bytes were taken from the last build's file. Small runs, so that the fixture's few
    records are many runs."""
    monkeypatch.setattr(encoding, "RUN", 2)
    found: list[tuple[str, bool]] = []
    kept = pieces.Spliced._kept

    def noting(self, target, digest):
        result = kept(self, target, digest)
        found.append((target, result is not None))
        return result

    monkeypatch.setattr(pieces.Spliced, "_kept", noting)
    return found


def made_again(runs: list[tuple[str, bool]]) -> set[str]:
    return {target for target, was_taken in runs if not was_taken}


def test_a_reworded_claim_makes_again_the_runs_that_read_it_alone(tmp_path, taken):
    corpus = copied_site(tmp_path)
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    assert taken and made_again(taken) == {target for target, _ in taken}  # nothing to take
    first = {target for target, _ in taken}
    taken.clear()
    reword_claim(corpus)
    incremental(corpus, site)
    corpus_runs = {target for target in first if target.startswith("export:corpus#")}
    assert corpus_runs == {target for target, _ in taken if target.startswith("export:corpus#")}
    again = made_again(taken)
    claims = [t for t, _ in taken if t.startswith("export:corpus#claims/")]
    assert len(claims) > 1  # several runs of claims, one of them made again
    assert len([t for t in again if t.startswith("export:corpus#claims/")]) == 1
    # the claim's statement is in its record, in the annotations quoting it (alpha, beta), in
    # its row of claims.csv and in the links to it of claim_links.csv (table 6)
    jobs = {t.partition("#")[0] for t in again}
    assert jobs == {"export:corpus", "export:annotations", "export:table/0", "export:table/6"}
    assert len([t for t in again if t.startswith("export:table/0#")]) == 1
    assert len(again) <= 6
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_last_file_changed_since_it_was_published_gives_nothing(tmp_path, taken):
    """The runs' places are in the file as the last build published it: a file written since
    (another inode, another modification time) is not cut up, and the build makes every run."""
    corpus = copied_site(tmp_path)
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    published = site / "data" / "corpus.json"
    data = published.read_bytes()
    published.unlink()
    published.write_bytes(data.replace(b'"title"', b'"title" '))  # still JSON, moved by a byte
    taken.clear()
    reword_claim(corpus)
    incremental(corpus, site)
    from_corpus = [(t, was) for t, was in taken if t.startswith("export:corpus#")]
    assert from_corpus and not any(was for _, was in from_corpus)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_an_entity_renamed_makes_again_the_records_naming_it(tmp_path, taken):
    """An article's record names its authors: renaming one makes again the runs of the
    articles it wrote (the run's own reads say so, not the section it is in)."""
    corpus = copied_site(tmp_path)
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    taken.clear()
    entity = corpus / "content" / "entities" / "jane-doe.yaml"
    edit(entity, "name: Jane Doe", "name: Jane Q. Doe")
    incremental(corpus, site)
    again = made_again(taken)
    assert any(t.startswith("export:corpus#articles/") for t in again)
    assert any(t.startswith("export:corpus#entities/") for t in again)
    assert not any(t.startswith("export:corpus#claims/") for t in again)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")
    assert os.path.getsize(site / "data" / "corpus.json") > 0


def test_without_a_record_every_run_is_made(tmp_path, taken):
    corpus = copied_site(tmp_path)
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    (corpus / ".cache" / "pages.sqlite3").unlink()
    taken.clear()
    reword_claim(corpus)
    incremental(corpus, site)
    assert taken and not any(was for _, was in taken)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_value_only_runs_taken_read_still_makes_the_job_run_again(tmp_path, taken):
    """The job's entry holds what the runs taken from the last file read, not only what the
    runs made read: after beta's text changes (its run of the corpus's annotations made again,
    reading no note), a note of alpha (in a run taken) reworded still changes the file."""
    corpus = copied_site(tmp_path)
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    edit(corpus / "content/articles/beta.md", "a spokesman said", "a spokesman told reporters")
    taken.clear()
    incremental(corpus, site)
    assert "export:annotations#items/alpha" not in made_again(taken)  # (alpha's run is taken)
    edit(corpus / "content/articles/alpha.yaml", "Saturday was 23 March.", "It was 23 March.")
    incremental(corpus, site)
    assert b"It was 23 March." in (site / "data" / "annotations.jsonld").read_bytes()
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_damaged_place_is_made_again_not_copied(tmp_path, taken):
    """A run whose place in the record no longer fits its bytes (a checksum of them is in its
    entry) is made again: the file is still a clean build's."""
    corpus = copied_site(tmp_path)
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    with sqlite3.connect(corpus / ".cache" / "pages.sqlite3") as connection:
        damaged = connection.execute(
            "UPDATE places SET start = start + 1 WHERE target LIKE 'export:corpus#articles/%'"
        ).rowcount
    assert damaged > 1
    taken.clear()
    reword_claim(corpus)
    incremental(corpus, site)
    articles = [(t, was) for t, was in taken if t.startswith("export:corpus#articles/")]
    assert len(articles) == damaged and not any(was for _, was in articles)
    assert any(was for t, was in taken if t.startswith("export:corpus#entities/"))
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")
