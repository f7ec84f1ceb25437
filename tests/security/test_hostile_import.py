"""``import-annotations`` reads files from other people's tools: a script in a body stays words
on the page, an article slug or a brat file name cannot steer a write outside the article's
sidecar and the rejects file, and a huge or deeply nested file is one error, never a traceback
or a machine out of memory."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from scholion.commands.annotation_formats import FormatError
from scholion.commands.import_annotations import plan_annotations, write_planned
from scholion.diagnostics import SiteError
from scholion.load import MAX_FILE_BYTES
from scholion.pipeline import build
from scholion.project import Project
from tests.dom import parse_file
from tests.helpers import FIXTURES, check, tree_hashes
from tests.security.hostile import problems

SLUG = "aircraft-in-caracas"
ATTACK = (
    "<script>alert(1)</script><img src=x onerror=alert(2)>"
    "[click](javascript:alert(3)) <iframe src=https://evil.example/></iframe>"
)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "annotations" / "corpus", copy)
    return copy


def annotation(value: str, fmt: str) -> dict:
    return {
        "type": "Annotation",
        "motivation": "commenting",
        "body": {"type": "TextualBody", "value": value, "format": fmt},
        "target": {"selector": {"type": "TextQuoteSelector", "exact": "the embassy"}},
    }


@pytest.mark.parametrize("fmt", ["text/html", "text/plain", "text/markdown"])
def test_a_script_in_a_body_never_runs_on_the_page(root, tmp_path, fmt):
    export = tmp_path / "hostile.json"
    export.write_text(json.dumps([annotation(f"Look: {ATTACK}", fmt)]), encoding="utf-8")
    planned = plan_annotations(Project.at(root), export, SLUG)
    assert len(planned.outcome.added) == 1
    write_planned(planned)
    assert check(root) == []
    output = tmp_path / "_site"
    build(Project.at(root, output), search=False)
    page = output / "articles" / SLUG / "index.html"
    html = page.read_text(encoding="utf-8")
    assert list(problems(html, str(page))) == []
    assert "Look:" in parse_file(page).text


@pytest.mark.parametrize("slug", ["../../etc/passwd", "aircraft-in-caracas/../x", "/tmp/x", "A"])
def test_an_article_slug_that_is_a_path_is_refused_before_anything_is_read(root, slug):
    before = tree_hashes(root)
    with pytest.raises(SiteError, match="is not an article slug"):
        plan_annotations(Project.at(root), FIXTURES / "annotations" / "recogito.jsonld", slug)
    assert tree_hashes(root) == before


def test_a_brat_file_name_steers_no_write(root, tmp_path):
    """Whatever the .ann is called, only the article's sidecar and the rejects file change."""
    odd = tmp_path / "in" / ".." / "..%2f..%2fcontent%2fsources%2fx"
    odd.parent.mkdir(parents=True, exist_ok=True)
    source = FIXTURES / "annotations" / "brat" / f"{SLUG}"
    shutil.copy(source.with_suffix(".ann"), odd.with_suffix(".ann"))
    shutil.copy(source.with_suffix(".txt"), odd.with_suffix(".txt"))
    before = tree_hashes(root)
    rejects = tmp_path / "rejects.json"
    write_planned(
        plan_annotations(
            Project.at(root),
            odd.with_suffix(".ann"),
            SLUG,
            FIXTURES / "annotations" / "map.yaml",
            rejects,
        )
    )
    after = tree_hashes(root)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert changed == {f"content/articles/{SLUG}.yaml"}
    assert rejects.is_file()


def test_a_huge_file_is_refused_unread(root, tmp_path):
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.write(b"[" + b'{"type": "Annotation"},' * (MAX_FILE_BYTES // 20) + b"{}]")
    with pytest.raises(FormatError, match="file is too large"):
        plan_annotations(Project.at(root), huge, SLUG)


def test_deeply_nested_json_is_one_error(root, tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(FormatError, match="nested too deep"):
        plan_annotations(Project.at(root), deep, SLUG)


def test_a_quote_of_any_length_is_cut_to_a_rejection_not_a_sidecar_check_cannot_read(
    root, tmp_path
):
    export = tmp_path / "long.json"
    long = {**annotation("A comment.", "text/plain")}
    long["target"] = {"selector": {"type": "TextQuoteSelector", "exact": "Moscow " * 50_000}}
    export.write_text(json.dumps([long]), encoding="utf-8")
    planned = plan_annotations(Project.at(root), export, SLUG)
    assert [r.reason[:22] for r in planned.outcome.rejected] == ["quote not found in the"]
