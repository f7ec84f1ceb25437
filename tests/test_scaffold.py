"""``build.py new``: scaffolded files pass ``check`` exactly as written."""

from __future__ import annotations

from tests.helpers import PUBLISHER, check, run_build_py, write_corpus


def test_scaffolded_article_entity_and_source_pass_check_unchanged(tmp_path):
    write_corpus(tmp_path, {"content/entities/example-times.yaml": PUBLISHER})
    root = str(tmp_path)
    runs = [
        run_build_py(
            "--root",
            root,
            "new",
            "entity",
            "jane-doe",
            "--type",
            "person",
            "--name",
            "Jane Doe",
            "--description",
            "A reporter: she writes.",
        ),
        run_build_py(
            "--root",
            root,
            "new",
            "source",
            "wire-report",
            "--title",
            "A wire report",
            "--kind",
            "wire",
        ),
        run_build_py(
            "--root",
            root,
            "new",
            "article",
            "first-story",
            "--title",
            "First story: a test",
            "--publisher",
            "example-times",
            "--rights",
            "© Example Times, reproduced with permission.",
            "--date",
            "2020-01-31",
        ),
    ]
    assert [r.returncode for r in runs] == [0, 0, 0], [r.stderr for r in runs]
    assert [line for r in runs for line in r.stdout.splitlines()] == [
        "created content/entities/jane-doe.yaml",
        "created content/sources/wire-report.yaml",
        "created content/articles/first-story.md",
        "created content/articles/first-story.yaml",
    ]
    assert check(tmp_path) == []
    article = (tmp_path / "content/articles/first-story.md").read_text(encoding="utf-8")
    assert article.splitlines()[:3] == [
        "---",
        "# yaml-language-server: $schema=../../schemas/article.schema.json",
        'title: "First story: a test"',
    ]


def test_new_refuses_unknown_vocabulary_with_a_suggestion_and_never_overwrites(tmp_path):
    write_corpus(tmp_path, {"content/entities/example-times.yaml": PUBLISHER})
    root = str(tmp_path)
    wrong = run_build_py(
        "--root", root, "new", "entity", "x", "--type", "persn", "--name", "X", "--description", "Y"
    )
    assert (wrong.returncode, wrong.stderr) == (
        1,
        "error: unknown entity type 'persn'; did you mean 'person'?\n",
    )
    again = run_build_py(
        "--root",
        root,
        "new",
        "entity",
        "example-times",
        "--type",
        "media",
        "--name",
        "X",
        "--description",
        "Y",
    )
    assert again.returncode == 1
    assert "example-times.yaml already exists; choose another id" in again.stderr
    bad_id = run_build_py(
        "--root", root, "new", "source", "Bad Id", "--title", "T", "--kind", "wire"
    )
    assert bad_id.stderr == (
        "error: 'Bad Id' is not a valid id: use lower-case letters a-z, "
        "digits and single hyphens, e.g. bad-id\n"
    )
