"""The live site of ``serve``: an edit applied as a delta gives the pages of a clean build.

Each edit below switches one file between two versions (a claim reworded, a rating changed, an
alias added, an article added or removed, a quote broken, a language added...). Hypothesis
draws sequences of them; after each one the live site's pages (those it rendered at the start,
updated with every delta) must equal, byte for byte, the pages of a clean build of the same
tree, and a broken edit must be refused with its located error until it is undone.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scholion.link
from scholion.diagnostics import ContentError
from scholion.pipeline import build, check, template_dirs
from scholion.pipeline.live import LiveSite
from scholion.project import Project
from scholion.render import render_site
from tests.helpers import FIXTURES, copied_site, write_corpus
from tests.render.test_pagination import generated_corpus

NEW_ARTICLE = """---
title: A new article about Moskva
date: 2019-05-01
publisher: daily-post
language: en
rights: © Daily Post.
---
Moskva sent two aircraft, Reuters said.
"""

NEW_SIDECAR = """claims:
  - claim: aircraft-landed
    quote: two aircraft
notes:
  - quote: Reuters said
    kind: context
    text: A new note.
"""


@dataclass(frozen=True)
class Edit:
    """Switches ``file`` between its text with ``old`` and with ``new`` (a missing file's text
    is ""; a file whose text becomes "" is removed)."""

    name: str
    file: str
    old: str
    new: str

    def apply(self, root: Path) -> None:
        path = root / self.file
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        if self.new in text:
            text = text.replace(self.new, self.old, 1)
        else:
            text = text.replace(self.old, self.new, 1)
        if text:
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
        else:
            path.unlink()


EDITS = [
    Edit(
        "claim reworded",
        "content/articles/alpha.yaml",
        "statement: Two Russian military aircraft landed",
        "statement: Two Russian aircraft, both military, landed",
    ),
    Edit(
        "rating changed",
        "content/articles/alpha.yaml",
        "rating: inaccurate",
        "rating: unverified",
    ),
    Edit(
        "article text edited",
        "content/articles/gamma.md",
        "Nothing happened in Moscow this week.",
        "Nothing happened in Moscow this week, said Jane Doe.",
    ),
    Edit(
        "alias added",
        "content/entities/caracas.yaml",
        "name: Caracas\n",
        "name: Caracas\naliases: [Moscow]\n",
    ),
    Edit("alias changed", "content/entities/moscow.yaml", "[Moskva]", "[Moskau, Caracas]"),
    Edit(
        "source retitled",
        "content/sources/flight-data.yaml",
        "title: Flight-tracking records for 23 March 2019",
        "title: ADS-B records, 23 March 2019",
    ),
    Edit("page edited", "content/pages/about.md", "exists to test", "exists only to test"),
    Edit("article added", "content/articles/delta.md", "", NEW_ARTICLE),
    Edit("sidecar added", "content/articles/delta.yaml", "", NEW_SIDECAR),
    Edit(
        "claim added to a sidecar",
        "content/articles/beta.yaml",
        "  - claim: aircraft-landed\n",
        "  - id: spokesman-said\n    quote: a spokesman said\n    statement: A spokesman spoke.\n"
        "    rating: unverified\n  - claim: aircraft-landed\n",
    ),
    Edit(
        "correction added",
        "content/articles/beta.yaml",
        "notes:\n",
        'corrections:\n  - date: "2019-04-01"\n    claim: troops-arrived\n'
        "    text: First rated accurate.\nnotes:\n",
    ),
    Edit(
        "quote broken",
        "content/articles/beta.yaml",
        "quote: about 100 Russian troops in Caracas",
        "quote: about 200 Russian troops in Caracas",
    ),
    Edit(
        "unknown source named",
        "content/articles/alpha.yaml",
        "- source: flight-data",
        "- source: flight-dta",
    ),
    Edit("source added", "content/sources/flight-dta.yaml", "", "title: Flight data\nkind: data\n"),
    Edit("stray file in a new folder", "content/drafts/todo.txt", "", "Check the flight data.\n"),
    # Places on the map, events on the timeline: the map and timeline pages read every entity.
    Edit(
        "place and event kinds marked",
        "site_config.yaml",
        "  place: {label: Place, plural: Places}\n",
        "  place: {label: Place, plural: Places, kind: place}\n"
        "  event: {label: Event, plural: Events, kind: event}\n",
    ),
    Edit(
        "coordinates added",
        "content/entities/caracas.yaml",
        "description: The capital of Venezuela.\n",
        "description: The capital of Venezuela.\ncoordinates: {latitude: 10.5, longitude: -66.9}\n",
    ),
    Edit(
        "coordinates added to another place",
        "content/entities/moscow.yaml",
        "description: The capital of Russia.\n",
        "description: The capital of Russia.\ncoordinates: {latitude: 55.76, longitude: 37.62}\n",
    ),
    Edit(
        "event added",
        "content/entities/flights.yaml",
        "",
        "type: event\nname: The flights\ndescription: Two aircraft.\ndate: 2019-03\n"
        "places: [caracas, moscow]\n",
    ),
    Edit(
        "relation retyped and dated",
        "content/entities/jane-doe.yaml",
        "  - type: works-for\n    entity: daily-post\n    from: 2018-05\n",
        "  - type: located-in\n    entity: caracas\n    from: 2017\n",
    ),
    Edit(
        "relation added",
        "content/entities/moscow.yaml",
        "description:",
        "relations: [{type: located-in, entity: caracas}]\ndescription:",
    ),
    Edit("authority changed", "content/entities/caracas.yaml", '"3646738"', '"3646739"'),
    Edit(
        "claim link retyped",
        "content/articles/alpha.yaml",
        "type: follows-from, claim: aircraft-landed",
        "type: contradicts, claim: troops-arrived",
    ),
    Edit(
        "narrative edited",
        "content/narratives/russian-flights.yaml",
        "claims: [troops-arrived, aircraft-landed]",
        "claims: [flights-via-syria]",
    ),
    Edit(
        "narrative added",
        "content/narratives/syria.yaml",
        "",
        "title: Via Syria\nsummary: The route.\nclaims: [flights-via-syria]\n",
    ),
    Edit(
        "language added",
        "site_config.yaml",
        "language: en\n",
        "language: en\nlanguages: [en, es]\n",
    ),
]


def clean_pages(project: Project) -> dict[str, bytes] | list[str]:
    """The pages of a clean build of the tree as it is, or its errors."""
    corpus, diagnostics = check(project)
    if corpus is None:
        return sorted(d.format_text() for d in diagnostics if d.is_error)
    files = render_site(corpus, template_dirs(project), project.locales)
    return {f.path: f.content for f in files if f.content is not None}


def applied(pages: dict[str, bytes], update, live: LiveSite) -> dict[str, bytes]:
    """``pages`` with the update's stale pages rendered and its removed pages gone."""
    for path in update.stale:
        page = live.render(path)
        assert page is not None, path
        pages[path] = page
    for path in update.removed:
        del pages[path]
    return pages


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copied_site(tmp_path)


def test_the_edits_apply_and_undo(corpus: Path):
    for edit in EDITS:
        before = {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()}
        edit.apply(corpus)
        assert {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()} != before, edit
        edit.apply(corpus)
        assert {p: p.read_bytes() for p in corpus.rglob("*") if p.is_file()} == before, edit


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(EDITS), min_size=1, max_size=6), st.booleans())
def test_every_delta_gives_the_pages_of_a_clean_build(tmp_path_factory, edits, told):
    """``told``: the live site is given the edited file's path, as ``serve``'s watcher gives
    it, and lists only that again; otherwise it lists the whole of content/."""
    root = tmp_path_factory.mktemp("live") / "corpus"
    shutil.copytree(FIXTURES / "site", root, ignore=shutil.ignore_patterns(".cache"))
    project = Project.at(root)
    live = LiveSite(project)
    pages = applied({}, live.start(), live)
    assert pages == clean_pages(project)
    for edit in edits:
        edit.apply(root)
        expected = clean_pages(project)
        try:
            update = live.update([root / edit.file] if told else None)
        except ContentError as error:  # the same errors as a clean check, all located
            assert sorted(d.format_text() for d in error.diagnostics if d.is_error) == expected
            continue
        assert applied(pages, update, live) == expected, [e.name for e in edits]


def test_the_map_and_the_timeline_follow_each_edit_of_a_place_or_event(corpus: Path):
    """Started from a build's record of what each page read, as ``serve`` starts: the map page
    and the timeline page (each reads every entity) are rendered again after each edit to a
    place or an event, and equal a clean build's."""
    by_name = {edit.name: edit for edit in EDITS}
    by_name["place and event kinds marked"].apply(corpus)
    project = Project.at(corpus)
    build(project, search=False, incremental=True)
    live = LiveSite(project)
    assert live.start().stale == []
    pages = clean_pages(project)
    assert isinstance(pages, dict) and "map/index.html" in pages
    steps = ["coordinates added", "event added", "coordinates added to another place"]
    steps += ["coordinates added", "event added"]  # undone, one after the other
    for name in steps:
        by_name[name].apply(corpus)
        update = live.update([corpus / by_name[name].file])
        assert {"map/index.html", "timeline/index.html"} & set(update.stale), name
        assert applied(pages, update, live) == clean_pages(project), name


def test_an_edit_renders_only_the_pages_that_read_what_changed(corpus: Path):
    project = Project.at(corpus)
    build(project, search=False, incremental=True)
    live = LiveSite(project)
    assert live.start().stale == []  # what every page read comes from the build's record
    EDITS[5].apply(corpus)  # a source retitled
    update = live.update()
    rendered = sorted(update.stale)
    assert "sources/flight-data/index.html" in rendered
    assert "claims/aircraft-landed/index.html" in rendered  # lists its sources
    assert "articles/gamma/index.html" not in rendered  # cites nothing
    assert len(rendered) < len(clean_pages(project)) / 3
    pages = applied(published(project), update, live)  # the built site, the edit rendered live
    expected = clean_pages(project)
    assert isinstance(expected, dict)
    assert {p: pages[p] for p in expected} == expected


def test_the_first_load_takes_the_articles_a_build_linked_from_its_cache(corpus, monkeypatch):
    """``serve`` builds, then loads the corpus it keeps: linking every article again was most
    of its start at 10,000 articles. Its later edits still link what they change."""
    project = Project.at(corpus)
    build(project, search=False, incremental=True, cache=True)

    def linked_again(*_arguments: object) -> None:
        raise AssertionError("an article the build linked was linked again")

    with monkeypatch.context() as patched:
        patched.setattr(scholion.link, "anchor_quotes", linked_again)
        live = LiveSite(project)
        assert live.start().stale == []
    EDITS[0].apply(corpus)  # a claim reworded: its article is linked again, here
    pages = applied(published(project), live.update(), live)
    expected = clean_pages(project)
    assert isinstance(expected, dict)
    assert {p: pages[p] for p in expected} == expected


def published(project: Project) -> dict[str, bytes]:
    """Every file of the site the last build published."""
    return {
        f.relative_to(project.output).as_posix(): f.read_bytes()
        for f in project.output.rglob("*")
        if f.is_file()
    }


def test_nothing_changed_renders_nothing(corpus: Path):
    live = LiveSite(Project.at(corpus))
    assert len(live.start().stale) == len(clean_pages(Project.at(corpus)))  # no build before
    live.render_stale()
    update = live.update()
    assert (update.stale, update.removed) == ([], [])


PAGED_EDITS = [
    Edit("claim reworded", "content/articles/article-01.yaml", "Claim 01.", "Claim 11b."),
    Edit("source retitled", "content/sources/source-01.yaml", "Source 01", "Source 99"),
    Edit("entity renamed", "content/entities/place-01.yaml", "Place 01", "Place 99"),
    Edit("rating changed", "content/articles/article-03.yaml", "accurate", "unverified"),
    Edit("article redated", "content/articles/article-02.md", "2019-01-02", "2019-01-30"),
]


def test_the_pages_of_long_listings_follow_every_edit(tmp_path: Path):
    """Listings of several pages: a record that moves within its group, or to another group,
    changes the pages between where it was and where it is, and only those are made again."""
    root = write_corpus(tmp_path / "corpus", generated_corpus())
    project = Project.at(root)
    live = LiveSite(project)
    pages = applied({}, live.start(), live)
    for edit in PAGED_EDITS:
        edit.apply(root)
        update = live.update([root / edit.file])
        assert applied(pages, update, live) == clean_pages(project), edit.name
        if edit.name == "source retitled":  # from the first page of three to the last
            assert {"sources/index.html", "sources/page/3/index.html"} <= set(update.stale)
    reworded = live.update()
    assert (reworded.stale, reworded.removed) == ([], [])
