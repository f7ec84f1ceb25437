"""Page-level dependencies: after an edit, an incremental build renders only the pages whose
inputs changed, and its output is byte for byte a clean build's.

Each test copies tests/fixtures/site, builds it as ``build.py build`` does (incremental),
changes something, builds again, and compares with a clean build of the changed corpus.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

import scholion.exports
import scholion.render
from scholion import parallel
from scholion.incremental import dependencies, tracking
from scholion.incremental.tracking import Digests, sources
from scholion.pipeline import check
from scholion.project import Project
from tests.helpers import copied_site, on_every_core, run_build_py, tree_hashes
from tests.test_history import commit, git
from tests.test_rebuild import clean, incremental

CLAIM_PAGES = {
    "claims/troops-arrived/index.html",  # the claim's own page
    "articles/alpha/index.html",  # the two articles it appears in
    "articles/beta/index.html",
    "sources/embassy-statement/index.html",  # the sources it rests on list it
    "sources/reuters-report/index.html",
    "claims/index.html",  # the listing shows its statement
    "narratives/russian-flights/index.html",  # a narrative it expresses lists it
    "index.html",  # the home page, the overview and the data page count and chart all claims
    "overview/index.html",
    "data/index.html",
}
"""The pages that show claim troops-arrived (defined in beta.yaml, quoted in alpha too)."""

CLAIM_EXPORTS = {
    "export:claim/troops-arrived",  # its record, feed and citations
    "export:article/alpha",  # the records and annotations of the articles that quote it
    "export:article/beta",
    "export:rating/unverified",  # the feed of its rating (the other ratings' list other claims)
    "export:corpus",  # corpus.json
    "export:annotations",  # the annotations of the whole corpus
    "export:table/0",  # claims.csv
    "export:table/6",  # appearances.csv (its quotes' claims' statements)
    "export:graph/1",  # the provenance and claim link graphs label claims by statement
    "export:graph/3",
}
"""The export jobs that read claim troops-arrived; the other 28 of the fixture's keep their
files (the latest feeds, the co-mention and relation graphs, the other tables…)."""


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copied_site(tmp_path)


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The paths of the pages each build renders (the others it keeps as they are), as the
    build's record of its pages says (the workers write the pages they render)."""
    paths: list[str] = []
    render_pages = scholion.render.render_pages

    def noting(corpus, template_dirs, locales=None, known=None, deliver=None, planners=None):
        yield from render_pages(corpus, template_dirs, locales, known, deliver, planners)
        if known is not None:  # a clean build: nothing to note
            paths.extend(known.made)

    monkeypatch.setattr(scholion.render, "render_pages", noting)
    return paths


@pytest.fixture
def exported(monkeypatch) -> list[str]:
    """The export jobs each build runs (the others' files it keeps as they are)."""
    jobs: list[str] = []
    export_files = scholion.exports.export_files

    def noting(corpus, deliver=None, known=None):
        yield from export_files(corpus, deliver, known)
        if known is not None:
            jobs.extend(known.exported)

    monkeypatch.setattr(scholion.exports, "export_files", noting)
    return jobs


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def reword_claim(root: Path) -> None:
    edit(
        root / "content/articles/beta.yaml",
        "statement: About 100 Russian military personnel arrived in Caracas.",
        "statement: Around 100 Russian servicemen arrived in Caracas.",
    )


def reword_claim_back(root: Path) -> None:
    edit(
        root / "content/articles/beta.yaml",
        "statement: Around 100 Russian servicemen arrived in Caracas.",
        "statement: About 100 Russian military personnel arrived in Caracas.",
    )


def test_after_rewording_a_claim_only_the_pages_that_show_it_are_rendered(
    corpus, tmp_path, rendered
):
    site = tmp_path / "out" / "_site"
    first = incremental(corpus, site)
    assert first.rendered == first.pages == len(rendered) == 32
    rendered.clear()
    reword_claim(corpus)
    report = incremental(corpus, site)
    assert set(rendered) == CLAIM_PAGES
    assert (report.rendered, report.pages) == (len(CLAIM_PAGES), 32)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_recorded_values_are_compared_once_in_groups_on_every_core(
    corpus, tmp_path, rendered, monkeypatch
):
    """The values the last build recorded are compared before any page is checked, each in one
    of the groups handed to the workers: the same answer as one process asking each value, and
    after a claim is reworded, the values that changed are exactly those that read it. The
    parent is sent the digests of what each value holds, too: the records a page's route holds
    are not digested again."""
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    reword_claim(corpus)
    project = Project.at(corpus, site)
    parts = sources(check(project, cache=True)[0])
    previous = dependencies.previous(project, site)
    alone, now = {}, {}
    for number in previous.numbers():
        name, key, digest = previous.value(number)
        now[name, key] = Digests().read(parts, name, key)
        alone[number] = now[name, key] == digest
    listed = next(groups for groups in parts["mention_groups"].values() if len(groups) > 1)
    items = [Digests().of(group) for group in listed]  # a listing's page holds a slice of them
    monkeypatch.setattr(dependencies, "VALUES_AT_ONCE", 7)
    on_every_core(monkeypatch, chunk=1)
    known = dependencies.Known("theme", previous)
    compared = known.compared(parts)
    assert compared == alone and len(compared) > 7 * 4
    with monkeypatch.context() as digesting:  # what the workers read, the parent now knows
        fail = SimpleNamespace(dumps=lambda *_: pytest.fail("digested again"))
        digesting.setattr(tracking, "marshal", fail)
        assert {(n, k): known.digests.read(parts, n, k) for n, k in now} == now
        claim = parts["claims"]["troops-arrived"]  # in its page's route, say
        assert known.digests.of(claim).hex() == now["claims", "troops-arrived"]
        assert [known.digests.of(group) for group in listed] == items
    changed = {previous.value(n)[:2] for n, same in compared.items() if not same}
    assert ("claims", "troops-arrived") in changed and len(changed) < len(compared) / 4
    rendered.clear()
    incremental(corpus, site)
    assert set(rendered) == CLAIM_PAGES
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_after_rewording_a_claim_only_the_exports_that_read_it_are_made_again(
    corpus, tmp_path, exported
):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    assert len(exported) == 38
    exported.clear()
    reword_claim(corpus)
    incremental(corpus, site)
    assert set(exported) == CLAIM_EXPORTS
    record = json.loads((site / "claims/troops-arrived/index.json").read_text())
    assert record["statement"] == "Around 100 Russian servicemen arrived in Caracas."
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_pages_are_kept_or_rendered_the_same_way_on_every_core(
    corpus, tmp_path, rendered, exported, monkeypatch
):
    """The workers check the entries a few at a time, then are handed only what to make."""
    on_every_core(monkeypatch)  # the workers render, check and return what each page read
    monkeypatch.setattr(dependencies, "TARGETS_AT_ONCE", 3)
    pooled, handed = parallel.ordered_map, []

    def noting_handed(function, items, **options):
        handed.append((getattr(function, "func", function).__name__, len(items)))
        return pooled(function, items, **options)

    monkeypatch.setattr(parallel, "ordered_map", noting_handed)
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    rendered.clear()
    exported.clear()
    handed.clear()
    reword_claim(corpus)
    incremental(corpus, site)
    assert set(rendered) == CLAIM_PAGES
    assert set(exported) == CLAIM_EXPORTS
    assert ("_render_noting", len(CLAIM_PAGES)) in handed
    assert ("_run_noting", len(CLAIM_EXPORTS)) in handed
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_an_edit_that_changes_no_record_renders_no_page(corpus, tmp_path, rendered, exported):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    rendered.clear()
    exported.clear()
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text() + "# a comment changes the file, not the corpus\n")
    messages: list[str] = []
    report = incremental(corpus, site, report=messages.append)
    assert "unchanged" not in report.timings  # the build ran: its input changed
    assert (rendered, report.rendered, exported) == ([], 0, [])
    assert "rendered 0 of 32 files (the others' inputs are unchanged)" in messages


def test_pages_are_kept_across_processes_whatever_their_hash_seed(corpus, tmp_path):
    """Digests must not depend on the order of sets or on object identity."""
    args = ["--root", str(corpus), "build", "--output", str(tmp_path / "out"), "--no-search"]
    assert run_build_py(*args, env={"PYTHONHASHSEED": "1"}).returncode == 0
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text() + "# a comment\n")
    again = run_build_py(*args, env={"PYTHONHASHSEED": "2"})
    assert "rendered 0 of 32 files (the others' inputs are unchanged)" in again.stderr


def test_a_new_record_renders_the_pages_that_list_it(corpus, tmp_path, rendered, exported):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    rendered.clear()
    exported.clear()
    add_lima(corpus)
    incremental(corpus, site)
    assert "entities/lima/index.html" in rendered
    assert "entities/index.html" in rendered
    assert "claims/troops-arrived/index.html" not in rendered
    assert {"export:entity/lima", "export:corpus"} <= set(exported)
    assert "export:claim/troops-arrived" not in exported
    assert (site / "entities/lima/index.json").is_file()
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (
            (root / "templates/partials").mkdir(parents=True)
            or (root / "templates/partials/site_footer.html").write_text("<footer>Ours</footer>\n")
        ),
        lambda root: edit(root / "site_config.yaml", "Fixture corpus", "Renamed corpus"),
        lambda root: (root / "static").mkdir() or (root / "static/extra.css").write_text("p{}"),
    ],
    ids=["a template", "the configuration", "a static file"],
)
def test_an_edit_to_the_theme_or_the_configuration_renders_every_page(
    corpus, tmp_path, rendered, change
):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    rendered.clear()
    change(corpus)
    report = incremental(corpus, site)
    assert report.rendered == report.pages == len(rendered) == 32
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def _sql(*statements: str):
    """A damage done by running ``statements`` on the record."""

    def damage(record: Path) -> None:
        connection = sqlite3.connect(record)
        with connection:
            for statement in statements:
                connection.execute(statement)
        connection.close()

    return damage


DAMAGES = {
    "cut in half": lambda record: record.write_bytes(record.read_bytes()[:4096]),
    "not a database": lambda record: record.write_text("not a database"),
    "empty": lambda record: record.write_bytes(b""),
    "another format": _sql("PRAGMA user_version = 1"),
    "another output": _sql("UPDATE meta SET value = '/elsewhere' WHERE name = 'output'"),
    "no entries table": _sql("DROP TABLE entries"),
    "a number naming no value": _sql("UPDATE entries SET reads = X'3f42000000000000'"),
    "numbers cut short": _sql("UPDATE entries SET reads = X'01'"),
    "numbers as text": _sql("UPDATE entries SET reads = 'one'"),
    "a value of another type": _sql("UPDATE reads SET digest = 7"),
    "files not JSON": _sql("UPDATE entries SET files = '[['"),
    "a file outside": _sql("""UPDATE entries SET files = '[["../../elsewhere", 1, 2, 3]]'"""),
    "another target's files": _sql(
        "UPDATE entries SET files = (SELECT files FROM entries WHERE target LIKE 'export:%')"
    ),
    "every digest forged": _sql("UPDATE reads SET digest = '00000000000000000000000000000000'"),
}
"""Ways the record of what each page and export read can be wrong."""


@pytest.mark.parametrize("damage", DAMAGES.values(), ids=DAMAGES.keys())
def test_a_damaged_record_renders_every_page_and_gives_the_same_site(
    corpus, tmp_path, rendered, exported, damage
):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    reword_claim(corpus)
    expected = clean(corpus, tmp_path / "clean" / "_site")
    damage(corpus / ".cache" / "pages.sqlite3")
    rendered.clear()
    exported.clear()
    incremental(corpus, site)
    assert len(rendered) == 32
    # the data package's description reads the configuration alone: no forged digest of a
    # record stands in its way
    assert len({*exported, "export:datapackage"}) == 38
    assert tree_hashes(site) == expected
    rendered.clear()
    reword_claim_back(corpus)
    incremental(corpus, site)  # the record is written anew, and used again
    assert set(rendered) == CLAIM_PAGES


def test_an_export_kept_for_files_that_a_job_made_again_writes_is_made_again(
    corpus, tmp_path, exported
):
    """Every page and export job is found kept or not before any is made: a damaged entry
    naming another job's files (here two swapped) must not keep a job whose files are not
    staged, even when the other job, made again, writes the files it named."""
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    reword_claim(corpus)
    expected = clean(corpus, tmp_path / "clean" / "_site")
    one, other = "export:claim/troops-arrived", "export:claim/aircraft-landed"
    _sql(
        f"""UPDATE entries SET files = CASE target
            WHEN '{one}' THEN (SELECT files FROM entries WHERE target = '{other}')
            ELSE (SELECT files FROM entries WHERE target = '{one}') END
            WHERE target IN ('{one}', '{other}')"""
    )(corpus / ".cache" / "pages.sqlite3")
    exported.clear()
    incremental(corpus, site)
    assert {one, other} <= set(exported)
    assert tree_hashes(site) == expected


def test_two_kept_exports_whose_entries_name_one_file_are_both_made_again(
    corpus, tmp_path, exported
):
    """A damaged record whose entries for two jobs the edit does not touch name the same
    files: neither is kept (the files of one are not staged as its entry says)."""
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    reword_claim(corpus)
    one, other = "export:claim/flights-via-syria", "export:claim/aircraft-landed"
    _sql(
        f"""UPDATE entries SET files = (SELECT files FROM entries WHERE target = '{other}')
            WHERE target = '{one}'"""
    )(corpus / ".cache" / "pages.sqlite3")
    exported.clear()
    incremental(corpus, site)
    assert {one, other} <= set(exported)
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


@pytest.mark.parametrize(
    "path, made",
    [
        ("claims/aircraft-landed/index.html", "claims/aircraft-landed/index.html"),
        ("claims/aircraft-landed/index.json", "export:claim/aircraft-landed"),
    ],
    ids=["a page", "an export file"],
)
def test_a_file_changed_in_the_output_is_made_again(
    corpus, tmp_path, rendered, exported, path, made
):
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    changed = site / path
    changed.write_text(changed.read_text().replace("Caracas", "Carcass"))  # same size, new time
    reword_claim(corpus)
    rendered.clear()
    exported.clear()
    incremental(corpus, site)
    assert made in [*rendered, *exported]
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_page_of_another_interface_language_is_kept_or_rendered_likewise(
    corpus, tmp_path, rendered
):
    edit(corpus / "site_config.yaml", "language: en", "language: en\nlanguages: [en, es]")
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    rendered.clear()
    reword_claim(corpus)
    incremental(corpus, site)
    spanish = {f"es/{path}" for path in CLAIM_PAGES}
    assert set(rendered) == CLAIM_PAGES | spanish
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_a_change_in_history_renders_the_pages_that_show_it(corpus, tmp_path, rendered):
    if shutil.which("git") is None:
        pytest.fail("git is needed for the history tests: install git")
    git(corpus, "init", "-q", "-b", "main")
    (corpus / ".gitignore").write_text(".cache/\n")
    commit(corpus, {}, "Add the corpus", "2024-01-10T09:00:00+00:00")
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    rendered.clear()
    reword_claim(corpus)
    commit(corpus, {}, "Reword troops-arrived", "2024-03-06T09:00:00+00:00")
    incremental(corpus, site)
    assert CLAIM_PAGES | {"changes/index.html"} <= set(rendered)
    assert "claims/aircraft-landed/index.html" not in rendered
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def add_lima(root: Path) -> None:
    (root / "content/entities/lima.yaml").write_text(
        "type: place\nname: Lima\ndescription: The capital of Peru.\n"
    )


def rename_caracas(root: Path) -> None:
    edit(root / "content/entities/caracas.yaml", "name: Caracas", "name: Santiago de León")


def add_a_claim(root: Path) -> None:
    (root / "content/articles/gamma.yaml").write_text(
        "claims:\n  - id: one-more\n    quote: Moscow\n    statement: One more.\n"
        "    rating: unverified\n    explanation: To count.\n"
    )


@pytest.mark.parametrize(
    "footer, change",
    [
        ('{{ corpus.entities["caracas"].name }}', rename_caracas),
        ('{{ corpus.entities.get("caracas").name }}', rename_caracas),
        ('{{ "lima" in corpus.entities }}', add_lima),
        ("{{ corpus.claims | length }}", add_a_claim),
        ("{% for e in corpus.entities.values() %}{{ e.name }}{% endfor %}", rename_caracas),
        ("{{ corpus.entities | join(' ') }}", add_lima),
        ("{% for id, e in corpus.entities.items() %}{{ e.name }}{% endfor %}", rename_caracas),
    ],
    ids=["[key]", "get", "in", "length", "values", "iteration", "items"],
)
def test_a_page_follows_whatever_its_template_reads(corpus, tmp_path, rendered, footer, change):
    """A corpus's template may read any record, in any way: every page that shows it is
    rendered again when it changes."""
    (corpus / "templates/partials").mkdir(parents=True)
    (corpus / "templates/partials/site_footer.html").write_text(f"<footer>{footer}</footer>\n")
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    rendered.clear()
    change(corpus)
    incremental(corpus, site)
    assert "sources/flight-data/index.html" in rendered  # a page that shows it only in its footer
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_every_page_depends_on_the_version_of_each_installed_library():
    """An upgraded library (Jinja, Markdown, the sanitizer) may change any page: the digest
    every page's entry carries names each installed distribution with its version."""
    import importlib.metadata

    from scholion.incremental.dependencies import installed

    names = {name.lower() for name in installed()}
    for library in ("Jinja2", "Markdown", "nh3", "PyYAML"):
        version = importlib.metadata.version(library)
        assert any(name.startswith(f"{library.lower()}-{version}.") for name in names), library


def test_templates_are_all_compiled_before_a_large_render_only(corpus, tmp_path, monkeypatch):
    """A cold build compiles every template before its workers fork (they inherit the code);
    an edit's dozen pages compile only the templates they use, where they are rendered."""
    compiled: list[str] = []
    compile_all = scholion.render.compile_all
    monkeypatch.setattr(
        scholion.render, "compile_all", lambda env: compiled.append("all") or compile_all(env)
    )
    monkeypatch.setattr(scholion.render, "COMPILED_FROM", 20)
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    assert compiled  # every interface's templates, before rendering them all
    compiled.clear()
    reword_claim(corpus)
    incremental(corpus, site)
    assert compiled == []  # 10 pages to render
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")


def test_the_export_jobs_entries_are_checked_with_the_pages(corpus, tmp_path, monkeypatch):
    """One round of workers checks every page's and export job's entry, before anything is
    made (the search stage then runs beside the exports, and took a core from a second round).
    The export jobs' answers come from that round."""
    site = tmp_path / "out" / "_site"
    incremental(corpus, site)
    reword_claim(corpus)
    rounds: list[int] = []
    ordered_map = parallel.ordered_map

    def counting(function, items, **options):
        if getattr(function, "func", None) is dependencies._unchanged_block:
            rounds.append(len(function.keywords["targets"]))
        return ordered_map(function, items, **options)

    monkeypatch.setattr(parallel, "ordered_map", counting)
    incremental(corpus, site)
    pages = len(list(site.rglob("*.html")))
    assert len(rounds) == 1 and rounds[0] > pages  # the pages and the export jobs
    assert tree_hashes(site) == clean(corpus, tmp_path / "clean" / "_site")
