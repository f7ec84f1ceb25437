"""Nothing a contributor writes can create or overwrite a file outside the output directory.

Ids and slugs become paths, so they follow one strict ASCII pattern (no ``..``, no slash, no
look-alike letters, no newline, no Windows device name); content is read only from plain files
(a symbolic link could publish a secret); and the output directory itself can never be the
repository or anything the build reads.
"""

from __future__ import annotations

import json
import os

import pytest

from scholion.diagnostics import OutputError
from scholion.incremental import fingerprint as rebuild
from scholion.model import OutputFile
from scholion.output import write
from scholion.pipeline import build
from scholion.project import Project
from tests.helpers import check, minimal_article, tree_hashes

PLACE = "type: place\nname: Caracas\ndescription: The capital.\n"


@pytest.mark.parametrize(
    ("name", "message", "hint"),
    [
        ("Caracas.yaml", "is not a valid id", "caracas.yaml"),
        ("cara cas.yaml", "is not a valid id", "cara-cas.yaml"),
        ("caracas\n.yaml", "is not a valid id", "caracas.yaml"),
        ("\u0441\u0430racas.yaml", "is not a valid id", "racas.yaml"),  # Cyrillic es and a
        ("\uff43aracas.yaml", "is not a valid id", "aracas.yaml"),  # fullwidth c
        ("cara\u200bcas.yaml", "is not a valid id", "cara-cas.yaml"),  # zero-width space
        ("-caracas.yaml", "is not a valid id", "caracas.yaml"),
        ("cara--cas.yaml", "is not a valid id", "cara-cas.yaml"),
        ("caracas..yaml", "is not a valid id", "caracas.yaml"),
        ("CON.yaml", "is not a valid id", "con-1.yaml"),
        ("a" * 101 + ".yaml", "is not a valid id", "a" * 100 + ".yaml"),
        ("con.yaml", "is a device name reserved by Windows", "con-1.yaml"),
        ("nul.yaml", "is a device name reserved by Windows", "nul-1.yaml"),
        ("lpt1.yaml", "is a device name reserved by Windows", "lpt1-1.yaml"),
    ],
)
def test_a_file_name_that_is_not_a_safe_id_is_refused(corpus, name, message, hint):
    root = corpus({f"content/entities/{name}": PLACE})
    [diagnostic] = check(root)
    assert diagnostic.startswith(
        f"content/entities/{name}:1:1: error: file name {name!r} {message}"
    )
    assert diagnostic.endswith(hint)


SIDECAR_ARTICLE = {
    "content/entities/example-times.yaml": "type: media\nname: Example Times\ndescription: x.\n",
    "content/articles/alpha.md": minimal_article(),
}


@pytest.mark.parametrize(
    ("claim_id", "message"),
    [
        ("../../../etc/passwd", "is not a valid id"),
        ("/tmp/x", "is not a valid id"),
        ("a/b", "is not a valid id"),
        ("a\\b", "is not a valid id"),
        ("aircraft-landed\n", "is not a valid id"),
        ("\u0430ircraft", "is not a valid id"),  # Cyrillic a
        ('x" onmouseover="alert(1)', "is not a valid id"),
        ("CON", "is not a valid id"),
        ("con", "is a device name reserved by Windows"),
        ("aux", "is a device name reserved by Windows"),
        ("com1", "is a device name reserved by Windows"),
    ],
)
def test_a_claim_id_that_is_not_a_safe_id_is_refused(corpus, claim_id, message):
    sidecar = {
        "claims": [
            {
                "id": claim_id,
                "quote": "Two aircraft landed",
                "statement": "Two aircraft landed.",
                "rating": "accurate",
                "explanation": "Seen.",
            }
        ]
    }
    root = corpus({**SIDECAR_ARTICLE, "content/articles/alpha.yaml": json.dumps(sidecar)})
    [diagnostic] = check(root)
    assert f"'id' value {claim_id!r} {message}" in diagnostic
    assert diagnostic.startswith("content/articles/alpha.yaml:1:")


def test_a_long_id_is_refused(corpus):
    sidecar = {"notes": [{"id": "a" * 101, "kind": "context", "text": "x"}]}
    root = corpus({**SIDECAR_ARTICLE, "content/articles/alpha.yaml": json.dumps(sidecar)})
    [diagnostic] = check(root)
    assert "'id'" in diagnostic and "is too long" in diagnostic


def test_a_reference_cannot_name_a_path(corpus):
    root = corpus({"content/sources/report.yaml": "title: T\nkind: wire\npublisher: ../x\n"})
    assert check(root)[0] == (
        "content/sources/report.yaml:3:12: error: 'publisher' value '../x' is not a valid id\n"
        "  hint: use lower-case letters a-z, digits and single hyphens, e.g. x"
    )


def test_a_symbolic_link_in_content_is_refused_and_not_read(corpus, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text(PLACE.replace("The capital.", "SECRET TOKEN"))
    root = corpus({"content/entities/moscow.yaml": PLACE})
    (root / "content/entities/caracas.yaml").symlink_to(secret)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "content/pages").mkdir()
    (root / "content/pages/more").symlink_to(outside, target_is_directory=True)
    assert check(root) == [
        "content/entities/caracas.yaml:1:1: error: symbolic links are not allowed in content/\n"
        "  hint: replace the link with a copy of the file it points to",
        "content/pages/more:1:1: error: symbolic links are not allowed in content/\n"
        "  hint: replace the link with a copy of the file it points to",
    ]


def test_a_fifo_in_content_is_refused_without_blocking(corpus):
    root = corpus({"content/entities/moscow.yaml": PLACE})
    os.mkfifo(root / "content/entities/caracas.yaml")
    assert check(root) == [
        "content/entities/caracas.yaml:1:1: error: this is not a regular file\n"
        "  hint: content/ holds only plain files and directories"
    ]


def test_a_symbolic_link_in_static_fails_the_build_and_copies_nothing(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET TOKEN")
    root = corpus({"content/entities/caracas.yaml": PLACE, "static/site.css": "p {}"})
    (root / "static/leak.txt").symlink_to(secret)
    with pytest.raises(OutputError, match="static files must not be symbolic links"):
        build(Project.at(root), search=False)
    assert not (root / "_site").exists()


@pytest.mark.parametrize("output", [".", "content", "content/site", "templates", "..", "static"])
def test_the_output_cannot_be_or_hold_what_the_build_reads(corpus, output):
    root = corpus({"content/entities/caracas.yaml": PLACE, "templates/.keep": ""})
    (root / "static").mkdir()
    before = tree_hashes(root.parent)
    with pytest.raises(OutputError, match="refusing to build into"):
        build(Project.at(root, root / output), search=False)
    assert tree_hashes(root.parent) == before


def test_the_output_cannot_be_a_link_to_content(corpus):
    root = corpus({"content/entities/caracas.yaml": PLACE})
    (root / "_site").symlink_to(root / "content", target_is_directory=True)
    before = tree_hashes(root)
    with pytest.raises(OutputError, match="refusing to build into"):
        build(Project.at(root), search=False)
    assert tree_hashes(root) == before


def test_a_directory_that_is_not_a_site_is_not_replaced(corpus, tmp_path):
    root = corpus({"content/entities/caracas.yaml": PLACE})
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "thesis.txt").write_text("years of work")
    with pytest.raises(OutputError, match="it is not empty and is not a site Scholion built"):
        build(Project.at(root, documents), search=False)
    assert (documents / "thesis.txt").read_text() == "years of work"


def test_an_empty_directory_or_a_previous_site_is_replaced(corpus, tmp_path):
    root = corpus({"content/entities/caracas.yaml": PLACE})
    output = tmp_path / "public"
    output.mkdir()
    build(Project.at(root, output), search=False)
    build(Project.at(root, output), search=False)
    assert (output / "entities/caracas/index.html").is_file()


@pytest.mark.parametrize(
    "path",
    ["con/index.html", "entities/NUL/index.html", "static/aux.css", "a\nb.html", "a\x00b.html"],
)
def test_safe_join_refuses_names_windows_cannot_hold(tmp_path, path):
    with pytest.raises(OutputError, match="refusing to write a file name Windows cannot hold"):
        write.safe_join(tmp_path, path)


def test_safe_join_refuses_a_link_out_of_the_site(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "entities").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(OutputError, match="refusing to write outside the site"):
        write.safe_join(site, "entities/x/index.html")


def test_every_file_a_build_writes_is_inside_the_output(corpus, tmp_path):
    root = corpus({"content/entities/caracas.yaml": PLACE})
    before = tree_hashes(tmp_path)
    output = root / "_site"
    build(Project.at(root, output), search=False)
    after = tree_hashes(tmp_path)
    prefix = output.relative_to(tmp_path).as_posix() + "/"
    assert {k: v for k, v in after.items() if not k.startswith(prefix)} == before
    assert sorted(p.name for p in root.iterdir()) == ["_site", "content", "site_config.yaml"]


def test_the_build_fingerprint_does_not_read_through_links(corpus, tmp_path):
    """The incremental build hashes every input before loading; through a link in content/ it
    could read /proc/kcore or any huge file, so it reads no link (load then refuses it)."""
    target = tmp_path / "outside.yaml"
    target.write_text(PLACE)
    root = corpus({"content/entities/moscow.yaml": PLACE})
    (root / "content/entities/caracas.yaml").symlink_to(target)
    project = Project.at(root)
    first = rebuild.fingerprint(project, [], {})
    target.write_text(PLACE + "aliases: [Karakas]\n")
    assert rebuild.fingerprint(project, [], {}) == first


@pytest.mark.parametrize("linked", [".cache", ".cache/pages.sqlite3", ".cache/files.sqlite3"])
def test_a_link_in_the_build_cache_is_removed_not_written_through(corpus, tmp_path, linked):
    """A repository can carry symbolic links: ``.cache`` pointing out of it, or one of the
    cache's files pointing at a file that does not exist yet (SQLite would create it)."""
    root = corpus({"content/entities/caracas.yaml": PLACE})
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "planted" if linked != ".cache" else outside
    (root / ".cache").mkdir(exist_ok=linked == ".cache")
    if linked == ".cache":
        (root / ".cache").rmdir()
    (root / linked).symlink_to(target)
    build(Project.at(root, root / "_site"), search=False, incremental=True, cache=True)
    build(Project.at(root, root / "_site"), search=False, incremental=True, cache=True)
    assert list(outside.iterdir()) == []
    assert not (root / linked).is_symlink() and (root / ".cache").is_dir()
    assert {p.name for p in (root / ".cache").iterdir()} >= {"pages.sqlite3", "files.sqlite3"}


def test_clean_removes_a_linked_cache_not_what_it_points_at(corpus, tmp_path):
    from scholion.commands.corpus import clean

    root = corpus({"content/entities/caracas.yaml": PLACE})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "kept").write_text("not the build's")
    (root / ".cache").symlink_to(outside)
    assert clean(Project.at(root)) == [root / ".cache"]
    assert not (root / ".cache").exists() and (outside / "kept").read_text() == "not the build's"


@pytest.mark.parametrize("linked", ["entities", "entities/x"])
def test_the_writer_never_writes_through_a_link_out_of_the_site(tmp_path, linked):
    """A link where a page's folder goes (left in a staging tree, say) stops the write: the
    writer makes the folders a page needs itself, and never makes one through a link."""
    site, outside = tmp_path / "site", tmp_path / "outside"
    (site / linked).parent.mkdir(parents=True)
    outside.mkdir()
    (site / linked).symlink_to(outside, target_is_directory=True)
    with pytest.raises(OutputError, match="refusing to write outside the site"):
        write.write_files(site, [OutputFile("entities/x/y/index.html", b"<p>page</p>")])
    assert list(outside.iterdir()) == []
