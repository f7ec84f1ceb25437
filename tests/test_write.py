"""Atomic output: a failed build leaves the previous site byte for byte, and no staging behind.

Each test first builds tests/fixtures/site into a fresh output directory (the "previous site"),
hashes every file, makes a second build fail in some way, and compares the hashes.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scholion.diagnostics import ContentError, OutputError, RenderError
from scholion.model import OutputFile
from scholion.output import search, write
from scholion.output.search import SearchIndexError
from scholion.pipeline import build
from scholion.project import Project
from tests.helpers import FIXTURES, PUBLISHER, minimal_article, on_every_core, tree_hashes


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """A site built into tmp_path/out/_site; the only thing in tmp_path/out."""
    output = tmp_path / "out" / "_site"
    build(Project.at(FIXTURES / "site", output), search=False)
    assert (output / "articles/alpha/index.html").is_file()
    return output


def beside(output: Path) -> list[str]:
    """What is in the output's parent directory: only the site itself after any build."""
    return sorted(p.name for p in output.parent.iterdir())


def test_a_content_error_leaves_the_previous_site_untouched(previous, corpus):
    before = tree_hashes(previous)
    broken = corpus(
        {
            "content/entities/caracas.yaml": """\
                type: place
                name: [Caracas
                description: The capital of Venezuela.
                """
        }
    )
    with pytest.raises(ContentError) as raised:
        build(Project.at(broken, previous))
    assert [d.format_text() for d in raised.value.diagnostics] == [
        "content/entities/caracas.yaml:3:12: error: YAML syntax error: "
        "did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts at line 2, column 7)\n"
        "  hint: check the indentation and quoting on this line and the one before it"
    ]
    assert str(raised.value) == "1 error in content"
    assert tree_hashes(previous) == before
    assert beside(previous) == ["_site"]


def test_a_template_error_leaves_the_previous_site_untouched(previous):
    before = tree_hashes(previous)
    corpus = FIXTURES / "broken-template"
    with pytest.raises(RenderError) as raised:
        build(Project.at(corpus, previous))
    template = (corpus / "templates" / "article.html").resolve()
    shown = template.relative_to(Path.cwd()) if template.is_relative_to(Path.cwd()) else template
    assert str(raised.value) == (
        f"rendering articles/alpha/index.html with {shown.as_posix()}:4: "
        "'scholion.model.Article object' has no attribute 'headline'"
    )
    assert tree_hashes(previous) == before
    assert beside(previous) == ["_site"]


def test_a_search_index_failure_discards_the_staged_site(previous, monkeypatch):
    before = tree_hashes(previous)

    def fail(site: Path, *_arguments: object, **_options: object) -> int:
        assert (site / "articles/alpha/index.html").is_file()  # staged, not yet published
        raise SearchIndexError("Pagefind failed")

    monkeypatch.setattr(search, "build_search_index", fail)
    with pytest.raises(SearchIndexError):
        build(Project.at(FIXTURES / "site", previous))
    assert tree_hashes(previous) == before
    assert beside(previous) == ["_site"]


def test_an_interrupted_write_discards_the_staged_site(previous, monkeypatch):
    before = tree_hashes(previous)

    def interrupt(root: Path, files: object) -> None:
        (root / "index.html").write_text("half a site")
        raise KeyboardInterrupt

    monkeypatch.setattr(write, "write_files", interrupt)
    with pytest.raises(KeyboardInterrupt):
        build(Project.at(FIXTURES / "site", previous), search=False)
    assert tree_hashes(previous) == before
    assert beside(previous) == ["_site"]


def test_a_rebuild_prunes_stale_pages_and_equals_a_clean_build(previous, corpus, tmp_path):
    smaller = corpus(
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(),
        }
    )
    build(Project.at(smaller, previous), search=False)
    clean = tmp_path / "clean" / "_site"
    build(Project.at(smaller, clean), search=False)
    assert tree_hashes(previous) == tree_hashes(clean)
    assert not (previous / "articles" / "beta").exists()
    assert beside(previous) == ["_site"]


def test_leftovers_of_an_interrupted_build_are_cleared_by_the_next(previous):
    (previous.parent / "_site.staging-abc").mkdir()
    (previous.parent / "_site.retired-123").mkdir()
    build(Project.at(FIXTURES / "site", previous), search=False)
    assert beside(previous) == ["_site"]


def test_an_output_lost_between_the_two_renames_is_restored(tmp_path):
    retired = tmp_path / "_site.retired-123"
    retired.mkdir()
    (retired / "index.html").write_text("the previous site")
    staging = write.staging_dir(tmp_path / "_site")
    assert (tmp_path / "_site" / "index.html").read_text() == "the previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", staging.name]


@pytest.mark.parametrize("reuse", [True, False])
def test_the_staging_directory_is_named_before_it_is_ready(previous, reuse):
    """A build reads the record of the staged files' statuses while the mirror's child is
    still at work: the directory it names then is the one made ready."""
    staging = write.Staging(previous, reuse=reuse)
    named = staging.path
    assert named.parent == previous.parent and named != previous
    assert staging.ready() == named
    assert (named / "index.html").is_file() == reuse  # the previous site's, linked
    staging.abandon()
    assert not named.exists()


def test_publish_without_a_previous_site(tmp_path):
    staging = write.staging_dir(tmp_path / "_site")
    write.write_files(staging, [OutputFile("a/index.html", b"hello")])
    write.publish(staging, tmp_path / "_site")
    assert (tmp_path / "_site" / "a" / "index.html").read_bytes() == b"hello"
    assert sorted(os.listdir(tmp_path)) == ["_site"]


@pytest.mark.parametrize("path", ["../escape.html", "/etc/passwd", "a/../../b", "a\\b", ""])
def test_paths_outside_the_site_are_refused(tmp_path, path):
    with pytest.raises(OutputError, match="refusing to write outside the site"):
        write.safe_join(tmp_path, path)


def test_output_that_is_a_file_is_refused(tmp_path):
    output = tmp_path / "_site"
    output.write_text("not a directory")
    staging = write.staging_dir(output)
    with pytest.raises(OutputError, match="exists and is not a directory"):
        write.publish(staging, output)


def test_the_published_site_is_readable_by_everyone(previous):
    """GitHub Pages and any web server read the site as another user."""
    mode = previous.stat().st_mode & 0o777
    assert mode == 0o755


def test_a_file_is_written_where_it_is_made_and_handed_on_without_its_bytes(tmp_path):
    """Render and export workers write their own files (``write.Staged``): what reaches the
    parent is the path alone, a file whose bytes are already there is left as it is, and a
    path outside the site is refused there too."""
    staged = write.Staged(tmp_path)
    assert staged(OutputFile("claims/a/index.html", b"<p>A</p>")) == OutputFile(
        "claims/a/index.html", None
    )
    page = tmp_path / "claims" / "a" / "index.html"
    assert page.read_bytes() == b"<p>A</p>"
    before = page.stat()
    staged(OutputFile("claims/a/index.html", b"<p>A</p>"))
    assert (page.stat().st_ino, page.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    staged(OutputFile("claims/a/index.html", b"<p>B</p>"))
    assert page.read_bytes() == b"<p>B</p>"
    assert staged(OutputFile("kept.html", None)) == OutputFile("kept.html", None)
    assert not (tmp_path / "kept.html").exists()
    with pytest.raises(OutputError, match="refusing to write outside the site"):
        staged(OutputFile("../escape.html", b"x"))


def test_a_file_written_for_a_stage_that_asks_carries_its_identity_and_digest(tmp_path):
    """The search stage asks for a digest of each page (``Staged(digest=...)``): the file
    handed on carries it with the file's inode, modification time and size as written, or as
    found when the same bytes were already there; files the stage does not want carry none."""
    staged = write.Staged(
        tmp_path, lambda path, data: data.hex() if path.endswith(".html") else None
    )
    made = staged(OutputFile("claims/a/index.html", b"<p>A</p>"))
    page = tmp_path / "claims" / "a" / "index.html"
    status = page.stat()
    assert made.content is None
    assert made.stamp == (status.st_ino, status.st_mtime_ns, 8, b"<p>A</p>".hex())
    assert staged(OutputFile("claims/a/index.html", b"<p>A</p>")).stamp == made.stamp
    replaced = staged(OutputFile("claims/a/index.html", b"<p>Bb</p>")).stamp
    status = page.stat()
    assert replaced == (status.st_ino, status.st_mtime_ns, 9, b"<p>Bb</p>".hex())
    assert staged(OutputFile("data/a.json", b"{}")).stamp is None
    assert write.Staged(tmp_path)(OutputFile("b.html", b"<p>B</p>")).stamp is None


_names = st.sampled_from(["a", "b", "c.html", "pagefind"])
_trees = st.recursive(
    st.sampled_from([b"one", b"two", "link"]),
    lambda inner: st.dictionaries(_names, inner, max_size=4),
    max_leaves=12,
)
"""A folder's contents: a name to bytes (a file), "link" (a symbolic link) or a folder."""


def _make(root: Path, tree: dict, outside: Path) -> None:
    root.mkdir(exist_ok=True)
    for name, value in tree.items():
        if isinstance(value, dict):
            _make(root / name, value, outside)
        elif value == "link":
            (root / name).symlink_to(outside)
        else:
            (root / name).write_bytes(value)


def _listing(root: Path) -> dict[str, tuple[str, int]]:
    """Every path under ``root``: its kind and, for a file, its inode."""
    found = {}
    for folder, dirs, names in os.walk(root):
        for name in [*dirs, *names]:
            path = Path(folder, name)
            kind = "link" if path.is_symlink() else "folder" if path.is_dir() else "file"
            inode = path.lstat().st_ino if kind == "file" else 0
            found[path.relative_to(root).as_posix()] = (kind, inode)
    return found


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    site=st.dictionaries(_names, _trees, max_size=4),
    spare=st.dictionaries(_names, _trees, max_size=4),
)
def test_the_spare_tree_is_brought_to_what_a_new_tree_of_links_would_be(
    tmp_path, site, spare, monkeypatch
):
    """Whatever the spare holds (files of other bytes, folders where files go, links that
    point outside), mirroring the site into it gives what linking the site into an empty
    folder gives: the same names, each file the site's own, no link, no search index; and
    nothing outside is touched. The folders two levels down are mirrored by workers."""
    on_every_core(monkeypatch, chunk=1)
    case = Path(tempfile.mkdtemp(dir=tmp_path))
    outside = case / "outside"
    outside.mkdir()
    (outside / "keep").write_text("not the site's")
    published, kept, fresh = case / "site", case / "spare", case / "fresh"
    _make(published, _without_links(site), outside)
    _make(kept, spare, outside)
    fresh.mkdir()
    write._link_tree(published, fresh)
    tree = write._mirror_site(str(published), str(kept))
    assert _listing(kept) == _listing(fresh)
    assert [p.name for p in outside.iterdir()] == ["keep"]
    # What the mirror says the tree holds is what it holds: every file, every empty folder.
    listing = _listing(kept)
    assert tree.whole and sorted(tree.files) == sorted(
        path for path, (kind, _) in listing.items() if kind == "file"
    )
    empty = [p for p, (kind, _) in listing.items() if kind == "folder" and _empty(kept / p)]
    assert sorted(tree.empty) == sorted(f"{path}/" for path in empty)


def _empty(folder: Path) -> bool:
    return not any(folder.iterdir())


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(site=st.dictionaries(_names, _trees, max_size=4), data=st.data())
def test_pruning_what_the_mirror_listed_is_pruning_by_walking(tmp_path, site, data, monkeypatch):
    """Pruned from the mirror's list of what the staging directory held, or by walking it: the
    same files and folders are left, whatever is kept and whichever folders are left alone."""
    on_every_core(monkeypatch, chunk=1)
    case = Path(tempfile.mkdtemp(dir=tmp_path))
    published, listed, walked = case / "site", case / "listed", case / "walked"
    _make(published, _without_links(site), case)
    listed.mkdir(), walked.mkdir()
    tree = write._mirror_site(str(published), str(listed))
    write._mirror_site(str(published), str(walked))
    keep = data.draw(st.lists(st.sampled_from(tree.files), unique=True)) if tree.files else []
    leave = data.draw(st.sampled_from([frozenset(), frozenset({"pagefind"})]))
    assert write.prune(listed, keep, leave, tree) == write.prune(walked, keep, leave)
    assert _listing(listed) == _listing(walked)


def test_pruning_what_the_mirror_listed_skips_a_file_the_build_made_a_folder_of(tmp_path):
    published, staged = tmp_path / "site", tmp_path / "staged"
    (published / "claims").mkdir(parents=True)
    (published / "claims" / "a").write_text("a page where a folder goes now")
    (published / "old.html").write_text("gone")
    staged.mkdir()
    tree = write._mirror_site(str(published), str(staged))
    (staged / "claims" / "a").unlink()
    write.write_files(staged, [OutputFile("claims/a/index.html", b"<p>A</p>")])
    assert write.prune(staged, ["claims/a/index.html"], frozenset(), tree) == 1
    assert _listing(staged).keys() == {"claims", "claims/a", "claims/a/index.html"}


def _without_links(tree: dict) -> dict:
    return {
        name: _without_links(value) if isinstance(value, dict) else value
        for name, value in tree.items()
        if value != "link"
    }


@pytest.mark.parametrize("cores", ["one", "every"])
def test_pruning_deletes_what_is_not_kept_and_the_folders_it_empties(tmp_path, monkeypatch, cores):
    if cores == "every":
        on_every_core(monkeypatch, chunk=1)
    files = [
        "index.html",
        "old.html",
        "claims/index.html",
        "claims/a/index.html",
        "claims/a/feed.xml",
        "claims/b/index.html",
        "claims/b/deep/er/x.json",
        "gone/c/index.html",
        "gone/d.html",
    ]
    for path in files:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(path)
    (tmp_path / "claims/empty/inside").mkdir(parents=True)
    keep = ["index.html", "claims/index.html", "claims/a/index.html", "claims/b/deep/er/x.json"]
    assert write.prune(tmp_path, keep) == len(files) - len(keep)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "claims",
        "claims/a",
        "claims/a/index.html",
        "claims/b",
        "claims/b/deep",
        "claims/b/deep/er",
        "claims/b/deep/er/x.json",
        "claims/index.html",
        "index.html",
    ]


def test_the_mirror_of_a_site_too_large_to_list_is_pruned_by_walking(tmp_path, monkeypatch):
    monkeypatch.setattr(write, "TREE_FILES", 2)
    published, staged = tmp_path / "site", tmp_path / "staged"
    for name in ("a.html", "b/c.html", "b/d.html"):
        (published / name).parent.mkdir(parents=True, exist_ok=True)
        (published / name).write_text(name)
    staged.mkdir()
    tree = write._mirror_site(str(published), str(staged))
    assert not tree.whole and tree.files == []
    assert _listing(staged).keys() == _listing(published).keys()
