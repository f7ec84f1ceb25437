"""History from git: a claim added, re-rated and reworded in a repository made by the test."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from scholion.load.history import note_key, read_history

ARTICLE = "---\ntitle: T\n---\nText.\n"


def sidecar(rating: str, statement: str = "Troops arrived.") -> str:
    return (
        f"claims:\n  - id: troops\n    quote: Text\n    statement: {statement}\n"
        f"    rating: {rating}\n    explanation: E.\n"
    )


def git(root: Path, *args: str, date: str = "2024-01-01T00:00:00+00:00") -> str:
    """Run git in ``root`` as Ann Editor at ``date``. GIT_DIR and the like are not passed on (a
    git hook sets them), so git never reaches a repository but the one in ``root``."""
    env = {
        **{name: value for name, value in os.environ.items() if not name.startswith("GIT_")},
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
        "GIT_AUTHOR_NAME": "Ann Editor",
        "GIT_AUTHOR_EMAIL": "ann@example.org",
        "GIT_COMMITTER_NAME": "Ann Editor",
        "GIT_COMMITTER_EMAIL": "ann@example.org",
    }
    run = subprocess.run(
        ["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True
    )
    return run.stdout


def commit(root: Path, files: dict[str, str], message: str, date: str) -> str:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)
    return git(root, "rev-parse", "HEAD").strip()


def new_repo(root: Path) -> Path:
    """An empty repository at ``root`` (made), on branch main."""
    if shutil.which("git") is None:
        pytest.fail("git is needed for the history tests: install git")
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    return root


@pytest.fixture
def repo(tmp_path) -> tuple[Path, list[str]]:
    root = new_repo(tmp_path / "repo")
    shas = [
        commit(
            root,
            {"content/articles/a.md": ARTICLE, "content/articles/a.yaml": sidecar("unverified")},
            "Add article a",
            "2024-01-10T09:00:00+00:00",
        ),
        commit(
            root,
            {"content/entities/e.yaml": "name: E\n"},
            "Add entity e",
            "2024-02-01T09:00:00+00:00",
        ),
        commit(
            root,
            {"content/articles/a.yaml": sidecar("accurate")},
            "Re-rate troops",
            "2024-03-05T09:00:00+00:00",
        ),
        commit(
            root,
            {"content/articles/a.yaml": sidecar("accurate", "About 100 troops arrived.")},
            "Reword troops",
            "2024-04-02T09:00:00+00:00",
        ),
    ]
    return root, shas


def test_claim_history_lists_publication_then_each_change_with_its_commit(repo):
    root, shas = repo
    history, diagnostics = read_history(root)
    assert diagnostics == []
    events = [
        (c.field, c.before, c.after, c.commit.day, c.commit.sha, c.commit.subject)
        for c in history.claims["troops"]
    ]
    assert events == [
        ("published", "", "", "2024-01-10", shas[0], "Add article a"),
        ("rating", "unverified", "accurate", "2024-03-05", shas[2], "Re-rate troops"),
        (
            "statement",
            "Troops arrived.",
            "About 100 troops arrived.",
            "2024-04-02",
            shas[3],
            "Reword troops",
        ),
    ]
    assert history.new_articles == ((("a", history.files["content/articles/a.md"].first)),)


def test_first_and_last_dates_per_file_and_per_article(repo):
    root, _ = repo
    history, _ = read_history(root)
    article = history.dates("content/articles/a.md", "content/articles/a.yaml")
    assert (article.first.day, article.last.day) == ("2024-01-10", "2024-04-02")
    entity = history.dates("content/entities/e.yaml")
    assert (entity.first.day, entity.last.day, entity.first.author) == (
        "2024-02-01",
        "2024-02-01",
        "Ann Editor",
    )
    assert history.dates("content/sources/missing.yaml") is None


def test_shallow_clone_gives_one_warning_and_the_history_it_has(repo, tmp_path):
    root, _ = repo
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{root}", str(clone)], check=True)
    history, diagnostics = read_history(clone)
    assert [d.format_text() for d in diagnostics] == [
        ".:1:1: warning: the repository is a shallow clone: history shown from 2024-04-02 only\n"
        "  hint: fetch the full history (in GitHub Actions: actions/checkout with "
        "fetch-depth: 0)"
    ]
    assert [c.field for c in history.claims["troops"]] == ["published"]


def test_a_plain_directory_has_an_empty_history(tmp_path):
    (tmp_path / "content").mkdir()
    history, diagnostics = read_history(tmp_path)
    assert (history.files, history.claims, diagnostics) == ({}, {}, [])


def notes(*items: str) -> str:
    return "notes:\n" + "".join(items)


def test_a_notes_edits_are_followed_by_id_by_quote_or_by_text(tmp_path):
    """A note with an id is followed by it; one without by its quote when its text changed,
    by its text when its quote moved; when both changed it is a new note."""
    root = new_repo(tmp_path / "repo")
    by_id = "  - id: framing\n    kind: framing\n    quote: Text\n    text: {}\n"
    quoted = "  - kind: context\n    quote: {}\n    text: {}\n"
    whole = "  - kind: context\n    text: {}\n"
    versions = [
        (by_id.format("One."), quoted.format("Text", "Two."), whole.format("Whole.")),
        (by_id.format("One, edited."), quoted.format("Text", "Two."), whole.format("Whole.")),
        (by_id.format("One, edited."), quoted.format("Text", "Two!"), whole.format("Whole!")),
        (by_id.format("One, edited."), quoted.format("Tex", "Two!"), whole.format("Whole!")),
        (by_id.format("One, edited."), quoted.format("Te", "Three."), whole.format("Whole!")),
    ]
    shas = [
        commit(
            root,
            {"content/articles/a.md": ARTICLE, "content/articles/a.yaml": notes(*items)},
            f"Version {n}",
            f"2024-0{n + 1}-01T09:00:00+00:00",
        )
        for n, items in enumerate(versions)
    ]
    history, _ = read_history(root)

    def events(item: dict) -> list[tuple]:
        found = history.notes[note_key("a", item)]
        return [(e.field, e.before, e.after, e.commit.sha) for e in found]

    assert events({"id": "framing"}) == [
        ("published", "", "", shas[0]),
        ("text", "One.", "One, edited.", shas[1]),
    ]
    assert events({"kind": "context", "quote": "Te", "text": "Three."}) == [
        ("published", "", "", shas[4])
    ]
    assert events({"kind": "context", "text": "Whole!"}) == [
        ("published", "", "", shas[0]),
        ("text", "Whole.", "Whole!", shas[2]),
    ]
    # the note followed until both its quote and its text changed is no longer on the page
    assert note_key("a", {"quote": "Tex", "text": "Two!"}) not in history.notes
    assert len(history.notes) == 3
    git(root, "checkout", "-q", shas[3])
    history, _ = read_history(root)
    assert events({"kind": "context", "quote": "Tex", "text": "Two!"}) == [
        ("published", "", "", shas[0]),
        ("text", "Two.", "Two!", shas[2]),
        ("quote", "Text", "Tex", shas[3]),
    ]
