"""What changed between two versions of the corpus (``settle``), which pages read it
(``Readers``): the live site's means of rendering only what an edit touched."""

from __future__ import annotations

import dataclasses

from scholion.incremental.readers import Readers, settle
from scholion.incremental.tracking import LENGTH
from scholion.pipeline import check
from scholion.project import Project
from tests.helpers import FIXTURES


def _corpus():
    corpus, _ = check(Project.at(FIXTURES / "site"))
    assert corpus is not None
    return corpus


def test_settling_keeps_equal_values_as_the_old_objects_and_names_what_changed():
    before, after = _corpus(), _corpus()  # equal, every object another
    claim_id = next(iter(after.claims))
    reworded = dataclasses.replace(after.claims[claim_id], statement="Reworded")
    after = dataclasses.replace(after, claims={**after.claims, claim_id: reworded})
    settled, reads = settle(before, after)
    assert settled.claims[claim_id] is reworded
    assert all(settled.claims[k] is before.claims[k] for k in before.claims if k != claim_id)
    assert settled.articles is before.articles  # nothing changed there: the same mapping
    assert settled.config is before.config
    assert reads == {("claims", claim_id), ("claims", None)}


def test_a_key_that_went_changes_the_mapping_and_its_length():
    before = _corpus()
    gone = next(iter(before.sources))
    after = dataclasses.replace(
        before, sources={k: v for k, v in before.sources.items() if k != gone}
    )
    settled, reads = settle(before, after)
    assert gone not in settled.sources
    assert reads == {("sources", gone), ("sources", None), ("sources" + LENGTH, None)}


def test_readers_are_found_by_what_they_read():
    readers = Readers()
    readers.note("claims/a/index.html", [("claims", "a")])
    readers.note("claims/index.html", [("claims", None)])
    readers.note("odd/index.html", None)  # untracked: reads everything
    assert readers.of({("claims", "a")}) == {"claims/a/index.html", "odd/index.html"}
    assert readers.of({("claims", None)}) == {"claims/index.html", "odd/index.html"}
    readers.forget("odd/index.html")
    assert readers.of({("sources", "x")}) == set()
