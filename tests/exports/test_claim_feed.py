"""A claim's own Atom feed: its publication, re-rating, correction and new appearances, from a
repository made by the test."""

from __future__ import annotations

import shutil
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scholion.exports.feeds import claim_feed
from scholion.load.history import read_history
from scholion.pipeline import build, check
from scholion.project import Project
from tests.dom import parse_file
from tests.helpers import ATOM, CONFIG, PUBLISHER, atom_entries, minimal_article
from tests.test_history import commit, new_repo

HOSTILE = "</summary><script>alert(1)</script> & <b>bold</b>"
ALPHA = minimal_article("Two Russian aircraft landed in Caracas on Saturday.")
BETA = minimal_article(
    "Reports say two Russian aircraft landed in Caracas.", title="Aircraft again"
)


def alpha_sidecar(rating: str, corrections: str = "") -> str:
    return (
        textwrap.dedent(f"""\
        claims:
          - id: aircraft-landed
            quote: Two Russian aircraft landed in Caracas
            statement: Two Russian aircraft landed in Caracas.
            rating: {rating}
            explanation: Flight-tracking data.
        """)
        + corrections
    )


CORRECTION = textwrap.dedent(f"""\
    corrections:
      - date: "2024-03-06"
        claim: aircraft-landed
        text: {HOSTILE!r}
    """)
BETA_SIDECAR = "claims:\n  - claim: aircraft-landed\n    quote: two Russian aircraft landed\n"


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    root = new_repo(tmp_path_factory.mktemp("claimfeed") / "corpus")
    commit(
        root,
        {
            "site_config.yaml": CONFIG,
            "content/entities/example-times.yaml": textwrap.dedent(PUBLISHER),
            "content/articles/alpha.md": ALPHA,
            "content/articles/alpha.yaml": alpha_sidecar("unverified"),
        },
        "Add alpha",
        "2024-01-10T09:00:00+00:00",
    )
    commit(
        root,
        {"content/articles/alpha.yaml": alpha_sidecar("accurate", CORRECTION)},
        "Re-rate and correct",
        "2024-03-06T09:00:00+00:00",
    )
    commit(
        root,
        {"content/articles/beta.md": BETA, "content/articles/beta.yaml": BETA_SIDECAR},
        "Add beta, quoting the claim again",
        "2024-05-02T09:00:00+00:00",
    )
    return root


def feed_of(root: Path) -> bytes:
    history, _ = read_history(root)
    corpus, diagnostics = check(Project.at(root), history=history)
    assert corpus is not None, diagnostics
    return claim_feed(corpus, "aircraft-landed")


def test_the_feed_lists_the_claims_life_newest_first_as_valid_atom(repo):
    data = feed_of(repo)
    entries = atom_entries(data)
    seen = [(e.findtext(f"{ATOM}updated")[:10], e.findtext(f"{ATOM}title")) for e in entries]
    assert seen == [
        ("2024-05-02", "Appears in: Aircraft again"),
        (
            "2024-03-06",
            "Rating changed: Two Russian aircraft landed in Caracas. (Unverified \u2192 Accurate)",
        ),
        ("2024-03-06", "Correction: Two Russian aircraft landed in Caracas."),
        ("2024-01-10", "New claim: Two Russian aircraft landed in Caracas."),
        ("2024-01-10", "Appears in: Aircraft land in Caracas"),
    ]
    feed = ET.fromstring(data)
    assert (
        feed.findtext(f"{ATOM}id") == "https://example.org/corpus/claims/aircraft-landed/feed.xml"
    )
    assert feed.findtext(f"{ATOM}updated") == "2024-05-02T00:00:00Z"
    alternate = [link.get("href") for link in feed.findall(f"{ATOM}link[@rel='alternate']")]
    assert alternate == ["https://example.org/corpus/claims/aircraft-landed/"]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links[0].startswith("https://example.org/corpus/articles/beta/#hl-c-aircraft-landed")


def test_entry_ids_and_bytes_are_the_same_in_every_build(repo, tmp_path):
    clone = tmp_path / "clone"
    shutil.copytree(repo, clone)
    assert feed_of(clone) == feed_of(repo)
    ids = [e.findtext(f"{ATOM}id") for e in atom_entries(feed_of(repo))]
    assert all(i.startswith("https://example.org/corpus/claims/aircraft-landed/#") for i in ids)


def test_a_contributors_correction_is_escaped_text_never_markup(repo):
    data = feed_of(repo)
    assert b"<script>" not in data
    correction = next(
        e for e in atom_entries(data) if e.findtext(f"{ATOM}title").startswith("Correction")
    )
    content = correction.find(f"{ATOM}content")
    assert content.get("type") == "html"
    # the HTML the page shows (the contributor's script dropped), escaped as XML text
    assert content.text == "<p> &amp; <b>bold</b></p>"
    assert b"&lt;p&gt; &amp;amp; &lt;b&gt;bold&lt;/b&gt;&lt;/p&gt;" in data


def test_without_git_the_feed_still_lists_appearances_by_article_date(repo, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    entries = atom_entries(feed_of(plain))
    assert [e.findtext(f"{ATOM}title")[:11] for e in entries] == [
        "Correction:",
        "Appears in:",
        "Appears in:",
    ]


def test_the_claim_page_links_its_feed_in_head_and_in_the_text(repo, tmp_path):
    output = tmp_path / "_site"
    report = build(Project.at(repo, output), search=False)
    assert report.diagnostics == []
    page = parse_file(output / "claims/aircraft-landed/index.html")
    feeds = [
        link.attr("href")
        for link in page.all("link")
        if link.attr("rel") == "alternate" and link.attr("type") == "application/atom+xml"
    ]
    assert "feed.xml" in feeds
    visible = [a for a in page.all("a") if a.attr("href") == "feed.xml"]
    assert [a.words for a in visible] == [
        "Follow this claim as an Atom feed: its rating changes, corrections and new appearances"
    ]
    assert atom_entries((output / "claims/aircraft-landed/feed.xml").read_bytes())


@pytest.mark.parametrize("element", ["id", "updated", "title"])
def test_the_atom_check_fails_a_feed_missing_a_required_element(repo, element):
    """Guards the tests above against passing because the check checked nothing."""
    data = feed_of(repo)
    entry = data.index(b"<entry>")
    start = data.index(f"<{element}>".encode(), entry)
    end = data.index(f"</{element}>".encode(), start) + len(element) + 3
    atom_entries(data)
    with pytest.raises(AssertionError):
        atom_entries(data[:start] + data[end:])
