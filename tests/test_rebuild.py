"""Incremental builds: skipped when nothing changed, and otherwise byte for byte a clean build.

Each test copies tests/fixtures/site, builds it with ``incremental=True`` (what ``build.py build``
does), changes something, rebuilds, and compares with a clean build of the changed corpus.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scholion import parallel
from scholion.diagnostics import ContentError, RenderError
from scholion.incremental import fingerprint as rebuild
from scholion.output import write
from scholion.pipeline import build, build_inputs
from scholion.project import Project
from tests.helpers import FIXTURES, REPO, on_every_core, tree_hashes


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "site", root, ignore=shutil.ignore_patterns(".cache"))
    return root


def incremental(root: Path, output: Path, **options: object):
    return build(Project.at(root, output), search=False, incremental=True, **options)


def clean(root: Path, output: Path) -> dict[str, str]:
    build(Project.at(root, output), search=False)
    return tree_hashes(output)


def inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def test_a_rebuild_after_edits_equals_a_clean_build(corpus, tmp_path):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    before, before_hashes = inodes(site), tree_hashes(site)
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("Only the embassy says so.", "Reworded."))
    (corpus / "content/articles/gamma.md").unlink()
    (corpus / "content/entities/lima.yaml").write_text(
        "type: place\nname: Lima\ndescription: The capital of Peru.\n"
    )
    incremental(corpus, site)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")
    assert not (site / "articles" / "gamma").exists()
    # Files that came out the same were left alone (same inode); the others were replaced.
    after, after_hashes = inodes(site), tree_hashes(site)
    kept = {path for path in after if after[path] == before.get(path)}
    same = {path for path in after if after_hashes[path] == before_hashes.get(path)}
    assert kept == same
    assert "claims/troops-arrived/index.html" not in kept
    assert "static/scholion.css" in kept


def test_a_rebuild_with_nothing_changed_leaves_the_site_alone(corpus, tmp_path):
    site = tmp_path / "out" / "_site"
    first = incremental(corpus, site)
    before = {path: os.stat(site / path).st_mtime_ns for path in tree_hashes(site)}
    second = incremental(corpus, site)
    assert list(second.timings) == ["unchanged"]
    assert (second.pages, second.diagnostics) == (first.pages, first.diagnostics)
    assert {path: os.stat(site / path).st_mtime_ns for path in tree_hashes(site)} == before


def test_the_output_s_listing_goes_on_while_the_site_is_published(corpus, tmp_path, monkeypatch):
    """The listing for the next build's no-change check is begun in a child before the site
    is published; a child slow to start still lists the published site (it reads the folder
    it was handed, not its path), and the next build finds nothing changed."""
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    (corpus / "content/articles/alpha.md").write_text(
        (corpus / "content/articles/alpha.md").read_text().replace("said", "stated", 1)
    )
    listing = rebuild.listing_parts

    def slow(root, *arguments):
        if arguments and arguments[0]:  # the staging directory's, the search index left out
            time.sleep(0.5)  # it is renamed meanwhile
        return listing(root, *arguments)

    monkeypatch.setattr(rebuild, "listing_parts", slow)
    incremental(corpus, site)
    monkeypatch.undo()
    assert list(incremental(corpus, site).timings) == ["unchanged"]


NO_CHANGE_PROBE = """
import sys
from scholion import cli
status = cli.main(sys.argv[1:])
engine = ("scholion.load", "scholion.validate", "scholion.link", "scholion.render",
          "scholion.exports", "scholion.output", "jinja2", "markdown", "yaml", "jsonschema")
print(status, sorted(m for m in sys.modules if m.startswith(engine)))
"""


def test_a_rebuild_with_nothing_changed_after_an_indexed_build_leaves_it_alone(corpus, tmp_path):
    """The output's listing is begun in the staging directory while the search stage runs,
    its search index listed once published: the next build finds the same listing."""
    site = tmp_path / "out" / "_site"
    project = Project.at(corpus, site)
    build(project, incremental=True)
    assert (site / "pagefind").is_dir()
    again = build(project, incremental=True)
    assert list(again.timings) == ["unchanged"]
    (site / "pagefind" / "pagefind-entry.json").write_text("{}")  # the index changed since
    assert list(build(project, incremental=True).timings) != ["unchanged"]


def test_a_build_with_nothing_to_do_imports_none_of_the_stages(corpus, tmp_path):
    """Importing the whole engine was 0.5 s of the 2.3-3 s such a build takes at 10,000
    articles; the check that nothing changed needs only scholion.incremental."""
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    arguments = ["--root", str(corpus), "build", "--output", str(site), "--no-search"]
    probe = subprocess.run(
        [sys.executable, "-c", NO_CHANGE_PROBE, *arguments, "--no-cache"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert "nothing changed" in probe.stderr
    assert probe.stdout.split("\n")[0] == "0 []"


@pytest.mark.parametrize("tamper", ["removed", "rewritten, same size", "a file added"])
def test_a_page_removed_or_changed_in_the_output_is_rebuilt(corpus, tmp_path, tamper):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    page = site / "claims" / "troops-arrived" / "index.html"
    if tamper == "removed":
        page.unlink()
    elif tamper == "rewritten, same size":
        page.write_bytes(page.read_bytes().upper())
    else:
        (site / "claims" / "stray.html").write_text("not from a build")
    report = incremental(corpus, site)
    assert "unchanged" not in report.timings
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_failed_incremental_build_leaves_the_previous_site_byte_for_byte(corpus, tmp_path):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    before = tree_hashes(site)
    (corpus / "site_config.yaml").write_text(
        (corpus / "site_config.yaml").read_text().replace("Fixture corpus", "Renamed corpus")
    )
    shutil.copytree(FIXTURES / "broken-template" / "templates", corpus / "templates")
    with pytest.raises(RenderError):
        incremental(corpus, site)  # pages before the broken one were already replaced in staging
    assert tree_hashes(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["_site"]


def test_building_on_every_core_gives_the_same_bytes(corpus, tmp_path, monkeypatch):
    one_process = clean(corpus, tmp_path / "one" / "_site")
    on_every_core(monkeypatch)
    assert clean(corpus, tmp_path / "pool" / "_site") == one_process


def test_ordered_map_keeps_order_and_raises_a_workers_error(monkeypatch):
    monkeypatch.setenv("SCHOLION_WORKERS", "2")
    assert list(parallel.ordered_map(abs, range(-50, 50), chunk=3, threshold=0)) == [
        abs(n) for n in range(-50, 50)
    ]
    with pytest.raises(ZeroDivisionError):
        list(parallel.ordered_map(lambda n: 1 / n, [2, 1, 0], chunk=1, threshold=0))


def test_every_file_the_build_reads_is_in_the_fingerprint(corpus):
    project = Project.at(corpus)
    seen = {rebuild.fingerprint(project, build_inputs(project), {})}
    for source in project.sources:
        if source.name == ".git":
            continue  # the commit is in the fingerprint, not the object store
        if source.suffix:
            source.write_text(source.read_text() + "# edited\n")
        else:
            source.mkdir(exist_ok=True)
            (source / "new-file").write_text("new")
        seen.add(rebuild.fingerprint(project, build_inputs(project), {}))
    assert len(seen) == len(project.sources)  # one new fingerprint per edit, .git aside


def _recall(project: Project) -> tuple[str, rebuild.FileHashes]:
    """The build's fingerprint with the digests the last call left, and those digests saved."""
    hashes = rebuild.FileHashes.recall(project)
    print_ = rebuild.fingerprint(project, build_inputs(project), {}, hashes)
    hashes.save(project)
    return print_, hashes


def test_a_files_digest_is_reused_only_while_its_status_is_unchanged(corpus, monkeypatch):
    monkeypatch.setattr(rebuild.FileHashes, "RACY_NS", 0)
    project = Project.at(corpus)
    first, hashes = _recall(project)
    assert hashes.read > 0
    again, hashes = _recall(project)
    assert (again, hashes.read) == (first, 0)  # nothing read a second time
    # The same number of bytes, and the modification time put back as it was: only the change
    # time (which no tool can set) tells this edit apart.
    sidecar = corpus / "content" / "articles" / "alpha.yaml"
    status = sidecar.stat()
    sidecar.write_bytes(sidecar.read_bytes().replace(b"a", b"b"))
    os.utime(sidecar, ns=(status.st_atime_ns, status.st_mtime_ns))
    edited, hashes = _recall(project)
    assert edited != first and hashes.read == 1
    assert edited == rebuild.fingerprint(project, build_inputs(project), {})  # as without a record


def test_a_file_changed_just_before_it_was_hashed_is_hashed_again(corpus, monkeypatch):
    project = Project.at(corpus)
    before_the_edit = time.time_ns()
    time.sleep(0.05)  # the file system's clock ticks coarser than time_ns
    sidecar = corpus / "content" / "articles" / "alpha.yaml"
    sidecar.write_text(sidecar.read_text() + "# edited\n")
    # Hashed as if at most RACY_NS after the edit (the corpus was copied just before it).
    at = before_the_edit + rebuild.FileHashes.RACY_NS
    monkeypatch.setattr(rebuild.time, "time_ns", lambda: at)
    _recall(project)
    _, hashes = _recall(project)
    assert hashes.read == 1  # within the same clock tick, a second edit could leave no trace


def test_a_damaged_digest_record_costs_only_time(corpus, monkeypatch):
    monkeypatch.setattr(rebuild.FileHashes, "RACY_NS", 0)
    project = Project.at(corpus)
    first, _ = _recall(project)
    record = corpus / ".cache" / rebuild.FileHashes.RECORD
    for damaged in ("{", '{"format": 1, "files": {"x": 3}}', record.read_text().replace('"', "'")):
        record.write_text(damaged)
        assert _recall(project)[0] == first
    text = record.read_text()
    name = str(corpus / "content" / "articles" / "alpha.yaml")
    entry = text[text.index(name) :].split("]", 1)[0]
    record.write_text(text.replace(entry, entry[:-3] + 'zz"'))  # a digest that is not hex
    assert _recall(project)[0] == first


def test_the_pool_starts_no_more_workers_than_memory_holds(monkeypatch):
    monkeypatch.delenv("SCHOLION_WORKERS", raising=False)
    gib = 1 << 30
    monkeypatch.setattr(parallel, "memory", lambda: (10 * gib, 13 * gib))
    assert parallel.workers() == 1  # in this process: a worker would not fit
    monkeypatch.setattr(parallel, "memory", lambda: (21 * gib, int(1.2 * gib)))
    assert parallel.workers() == min(14, len(os.sched_getaffinity(0)))  # 21 GiB / 1.5 GiB
    monkeypatch.setattr(parallel, "memory", lambda: (None, None))  # not Linux: cores decide
    assert parallel.workers() == len(os.sched_getaffinity(0))


def test_the_memory_the_pool_weighs_is_read_from_the_system():
    available, resident = parallel.memory()
    assert available is not None and resident is not None  # these machines are Linux
    assert 10 << 20 < resident < available  # this test process: tens of MiB, not the machine


def test_a_containers_memory_limit_bounds_the_pool(tmp_path):
    (tmp_path / "memory.max").write_text("4294967296\n")
    (tmp_path / "memory.current").write_text("1073741824\n")
    assert parallel._container_room(str(tmp_path)) == 3 << 30
    (tmp_path / "memory.max").write_text("max\n")
    assert parallel._container_room(str(tmp_path)) is None
    assert parallel._container_room(str(tmp_path / "none")) is None


def test_the_site_a_build_replaced_is_kept_as_the_spare_the_next_build_starts_from(
    corpus, tmp_path
):
    """An incremental build keeps the site it replaced beside the output (``_site.spare``),
    its unchanged files links to the published ones; the next build starts from it."""
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    reword = corpus / "content/articles/beta.yaml"
    reword.write_text(reword.read_text().replace("Only the embassy says so.", "Reworded."))
    incremental(corpus, site)
    spare = tmp_path / "out" / "_site.spare"
    assert sorted(p.name for p in site.parent.iterdir()) == ["_site", "_site.spare"]
    shared = set(inodes(spare).items()) & set(inodes(site).items())
    assert ("static/scholion.css", inodes(site)["static/scholion.css"]) in shared
    assert "claims/troops-arrived/index.html" not in dict(shared)  # changed: the old one kept
    reword.write_text(reword.read_text().replace("Reworded.", "Reworded again."))
    incremental(corpus, site)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_spare_tampered_with_gives_the_same_site_and_touches_nothing_outside(corpus, tmp_path):
    site = tmp_path / "out" / "_site"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("not the site's")
    incremental(corpus, site)
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("Only the embassy says so.", "Reworded."))
    incremental(corpus, site)
    spare = tmp_path / "out" / "_site.spare"
    (spare / "claims/aircraft-landed/index.html").unlink()
    (spare / "claims/aircraft-landed/index.html").write_text("other bytes, another file")
    (spare / "articles/alpha/index.html").unlink()
    (spare / "stray.html").write_text("not from a build")
    shutil.rmtree(spare / "entities")
    (spare / "entities").symlink_to(outside)  # a link where a folder goes: never followed
    sidecar.write_text(sidecar.read_text().replace("Reworded.", "Reworded again."))
    incremental(corpus, site)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")
    assert [p.name for p in outside.iterdir()] == ["index.html"]
    assert (outside / "index.html").read_text() == "not the site's"


def test_a_build_that_fails_on_its_content_leaves_the_site_and_its_spare(corpus, tmp_path):
    """The spare is brought up to date while the content is checked; when the check fails, the
    site is as it was and the spare is still there for the next build, which gives a clean
    build's site."""
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("Only the embassy says so.", "Reworded."))
    incremental(corpus, site)
    before = tree_hashes(site)
    text = sidecar.read_text()
    sidecar.write_text(text.replace("claims:", "claims: [", 1))
    with pytest.raises(ContentError):
        incremental(corpus, site)
    assert tree_hashes(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == ["_site", "_site.spare"]
    sidecar.write_text(text.replace("Reworded.", "Reworded again."))
    incremental(corpus, site)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_clean_build_keeps_no_spare(corpus, tmp_path):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    (corpus / "content/articles/gamma.md").unlink()
    incremental(corpus, site)
    assert (tmp_path / "out" / "_site.spare").is_dir()
    clean(corpus, site)
    assert sorted(p.name for p in site.parent.iterdir()) == ["_site"]


def test_a_spare_the_file_system_refuses_is_set_aside_for_new_links(corpus, tmp_path, monkeypatch):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    (corpus / "content/articles/gamma.md").unlink()
    incremental(corpus, site)

    def refused(source: str, target: str) -> None:
        raise PermissionError(f"cannot write in {target}")

    monkeypatch.setattr(write, "_mirror_site", refused)
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("Only the embassy says so.", "Reworded."))
    incremental(corpus, site)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def _touched(path: Path) -> None:
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000))


@pytest.mark.parametrize(
    "change",
    [
        lambda root: _touched(root / "index.html"),
        lambda root: _touched(root / "claims" / "index.html"),
        lambda root: _touched(root / "claims" / "a" / "index.html"),
        lambda root: _touched(root / "claims" / "a" / "deep" / "feed.xml"),
        lambda root: (root / "claims" / "a" / "index.html").write_text("longer page"),
        lambda root: (root / "claims" / "b" / "new.html").write_text(""),
        lambda root: (root / "claims" / "a" / "deep" / "feed.xml").unlink(),
        lambda root: (root / "claims" / "b").rename(root / "claims" / "c"),
        lambda root: (root / "claims" / "a" / "empty").mkdir(),
        lambda root: (root / "data").rename(root / "zdata"),
    ],
)
@pytest.mark.parametrize("workers", [False, True])
def test_the_output_listing_changes_with_any_file_at_any_depth(
    tmp_path, monkeypatch, change, workers
):
    """The record of the output a rebuild with nothing changed compares: digested two levels
    down on every core, then in listing order."""
    root = tmp_path / "_site"
    for name in (
        "index.html",
        "claims/index.html",
        "claims/a/index.html",
        "claims/a/deep/feed.xml",
        "claims/b/index.html",
        "data/x.json",
    ):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    before = rebuild.listing_digest(root)
    if workers:
        on_every_core(monkeypatch, chunk=1)
    assert rebuild.listing_digest(root) == before
    change(root)
    assert rebuild.listing_digest(root) != before


def test_the_output_listing_made_in_parts_is_the_whole_ones(tmp_path, monkeypatch):
    """Listed but some folders at the top, then those alone: the digest of the whole."""
    root = tmp_path / "_site"
    for name in ("index.html", "a/index.html", "a/b/c.json", "pagefind/x/y.pf", "z/index.html"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(name)
    whole = rebuild.listing_digest(root)
    for left in (("pagefind",), ("a", "pagefind"), ("absent",), ()):
        late = rebuild.listing_parts(str(root), (), left)
        early = rebuild.listing_parts(str(root), left)
        assert rebuild.listing_of(late, early) == rebuild.listing_of(early, late) == whole
    assert rebuild.listing_of(rebuild.listing_parts(str(root), ("pagefind",))) != whole
    assert rebuild.listing_of(rebuild.listing_parts(str(tmp_path / "none"))) == (
        rebuild.listing_digest(tmp_path / "none")
    )
