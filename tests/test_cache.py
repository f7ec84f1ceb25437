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

from scholion.cli import main
from scholion.incremental.file_cache import COMPUTED_BY, FILE, FileCache, engine_versions
from scholion.load import load
from scholion.pipeline import build, check
from scholion.project import ENGINE, Project
from scholion.text import markup
from scholion.validate import schema
from tests.helpers import FIXTURES, on_every_core, tree_hashes, write_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "site", root, ignore=shutil.ignore_patterns(".cache"))
    return root


@pytest.fixture
def converted(monkeypatch) -> list[str]:
    """Every Markdown text converted (not read back from the cache), in order."""
    texts: list[str] = []
    convert = markup._convert
    monkeypatch.setattr(
        markup, "_convert", lambda text, demote: texts.append(text) or convert(text, demote)
    )
    return texts


def site(root: Path, output: Path, cache: bool = True) -> dict[str, str]:
    build(Project.at(root, output), search=False, cache=cache)
    return tree_hashes(output)


def entries(root: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(root / ".cache" / FILE) as connection:
        return sorted(connection.execute("SELECT key, value FROM entries"))


def test_a_warm_cache_gives_the_same_site_without_converting_again(corpus, tmp_path, converted):
    with (corpus / "content/articles/beta.yaml").open("a") as sidecar:
        sidecar.write('corrections:\n  - date: "2024-03-06"\n    text: The date was *wrong*.\n')
    uncached = site(corpus, tmp_path / "none" / "_site", cache=False)
    assert "The date was <em>wrong</em>." in "".join(
        path.read_text() for path in (tmp_path / "none" / "_site").rglob("*.html")
    )
    assert site(corpus, tmp_path / "cold" / "_site") == uncached
    converted.clear()
    assert site(corpus, tmp_path / "warm" / "_site") == uncached
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
    site(corpus, tmp_path / "first" / "_site")
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(
        sidecar.read_text().replace("Only the embassy says so.", "Reworded with _emphasis_.")
    )
    converted.clear()
    edited = site(corpus, tmp_path / "edited" / "_site")
    assert sorted(converted) == [
        "Reworded with _emphasis_.",
        "The embassy did not publish its statement.",
    ]
    assert edited == site(corpus, tmp_path / "clean" / "_site", cache=False)


def test_entries_of_files_no_longer_there_are_deleted(corpus, tmp_path):
    site(corpus, tmp_path / "first" / "_site")
    (corpus / "content/articles/gamma.md").unlink()
    sidecar = corpus / "content/articles/beta.yaml"
    sidecar.write_text(sidecar.read_text().replace("Only the embassy says so.", "Reworded."))
    site(corpus, tmp_path / "second" / "_site")
    kept = entries(corpus)
    (corpus / ".cache" / FILE).unlink()
    site(corpus, tmp_path / "fresh" / "_site")
    assert kept == entries(corpus)


def test_a_cache_copied_with_the_repository_is_not_used(corpus, tmp_path, converted):
    site(corpus, tmp_path / "first" / "_site")
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)  # the same bytes and modification times, other inodes
    converted.clear()
    site(copy, tmp_path / "copied" / "_site")
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
                (value, _checksum(key, value), key),
            )


def _damage_layout(file: Path) -> None:
    with sqlite3.connect(file) as connection:
        connection.execute("DROP TABLE entries")
        connection.execute("CREATE TABLE entries (key TEXT, value BLOB)")


@pytest.mark.parametrize(
    "damage", [_damage_garbage, _damage_truncated, _damage_values, _damage_shapes, _damage_layout]
)
def test_a_damaged_cache_is_ignored_and_replaced(corpus, tmp_path, converted, damage):
    uncached = site(corpus, tmp_path / "none" / "_site", cache=False)
    site(corpus, tmp_path / "first" / "_site")
    damage(corpus / ".cache" / FILE)
    assert site(corpus, tmp_path / "damaged" / "_site") == uncached
    converted.clear()
    assert site(corpus, tmp_path / "repaired" / "_site") == uncached
    assert converted == []


def test_a_locked_cache_slows_a_build_but_does_not_change_it(corpus, tmp_path):
    uncached = site(corpus, tmp_path / "none" / "_site", cache=False)
    site(corpus, tmp_path / "first" / "_site")
    other = sqlite3.connect(corpus / ".cache" / FILE, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another build in the middle of writing
    try:
        assert site(corpus, tmp_path / "locked" / "_site") == uncached
    finally:
        other.close()


def test_html_from_the_cache_is_sanitized_again(corpus, tmp_path):
    """Even an entry forged with the right key and checksum cannot put a script on a page."""
    site(corpus, tmp_path / "first" / "_site")
    doc = next(d for d in load(Project.at(corpus)).pages if d.stem == "about")
    cache = FileCache(corpus / ".cache" / FILE, engine_versions())
    memo = cache.markdown(doc)
    (text_key,) = memo.known
    forged = f'{{"{text_key}": "<p>Forged<script>alert(1)</script></p>"}}'
    with sqlite3.connect(corpus / ".cache" / FILE) as connection:
        key = cache._key("markdown", doc.digest)
        connection.execute(
            "UPDATE entries SET value = ?, checksum = ? WHERE key = ?",
            (forged, _checksum(key, forged), key),
        )
    output = tmp_path / "forged" / "_site"
    site(corpus, output)
    texts = [path.read_text() for path in output.rglob("*.html")]
    assert any("<p>Forged</p>" in text for text in texts)
    assert not any("alert(1)" in text for text in texts)


def test_workers_read_the_cache_and_the_parent_writes_it(corpus, tmp_path, monkeypatch):
    uncached = site(corpus, tmp_path / "none" / "_site", cache=False)
    on_every_core(monkeypatch, chunk=1)
    assert site(corpus, tmp_path / "cold" / "_site") == uncached
    written = entries(corpus)
    assert site(corpus, tmp_path / "warm" / "_site") == uncached
    assert entries(corpus) == written


def test_no_cache_neither_reads_nor_writes_it(corpus):
    assert main(["--root", str(corpus), "check", "--no-cache"]) == 0
    assert not (corpus / ".cache").exists()
    assert main(["--root", str(corpus), "check"]) == 0
    assert (corpus / ".cache" / FILE).is_file()


@pytest.mark.parametrize(
    ("kind", "entry"), [("markdown", "text/markup.py"), ("schema", "validate/schema.py")]
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


def _checksum(key: str, value: str) -> str:
    from scholion.incremental.file_cache import _digest

    return _digest(key.encode(), value.encode())
