"""The Pagefind index: written into the site, holding every article, claim, entity, source and
plain page, and nothing else (lists, search, home and 404 are not search results)."""

from __future__ import annotations

import asyncio
import gzip
import json
import shutil
import sys
from pathlib import Path

import pytest

from scholion import parallel
from scholion.diagnostics import OutputError
from scholion.output import search, write
from scholion.output.search import SearchIndexError, build_search_index
from scholion.pipeline import SEARCH_INPUT, SEARCH_MEMO, BuildReport, build
from scholion.project import Project
from tests.helpers import FIXTURES, comparable, copied_site, tree_hashes


def test_the_index_files_exist(site):
    assert (site.output / "pagefind" / "pagefind.js").is_file()
    assert (site.output / "pagefind" / "pagefind-entry.json").is_file()


def test_a_small_site_has_a_single_index_listed_in_the_manifest(site):
    listed = json.loads((site.output / "pagefind" / "shards.json").read_text())["shards"]
    assert [(s["name"], s["path"], s["languages"]) for s in listed] == [("all", "", {"en": 18})]


def test_the_index_holds_every_record_page(site):
    entry = json.loads((site.output / "pagefind" / "pagefind-entry.json").read_text())
    indexed = sum(language["page_count"] for language in entry["languages"].values())
    record_pages = [
        path
        for path in site.html_files()
        if path.split("/")[0] in {"articles", "claims", "entities", "sources", "narratives"}
        and path.count("/") == 2
        and path != "articles/by-publisher/index.html"
    ] + ["about/index.html", "contributing/index.html"]
    assert len(record_pages) == 3 + 3 + 6 + 3 + 1 + 2
    assert indexed == len(record_pages)
    assert site.report.indexed == indexed
    opted_in = [
        p for p in site.html_files() if "data-pagefind-body" in (site.output / p).read_text()
    ]
    assert sorted(opted_in) == sorted(record_pages)


def test_the_index_uses_the_corpus_language(site):
    entry = json.loads((site.output / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en"]


def test_record_pages_carry_their_filters(site):
    article = (site.output / "articles/alpha/index.html").read_text()
    for name, value in [("kind", "Article"), ("publisher", "Example Times"), ("year", "2019")]:
        assert f'data-pagefind-filter="{name}">{value}</span>' in article
    claim = (site.output / "claims/troops-arrived/index.html").read_text()
    assert 'data-pagefind-filter="rating">Unverified</span>' in claim
    entity = (site.output / "entities/caracas/index.html").read_text()
    assert 'data-pagefind-filter="entity type">Place</span>' in entity


def test_a_failing_pagefind_command_is_a_site_error_with_its_output(tmp_path, monkeypatch):
    page = tmp_path / "about" / "index.html"
    page.parent.mkdir()
    page.write_text('<html lang="en"><body><main data-pagefind-body>About</main></body></html>')

    async def failing(arguments: list[str], cwd: Path):
        command = "import sys; print('Error: the disk is full'); sys.exit(3)"
        return await asyncio.create_subprocess_exec(
            sys.executable, "-c", command, stdout=asyncio.subprocess.PIPE
        )

    monkeypatch.setattr(search, "_start_pagefind", failing)
    with pytest.raises(SearchIndexError) as raised:
        build_search_index(tmp_path, "en")
    assert str(raised.value) == "Pagefind failed (3): Error: the disk is full\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["about"]  # its input links are gone


def test_a_pagefind_failure_is_a_site_error(tmp_path, monkeypatch):
    async def broken(*_arguments):
        raise RuntimeError("the binary is missing")

    monkeypatch.setattr(search, "_index", broken)
    with pytest.raises(SearchIndexError) as raised:
        build_search_index(tmp_path, "en")
    assert str(raised.value) == f"Pagefind failed to index {tmp_path}: the binary is missing"


# Sharded indexes: the fixture corpus (17 pages) with at most two pages per shard, built once as
# ``build.py build`` builds (incrementally); each test edits a copy of the corpus and its site.


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, BuildReport]:
    """A copy of tests/fixtures/site forced into several search shards, and its built site."""
    root = tmp_path_factory.mktemp("sharded") / "corpus"
    shutil.copytree(FIXTURES / "site", root, ignore=shutil.ignore_patterns(".cache"))
    with (root / "site_config.yaml").open("a") as config:
        config.write("search: {shard_pages: 2}\n")
    output = root.parent / "_site"
    return root, output, incremental(root, output)


@pytest.fixture
def sharded(sharded_site, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the sharded corpus and of its site (files keep their modification times)."""
    root, output, _ = sharded_site
    shutil.copytree(root, tmp_path / "corpus")
    shutil.copytree(output, tmp_path / "_site")
    return tmp_path / "corpus", tmp_path / "_site"


def incremental(root: Path, output: Path) -> BuildReport:
    """Build as ``build.py build`` does, keeping what did not change."""
    return build(Project.at(root, output), incremental=True)


def manifest(output: Path) -> dict[str, dict[str, int]]:
    """Each shard's directory under pagefind/ and its page count per language."""
    listed = json.loads((output / "pagefind" / "shards.json").read_text())["shards"]
    return {shard["path"]: shard["languages"] for shard in listed}


def files_by_shard(output: Path) -> dict[str, dict[str, tuple[int, int]]]:
    """Each shard's files (path -> inode, modification time)."""
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for path in (output / "pagefind").rglob("*"):
        if path.is_file() and path.parent != output / "pagefind":
            shard = path.relative_to(output / "pagefind").parts[0]
            status = path.stat()
            found.setdefault(shard, {})[path.as_posix()] = (status.st_ino, status.st_mtime_ns)
    return found


def indexed_text(output: Path) -> str:
    """The text and URL of every page as the fragments of every shard hold them."""
    return "\n".join(
        gzip.decompress(fragment.read_bytes()).decode()
        for path in manifest(output)
        for fragment in sorted((output / "pagefind" / path / "fragment").glob("*.pf_fragment"))
    )


def test_a_large_site_is_indexed_in_shards_by_kind(sharded_site):
    _, output, report = sharded_site
    shards = manifest(output)
    assert len(shards) > 5 and all(path.endswith("/") for path in shards)
    per_kind: dict[str, int] = {}
    for path, languages in shards.items():
        assert (output / "pagefind" / path / "pagefind-entry.json").is_file()
        kind = path.rsplit("-", 1)[0]
        per_kind[kind] = per_kind.get(kind, 0) + languages["en"]
    assert per_kind == {"articles": 3, "claims": 3, "entities": 6, "sources": 3, "pages": 3}
    assert report.indexed == 18  # narratives are indexed with the plain pages
    # The scripts pages load from pagefind/ are there too, beside the manifest.
    top = sorted(p.name for p in (output / "pagefind").iterdir() if p.is_file())
    assert top == ["pagefind-highlight.js", "pagefind.js", "shards.json"]


def test_an_edit_reindexes_only_the_shard_of_the_edited_page(sharded, tmp_path):
    root, output = sharded
    before = files_by_shard(output)
    article = root / "content/articles/alpha.md"
    article.write_text(article.read_text().replace("they said again", "they repeated"))
    incremental(root, output)
    after = files_by_shard(output)
    changed = {shard for shard in after if after[shard] != before.get(shard)}
    assert len(changed) == 1 and changed <= {"articles-0", "articles-1"}
    (edited,) = changed
    assert not set(before[edited].values()) & set(after[edited].values())  # all new files
    assert "they repeated" in indexed_text(output)
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)


def test_shards_kept_in_the_staged_site_are_the_published_ones_whatever_the_spare_held(
    sharded, tmp_path
):
    """A kept shard is taken as the staging directory holds it (pruning leaves ``pagefind/`` to
    the search stage): the spare it started from, tampered with, is brought to the published
    shard's files first, so the index is a clean build's."""
    root, output = sharded
    article = root / "content/articles/alpha.md"
    article.write_text(article.read_text().replace("they said again", "they repeated"))
    incremental(root, output)  # now there is a spare
    spare = output.with_name("_site.spare") / "pagefind"
    shard = next(p for p in sorted(spare.iterdir()) if p.is_dir())
    (shard / "stray.pf_fragment").write_bytes(b"not Pagefind's")
    (shard / "pagefind-entry.json").unlink()
    (shard / "pagefind-entry.json").write_text("{}")
    (spare / "old-shard").mkdir()
    article.write_text(article.read_text().replace("they repeated", "they said it once more"))
    incremental(root, output)
    assert not (output / "pagefind" / "old-shard").exists()
    assert not (output / "pagefind" / shard.name / "stray.pf_fragment").exists()
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)


def test_a_page_removed_from_the_corpus_leaves_the_index(sharded):
    root, output = sharded
    assert "articles/gamma/" in indexed_text(output)
    (root / "content/articles/gamma.md").unlink()
    report = incremental(root, output)
    assert "articles/gamma/" not in indexed_text(output)
    assert report.indexed == sum(languages["en"] for languages in manifest(output).values()) == 17


def test_a_build_failing_after_indexing_leaves_the_previous_index_as_it_was(sharded, monkeypatch):
    root, output = sharded
    before = tree_hashes(output)
    article = root / "content/articles/alpha.md"
    article.write_text(article.read_text().replace("they said again", "they repeated"))

    def fail(staging: Path, _output: Path, keep: bool = False) -> None:
        assert "they repeated" in indexed_text(staging)  # indexed beside kept, linked shards
        raise OutputError("the disk is full")

    monkeypatch.setattr(write, "publish", fail)
    with pytest.raises(OutputError):
        incremental(root, output)
    assert tree_hashes(output) == before


@pytest.mark.parametrize(
    "html, opted",
    [
        (b'<main data-pagefind-body class="x">', True),
        (b"<main\tdata-pagefind-body>", True),
        (b"<p>data-pagefind-body is how a page opts in</p>", False),
        (b'<p>write data-pagefind-body</p><article data-pagefind-body="">', True),
        (b'<main data-pagefind-bodyguard="1">', False),
        (b"data-pagefind-body", False),
    ],
)
def test_a_page_opts_in_by_the_attribute_on_a_tag_not_by_naming_it(html, opted):
    assert search._opts_in(html) is opted


def test_a_claim_reworded_reindexes_only_the_shards_where_it_is_searched(sharded, tmp_path):
    """The reworded statement is on pages of every kind: in the articles' sidenotes and
    annotation lists, the claim's page, its sources' lists, an entity's relations and a
    narrative's claims. Pagefind ignores it on the articles' and sources' pages, whose shards
    are kept."""
    root, output = sharded
    before, pages_before = files_by_shard(output), tree_hashes(output)
    sidecar = root / "content/articles/alpha.yaml"
    sidecar.write_text(sidecar.read_text().replace("Two Russian military", "Two Russian army"))
    report = incremental(root, output)
    after, pages_after = files_by_shard(output), tree_hashes(output)
    changed_pages = {
        path.split("/")[0] for path in pages_after if pages_before.get(path) != pages_after[path]
    }
    assert {"articles", "claims", "entities", "sources"} <= changed_pages
    changed = {shard.split("-")[0] for shard in after if after[shard] != before.get(shard)}
    assert changed == {"claims", "entities", "pages"}
    assert "Two Russian army" in indexed_text(output)
    clean = tmp_path / "clean" / "_site"
    assert build(Project.at(root, clean)).indexed == report.indexed
    assert comparable(output) == comparable(clean)


def test_an_indexed_word_changed_on_an_entity_page_reindexes_its_shard(sharded, tmp_path):
    root, output = sharded
    before = files_by_shard(output)
    entity = root / "content/entities/caracas.yaml"
    entity.write_text(entity.read_text().replace("description: ", "description: Quokka. ", 1))
    incremental(root, output)
    after = files_by_shard(output)
    changed = {shard for shard in after if after[shard] != before.get(shard)}
    assert any(shard.startswith("entities-") for shard in changed)
    assert "Quokka." in indexed_text(output)
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)


@pytest.mark.parametrize(
    "inside, left",
    [
        (
            b'<p>a</p><ol class="x" data-pagefind-ignore><li>b</li></ol><p>c</p>',
            b"<p>a</p><p>c</p>",
        ),
        (b"<div data-pagefind-ignore><div>b</div><div>c</div></div>d", b"d"),
        (b"<p>data-pagefind-ignore is an attribute</p>", None),
        (b'<div data-pagefind-ignore><span data-pagefind-filter="kind">x</span></div>', None),
        (b'<div data-pagefind-ignore><img src="a.png" alt=""></div>', None),
        (b"<div data-pagefind-ignore><p>never closed</p>", None),
        (b'<span hidden data-pagefind-ignore data-pagefind-meta="rating">x</span>', None),
    ],
)
def test_what_pagefind_ignores_and_takes_nothing_from_is_left_out(inside, left):
    head = b'<html lang="en"><head><title>T</title></head><body class="b">'
    page = head + b"<nav>menu</nav><main data-pagefind-body>" + inside + b"</main><p>after</p>"
    body = b"<main data-pagefind-body>" + (inside if left is None else left) + b"</main>"
    assert search.searchable(page + b"</body></html>") == head + body
    with_a_filter = page + b'<span data-pagefind-filter="year">2019</span></body>'
    assert search.searchable(with_a_filter).endswith(
        b"</main><p>after</p>" + with_a_filter[len(page) :]
    )


def test_text_outside_any_element_after_the_indexed_one_is_kept():
    """Pagefind indexes it (a quirk: text within an element there is not indexed)."""
    page = b"<body><main data-pagefind-body>a</main> b <p>c</p></body>"
    assert search.searchable(page) == page
    assert (
        search.searchable(page.replace(b" b ", b"\n")) == b"<body><main data-pagefind-body>a</main>"
    )


def test_a_page_without_an_indexed_element_is_kept_whole():
    page = b"<html><body><p data-pagefind-ignore>x</p></body></html>"
    assert search.searchable(page) == page


def test_pagefind_indexes_nothing_of_what_searchable_leaves_out(site, tmp_path):
    """The real indexer on every page of the fixture site, and on the same pages with a word
    put inside each element :func:`search.searchable` leaves out: the same index. The same
    word put where Pagefind looks changes it (the test can tell)."""
    copies = {name: tmp_path / name for name in ("original", "ignored", "indexed")}
    word = b" quokkazebra "
    for page in site.output.rglob("*.html"):
        data = page.read_bytes()
        if not search._opts_in(data):
            continue
        ignored = data
        for start, _ in reversed(search.ignored(data)):
            if data.startswith(b"<", start) and not data.startswith(b"</", start):  # an element
                place, text = data.find(b">", start) + 1, word
            else:  # what lies between indexed elements: whole elements
                place, text = start, b"<p>" + word + b"</p>"
            ignored = ignored[:place] + text + ignored[place:]
        assert search.searchable(ignored) == search.searchable(data)
        body = data.find(b">", data.find(b"data-pagefind-body")) + 1
        for name, text in (
            ("original", data),
            ("ignored", ignored),
            ("indexed", _inserted(data, [body], word)),
        ):
            target = copies[name] / page.relative_to(site.output)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text)
    assert len(list(copies["original"].rglob("*.html"))) == site.report.indexed
    for copy in copies.values():
        build_search_index(copy, "en")
    index = {name: _index_only(comparable(copy)) for name, copy in copies.items()}
    assert index["ignored"] == index["original"] != index["indexed"]


def _index_only(site: tuple[dict[str, str], list]) -> tuple[dict[str, str], list]:
    """What :func:`comparable` says of the index Pagefind made: not the pages, nor the
    manifest (which holds a digest of the pages' bytes)."""
    ordered, unordered = site
    made = {
        p: h
        for p, h in ordered.items()
        if p.startswith("pagefind/") and p != "pagefind/shards.json"
    }
    return made, unordered


def _inserted(data: bytes, places: list[int], word: bytes) -> bytes:
    for place in sorted(places, reverse=True):
        data = data[:place] + word + data[place:]
    return data


def test_pages_kept_from_the_last_build_are_not_read_again(sharded, tmp_path, monkeypatch):
    root, output = sharded
    article = root / "content/articles/alpha.md"
    article.write_text(article.read_text().replace("they said again", "they repeated"))
    read: list[str] = []
    reading = search._read
    monkeypatch.setattr(search, "_read", lambda path: read.append(path) or reading(path))
    incremental(root, output)  # the memo is made by this first incremental build
    read.clear()
    before = tree_hashes(output)
    article.write_text(article.read_text().replace("they repeated", "they said it again"))
    incremental(root, output)
    after = tree_hashes(output)
    changed = [p for p in after if p.endswith(".html") and before.get(p) != after[p]]
    kept = [p for p in after if p.endswith(".html") and before.get(p) == after[p]]
    assert changed and kept
    assert read == []  # kept pages are in the memo, rewritten ones were stamped as written
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)


def test_pages_are_digested_for_search_as_they_are_written_not_read_back(
    sharded, tmp_path, monkeypatch
):
    """The writer digests each page while its bytes are in memory (``write.Staged``); the
    search stage then reads no page of a cold build back, and what it keeps for the next build
    is what reading the pages would have given."""
    root, _ = sharded
    read: list[str] = []
    reading = search._read
    monkeypatch.setattr(search, "_read", lambda path: read.append(path) or reading(path))
    output = tmp_path / "cold" / "_site"
    report = incremental(root, output)
    assert report.indexed > 2 and read == []
    memo = json.loads((root / ".cache" / SEARCH_MEMO).read_bytes())
    pages = [p.relative_to(output).as_posix() for p in output.rglob("*.html")]
    assert sorted(memo) == sorted(p for p in pages if not p.startswith("pagefind/"))
    for path, (inode, modified, size, digest) in memo.items():
        status = (output / path).stat()
        assert (inode, modified, size) == (status.st_ino, status.st_mtime_ns, status.st_size)
        assert digest == search.page_digest(path, (output / path).read_bytes())
    assert sum(1 for digest in (e[3] for e in memo.values()) if digest) == report.indexed
    monkeypatch.setattr(search, "_read", reading)
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)


def test_a_build_finds_its_pages_from_the_files_it_wrote_not_by_walking_the_site(
    sharded, tmp_path, monkeypatch
):
    """The search stage is handed the staged site's files (written, kept, the rest pruned):
    their pages are what walking the site finds, and the index a clean build's."""
    root, output = sharded
    site = str(output)
    walked = sorted(search._html_files(site, ""))
    files = [p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()]
    assert walked and sorted(search._html_of(site, files + files)) == walked  # pagefind/ out
    assert not any(path.startswith("pagefind/") for path, _ in walked)

    def walking(folder, prefix):
        raise AssertionError("the site was walked")

    monkeypatch.setattr(search, "_html_files", walking)
    article = root / "content/articles/alpha.md"
    article.write_text(article.read_text().replace("they said again", "they repeated"))
    incremental(root, output)
    cold = tmp_path / "cold" / "_site"
    build(Project.at(root, cold), incremental=True)
    monkeypatch.undo()
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean) == comparable(cold)


@pytest.mark.parametrize("memo", [b"not json", b"[1, 2]", b'{"index.html": [1, 2, 3, "x", 5]}'])
def test_a_damaged_page_memo_only_costs_reading_the_pages(sharded, tmp_path, memo):
    root, output = sharded
    article = root / "content/articles/alpha.md"
    article.write_text(article.read_text().replace("they said again", "they repeated"))
    incremental(root, output)
    (root / ".cache" / SEARCH_MEMO).write_bytes(memo)
    article.write_text(article.read_text().replace("they repeated", "they said it again"))
    incremental(root, output)
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)


def test_the_shards_input_folders_are_kept_and_only_brought_up_to_date(sharded, tmp_path):
    """Removing a shard's input tree (a folder per page) took longer than Pagefind took to
    index it: the next build brings the kept tree up to date instead."""
    root, output = sharded
    inputs = root / ".cache" / SEARCH_INPUT
    article = root / "content/articles/alpha.md"
    article.write_text(article.read_text().replace("they said again", "they repeated"))
    incremental(root, output)  # the copied .cache's tree: every link replaced, no folder
    (alpha,) = inputs.glob("*/articles/alpha/index.html")
    folders = {p: p.stat().st_ino for p in inputs.rglob("*") if p.is_dir()}
    assert alpha.stat().st_ino == (output / "articles/alpha/index.html").stat().st_ino
    article.write_text(article.read_text().replace("they repeated", "they said it again"))
    incremental(root, output)
    assert {p: p.stat().st_ino for p in inputs.rglob("*") if p.is_dir()} == folders
    assert alpha.stat().st_ino == (output / "articles/alpha/index.html").stat().st_ino
    assert not (output / search.INPUT_DIR).exists()
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)


def test_kept_input_folders_are_checked_not_trusted(sharded, tmp_path):
    """The build cache can come with a repository: what the kept input folders hold besides
    the shard's pages, as the staged files, never reaches the index, and no link in them is
    followed."""
    root, output = sharded
    inputs = root / ".cache" / SEARCH_INPUT
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("<html><body data-pagefind-body>Outsideword</body></html>")
    shards = sorted(p for p in inputs.iterdir() if p.is_dir())
    first, second = shards[0], shards[1]
    page = next(p for p in first.rglob("index.html"))
    page.unlink()
    page.write_text("<html><body data-pagefind-body>Replacedword</body></html>")
    (first / "planted").mkdir()
    (first / "planted" / "index.html").write_text(
        "<html><body data-pagefind-body>Plantedword</body></html>"
    )
    (first / "linked").symlink_to(outside, target_is_directory=True)
    (first / "pagefind.yml").write_text("exclude_selectors: ['p']\n")
    shutil.rmtree(second)
    second.symlink_to(outside, target_is_directory=True)
    (inputs / "stray-shard").symlink_to(outside, target_is_directory=True)
    shutil.rmtree(output)  # every shard indexed again, from the kept folders
    incremental(root, output)
    text = indexed_text(output).lower()
    assert not {"outsideword", "replacedword", "plantedword"} & set(text.split())
    assert "outsideword" not in text and "plantedword" not in text and "replacedword" not in text
    assert sorted(p.name for p in outside.iterdir()) == ["index.html"]
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)


def test_the_index_is_made_beside_the_exports_when_most_shards_are_kept(tmp_path, monkeypatch):
    """A build with the last build's record indexes in a child while the exports are written
    (most shards are kept); one without (a cold build) indexes every shard after them, when
    Pagefind's processes have the cores to themselves. Both give a clean build's site."""
    root = copied_site(tmp_path)
    output = tmp_path / "out" / "_site"
    started: list[str] = []
    ahead = parallel.Ahead

    def noting(function):
        started.append("beside")
        return ahead(function)

    monkeypatch.setattr(parallel, "Ahead", noting)
    incremental(root, output)
    assert started == []
    article = root / "content/articles/alpha.md"
    article.write_text(article.read_text().replace("they said again", "they repeated"))
    report = incremental(root, output)
    assert started == ["beside"] and report.indexed > 0
    monkeypatch.undo()
    clean = tmp_path / "clean" / "_site"
    build(Project.at(root, clean))
    assert comparable(output) == comparable(clean)
