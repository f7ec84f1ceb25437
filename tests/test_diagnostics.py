"""How diagnostics are shown: compiler-style text, GitHub workflow commands, the step summary."""

from __future__ import annotations

from scholion.diagnostics import (
    Diagnostic,
    Severity,
    github_step_summary,
    sort_diagnostics,
    summary_line,
)

QUOTE = Diagnostic(
    "content/articles/a,b.yaml",
    3,
    12,
    Severity.ERROR,
    "quote not found in content/articles/a,b.md",
    'the closest passage is "100% sure | maybe"; copy the exact words',
)


def test_text_format_puts_the_hint_on_an_indented_line():
    assert QUOTE.format_text() == (
        "content/articles/a,b.yaml:3:12: error: quote not found in content/articles/a,b.md\n"
        '  hint: the closest passage is "100% sure | maybe"; copy the exact words'
    )


def test_text_format_without_a_hint_is_one_line():
    warning = Diagnostic("content/x.txt", 3, 7, Severity.WARNING, "ignored")
    assert warning.format_text() == "content/x.txt:3:7: warning: ignored"


def test_a_problem_with_the_whole_file_is_shown_at_1_1_never_0_0():
    """Editors, compilers' problem matchers and GitHub annotations count from 1: ``path:0:0``
    opened nothing."""
    warning = Diagnostic("content/x.txt", 0, 0, Severity.WARNING, "ignored")
    assert warning.format_text() == "content/x.txt:1:1: warning: ignored"
    assert "line=1,col=1" in warning.format_github()


def test_github_format_escapes_properties_and_data():
    assert QUOTE.format_github() == (
        "::error file=content/articles/a%2Cb.yaml,line=3,col=12,title=Scholion error::"
        "quote not found in content/articles/a,b.md%0A"
        'hint: the closest passage is "100%25 sure | maybe"; copy the exact words'
    )


def test_github_format_puts_whole_file_problems_on_line_1():
    warning = Diagnostic("content/x.txt", 0, 0, Severity.WARNING, "ignored")
    assert warning.format_github() == (
        "::warning file=content/x.txt,line=1,col=1,title=Scholion warning::ignored"
    )


def test_step_summary_escapes_table_cells():
    assert github_step_summary([QUOTE]) == (
        "## Scholion check\n"
        "\n"
        "1 error, 0 warnings\n"
        "\n"
        "| Location | Severity | Problem | How to fix |\n"
        "| --- | --- | --- | --- |\n"
        "| `content/articles/a,b.yaml:3:12` | error | quote not found in content/articles/a,b.md "
        '| the closest passage is "100% sure \\| maybe"; copy the exact words |\n'
    )


def test_step_summary_without_problems_has_no_table():
    assert github_step_summary([]) == "## Scholion check\n\n0 errors, 0 warnings\n\n"


def test_summary_line_counts_errors_and_warnings():
    warning = Diagnostic("content/x.txt", 0, 0, Severity.WARNING, "ignored")
    assert summary_line([QUOTE, QUOTE, warning]) == "2 errors, 1 warning"


def test_diagnostics_sort_by_file_then_position_and_drop_duplicates():
    def at(path: str, line: int, col: int) -> Diagnostic:
        return Diagnostic(path, line, col, Severity.ERROR, "m")

    found = [at("b.yaml", 1, 1), at("a.yaml", 10, 1), at("a.yaml", 9, 5), at("a.yaml", 9, 5)]
    assert sort_diagnostics(found) == [at("a.yaml", 9, 5), at("a.yaml", 10, 1), at("b.yaml", 1, 1)]
