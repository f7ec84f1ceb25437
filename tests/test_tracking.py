"""What a page reads of the corpus, and the digests that tell whether it changed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from scholion import pipeline
from scholion.incremental.tracking import Digests, Read, Untrackable, sources, tracked, untracked
from scholion.model import Claim, ClaimSource, Commit, Dates, History
from scholion.project import Project
from scholion.render import _render, interfaces
from tests.helpers import FIXTURES, copied_site


@pytest.fixture(scope="module")
def corpus():
    linked, _ = pipeline.check(Project.at(FIXTURES / "site"))
    assert linked is not None
    return linked


def test_a_tracked_corpus_notes_each_key_looked_up(corpus):
    reads: set[Read] = set()
    seen = tracked(corpus, reads)
    assert seen.claims["troops-arrived"] == corpus.claims["troops-arrived"]
    assert seen.entities.get("nobody") is None
    assert "alpha" in seen.stats
    assert reads == {("claims", "troops-arrived"), ("entities", "nobody"), ("stats", "alpha")}


def test_iterating_reads_the_whole_mapping_and_a_count_only_the_count(corpus):
    reads: set[Read] = set()
    seen = tracked(corpus, reads)
    assert len(seen.claims) == 3 and seen.sources
    assert reads == {("claims#length", None), ("sources#length", None)}
    assert [a.slug for a in seen.articles_by_date()] == [a.slug for a in corpus.articles_by_date()]
    assert sorted(seen.entities) == sorted(corpus.entities)
    assert dict(seen.pages.items()) == corpus.pages
    assert {("articles", None), ("entities", None), ("pages", None)} <= reads


def test_the_history_is_tracked_too(corpus):
    first = Commit("2024-01-10T09:00:00+00:00", "abc", "A", "Add")
    history = History(files={"content/articles/alpha.md": Dates(first, first)})
    reads: set[Read] = set()
    seen = tracked(dataclasses.replace(corpus, history=history), reads)
    assert seen.history.dates("content/articles/alpha.md", "content/articles/alpha.yaml")
    assert list(seen.history.new_articles) == []
    assert reads == {
        ("history.files", "content/articles/alpha.md"),
        ("history.files", "content/articles/alpha.yaml"),
        ("history.new_articles", None),
    }


def test_every_part_of_the_corpus_is_tracked_or_in_the_interface_digest(corpus):
    names = {f.name for f in dataclasses.fields(corpus)} - {"history"}
    names |= {f"history.{f.name}" for f in dataclasses.fields(corpus.history)}
    assert set(sources(corpus)) | set(untracked(corpus)) == names
    assert set(untracked(corpus)) == {"config", "history.shallow"}


CLAIM = Claim(
    "c",
    "A statement.",
    "accurate",
    "<p>Why.</p>",
    None,
    ("e",),
    (ClaimSource("s", "supports", ""),),
    "alpha",
)


def test_equal_values_have_one_digest_and_any_change_another():
    digests = Digests()
    copy = dataclasses.replace(CLAIM, about=tuple(list(CLAIM.about)))
    assert digests.of(copy) == digests.of(CLAIM) == Digests().of(CLAIM)
    changed = [
        dataclasses.replace(CLAIM, statement="Another statement."),
        dataclasses.replace(CLAIM, claimant="e"),
        dataclasses.replace(CLAIM, about=()),
        dataclasses.replace(CLAIM, sources=(ClaimSource("s", "refutes", ""),)),
        dataclasses.replace(CLAIM, sources=()),
    ]
    found = {digests.of(claim) for claim in [CLAIM, *changed]}
    assert len(found) == len(changed) + 1


@pytest.mark.parametrize(
    "a, b",
    [
        ((1,), (True,)),
        (("1",), (1,)),
        (([],), ((),)),
        (({"a": "b"},), (["a", "b"],)),
        ((None,), ("",)),
        (("ab", "c"), ("a", "bc")),
        ((CLAIM,), (dataclasses.replace(CLAIM, id="d"),)),
    ],
)
def test_values_of_different_kinds_or_shapes_never_share_a_digest(a, b):
    assert Digests().of(a) != Digests().of(b)


def test_the_text_index_caches_are_not_part_of_an_article(corpus):
    article = corpus.articles["alpha"]
    before = Digests().of(article)
    assert article.index.tokens  # derives and keeps the tokens
    assert Digests().of(article) == before


def test_a_value_of_an_unknown_kind_is_untrackable():
    with pytest.raises(Untrackable):
        Digests().of((Path("x"),))
    with pytest.raises(Untrackable):
        Digests().of({"claim": CLAIM, "where": Path("x")})


def test_reading_a_mapping_digests_what_it_found(corpus, tmp_path):
    digests = Digests()
    parts = sources(corpus)
    found = digests.read(parts, "claims", "troops-arrived")
    assert found == digests.of(corpus.claims["troops-arrived"]).hex()
    assert digests.read(parts, "claims", "nothing") == "absent"
    assert digests.read(parts, "claims#length", None) == "3"
    assert digests.read(parts, "no-such-mapping", "x") == ""
    root = copied_site(tmp_path)
    sidecar = root / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("About 100", "About 200"))
    edited, _ = pipeline.check(Project.at(root))
    assert edited is not None
    again = Digests()
    assert again.read(sources(edited), "claims", "troops-arrived") != found
    assert again.read(sources(edited), "claims", "aircraft-landed") == digests.read(
        parts, "claims", "aircraft-landed"
    )
    assert again.read(sources(edited), "claims", None) != digests.read(parts, "claims", None)


def rotated(corpus, reads: set[Read]):
    """``corpus`` with the values of the keys not in ``reads`` moved round by one, in every
    mapping not read whole: as different as a corpus can be for a page that read ``reads``."""
    changed = {}
    for name, source in sources(corpus).items():
        if (name, None) in reads or not isinstance(source, dict):
            continue
        keys = sorted(key for key in source if (name, key) not in reads)
        values = [source[key] for key in keys]
        changed[name] = {**source, **dict(zip(keys, values[1:] + values[:1], strict=True))}
    history = {n.removeprefix("history."): changed.pop(n) for n in list(changed) if "." in n}
    return dataclasses.replace(
        corpus, history=dataclasses.replace(corpus.history, **history), **changed
    )


def test_a_page_depends_on_nothing_but_what_it_read(corpus):
    """Each page of the fixture, rendered through a tracked corpus, then again with every value
    it did not read exchanged for another: the same bytes, so what it read is all it depends on
    (and the tracking itself changes nothing)."""
    every = interfaces(corpus, pipeline.template_dirs(Project.at(FIXTURES / "site")))
    for interface in every:
        for route in interface.routes:
            reads: set[Read] = set()
            page = _render(interface, route, tracked(interface.corpus, reads))
            assert page == _render(interface, route)
            assert _render(interface, route, rotated(interface.corpus, reads)) == page, route.path
