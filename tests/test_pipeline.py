"""The pipeline as a whole: every problem in one run, nothing written on error, and the report."""

from __future__ import annotations

import os
import shutil

import pytest

from scholion.diagnostics import ContentError
from scholion.pipeline import build, check
from scholion.project import Project
from tests.helpers import (
    CONFIG,
    FIXTURES,
    PUBLISHER,
    copied_site,
    minimal_article,
    tree_hashes,
    write_corpus,
)
from tests.helpers import check as check_text

# Problems of every stage before linking, in five files.
MANY_PROBLEMS = {
    "site_config.yaml": CONFIG + "page_size: many\n",
    "content/entities/caracas.yaml": b"\xef\xbb\xbftype: place\nname: Caracas\n",
    "content/entities/example-times.yaml": """\
        type: media
        name: Example Times
        name: The Example Times
        """,
    "content/sources/reuters.yaml": """\
        title: Russian planes land in Caracas
        kind: wier
        """,
    "content/articles/alpha.md": """\
        ---
        title: Aircraft land in Caracas
        date: 24 March 2019
        publisher: example-times
        language: en
        rights: © Example Times.
        ---
        Two aircraft landed in Caracas on Saturday.
        """,
    "content/articles/alpha.yaml": """\
        claims:
          - id: aircraft-landed
            quote: Two aircraft landed
            statement: Two aircraft landed in Caracas.
            rating: acurate
            explanation: Flight data show them.
            about: [caracas]
        """,
}


def test_every_problem_in_every_file_is_reported_in_one_run(corpus):
    assert check_text(corpus(MANY_PROBLEMS)) == [
        "content/articles/alpha.md:3:7: error: 'date' value '24 March 2019' is not in the "
        "expected form\n"
        "  hint: A date as YYYY-MM-DD (or YYYY-MM, or YYYY).",
        "content/articles/alpha.yaml:5:13: error: unknown rating 'acurate'\n"
        "  hint: did you mean 'accurate'?",
        "content/entities/caracas.yaml:1:1: error: file starts with a byte-order mark (BOM)\n"
        "  hint: save the file as UTF-8 without BOM",
        "content/entities/example-times.yaml:3:1: error: duplicate key 'name' "
        "(first defined at line 2, column 1)\n"
        "  hint: a key may appear only once in a mapping: merge the two or delete one",
        "content/sources/reuters.yaml:2:7: error: unknown source kind 'wier'\n"
        "  hint: did you mean 'wire'?",
        "site_config.yaml:17:12: error: 'page_size' must be a whole number, not text\n"
        "  hint: How many records an index page lists before it paginates.",
    ]


def test_a_failed_check_writes_nothing(corpus, tmp_path):
    root = corpus(MANY_PROBLEMS)
    output = tmp_path / "out" / "_site"
    with pytest.raises(ContentError) as raised:
        build(Project.at(root, output))
    assert len(raised.value.diagnostics) == 6
    assert str(raised.value) == "6 errors in content"
    assert not output.parent.exists()


def test_check_returns_the_linked_corpus_when_there_are_no_errors():
    corpus, diagnostics = check(Project.at(FIXTURES / "site"))
    assert diagnostics == []
    assert sorted(corpus.articles) == ["alpha", "beta", "gamma"]
    assert sorted(corpus.claims) == ["aircraft-landed", "flights-via-syria", "troops-arrived"]


def test_the_build_report(site):
    assert site.report.diagnostics == []
    assert site.report.pages == 32  # 31 HTML pages and sitemap.xml (the feeds are exports)
    assert site.report.indexed == 18
    assert list(site.report.timings) == ["load+validate+link", "render+write", "index"]


def test_warnings_do_not_stop_a_build_and_are_reported(corpus, tmp_path):
    root = corpus({"content/notes.txt": "Remember Moscow.\n"})
    lines: list[str] = []
    report = build(Project.at(root, tmp_path / "_site"), search=False, report=lines.append)
    assert [d.format_text().splitlines()[0] for d in report.diagnostics] == [
        "content/notes.txt:1:1: warning: this file is not part of the corpus and is ignored"
    ]
    assert lines == ["checked 0 articles, 0 claims, 0 entities, 0 sources", "rendered 13 files"]
    assert (tmp_path / "_site" / "index.html").is_file()


def test_base_url_override_changes_absolute_urls_only(tmp_path):
    output = tmp_path / "_site"
    build(Project.at(FIXTURES / "site", output), base_url="https://example.net/x", search=False)
    page = (output / "claims" / "troops-arrived" / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.net/x/claims/troops-arrived/">' in page
    assert '<link rel="stylesheet" href="../../static/scholion.css">' in page
    assert '<a href="/x/">Home</a>' in (output / "404.html").read_text()
    assert "<loc>https://example.net/x/</loc>" in (output / "sitemap.xml").read_text()


def test_a_broken_quote_is_reported_in_the_same_run_as_an_unknown_id(tmp_path):
    """While any unknown-id error existed no quote was checked anywhere: a contributor fixed
    one error, pushed, and only then learnt of a broken quote in another file."""
    root = write_corpus(
        tmp_path / "corpus",
        {
            "content/entities/example-times.yaml": PUBLISHER,
            "content/articles/alpha.md": minimal_article(body="Two aircraft landed."),
            "content/articles/alpha.yaml": """\
                notes:
                  - quote: Two aircraft landed
                    kind: contxt
                    text: In Caracas.
                """,
            "content/articles/beta.md": minimal_article(body="Nothing happened."),
            "content/articles/beta.yaml": """\
                notes:
                  - quote: Something happened
                    kind: context
                    text: Not in the text.
                """,
        },
    )
    _, diagnostics = check(Project.at(root))
    assert [d.format_text().split("\n")[0] for d in diagnostics] == [
        "content/articles/alpha.yaml:3:11: error: unknown note kind 'contxt'",
        "content/articles/beta.yaml:2:12: error: quote not found in content/articles/beta.md",
    ]


def test_a_corpus_too_large_to_share_memory_is_linked_in_a_child_first(tmp_path, monkeypatch):
    """Where memory would not hold the linked corpus beside a worker per core, a child links it
    into the build cache and the build reads it back from there (without the garbage of
    linking): this process links no article itself, and the site is the one a build in one
    process makes."""
    import scholion.link
    from scholion import parallel

    linked_in, joined_in = tmp_path / "linked-in", tmp_path / "joined-in"
    linked_in.mkdir()
    joined_in.mkdir()
    real_link, real_join = scholion.link._link_article, scholion.link.entity_index

    def noting_link(*args, **kwargs):
        (linked_in / str(os.getpid())).touch()
        return real_link(*args, **kwargs)

    def noting_join(*args, **kwargs):
        (joined_in / str(os.getpid())).touch()
        return real_join(*args, **kwargs)

    alone = copied_site(tmp_path / "alone")
    build(Project.at(alone, alone / "_site"), search=False, cache=True)
    monkeypatch.setattr(scholion.link, "_link_article", noting_link)
    monkeypatch.setattr(scholion.link, "entity_index", noting_join)
    monkeypatch.setattr(parallel, "crowded", lambda resident: True)
    apart = copied_site(tmp_path / "apart")
    report = build(Project.at(apart, apart / "_site"), search=False, cache=True)
    assert {int(p.name) for p in linked_in.iterdir()} - {os.getpid()}  # a child linked
    assert not (linked_in / str(os.getpid())).exists()  # this process read them all back
    assert [p.name for p in joined_in.iterdir()] == [str(os.getpid())]  # the child joins none
    assert report.pages > 0
    assert tree_hashes(apart / "_site") == tree_hashes(alone / "_site")


def test_a_large_corpus_is_linked_in_a_child_only_when_the_cache_does_not_hold_it(
    tmp_path, monkeypatch
):
    """After one article's edit the build cache holds the rest linked: the child would only
    read them back for this process to do it again. An edit to what every article is linked
    from (an entity, the configuration, the base URL) means linking them all: in a child."""
    from scholion import parallel

    children = []
    real_in_child = parallel.in_child
    monkeypatch.setattr(parallel, "crowded", lambda resident: True)
    monkeypatch.setattr(parallel, "in_child", lambda run: children.append(1) or real_in_child(run))
    root = copied_site(tmp_path)
    project = Project.at(root, root / "_site")

    def linked_in_a_child(edited: str = "", base_url: str | None = None) -> bool:
        if edited:
            with (root / edited).open("a", encoding="utf-8") as file:
                file.write("# edited\n")
        children.clear()
        build(project, base_url=base_url, search=False, cache=True)
        return bool(children)

    assert linked_in_a_child()  # the cache is empty
    assert not linked_in_a_child()
    assert not linked_in_a_child("content/articles/alpha.yaml")
    assert linked_in_a_child("content/entities/moscow.yaml")
    assert not linked_in_a_child("content/articles/alpha.md")
    assert linked_in_a_child("site_config.yaml")
    assert linked_in_a_child(base_url="https://example.net/")
    assert not linked_in_a_child(base_url="https://example.net/")
    for name in ("delta", "epsilon"):  # two of five articles new: not held linked
        shutil.copy(root / "content/articles/gamma.md", root / f"content/articles/{name}.md")
    assert linked_in_a_child(base_url="https://example.net/")


def test_a_build_leaves_what_it_made_to_whoever_holds_it(tmp_path):
    """The command line holds the corpus and the build's state and exits without freeing them
    (``cli.run``)."""
    from scholion.model import Corpus

    held: list[object] = []
    project = Project.at(copied_site(tmp_path), tmp_path / "out")
    build(project, search=False, incremental=True, cache=True, held=held)
    corpora = [thing for thing in held if isinstance(thing, Corpus)]
    assert [sorted(corpus.claims) for corpus in corpora] == [
        ["aircraft-landed", "flights-via-syria", "troops-arrived"]
    ]
