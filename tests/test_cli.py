"""The command line as contributors and CI run it: ``python build.py --root <corpus> check|build``.

Every test runs build.py in a real subprocess (outside GitHub Actions unless a test sets its
variables) and asserts on the exit code and on exactly what is printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import FIXTURES, run_build_py

TWO_MISTAKES = {
    "content/entities/caracas.yaml": """\
        type: place
        naem: Caracas
        description: The capital of Venezuela.
        """,
    "content/pages/about.md": """\
        ---
        title: About
        summary: no
        ---
        About this corpus.
        """,
}

TEXT_OUTPUT = (
    "content/entities/caracas.yaml:1:1: error: missing required key 'name'\n"
    "  hint: add `name:` (The name to show.)\n"
    "content/entities/caracas.yaml:2:1: error: unknown key 'naem'\n"
    "  hint: did you mean 'name'?\n"
    "content/pages/about.md:3:10: error: 'summary' must be text, but YAML read no as false\n"
    "  hint: YAML reads unquoted yes, no, on, off, true and false as true or false: "
    'write "no" instead of no\n'
)

GITHUB_OUTPUT = (
    "::error file=content/entities/caracas.yaml,line=1,col=1,title=Scholion error::"
    "missing required key 'name'%0Ahint: add `name:` (The name to show.)\n"
    "::error file=content/entities/caracas.yaml,line=2,col=1,title=Scholion error::"
    "unknown key 'naem'%0Ahint: did you mean 'name'?\n"
    "::error file=content/pages/about.md,line=3,col=10,title=Scholion error::"
    "'summary' must be text, but YAML read no as false%0Ahint: YAML reads unquoted yes, no, "
    'on, off, true and false as true or false: write "no" instead of no\n'
)


def test_check_exits_1_and_prints_each_located_error_with_its_hint(corpus):
    result = run_build_py("--root", str(corpus(TWO_MISTAKES)), "check")
    assert result.returncode == 1
    assert result.stdout == TEXT_OUTPUT
    assert result.stderr == "check failed: 3 errors, 0 warnings\n"


def test_check_passes_on_a_valid_corpus():
    result = run_build_py("--root", str(FIXTURES / "site"), "check")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == "check passed: 0 errors, 0 warnings\n"


def test_check_with_format_github_prints_workflow_annotations(corpus):
    result = run_build_py("--root", str(corpus(TWO_MISTAKES)), "check", "--format", "github")
    assert result.returncode == 1
    assert result.stdout == GITHUB_OUTPUT


def test_check_under_github_actions_prints_annotations_by_default(corpus):
    root = corpus(TWO_MISTAKES)
    result = run_build_py("--root", str(root), "check", env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout == GITHUB_OUTPUT
    text = run_build_py(
        "--root", str(root), "check", "--format", "text", env={"GITHUB_ACTIONS": "true"}
    )
    assert text.stdout == TEXT_OUTPUT


def test_check_appends_a_markdown_table_to_the_step_summary(corpus, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("Earlier steps wrote this.\n")
    result = run_build_py(
        "--root",
        str(corpus(TWO_MISTAKES)),
        "check",
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )
    assert result.returncode == 1
    assert summary.read_text() == (
        "Earlier steps wrote this.\n"
        "## Scholion check\n"
        "\n"
        "3 errors, 0 warnings\n"
        "\n"
        "| Location | Severity | Problem | How to fix |\n"
        "| --- | --- | --- | --- |\n"
        "| `content/entities/caracas.yaml:1:1` | error | missing required key 'name' "
        "| add `name:` (The name to show.) |\n"
        "| `content/entities/caracas.yaml:2:1` | error | unknown key 'naem' "
        "| did you mean 'name'? |\n"
        "| `content/pages/about.md:3:10` | error | 'summary' must be text, but YAML read no as "
        "false | YAML reads unquoted yes, no, on, off, true and false as true or false: write "
        '"no" instead of no |\n'
    )


def test_the_step_summary_is_left_alone_outside_github_format(corpus, tmp_path):
    summary = tmp_path / "summary.md"
    run_build_py(
        "--root", str(corpus(TWO_MISTAKES)), "check", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert not summary.exists()


def test_strict_check_fails_on_warnings(corpus):
    root = corpus({"content/entities/notes.txt": "Remember Moscow.\n"})
    assert run_build_py("--root", str(root), "check").returncode == 0
    strict = run_build_py("--root", str(root), "check", "--strict")
    assert strict.returncode == 1
    assert strict.stdout.startswith(
        "content/entities/notes.txt:1:1: warning: this file is not part of the corpus"
    )
    assert strict.stderr == "check failed: 0 errors, 1 warning\n"


def test_no_traceback_for_any_kind_of_content_mistake(corpus):
    root = corpus(
        {
            "site_config.yaml": "title: [unclosed\n",
            "content/entities/bom.yaml": b"\xef\xbb\xbftype: place\n",
            "content/entities/latin1.yaml": b"name: Caf\xe9\n",
            "content/entities/tagged.yaml": "name: !!python/object:os.system echo\n",
            "content/entities/twice.yaml": "name: A\nname: B\n",
            "content/entities/Bad Name.yaml": "name: A\n",
            "content/entities/bomb.yaml": "a: &a [*a]\n",
            "content/pages/nofm.md": "Just text.\n",
            "content/articles/orphan.yaml": "claims: 3\n",
            "content/articles/listy.md": "---\n- a\n---\nText\n",
        }
    )
    for command in ("check", "build"):
        result = run_build_py("--root", str(root), command)
        assert result.returncode == 1, command
        assert "Traceback" not in result.stderr + result.stdout, command
        assert len(result.stdout.splitlines()) >= 20, result.stdout


def test_build_with_a_content_error_says_the_previous_site_was_kept(corpus):
    root = corpus({"content/entities/caracas.yaml": "type: place\nnaem: Caracas\n"})
    result = run_build_py("--root", str(root), "build", "--no-search")
    assert result.returncode == 1
    assert result.stdout.startswith("content/entities/caracas.yaml:1:1: error: missing required")
    assert result.stderr == (
        "build failed: 3 errors in content; the previous site was left as it was\n"
    )
    assert not (root / "_site").exists()


def test_build_with_a_template_error_names_the_template_line_without_a_traceback(tmp_path):
    corpus = FIXTURES / "broken-template"
    result = run_build_py("--root", str(corpus), "build", "--output", str(tmp_path / "out"), "-q")
    assert result.returncode == 1
    assert result.stderr == (
        "error: rendering articles/alpha/index.html with "
        "tests/fixtures/broken-template/templates/article.html:4: "
        "'scholion.model.Article object' has no attribute 'headline'\n"
    )
    debug = run_build_py(
        "--root", str(corpus), "--debug", "build", "--output", str(tmp_path / "out")
    )
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("base_url", [None, "https://example.net/other/"])
def test_build_writes_the_site_and_reports_what_it_did(tmp_path, base_url):
    output = tmp_path / "out"
    args = ["--root", str(FIXTURES / "site"), "build", "--output", str(output), "--no-search"]
    result = run_build_py(*args, *(["--base-url", base_url] if base_url else []))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "checked 3 articles, 3 claims, 6 entities, 3 sources",
        "rendered 32 files",
        f"built 32 files into {output.as_posix()}/",
    ]
    sitemap = (output / "sitemap.xml").read_text()
    assert f"<loc>{base_url or 'https://example.org/corpus/'}claims/</loc>" in sitemap


def test_build_prints_the_number_of_pages_indexed_for_search(tmp_path):
    output = tmp_path / "out"
    result = run_build_py("--root", str(FIXTURES / "site"), "build", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert "indexed 18 pages for search" in result.stderr.splitlines()
    assert Path(output / "pagefind" / "pagefind.js").is_file()


def test_a_folder_without_a_site_config_gets_an_error_not_a_traceback(tmp_path: Path):
    (tmp_path / "content").mkdir()
    result = run_build_py("--root", str(tmp_path), "check")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert "site_config.yaml:1:1: error: site_config.yaml does not exist" in result.stdout
