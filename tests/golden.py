"""The demo corpus's built site, pinned under ``tests/golden/site/`` so that a change to any page
shows up in review as a diff of that page.

``make golden`` (``python -m tests.golden``) writes the files anew from the current engine;
``tests/test_golden.py`` builds the same way and compares. Both go through :func:`build_site`, so
the build and its normalisation are defined here only.

What is pinned: every file of the built site but the theme's static files copied into
``static/`` (they are in the repository already) and the search index (the build runs without
search: Pagefind's files are binary, and it writes some in no fixed order).

Where git enters, and how the golden copy stays put. A build reads the corpus's history from git
(``scholion/load/history.py``): each record's first-published and last-updated dates, each
claim's history, the changes page and its feed, and commit ids (with their subjects) beside them.
The repository's own history grows with every commit and is cut short in a shallow clone, so the
demo is built from a copy (the build's own inputs: configuration, content, templates, static
files, catalogues) in a new repository holding that copy as one commit with a fixed date, author
and message. Everything git gives the pages is then fixed, except the commit id, which is a
digest of the copy's files and so changes with any of them: it is the one value replaced, by
zeros. Nothing in a build comes from the clock (feeds take their dates from the content and the
history), so two builds give the same bytes.

For reading, a JSON file written compactly on one line is kept indented. Only a file that the
compact encoding gives back byte for byte is indented, so the golden copy still pins its exact
bytes; any other file is kept as it is.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

from scholion.pipeline import build, static_dirs
from scholion.project import Project
from tests.helpers import REPO
from tests.test_history import git

GOLDEN = REPO / "tests" / "golden" / "site"
COMMIT_DATE = "2024-01-01T00:00:00+00:00"
NO_COMMIT = "0" * 40
"""What stands for the commit id (and its first seven digits, as pages show it)."""


def build_site(workdir: Path) -> dict[str, bytes]:
    """Build the demo in ``workdir`` as described above: site-relative path -> normalised bytes."""
    corpus = _copy_demo(workdir / "corpus")
    commit = _commit_once(corpus)
    output = workdir / "_site"
    build(Project.at(corpus, output), search=False)
    theme = {  # where pipeline.build copies the static files
        f"static/{path.relative_to(directory).as_posix()}"
        for directory in static_dirs(Project.at(corpus))
        for path in directory.rglob("*")
        if path.is_file()
    }
    site = {path.relative_to(output).as_posix(): path for path in output.rglob("*")}
    return {
        relative: normalise(relative, path.read_bytes(), commit)
        for relative, path in sorted(site.items())
        if path.is_file() and relative not in theme
    }


def _copy_demo(corpus: Path) -> Path:
    """What a build of the demo reads (:attr:`Project.sources`), but its git repository."""
    demo = Project.at(REPO)
    for source in demo.sources:
        target = corpus / source.relative_to(demo.root)
        if source.name == ".git":  # a directory, or in a worktree a file naming the real one
            continue
        if source.is_dir():
            shutil.copytree(source, target)
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return corpus


def _commit_once(corpus: Path) -> str:
    """Make ``corpus`` a repository of one commit at COMMIT_DATE; returns the commit id."""
    if (corpus / ".git").exists():  # git would write to the repository it names
        raise RuntimeError(f"{corpus} is already in a git repository")
    git(corpus, "init", "-q")
    if Path(git(corpus, "rev-parse", "--show-toplevel").strip()).resolve() != corpus.resolve():
        raise RuntimeError(f"git did not make a repository of {corpus} alone")
    git(corpus, "add", "-A")
    git(corpus, "commit", "-q", "-m", "The demo corpus", date=COMMIT_DATE)
    return git(corpus, "rev-parse", "HEAD").strip()


def normalise(relative: str, data: bytes, commit: str) -> bytes:
    """The commit id replaced; compact JSON indented (where that loses nothing)."""
    for sha in (commit, commit[:7]):
        data = data.replace(sha.encode(), NO_COMMIT[: len(sha)].encode())
    if relative.endswith((".json", ".jsonld")):
        try:
            value = json.loads(data)
        except ValueError:
            return data
        if _json(value, separators=(",", ":")) == data:
            return _json(value, indent=2)
    return data


def _json(value: object, **layout) -> bytes:
    return (json.dumps(value, ensure_ascii=False, **layout) + "\n").encode()


def read_golden() -> dict[str, bytes]:
    """The pinned files: site-relative path -> bytes."""
    return {
        path.relative_to(GOLDEN).as_posix(): path.read_bytes()
        for path in sorted(GOLDEN.rglob("*"))
        if path.is_file()
    }


def write_golden(site: dict[str, bytes]) -> None:
    """Replace ``tests/golden/site/`` with ``site``."""
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for relative, data in site.items():
        path = GOLDEN / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="scholion-golden-") as workdir:
        site = build_site(Path(workdir))
    write_golden(site)
    print(f"wrote {len(site)} files ({sum(map(len, site.values())):,} bytes) to {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
