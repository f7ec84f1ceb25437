"""The per-file cache (.cache/files.sqlite3): a warm, cold, damaged or forged cache, or none,
gives the same site and the same diagnostics; a warm one spares the work of unchanged files.

Each test copies tests/fixtures/site (or writes a corpus inline) and builds or checks it with
``cache=True``, as ``build.py`` does. Work done is observed by counting Markdown conversions and
schema checks, which run in this process (the fixture is far below the size that forks workers).
"""

from __future__ import annotations

import ast
import itertools
import shutil
import sqlite3
from pathlib import Path

import pytest

from scholion import load as load_stage
from scholion.cli import main
from scholion.diagnostics import errors_in
from scholion.incremental import sealing
from scholion.incremental.file_cache import COMPUTED_BY, FILE, FileCache, engine_versions
from scholion.load import load, yamlsource
from scholion.pipeline import check
from scholion.project import ENGINE, Project
from scholion.text import markup
from scholion.validate import schema
from tests.helpers import (
    cache_checksum,
    cache_entries,
    cached_build,
    copied_site,
    on_every_core,
    write_corpus,
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return copied_site(tmp_path)


@pytest.fixture
def converted(monkeypatch) -> list[str]:
    """Every Markdown text converted (not read back from the cache), in order."""
    texts: list[str] = []
    convert = markup._convert
    monkeypatch.setattr(
        markup, "_convert", lambda text, demote: texts.append(text) or convert(text, demote)
    )
    return texts


def test_a_warm_cache_gives_the_same_site_without_converting_again(corpus, tmp_path, converted):
    with (corpus / "content/articles/beta.yaml").open("a") as sidecar:
        sidecar.write('corrections:\n  - date: "2024-03-06"\n    text: The date was *wrong*.\n')
    uncached = cached_build(corpus, tmp_path / "none" / "_site", cache=False)
    assert "The date was <em>wrong</em>." in "".join(
        path.read_text() for path in (tmp_path / "none" / "_site").rglob("*.html")
    )
    assert cached_build(corpus, tmp_path / "cold" / "_site") == uncached
    converted.clear()
    assert cached_build(corpus, tmp_path / "warm" / "_site") == uncached
    assert converted == []


def test_schema_errors_come_back_from_the_cache_as_they_were(tmp_path, monkeypatch):
    root = write_corpus(
        tmp_path / "c",
        {"content/entities/lima.yaml": "type: place\nname: Lima\ndescripton: A city.\n"},
    )
    first = check(Project.at(root), cache=True)[1]
    assert [d.message for d in first] == [
        "missing required key 'description'",
        "unknown key 'descripton'",
    ]
    monkeypatch.setattr(schema, "check_document", lambda doc: pytest.fail(f"checked {doc.path}"))
    assert check(Project.at(root), cache=True)[1] == first


def test_after_an_edit_only_the_edited_file_is_converted_again(corpus, tmp_path, converted):
    cached_build(corpus, tmp_path / "first" / "_site")
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(
        sidecar.read_text().replace("Only the embassy says so.", "Reworded with _emphasis_.")
    )
    converted.clear()
    edited = cached_build(corpus, tmp_path / "edited" / "_site")
    assert sorted(converted) == [
        "Reworded with _emphasis_.",
        "The embassy did not publish its statement.",
    ]
    assert edited == cached_build(corpus, tmp_path / "clean" / "_site", cache=False)


def test_files_parsed_before_are_not_parsed_again_unless_a_diagnostic_needs_a_position(
    corpus, monkeypatch
):
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("source: reuters-report", "source: reuter"))
    first = check(Project.at(corpus), cache=True)[1]
    assert [(d.path, d.line, d.col) for d in first if d.is_error] == [
        ("content/articles/beta.yaml", 10, 17)
    ]
    parsed: list[str] = []
    parse = yamlsource.parse_yaml
    monkeypatch.setattr(yamlsource, "parse_yaml", lambda *a: parsed.append(a[1]) or parse(*a))
    monkeypatch.setattr(load_stage, "parse_yaml", yamlsource.parse_yaml)
    assert check(Project.at(corpus), cache=True)[1] == first
    assert parsed == [""]  # beta.yaml's text again, for the position of its error alone
    parsed.clear()
    sidecar.write_text(sidecar.read_text().replace("source: reuter", "source: reuters-report"))
    assert errors_in(check(Project.at(corpus), cache=True)[1]) == []
    assert parsed == ["content/articles/beta.yaml"]


def test_entries_of_files_no_longer_there_are_deleted(corpus, tmp_path):
    cached_build(corpus, tmp_path / "first" / "_site")
    (corpus / "content/articles/gamma.md").unlink()
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("Only the embassy says so.", "Reworded."))
    cached_build(corpus, tmp_path / "second" / "_site")
    kept = cache_entries(corpus)
    (corpus / ".cache" / FILE).unlink()
    cached_build(corpus, tmp_path / "fresh" / "_site")
    assert kept == cache_entries(corpus)


def test_the_cache_file_gives_back_the_space_of_entries_an_engine_change_replaced(
    corpus, tmp_path, monkeypatch
):
    cached_build(corpus, tmp_path / "first" / "_site")
    size = (corpus / ".cache" / FILE).stat().st_size
    for turn in range(3):  # each a new engine: every entry replaced by one under a new key
        versions = {kind: b"%d" % turn + version for kind, version in engine_versions().items()}
        monkeypatch.setattr(
            FileCache,
            "of",
            lambda project, v=versions: FileCache(project.root / ".cache" / FILE, v),
        )
        cached_build(corpus, tmp_path / f"engine-{turn}" / "_site")
    assert (corpus / ".cache" / FILE).stat().st_size <= size * 1.2
    with sqlite3.connect(corpus / ".cache" / FILE) as connection:
        assert connection.execute("PRAGMA freelist_count").fetchone()[0] == 0


def test_a_cache_copied_with_the_repository_is_not_used(corpus, tmp_path, converted):
    cached_build(corpus, tmp_path / "first" / "_site")
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)  # the same bytes and modification times, other inodes
    converted.clear()
    cached_build(copy, tmp_path / "copied" / "_site")
    assert len(converted) == 13  # every Markdown text of the fixture: none came from the cache


def _damage_garbage(file: Path) -> None:
    file.write_bytes(b"not a database, " * 512)


def _damage_truncated(file: Path) -> None:
    file.write_bytes(file.read_bytes()[: file.stat().st_size // 2])


def _damage_values(file: Path) -> None:
    with sqlite3.connect(file) as connection:
        connection.execute("UPDATE entries SET value = replace(value, 'e', 'a')")


def _damage_shapes(file: Path) -> None:
    """Well-formed entries with the right checksums but values of the wrong shape."""
    shapes = ['{"a": 1}', "[[1, 2]]", '[[-1, 1, "error", "", ""]]', "[" * 100_000, "{", "7"]
    with sqlite3.connect(file) as connection:
        keys = [key for (key,) in connection.execute("SELECT key FROM entries")]
        for key, value in zip(keys, itertools.cycle(shapes)):
            connection.execute(
                "UPDATE entries SET value = ?, checksum = ? WHERE key = ?",
                (value, cache_checksum(key, value), key),
            )


def _damage_layout(file: Path) -> None:
    with sqlite3.connect(file) as connection:
        connection.execute("DROP TABLE entries")
        connection.execute("CREATE TABLE entries (key TEXT, value BLOB)")


@pytest.mark.parametrize(
    "damage", [_damage_garbage, _damage_truncated, _damage_values, _damage_shapes, _damage_layout]
)
def test_a_damaged_cache_is_ignored_and_replaced(corpus, tmp_path, converted, damage):
    uncached = cached_build(corpus, tmp_path / "none" / "_site", cache=False)
    cached_build(corpus, tmp_path / "first" / "_site")
    damage(corpus / ".cache" / FILE)
    assert cached_build(corpus, tmp_path / "damaged" / "_site") == uncached
    converted.clear()
    assert cached_build(corpus, tmp_path / "repaired" / "_site") == uncached
    assert converted == []


def test_a_locked_cache_slows_a_build_but_does_not_change_it(corpus, tmp_path):
    uncached = cached_build(corpus, tmp_path / "none" / "_site", cache=False)
    cached_build(corpus, tmp_path / "first" / "_site")
    other = sqlite3.connect(corpus / ".cache" / FILE, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another build in the middle of writing
    try:
        assert cached_build(corpus, tmp_path / "locked" / "_site") == uncached
    finally:
        other.close()


def test_html_from_the_cache_is_sanitized_again(corpus, tmp_path):
    """Even an entry forged with the right key and checksum cannot put a script on a page."""
    cached_build(corpus, tmp_path / "first" / "_site")
    doc = next(d for d in load(Project.at(corpus)).pages if d.stem == "about")
    cache = FileCache(corpus / ".cache" / FILE, engine_versions(), sealing.secret())
    memo = cache.markdown(doc)
    (text_key,) = memo.known
    forged = f'{{"{text_key}": "<p>Forged<script>alert(1)</script></p>"}}'
    with sqlite3.connect(corpus / ".cache" / FILE) as connection:
        key = cache._key("markdown", doc.digest)
        connection.execute(
            "UPDATE entries SET value = ?, checksum = ? WHERE key = ?",
            (forged, cache_checksum(key, forged), key),
        )
    output = tmp_path / "forged" / "_site"
    cached_build(corpus, output)
    texts = [path.read_text() for path in output.rglob("*.html")]
    assert any("<p>Forged</p>" in text for text in texts)
    assert not any("alert(1)" in text for text in texts)


def test_workers_read_the_cache_and_the_parent_writes_it(corpus, tmp_path, monkeypatch):
    uncached = cached_build(corpus, tmp_path / "none" / "_site", cache=False)
    on_every_core(monkeypatch, chunk=1)
    assert cached_build(corpus, tmp_path / "cold" / "_site") == uncached
    written = cache_entries(corpus)
    assert cached_build(corpus, tmp_path / "warm" / "_site") == uncached
    assert cache_entries(corpus) == written


def test_no_cache_neither_reads_nor_writes_it(corpus):
    assert main(["--root", str(corpus), "check", "--no-cache"]) == 0
    assert not (corpus / ".cache").exists()
    assert main(["--root", str(corpus), "check"]) == 0
    assert (corpus / ".cache" / FILE).is_file()


@pytest.mark.parametrize(
    ("kind", "entry"),
    [
        ("yaml", "load/__init__.py"),
        ("linked", "link/__init__.py"),
        ("markdown", "text/markup.py"),
        ("schema", "validate/schema.py"),
    ],
)
def test_the_key_of_each_kind_covers_every_engine_module_that_computes_it(kind, entry):
    """An engine module that the kept work imports but its key leaves out could change the work
    while old entries still match: every module imported at run time must be in COMPUTED_BY."""
    assert _engine_imports(entry) <= set(COMPUTED_BY[kind].files)


def _engine_imports(module: str) -> set[str]:
    """``module`` (a path under scholion/) and the engine modules it imports, transitively; not
    those imported only for annotations (under ``if TYPE_CHECKING:``)."""
    found: set[str] = set()
    waiting = [module]
    while waiting:
        current = waiting.pop()
        if current not in found:
            found.add(current)
            waiting += _imported_by(current)
    return found


def _imported_by(module: str) -> list[str]:
    """The engine files ``module`` imports at run time: each module named, the packages holding
    it (whose ``__init__.py`` runs first) and a submodule imported by name."""
    imported = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "scholion":
            stem = tuple(node.module.split(".")[1:])
            packages = [stem[:n] for n in range(1, len(stem))]
            for candidate in [*packages, stem, *((*stem, alias.name) for alias in node.names)]:
                for name in ("/".join(candidate) + ".py", "/".join((*candidate, "__init__.py"))):
                    if (ENGINE / name).is_file():
                        imported.append(name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse((ENGINE / module).read_text(encoding="utf-8")))
    return imported
