"""History on the site: a claim added, re-rated and corrected in a repository made by the test."""

from __future__ import annotations

import json
import shutil
import subprocess
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from scholion.pipeline import build
from scholion.project import Project
from tests.dom import parse_file
from tests.helpers import CONFIG, atom_entries, minimal_article
from tests.test_history import commit, git, new_repo

ATOM = "{http://www.w3.org/2005/Atom}"
ARTICLE = minimal_article("Two Russian aircraft landed in Caracas on Saturday.")
PUBLISHER = "type: media\nname: Example Times\ndescription: A daily newspaper.\n"


def sidecar(
    rating: str, corrections: str = "", note: str = "First <i>seen</i> by spotters."
) -> str:
    return (
        textwrap.dedent(f"""\
        claims:
          - id: aircraft-landed
            quote: Two Russian aircraft landed in Caracas
            statement: Two Russian aircraft landed in Caracas.
            rating: {rating}
            explanation: Flight-tracking data.
        notes:
          - kind: context
            quote: on Saturday
            text: "{note}"
          - kind: framing
            text: "On the whole: {note}"
        """)
        + corrections
    )


CORRECTION = textwrap.dedent("""\
    corrections:
      - date: "2024-03-06"
        claim: aircraft-landed
        text: The rating first given was wrong; the flight data confirm the landing.
    """)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return history_repo(tmp_path_factory.mktemp("history") / "corpus")


def history_repo(root: Path) -> Path:
    """A corpus whose claim is re-rated and corrected, and whose note is edited, in a second
    commit."""
    new_repo(root)
    commit(
        root,
        {
            "site_config.yaml": textwrap.dedent(CONFIG),
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": ARTICLE,
            "content/articles/alpha.yaml": sidecar("unverified"),
        },
        "Add alpha",
        "2024-01-10T09:00:00+00:00",
    )
    commit(
        root,
        {"content/articles/alpha.yaml": sidecar("accurate", CORRECTION, "Seen by two trackers.")},
        "Re-rate and correct aircraft-landed",
        "2024-03-06T09:00:00+00:00",
    )
    return root


def built(root: Path, tmp_path: Path):
    output = tmp_path / "_site"
    report = build(Project.at(root, output), search=False)
    return output, report


def test_claim_page_shows_publication_rating_change_and_correction(repo, tmp_path):
    output, report = built(repo, tmp_path)
    assert report.diagnostics == []
    page = parse_file(output / "claims/aircraft-landed/index.html")
    history = [li.words for li in section(page, "history").all("li")]
    assert history == [
        f"10 January 2024 · first published · {sha(repo, 1)}",
        f"6 March 2024 · rating changed from Unverified → Accurate · {sha(repo, 0)}",
    ]
    correction = section(page, "corrections-heading", "aside")
    assert "6 March 2024" in correction.words
    assert "the flight data confirm the landing" in correction.words


def test_an_edited_note_says_when_and_keeps_its_earlier_version(repo, tmp_path):
    output, _ = built(repo, tmp_path)
    page = parse_file(output / "articles/alpha/index.html")
    [note] = [li for li in page.all("li", cls="sidenote-note")]
    assert "Seen by two trackers." in note.words
    edits = note.one("details", cls="note-history")
    assert edits.one("summary").words == "Edited on 6 March 2024"
    assert [li.words for li in edits.all("li")] == [
        f"6 March 2024 · {sha(repo, 0)} · text was: First <i>seen</i> by spotters."
    ]
    whole = page.one("section", cls="whole-notes").one("details", cls="note-history")
    assert [li.words for li in whole.all("li")] == [
        f"6 March 2024 · {sha(repo, 0)} · text was: On the whole: First <i>seen</i> by spotters."
    ]


def test_a_claim_review_is_dated_by_the_review_not_by_the_article(repo, tmp_path):
    """The claim was made on 24 March 2019 (its article's date); the review was first published
    on 10 January 2024 and re-rated and corrected on 6 March 2024: ClaimReview and the citation
    files say so."""
    output, _ = built(repo, tmp_path)
    page = parse_file(output / "claims/aircraft-landed/index.html")
    blocks = [
        json.loads(s.text) for s in page.all("script") if s.attr("type") == "application/ld+json"
    ]
    review = next(b for b in blocks if b["@type"] == "ClaimReview")
    assert (review["datePublished"], review["dateModified"]) == ("2024-01-10", "2024-03-06")
    assert review["itemReviewed"]["datePublished"] == "2019-03-24"
    cited = json.loads((output / "claims/aircraft-landed/cite.json").read_text(encoding="utf-8"))
    assert cited[0]["issued"] == {"date-parts": [[2024, 3, 6]]}


def test_article_page_shows_first_published_and_last_updated(repo, tmp_path):
    output, _ = built(repo, tmp_path)
    page = parse_file(output / "articles/alpha/index.html")
    dates = page.one(cls="record-dates").words
    assert dates == "Added to the corpus 10 January 2024 · last changed 6 March 2024"


def test_changes_page_and_feed_list_exactly_that_history_newest_first(repo, tmp_path):
    output, _ = built(repo, tmp_path)
    feed = ET.parse(output / "changes/feed.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles == [
        "Rating changed: Two Russian aircraft landed in Caracas. (Unverified \u2192 Accurate)",
        "Correction: Two Russian aircraft landed in Caracas.",
        "New claim: Two Russian aircraft landed in Caracas.",
        "New article: Aircraft land in Caracas",
    ]
    page = parse_file(output / "changes/index.html")
    kinds = [li.one("strong").text for li in page.all("li", cls="change")]
    assert kinds == ["Rating changed", "Correction", "New claim", "New article"]


def test_a_shallow_clone_builds_with_one_warning(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    _, report = built(clone, tmp_path)
    assert [d.message for d in report.diagnostics] == [
        "the repository is a shallow clone: history shown from 2024-03-06 only"
    ]


def test_a_plain_directory_builds_without_history(repo, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(repo, plain, ignore=shutil.ignore_patterns(".git"))
    output, report = built(plain, tmp_path)
    assert report.diagnostics == []
    page = parse_file(output / "claims/aircraft-landed/index.html")
    assert page.by_id("history") is None
    changes = parse_file(output / "changes/index.html")
    assert [li.one("strong").text for li in changes.all("li", cls="change")] == ["Correction"]


def section(page, heading_id: str, tag: str = "section"):
    """The section (or aside) whose heading has ``heading_id``."""
    found = [s for s in page.all(tag) if any(h.attr("id") == heading_id for h in s.iter())]
    assert len(found) == 1
    return found[0]


def sha(root: Path, back: int) -> str:
    return git(root, "rev-parse", f"HEAD~{back}").strip()[:7]


def test_a_commit_changing_two_things_of_a_claim_gives_feed_entries_of_their_own_ids(tmp_path):
    """A re-rating and a rewording in one commit are two entries of the changes feed; Atom
    requires each its own id (both used to be the claim's URL and the commit)."""
    root = history_repo(tmp_path / "corpus")
    edited = sidecar("unverified").replace(
        "statement: Two Russian aircraft landed in Caracas.",
        "statement: Two Russian military aircraft landed in Caracas.",
    )
    commit(root, {"content/articles/alpha.yaml": edited}, "Both", "2024-04-01T09:00:00+00:00")
    output, _ = built(root, tmp_path)
    entries = atom_entries((output / "changes/feed.xml").read_bytes())  # ids checked unique
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert sum(title.startswith(("Rating changed", "Statement changed")) for title in titles) == 3
